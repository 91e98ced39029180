"""Lights in words: each reason's code and parameters through an i18n message."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from duban.core.formatting import format_cn_date

from .rules import Colour, Reason


def colour_label(colour: str) -> str:
    labels = {
        Colour.GREEN: _("Green light"),
        Colour.YELLOW: _("Yellow light"),
        Colour.RED: _("Red light"),
        Colour.NONE: _("No light yet"),
    }
    return str(labels.get(Colour(colour), colour))


def _params(reason: Reason) -> dict[str, Any]:
    return {
        key: format_cn_date(value) if isinstance(value, date) else value
        for key, value in reason.params.items()
    }


def describe(reason: Reason) -> str:
    """One reason as a sentence in the user's language."""
    p = _params(reason)
    code = reason.code
    today = p.get("days") == 0
    if code == "done":
        return _("The task is completed.")
    if code == "on_track":
        return _("On track: nothing overdue or behind.")
    if code == "nothing_due":
        return _("Nothing is due yet.")
    if code == "overdue":
        return _("Past its deadline (%(date)s) by %(days)s day(s).") % p
    if code == "deadline_near":
        if today:
            return _("The deadline is today (%(date)s).") % p
        return _("Deadline %(date)s: %(days)s day(s) left.") % p
    if code == "milestone_overdue":
        return _("Milestone “%(what)s” was due %(date)s and is %(days)s day(s) overdue.") % p
    if code == "milestone_near":
        if today:
            return _("Milestone “%(what)s” is due today.") % p
        return _("Milestone “%(what)s” is due %(date)s: %(days)s day(s) left.") % p
    if code == "report_missing":
        return _("The %(period)s report was due %(date)s and is %(days)s day(s) overdue.") % p
    if code == "report_due":
        if today:
            return _("The %(period)s report is due today.") % p
        return _("The %(period)s report is due %(date)s: %(days)s day(s) left.") % p
    if code == "report_late":
        return _("The %(period)s report was submitted %(days)s day(s) late.") % p
    if code == "report_returned":
        return _("The %(period)s report was returned and waits to be corrected.") % p
    if code == "behind_pace":
        if p.get("planned"):
            return (
                _(
                    "%(period)s: reported progress %(reported)s%% against %(expected)s%% "
                    "planned in the refinement."
                )
                % p
            )
        return (
            _(
                "%(period)s: reported progress %(reported)s%% against %(expected)s%% "
                "of the year elapsed."
            )
            % p
        )
    if code == "lagging":
        return _("The task's status is Lagging.")
    return code


def override_text(reason: str) -> str:
    return _("Set by the supervision office: %(reason)s") % {"reason": reason}


def light_title(light: Any) -> str:
    """The hover text of a light: its colour, then every reason (the override's first)."""
    if light is None:
        return ""
    parts = [colour_label(light.colour)]
    if light.override is not None:
        parts.append(override_text(light.override.reason))
    parts.extend(describe(reason) for reason in light.reasons)
    return "\n".join(parts)
