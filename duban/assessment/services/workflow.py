"""What people do with a year's scores: the office adjusts an item, opens publicity (公示),
decides appeals and publishes; a unit appeals one of its items during publicity; the office
records recognitions from a higher level (上级表彰).

Each function checks the person's permission (``check``), runs in one transaction, leaves the
audit trail its rows (Adjustment, Appeal, Recognition, their files and the Assessment itself
are audited models) and tells the people concerned (``duban.core.events``): publicity opened
and published → every scored unit; an appeal filed → the office; an appeal decided → that
unit. After an item's points change, the unit's floors, caps and total, and its group's ranks
and grades, are worked out again (``compute.settle``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from duban.core import clock
from duban.core import files as stored_files
from duban.core.events import Event, announce
from duban.core.formatting import format_cn_date
from duban.core.permissions import Action, check
from duban.core.workdays import Calendar, MissingCalendar
from duban.directory.models import Unit
from duban.ledger.models import Plan, Task

from .. import scoring
from ..models import (
    Adjustment,
    AdjustmentFile,
    Appeal,
    AppealFile,
    AppealState,
    Assessment,
    AssessmentState,
    Recognition,
    RecognitionFile,
    ScoreItem,
    UnitScore,
)
from . import AssessmentError
from .compute import settle
from .record import link
from .schemes import current_scheme, rules_of

MAX_POINTS = Decimal(100)
MAX_PUBLICITY_DAYS = 30
KINDS = ("higher_level", "instruction")


def _who(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def _points(value: Any) -> Decimal:
    try:
        points = Decimal(str(value)).quantize(scoring.CENT)
    except (InvalidOperation, ValueError, TypeError):
        raise AssessmentError(_("Points must be a number such as 1.5.")) from None
    if not points.is_finite() or abs(points) > MAX_POINTS:
        raise AssessmentError(_("Points must be between -100 and 100."))
    return points


def _text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise AssessmentError(message)
    return value


class FilesRejected(AssessmentError, stored_files.UploadRejected):
    """A file that is not taken (its type, its size): nothing was written. Caught as either."""


def _checked(files: Sequence[Any]) -> list[stored_files.CheckedFile]:
    """Every file checked before anything is written."""
    try:
        return stored_files.check_uploads(files)
    except stored_files.UploadRejected as exc:
        raise FilesRejected(str(exc)) from None


def _save_files(
    model: Any, owner: dict[str, Any], checked: list[stored_files.CheckedFile], user: Any
) -> None:
    """Store the checked files (last in their transaction); a failure removes those written."""
    names: list[str] = []
    try:
        for upload in checked:
            names.append(stored_files.save_upload(model(**owner), upload, user=user))
    except BaseException:
        stored_files.forget(names)
        raise


def _locked(assessment: Assessment) -> Assessment:
    return (
        Assessment.objects.select_for_update()
        .select_related("plan", "scheme")
        .get(pk=assessment.pk)
    )


def _locked_item(item: ScoreItem) -> ScoreItem:
    return (
        ScoreItem.objects.select_for_update(of=("self",))  # PostgreSQL: not the outer joins
        .select_related(
            "score__assessment__plan", "score__assessment__scheme", "score__unit", "task"
        )
        .get(pk=item.pk)
    )


def _bump(assessment: Assessment) -> None:
    assessment.version += 1
    assessment.save(update_fields=["version"])


def scored_units(assessment: Assessment) -> tuple[int, ...]:
    return tuple(
        UnitScore.objects.filter(assessment=assessment)
        .order_by("unit_id")
        .values_list("unit_id", flat=True)
    )


def _year_link(assessment: Assessment) -> str:
    found = link("assessment:year")
    return f"{found}?plan={assessment.plan_id}" if found else ""


def _unit_link(assessment: Assessment, unit_id: int) -> str:
    found = link("assessment:unit", unit_id)
    return f"{found}?plan={assessment.plan_id}" if found else ""


# --- the office adjusts an item ------------------------------------------------------------------


def adjust(
    user: Any, item: ScoreItem, points: Decimal, reason: str, files: Sequence[Any] = ()
) -> Adjustment:
    """The office sets an item's points, with its reason and a document (required), while the
    year is a draft; the unit's total, ranks and grades follow."""
    check(user, Action.REVIEW, item)
    points = _points(points)
    reason = _text(reason, _("Say why the item is adjusted."))
    if not files:
        raise AssessmentError(_("Attach the document the adjustment rests on."))
    checked = _checked(files)
    with transaction.atomic():
        item = _locked_item(item)
        assessment = _locked(item.score.assessment)
        if assessment.state != AssessmentState.DRAFT:
            raise AssessmentError(
                _("Items can be adjusted only before publicity; withdraw the publicity first.")
                if assessment.state == AssessmentState.PUBLICITY
                else _("The assessment is published and frozen: nothing can be adjusted.")
            )
        if item.rule in scoring.ARITHMETIC_RULES:
            raise AssessmentError(
                _("This item follows from the others; adjust the item that causes it.")
            )
        adjustment = Adjustment.objects.create(
            item=item,
            key=item.key,
            points_before=item.final_points,
            points_after=points,
            reason=reason,
            made_at=clock.now(),
            made_by=_who(user),
        )
        item.adjusted_points = points
        item.save(update_fields=["adjusted_points"])
        settle(item.score, rules_of(assessment.scheme))
        _bump(assessment)
        _save_files(AdjustmentFile, {"adjustment": adjustment}, checked, user)
    return adjustment


