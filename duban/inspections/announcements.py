"""What the rectification workflow tells people (``duban.core.events``; notify listens).

- an item raised (交办): the owner unit's operators;
- a report on it (整改情况报送): the office;
- returned (退回整改), verified (核实), closed (销号): the owner unit's operators.

The workflows call these inside their transaction, so a rolled-back step tells nobody. The key
of a return is the one the daily reminder of returned items uses (``item_returned:i…:r…``): the
unit hears of a return once, from whichever comes first.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from duban.core.events import Event, announce
from duban.core.formatting import format_cn_date, shorten
from duban.reporting.services.announcements import task_name, title

from .models import RectificationItem


def _announce(item: RectificationItem, kind: str, key: str, what: str, body: str) -> None:
    to_office = kind == "item_reported"
    announce(
        Event(
            kind=kind,
            key=key,
            title=title(what, item.task),
            body=body,
            link=reverse("inspections:item", args=[item.pk]),
            unit_ids=() if to_office else (item.unit_id,),
            to_office=to_office,
            task_id=item.task_id,
            due_on=item.deadline,
        )
    )


def item_raised(item: RectificationItem) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        body = _(
            "%(task)s — the office assigned your unit a rectification item: “%(item)s”. "
            "Report what was done by %(due)s."
        ) % {
            "task": task_name(item.task),
            "item": shorten(item.text, 40),
            "due": format_cn_date(item.deadline),
        }
        _announce(
            item, "item_raised", f"item_raised:i{item.pk}", _("Rectification item assigned"), body
        )


def item_reported(item: RectificationItem) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        body = _("%(task)s — %(unit)s reported on “%(item)s”; it waits for verification.") % {
            "task": task_name(item.task),
            "unit": item.unit.name,
            "item": shorten(item.text, 40),
        }
        key = f"item_reported:i{item.pk}:r{item.times_returned}"
        _announce(item, "item_reported", key, _("Rectification reported"), body)


def item_returned(item: RectificationItem) -> None:
    reason = item.return_reason.rstrip("。.！!；; \n")
    with translation.override(settings.LANGUAGE_CODE):
        body = _(
            "%(task)s — the office returned the rectification report on “%(item)s”. "
            "Reason: %(reason)s. Report again (deadline %(due)s)."
        ) % {
            "task": task_name(item.task),
            "item": shorten(item.text, 40),
            "reason": shorten(reason, 200),
            "due": format_cn_date(item.deadline),
        }
        key = f"item_returned:i{item.pk}:r{item.times_returned}"
        _announce(item, "item_returned", key, _("Rectification item returned"), body)


def item_verified(item: RectificationItem) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        body = _("%(task)s — the office verified your rectification report on “%(item)s”.") % {
            "task": task_name(item.task),
            "item": shorten(item.text, 40),
        }
        key = f"item_verified:i{item.pk}:r{item.times_returned}"
        _announce(item, "item_verified", key, _("Rectification verified"), body)


def item_closed(item: RectificationItem) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        body = _("%(task)s — the office closed the rectification item “%(item)s”.") % {
            "task": task_name(item.task),
            "item": shorten(item.text, 40),
        }
        _announce(
            item, "item_closed", f"item_closed:i{item.pk}", _("Rectification item closed"), body
        )
