"""The assessment scheme's versions: the current one (v1, the shipped default, is created the
first time one is asked for) and the office's next version. A version is never changed; a
year keeps the version it was computed with (``Assessment.scheme``)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.core import clock
from duban.core.permissions import Action, check

from .. import scheme as scheme_rules
from ..models import Scheme
from . import AssessmentError

# How the office's form and the error messages name each rule (field code → words).
LABELS: dict[str, Any] = {
    "completion_pool": gettext_lazy("Task completion points"),
    "pace_pool": gettext_lazy("Pace of progress points"),
    "reporting_pool": gettext_lazy("Reporting points"),
    "response_pool": gettext_lazy("Response to supervision points"),
    "lead_weight": gettext_lazy("Weight of a task for its lead unit"),
    "responsible_weight": gettext_lazy("Weight of a task for a responsible unit"),
    "evidence_required": gettext_lazy("A task counts only with evidence accepted"),
    "responsible_share": gettext_lazy("Share of a responsible unit's deduction or bonus"),
    "pace_red": gettext_lazy("Deduction per red light in a quarter"),
    "pace_yellow": gettext_lazy("Deduction per yellow light in a quarter"),
    "late_minor_days": gettext_lazy("Late by at most (working days)"),
    "report_late_minor": gettext_lazy("Deduction per report late by at most that"),
    "report_late_major": gettext_lazy("Deduction per report later than that"),
    "report_missing": gettext_lazy("Deduction per missing report"),
    "report_returned": gettext_lazy("Deduction per returned report"),
    "contributions_count": gettext_lazy("Count responsible units' contributions (at the share)"),
    "notice_late_reply": gettext_lazy("Deduction per late reply to a notice"),
    "notice_supervise": gettext_lazy("Deduction per 督办"),
    "notice_listed": gettext_lazy("Deduction per 挂牌督办"),
    "bonus_cap": gettext_lazy("Bonus cap"),
    "early_bonus": gettext_lazy("Bonus for a task completed early"),
    "beyond_target_bonus": gettext_lazy("Bonus for a target exceeded"),
    "task_bonus_cap": gettext_lazy("Bonus cap per task"),
    "praise_bonus": gettext_lazy("Bonus per praise in a circular"),
    "recognition_min": gettext_lazy("Least points of a recognition"),
    "recognition_max": gettext_lazy("Most points of a recognition"),
    "instruction_bonus": gettext_lazy("Count leaders' written approval (领导批示肯定)"),
    "criticism": gettext_lazy("Deduction per criticism in a circular"),
    "falsified": gettext_lazy("Deduction per verified false report"),
    "veto_falsified": gettext_lazy("A false report vetoes the grade"),
    "veto_missed_tasks": gettext_lazy("Tasks missed without extension that veto the grade"),
    "township_kinds": gettext_lazy("Kinds of unit ranked as towns and streets"),
    "grade_excellent": gettext_lazy("Least score for Excellent"),
    "grade_good": gettext_lazy("Least score for Good"),
    "grade_fair": gettext_lazy("Least score for Fair"),
    "excellent_quota": gettext_lazy("Excellent at most (per cent of the group)"),
    "publicity_days": gettext_lazy("Publicity (working days)"),
}


def problem_text(problem: scheme_rules.Problem) -> str:
    """One problem of a scheme, in the person's language."""
    label = LABELS.get(problem.field, problem.field)
    messages = {
        "unknown": _("“%(field)s” is not a rule of the scheme."),
        "not_number": _("%(field)s must be a number."),
        "not_whole": _("%(field)s must be a whole number."),
        "not_bool": _("%(field)s must be yes or no."),
        "negative": _("%(field)s cannot be negative."),
        "range": _("%(field)s is out of range."),
        "order": _("%(field)s is out of order with the values next to it."),
        "kinds": _("%(field)s names a kind of unit that does not exist."),
    }
    return messages.get(problem.code, messages["range"]) % {"field": label}


def default_name() -> str:
    return _("Assessment scheme for key tasks")


def current_scheme() -> Scheme:
    """The newest version; creates v1 (the shipped default) when there is none."""
    found = Scheme.objects.order_by("-version").first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Scheme.objects.create(
                name=default_name(),
                version=1,
                rules=scheme_rules.DEFAULT.to_dict(),
                note=_("The shipped default scheme."),
                created_at=clock.now(),
            )
    except IntegrityError:  # created at the same moment by someone else
        return Scheme.objects.get(version=1)


def rules_of(scheme: Scheme | None) -> scheme_rules.Scheme:
    """A stored version's rules (the default for none); what cannot be read keeps its default."""
    if scheme is None:
        return scheme_rules.DEFAULT
    return scheme_rules.from_dict(scheme.rules, strict=False)


def save_scheme(user: Any, rules: dict[str, Any], note: str, name: str = "") -> Scheme:
    """The next version with ``rules`` (missing keys take the default); AssessmentError naming
    every wrong rule when they do not hold together. Nothing is written then."""
    try:
        parsed = scheme_rules.from_dict(rules)
    except scheme_rules.SchemeInvalid as exc:
        raise AssessmentError(" ".join(problem_text(p) for p in exc.problems)) from None
    try:
        with transaction.atomic():
            current = current_scheme()
            check(user, Action.CHANGE, current)
            return Scheme.objects.create(
                name=name.strip() or current.name,
                version=current.version + 1,
                rules=parsed.to_dict(),
                note=note.strip(),
                created_at=clock.now(),
                created_by=user if getattr(user, "is_authenticated", False) else None,
            )
    except IntegrityError:  # another version was saved at the same moment
        raise AssessmentError(
            _("Someone else saved a new version of the scheme just now; reload and try again.")
        ) from None
