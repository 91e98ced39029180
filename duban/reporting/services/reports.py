"""The report workflow: write, submit, return with a comment, resubmit, accept.

The lead unit's operator (``Action.REPORT``) writes a task's report for an open period and
submits it; a submitted report is read-only for its author. The office (``Action.REVIEW``)
accepts it, and the task takes the report's status, or returns it with a comment, and the
author fixes and resubmits it. Nothing is overwritten: every write produces a ReportVersion.

Two people editing one report: the form carries ``Report.version``; a save made from an older
version is refused (``StaleReport``) and writes nothing. The report's row is locked for the
length of the write (``select_for_update``; SQLite takes the write lock at BEGIN), so checking
the version and writing the new one are one atomic step.

Target figures are checked by one rule for the form and the Excel import (``check_figures``,
arithmetic in ``figures``): errors (a negative figure) refuse the save (``FiguresRejected``);
warnings (more than three times the target, lower than the previous quarter's submitted
figure) refuse it too unless the author confirms them (``ReportInput.confirmed``;
``FiguresUnconfirmed``). The confirmed warnings are kept on the report for the office; a
warning confirmed once is not asked again while the figure stays the same.

Every function takes the acting ``user``; ``None`` is the console, trusted like the other
``duban`` commands.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from duban.core import clock
from duban.core import files as stored_files
from duban.core.permissions import Action, can, check
from duban.ledger.display import format_number
from duban.ledger.models import Target, Task, TaskStatus

from ..models import (
    EDITABLE,
    Evidence,
    Milestone,
    Period,
    PeriodKind,
    PeriodState,
    Report,
    ReportTargetValue,
    ReviewState,
)
from . import announcements, figures
from .periods import days_late, period_label
from .versions import write_version

MAX_TEXT = 3000  # characters of 进展情况, 存在问题, 下步打算 (and of a contribution's text)


class ReportingError(ValueError):
    """A change that cannot be made as asked; the message says why."""


class NotEditable(ReportingError):
    """The report (or contribution) cannot be written now: submitted, or the period closed."""


class StaleReport(ReportingError):
    """Someone saved the report after the editor opened it; nothing was written."""

    def __init__(self, current: Report | None) -> None:
        super().__init__(
            _(
                "Someone else saved this report after you; reload the page and make your changes "
                "again. Your text is below…"
            )
        )
        self.current = current


@dataclass
class ReportInput:
    """What the author writes; ``target_values`` maps target ids to values (None clears)."""

    status: str = TaskStatus.IN_PROGRESS
    progress: int | None = None
    progress_text: str = ""
    problems: str = ""
    next_steps: str = ""
    target_values: Mapping[int, Decimal | None] = field(default_factory=dict)
    milestone_ids: Collection[int] | None = None  # None: leave the milestones as they are
    confirmed: bool = False  # the author has checked the figures the warnings are about


@dataclass(frozen=True)
class FigureNote:
    """An error or a warning about one target's figure (``message``: the msgid; ``params``:
    its parameters, formatted), translated by ``text``; warnings are stored as ``stored()``."""

    target_id: int
    message: str
    params: dict[str, str]
    warning: bool = True

    @property
    def text(self) -> str:
        return _(self.message) % self.params

    def stored(self) -> dict[str, Any]:
        return {"target": self.target_id, "message": self.message, "params": self.params}


class FiguresRejected(ReportingError):
    """Figures that cannot be taken (``notes``); nothing was written."""

    def __init__(self, notes: list[FigureNote]) -> None:
        super().__init__("\n".join(note.text for note in notes))
        self.notes = notes


class FiguresUnconfirmed(ReportingError):
    """Unusual figures the author has not confirmed (``notes``); nothing was written."""

    def __init__(self, notes: list[FigureNote]) -> None:
        heading = _(
            "Some figures are unusual. Check them; if they are right, confirm them and save again."
        )
        super().__init__("\n".join([heading, *(note.text for note in notes)]))
        self.notes = notes


def report_for(task: Task, period: Period) -> Report | None:
    return Report.objects.filter(task=task, period=period).first()


def milestones_of(task: Task) -> list[Milestone]:
    """The task's refinement milestones (none before the lead unit refines the task)."""
    return list(Milestone.objects.filter(refinement__task=task).order_by("position"))


def check_writable(period: Period, report: Report | None) -> None:
    if period.state != PeriodState.OPEN:
        message = _("Period %(code)s is not open: reports cannot be written or submitted.")
        raise NotEditable(message % {"code": period.code})
    if report is not None and report.state not in EDITABLE:
        raise NotEditable(
            _("This report is %(state)s and can no longer be changed.")
            % {"state": report.get_state_display()}
        )