# --- publicity -----------------------------------------------------------------------------------


def publicity_end(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (AssessmentError without a calendar)."""
    try:
        return Calendar().add(start, days)
    except MissingCalendar as exc:
        raise AssessmentError(
            _(
                "There is no holiday calendar for %(year)s, so working days cannot be counted; "
                "add it first (docs/architecture.md, Working days)."
            )
            % {"year": exc.year}
        ) from None


def open_publicity(user: Any, assessment: Assessment, days: int | None = None) -> Assessment:
    """Publicity (公示) from today to the N-th working day after it (N from the scheme, 5 by
    default): every scored unit sees its items and may appeal them."""
    check(user, Action.CHANGE, assessment)
    with transaction.atomic():
        assessment = _locked(assessment)
        if assessment.state != AssessmentState.DRAFT:
            raise AssessmentError(
                _("Publicity is already open.")
                if assessment.state == AssessmentState.PUBLICITY
                else _("The assessment is published and frozen.")
            )
        if not UnitScore.objects.filter(assessment=assessment).exists():
            raise AssessmentError(_("Compute the scores before opening publicity."))
        if days is None:
            days = rules_of(assessment.scheme).publicity_days
        if (
            isinstance(days, bool)
            or not isinstance(days, int)
            or not 1 <= days <= MAX_PUBLICITY_DAYS
        ):
            raise AssessmentError(
                _("Publicity lasts from 1 to %(most)s working days.") % {"most": MAX_PUBLICITY_DAYS}
            )
        today = clock.today()
        assessment.publicity_from = today
        assessment.publicity_until = publicity_end(today, days)
        assessment.state = AssessmentState.PUBLICITY
        assessment.version += 1
        assessment.save()
        _announce_to_units(
            assessment,
            "assessment_publicity",
            _("The %(year)s assessment is in publicity until %(until)s"),
            _("Check your unit's score and items; you may appeal an item until %(until)s."),
        )
    return assessment


def withdraw_publicity(user: Any, assessment: Assessment) -> Assessment:
    """Back to a draft (to correct and compute again); appeals already decided stay."""
    check(user, Action.CHANGE, assessment)
    with transaction.atomic():
        assessment = _locked(assessment)
        if assessment.state != AssessmentState.PUBLICITY:
            raise AssessmentError(_("The assessment is not in publicity."))
        assessment.state = AssessmentState.DRAFT
        assessment.publicity_from = None
        assessment.publicity_until = None
        assessment.version += 1
        assessment.save()
    return assessment


# --- appeals -------------------------------------------------------------------------------------


def appeal(user: Any, item: ScoreItem, reason: str, files: Sequence[Any] = ()) -> Appeal:
    """A unit's appeal (申诉) against one of its items, during publicity (up to its last day);
    one pending appeal per item. The office hears of it."""
    check(user, Action.VIEW, item)
    reason = _text(reason, _("Say why you appeal the item."))
    checked = _checked(files)
    with transaction.atomic():
        item = _locked_item(item)
        assessment = item.score.assessment
        if assessment.state != AssessmentState.PUBLICITY:
            raise AssessmentError(_("Items can be appealed only during publicity."))
        if assessment.publicity_until is not None and clock.today() > assessment.publicity_until:
            raise AssessmentError(
                _("Publicity ended on %(day)s: appeals are closed.")
                % {"day": format_cn_date(assessment.publicity_until)}
            )
        check(user, Action.REPLY, item)
        if item.rule in scoring.ARITHMETIC_RULES:
            raise AssessmentError(
                _("This item follows from the others; appeal the item that causes it.")
            )
        if Appeal.objects.filter(item=item, state=AppealState.PENDING).exists():
            raise AssessmentError(_("This item already has an appeal waiting for a decision."))
        filed = Appeal.objects.create(
            item=item,
            key=item.key,
            reason=reason,
            filed_at=clock.now(),
            filed_by=_who(user),
        )
        _save_files(AppealFile, {"appeal": filed}, checked, user)
        with translation.override(settings.LANGUAGE_CODE):
            event = Event(
                kind="assessment_appeal_filed",
                key=f"assessment_appeal_filed:{filed.pk}",
                title=_("%(unit)s appeals an item of its %(year)s score")
                % {"unit": item.score.unit.name, "year": assessment.plan.year},
                body=item.text,
                link=_unit_link(assessment, item.score.unit_id),
                to_office=True,
                task_id=item.task_id,
                extra={"appeal": filed.pk},
            )
        announce(event)
    return filed


def decide_appeal(
    user: Any, appeal: Appeal, upheld: bool, reply: str, points: Decimal | None = None
) -> Appeal:
    """The office upholds (the item's points become ``points``, 0 by default) or rejects an
    appeal, with its reply; the unit hears of it."""
    check(user, Action.REVIEW, appeal)
    reply = _text(reply, _("Write the reply to the unit."))
    new_points = _points(points if points is not None else 0) if upheld else None
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        item = _locked_item(appeal.item)
        assessment = _locked(item.score.assessment)
        if assessment.state == AssessmentState.PUBLISHED:
            raise AssessmentError(_("The assessment is published and frozen."))
        if appeal.state != AppealState.PENDING:
            raise AssessmentError(_("This appeal has already been decided."))
        appeal.state = AppealState.UPHELD if upheld else AppealState.REJECTED
        appeal.reply = reply
        appeal.points_after = new_points
        appeal.decided_at = clock.now()
        appeal.decided_by = _who(user)
        appeal.save()
        if upheld:
            item.adjusted_points = new_points
            item.save(update_fields=["adjusted_points"])
            settle(item.score, rules_of(assessment.scheme))
        _bump(assessment)
        with translation.override(settings.LANGUAGE_CODE):
            title = (
                _("Your appeal was upheld: %(item)s")
                if upheld
                else _("Your appeal was not upheld: %(item)s")
            ) % {"item": item.text}
            event = Event(
                kind="assessment_appeal_decided",
                key=f"assessment_appeal_decided:{appeal.pk}",
                title=title,
                body=reply,
                link=_unit_link(assessment, item.score.unit_id),
                unit_ids=(item.score.unit_id,),
                task_id=item.task_id,
                extra={"appeal": appeal.pk, "upheld": upheld},
            )
        announce(event)
    return appeal


# --- publishing ----------------------------------------------------------------------------------


def publish(user: Any, assessment: Assessment) -> Assessment:
    """Publish the result once publicity is over and every appeal decided: final and frozen
    with its scheme version. Every scored unit hears of it."""
    check(user, Action.CHANGE, assessment)
    with transaction.atomic():
        assessment = _locked(assessment)
        if assessment.state != AssessmentState.PUBLICITY:
            raise AssessmentError(
                _("The assessment is already published.")
                if assessment.state == AssessmentState.PUBLISHED
                else _("Open publicity first: the result is published after it.")
            )
        until = assessment.publicity_until
        if until is not None and clock.today() <= until:
            raise AssessmentError(
                _("Publicity lasts until %(day)s: the result can be published after it.")
                % {"day": format_cn_date(until)}
            )
        pending = Appeal.objects.filter(
            item__score__assessment=assessment, state=AppealState.PENDING
        ).count()
        if pending:
            raise AssessmentError(
                _("%(count)s appeals wait for a decision: decide them before publishing.")
                % {"count": pending}
            )
        assessment.state = AssessmentState.PUBLISHED
        assessment.published_at = clock.now()
        assessment.published_by = _who(user)
        assessment.version += 1
        assessment.save()
        _announce_to_units(
            assessment,
            "assessment_published",
            _("The %(year)s assessment is published"),
            _("Your unit's final score and grade are on its page."),
        )
    return assessment


def _announce_to_units(assessment: Assessment, kind: str, title: str, body: str) -> None:
    words = {
        "year": assessment.plan.year,
        "until": format_cn_date(assessment.publicity_until) if assessment.publicity_until else "",
    }
    with translation.override(settings.LANGUAGE_CODE):
        for unit_id in scored_units(assessment):
            announce(
                Event(
                    kind=kind,
                    key=f"{kind}:{assessment.pk}:{assessment.version}:{unit_id}",
                    title=title % words,
                    body=body % words,
                    link=_unit_link(assessment, unit_id),
                    unit_ids=(unit_id,),
                    due_on=assessment.publicity_until if kind == "assessment_publicity" else None,
                    extra={"assessment": assessment.pk},
                )
            )


# --- recognitions --------------------------------------------------------------------------------


def record_recognition(
    user: Any,
    plan: Plan,
    unit: Unit,
    points: Decimal,
    title: str,
    document: str,
    granted_on: date,
    files: Sequence[Any] = (),
    task: Task | None = None,
    kind: str = "higher_level",
) -> Recognition:
    """The office records a recognition from a higher level (上级表彰, or 领导批示肯定 with
    ``kind="instruction"``, counted only when the scheme enables it) with its document; a bonus
    of its points (within the scheme's range) in the plan's year, from the next computation."""
    check(user, Action.CHANGE, plan)
    rules = rules_of(_scheme_of(plan))
    points = _points(points)
    if not rules.recognition_min <= points <= rules.recognition_max:
        raise AssessmentError(
            _("A recognition is worth from %(least)s to %(most)s points.")
            % {"least": _plain(rules.recognition_min), "most": _plain(rules.recognition_max)}
        )
    title = _text(title, _("Say what was recognised."))
    document = _text(document, _("Name the document of the recognition (name and number)."))
    if kind not in KINDS:
        raise AssessmentError(_("Choose what kind of recognition it is."))
    if granted_on.year != plan.year:
        raise AssessmentError(
            _("A recognition counts in the year it was granted: the date must be in %(year)s.")
            % {"year": plan.year}
        )
    if granted_on > clock.today():
        raise AssessmentError(_("The recognition's date cannot be in the future."))
    if task is not None and task.plan_id != plan.pk:
        raise AssessmentError(_("The task belongs to another plan."))
    checked = _checked(files)
    with transaction.atomic():
        recognition = Recognition.objects.create(
            plan=plan,
            unit=unit,
            task=task,
            points=points,
            title=title[:300],
            document=document[:300],
            granted_on=granted_on,
            kind=kind,
            created_at=clock.now(),
            created_by=_who(user),
        )
        _save_files(RecognitionFile, {"recognition": recognition}, checked, user)
    return recognition


def _scheme_of(plan: Plan) -> Any:
    assessment = Assessment.objects.filter(plan=plan).select_related("scheme").first()
    if assessment is not None and assessment.state == AssessmentState.PUBLISHED:
        return assessment.scheme
    return current_scheme()


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")