def effective_progress(report: Report) -> tuple[int | None, bool]:
    """(progress, derived): what the author wrote, else what the targets say."""
    if report.progress is not None:
        return report.progress, False
    derived = report.derived_progress()
    return derived, derived is not None


def _check_input(task: Task, data: ReportInput) -> None:
    if data.status not in TaskStatus.values:
        raise ReportingError(_("“%(value)s” is not a status.") % {"value": data.status})
    if data.progress is not None and not 0 <= data.progress <= 100:
        raise ReportingError(_("Progress must be a whole number from 0 to 100."))
    for text in (data.progress_text, data.problems, data.next_steps):
        if len(text) > MAX_TEXT:
            message = _("A text may hold at most %(limit)s characters.")
            raise ReportingError(message % {"limit": MAX_TEXT})
    target_ids = set(Target.objects.filter(task=task).values_list("pk", flat=True))
    if not set(data.target_values) <= target_ids:
        raise ReportingError(_("A target value belongs to another task."))


def _order(period: Period) -> int:
    return period.quarter or 0 if period.kind == PeriodKind.QUARTER else 5


def previous_period(period: Period) -> Period | None:
    """The period before ``period`` in its plan (2023Q1 before 2023Q2, 2023Q4 before 2023Y)."""
    earlier = [
        p for p in Period.objects.filter(plan_id=period.plan_id) if _order(p) < _order(period)
    ]
    return max(earlier, key=_order, default=None)


def check_figures(
    task: Task, period: Period, values: Mapping[int, Decimal | None]
) -> list[FigureNote]:
    """The errors and warnings about the figures ``values`` gives ``task``'s targets in
    ``period``: one rule for the report form and the Excel import (see ``figures``)."""
    given = {pk: value for pk, value in values.items() if value is not None}
    if not given:
        return []
    previous = previous_period(period)
    before: dict[int, Decimal] = {}
    if previous is not None:
        found = ReportTargetValue.objects.filter(
            report__task=task,
            report__period=previous,
            report__state__in=(ReviewState.SUBMITTED, ReviewState.ACCEPTED),
            target_id__in=list(given),
        )
        before = dict(found.values_list("target_id", "value"))
    notes = []
    for target in Target.objects.filter(task=task, pk__in=list(given)).order_by("position"):
        goal = figures.Goal(
            label=target.label,
            unit=target.unit,
            op=target.op,
            value=target.value,
            value_max=target.value_max,
            previous=before.get(target.pk),
            previous_period=period_label(previous) if previous else "",
        )
        for finding in figures.check_figure(goal, given[target.pk]):
            params = {
                key: format_number(value) if isinstance(value, Decimal) else str(value)
                for key, value in finding.params.items()
            }
            notes.append(FigureNote(target.pk, finding.message, params, finding.warning))
    return notes


def _confirm(report: Report, notes: list[FigureNote], confirmed: bool) -> None:
    """Keep the warnings on the report, or refuse those not confirmed (now or before)."""
    warnings = [note for note in notes if note.warning]
    if not confirmed:
        known = report.confirmed_warnings or []
        pending = [note for note in warnings if note.stored() not in known]
        if pending:
            raise FiguresUnconfirmed(pending)
    report.confirmed_warnings = [note.stored() for note in warnings]


def _apply(report: Report, data: ReportInput) -> None:
    report.status = data.status
    report.progress = data.progress
    report.progress_text = data.progress_text.strip()
    report.problems = data.problems.strip()
    report.next_steps = data.next_steps.strip()


def _write_targets(report: Report, values: Mapping[int, Decimal | None]) -> None:
    current = {tv.target_id: tv for tv in report.target_values.all()}
    for target_id, value in values.items():
        existing = current.get(target_id)
        if value is None:
            if existing is not None:
                existing.delete()
        elif existing is None:
            ReportTargetValue.objects.create(report=report, target_id=target_id, value=value)
        elif existing.value != value:
            existing.value = value
            existing.save(update_fields=["value"])


def _mark_submitted(report: Report, user: Any) -> None:
    if not report.progress_text:
        raise ReportingError(_("Write the progress made before submitting the report."))
    if report.state == ReviewState.DRAFT:  # lateness is that of the first submission
        report.days_late = days_late(report.period)
    report.state = ReviewState.SUBMITTED
    report.submitted_at = clock.now()
    report.submitted_by = user if getattr(user, "is_authenticated", False) else None


def save_report(
    *,
    task: Task,
    period: Period,
    user: Any,
    data: ReportInput,
    version: int | None,
    files: Iterable[Any] = (),
    remove_evidence: Collection[int] = (),
    submit: bool = False,
    source: str = "",
    on_behalf: bool = False,
) -> Report:
    """Write the report (creating it), optionally submit it; one new ReportVersion.

    ``version`` is the report's version the editor started from (0 when it did not exist
    yet); ``None`` skips the check (imports). Files are checked before anything is written.
    ``on_behalf``: the office may write a unit's report too (its Excel import).
    """
    if not (on_behalf and can(user, Action.MANAGE_LEDGER)):
        check(user, Action.REPORT, task)
    _check_input(task, data)
    notes = check_figures(task, period, data.target_values)
    errors = [note for note in notes if not note.warning]
    if errors:
        raise FiguresRejected(errors)
    checked = stored_files.check_uploads(files)
    stored: list[str] = []
    try:
        with transaction.atomic():
            report = _locked_report(task, period, version)
            _confirm(report, notes, data.confirmed)
            _apply(report, data)
            if report.pk:
                report.version += 1
            if submit:
                _mark_submitted(report, user)
            report.save()
            _write_targets(report, data.target_values)
            if data.milestone_ids is not None:
                allowed = {m.pk for m in milestones_of(task)}
                report.milestones_reached.set([m for m in data.milestone_ids if m in allowed])
            for item in report.evidence.filter(pk__in=remove_evidence):
                stored_files.remove(item)
            for upload in checked:
                item = Evidence(report=report)
                stored.append(stored_files.save_upload(item, upload, user=user))
            write_version(report, user=user, action="submit" if submit else "save", source=source)
            if submit:
                announcements.report_submitted(report)
    except IntegrityError as exc:  # another editor created the report at the same moment
        stored_files.forget(stored)
        raise StaleReport(report_for(task, period)) from exc
    except BaseException:
        stored_files.forget(stored)
        raise
    return report


def _locked_report(task: Task, period: Period, version: int | None) -> Report:
    """The report to write, locked, after checking the period, its state and the version."""
    period = Period.objects.get(pk=period.pk)
    report = Report.objects.select_for_update().filter(task=task, period=period).first()
    if version is not None and (report.version if report else 0) != version:
        raise StaleReport(report)
    check_writable(period, report)
    return report or Report(task=task, period=period)


def _transition(report: Report, version: int | None) -> Report:
    locked = Report.objects.select_for_update().select_related("period", "task").get(pk=report.pk)
    if version is not None and locked.version != version:
        raise StaleReport(locked)
    return locked


@transaction.atomic
def submit_report(*, report: Report, user: Any, version: int | None = None) -> Report:
    check(user, Action.REPORT, report.task)
    report = _transition(report, version)
    check_writable(report.period, report)
    _mark_submitted(report, user)
    report.version += 1
    report.save()
    write_version(report, user=user, action="submit")
    announcements.report_submitted(report)
    return report


@transaction.atomic
def return_report(*, report: Report, user: Any, comment: str, version: int | None = None) -> Report:
    """Send a submitted report back to its author with the office's comment (required)."""
    check(user, Action.REVIEW, report.task)
    comment = comment.strip()
    if not comment:
        raise ReportingError(_("Say what needs to change: a returned report needs a comment."))
    report = _transition(report, version)
    _check_reviewable(report)
    if report.period.state != PeriodState.OPEN:
        message = _(
            "Period %(code)s is closed: reopen it first, or the unit cannot correct the report."
        )
        raise NotEditable(message % {"code": report.period.code})
    _mark_reviewed(report, user, ReviewState.RETURNED, comment)
    write_version(report, user=user, action="return")
    announcements.report_returned(report)
    return report


@transaction.atomic
def accept_report(
    *, report: Report, user: Any, comment: str = "", version: int | None = None
) -> Report:
    """Accept a submitted report; the task's status becomes the report's."""
    check(user, Action.REVIEW, report.task)
    report = _transition(report, version)
    _check_reviewable(report)
    _mark_reviewed(report, user, ReviewState.ACCEPTED, comment.strip())
    task = report.task
    if task.status != report.status:
        task.status = report.status
        task.save(update_fields=["status", "updated_at"])
    write_version(report, user=user, action="accept")
    return report


def _check_reviewable(report: Report) -> None:
    if report.state != ReviewState.SUBMITTED:
        message = _("Only a submitted report can be reviewed; this one is %(state)s.")
        raise NotEditable(message % {"state": report.get_state_display()})


def _mark_reviewed(report: Report, user: Any, state: str, comment: str) -> None:
    report.state = state
    report.review_comment = comment
    report.reviewed_at = clock.now()
    report.reviewed_by = user if getattr(user, "is_authenticated", False) else None
    report.version += 1
    report.save()
