"""The record of one plan's year, read as ``scoring.UnitFacts`` for every unit it scores.

Read in a fixed number of queries whatever the number of tasks and units (the directory, the
tasks and their assignments, periods, reports with their target values and returns,
contributions, lights, notices, circulars, false reports, extensions, recognitions), as the
record stood on ``as_of``: what was submitted, accepted, replied, issued or found after that
day does not count yet. Every fact carries the ``Ref`` of the record that shows it (its type,
pk and page).

Which units are scored: every active unit an assignment of the plan reaches
(``duban.directory.reach``: by name, through a group such as 各镇（街道）, named behind an open
placeholder), lead on a task if a lead assignment reaches it there, else responsible.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from duban.core.workdays import Calendar, MissingCalendar
from duban.directory.models import Unit
from duban.inspections.models import Finding
from duban.ledger.models import Assignment, AssignmentRole, Plan, Target, TargetOp, Task, TaskStatus
from duban.ledger.progress import progress_from_targets
from duban.ledger.queries import Directory
from duban.lights.models import LightRecord
from duban.lights.rules import quarter_bounds
from duban.reporting.models import (
    Contribution,
    Evidence,
    Period,
    PeriodKind,
    Report,
    ReportTargetValue,
    ReportVersion,
    ReviewState,
    SlotUnit,
)
from duban.reporting.services.periods import period_label
from duban.supervision.models import (
    Circular,
    CircularState,
    ExtensionRequest,
    ExtensionState,
    Notice,
)

from .. import scoring
from ..models import Recognition
from ..scoring import LEAD, RESPONSIBLE, Ref

ONE = Decimal(1)
HUNDRED = Decimal(100)


def end_of(day: dt.date) -> dt.datetime:
    """The first moment after ``day`` (local time): what happened before it happened by then."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def link(name: str, *args: Any, **kwargs: Any) -> str:
    try:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:  # a page not installed (yet): the item still says its cause
        return ""


def _with_plan(found: str, plan: Plan) -> str:
    return f"{found}?plan={plan.pk}" if found else ""


def task_ref(task_id: int) -> Ref:
    return Ref("task", task_id, link("ledger:task", task_id))


def report_ref(report_id: int | None, task_id: int, period_id: int) -> Ref:
    return Ref("report", report_id, link("reporting:report", task_pk=task_id, period_pk=period_id))


@dataclass
class Record:
    """What the scoring needs, and what the service needs to name things."""

    plan: Plan
    as_of: dt.date
    units: dict[int, Unit]
    facts: list[scoring.UnitFacts]
    tasks: dict[int, Task] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # e.g. years counted in calendar days


# --- who is on which task ------------------------------------------------------------------------


def _roles(
    tasks: dict[int, Task], directory: Directory
) -> tuple[dict[int, dict[int, str]], dict[int, Unit]]:
    """{unit id: {task id: role}} of every active unit the plan's assignments reach."""
    assignments = list(Assignment.objects.filter(task__in=list(tasks)).order_by("task", "position"))
    slots: dict[int, list[int]] = defaultdict(list)
    for assignment_id, unit_id in SlotUnit.objects.filter(
        assignment__task__in=list(tasks)
    ).values_list("assignment_id", "unit_id"):
        slots[assignment_id].append(unit_id)
    roles: dict[int, dict[int, str]] = defaultdict(dict)
    for assignment in assignments:
        if assignment.unit_id is not None:
            reached = [assignment.unit_id]
        elif assignment.group_id is not None:
            group = directory.groups.get(assignment.group_id)
            if group is not None and group.is_open:
                reached = slots[assignment.pk]
            else:
                reached = [unit.pk for unit in directory.expansion(assignment.group_id)]
        else:
            continue
        for unit_id in reached:
            unit = directory.units.get(unit_id)
            if unit is None or not unit.active:
                continue
            mine = roles[unit_id]
            if assignment.role == AssignmentRole.LEAD:
                mine[assignment.task_id] = LEAD
            else:
                mine.setdefault(assignment.task_id, RESPONSIBLE)
    units = {pk: directory.units[pk] for pk in roles}
    return dict(roles), units


# --- completion ----------------------------------------------------------------------------------


@dataclass
class ReportRow:
    report: Report
    period: Period
    evidence: bool
    values: list[tuple[Decimal, Target]]
    returns: list[ReportVersion]

    def ratio(self) -> Decimal:
        """min(actual/target, 1): from the target values, else the progress written, else
        whether the report says the task is completed."""
        derived = progress_from_targets(
            (value, target.value, target.op) for value, target in self.values
        )
        if derived is not None:
            return min(Decimal(derived) / HUNDRED, ONE)
        if self.report.progress is not None:
            return min(Decimal(self.report.progress) / HUNDRED, ONE)
        return ONE if self.report.status == TaskStatus.DONE else Decimal(0)

    def exceeded(self) -> Target | None:
        """The first quantitative target the report's figures exceed (ceilings never do)."""
        for value, target in self.values:
            if target.op == TargetOp.LE or target.value <= 0:
                continue
            bound = target.value_max if target.op == TargetOp.RANGE and target.value_max else None
            if value > (bound if bound is not None else target.value):
                return target
        return None


def _deadline_quarter(task: Task, year: int) -> int:
    """The quarter of the task's deadline in the plan's year (4 without one; 5 after it)."""
    if task.deadline is None:
        return 4
    if task.deadline.year > year:
        return 5
    if task.deadline.year < year:
        return 0
    return (task.deadline.month - 1) // 3 + 1


def _period_order(period: Period) -> tuple[int, dt.date]:
    return (5 if period.kind == PeriodKind.YEAR_END else period.quarter or 0, period.due_on)


# --- the whole record ----------------------------------------------------------------------------


def collect(plan: Plan, as_of: dt.date, *, calendar: Calendar | None = None) -> Record:
    """The facts of every unit the plan scores, as the record stood on ``as_of``."""
    calendar = calendar or Calendar()
    until = end_of(as_of)
    tasks = {task.pk: task for task in Task.objects.filter(plan=plan).order_by("position")}
    directory = Directory.load()
    roles, units = _roles(tasks, directory)
    periods = {p.pk: p for p in Period.objects.filter(plan=plan)}
    counted_periods = [p for p in periods.values() if p.opened_at is not None and p.due_on < as_of]
    quarters = sorted(
        (
            p
            for p in periods.values()
            if p.kind == PeriodKind.QUARTER and p.quarter and p.due_on <= as_of
        ),
        key=lambda p: p.quarter or 0,
    )

    # Reports, their evidence, target values and returns (four queries).
    with_evidence = set(
        Evidence.objects.filter(report__task__plan=plan, report__isnull=False)
        .values_list("report_id", flat=True)
        .distinct()
    )
    values: dict[int, list[tuple[Decimal, Target]]] = defaultdict(list)
    for tv in ReportTargetValue.objects.filter(report__task__plan=plan).select_related("target"):
        values[tv.report_id].append((tv.value, tv.target))
    returns: dict[int, list[ReportVersion]] = defaultdict(list)
    for version in ReportVersion.objects.filter(
        report__task__plan=plan, state=ReviewState.RETURNED, created_at__lt=until
    ).order_by("created_at", "pk"):
        returns[version.report_id].append(version)
    reports: dict[tuple[int, int], ReportRow] = {}
    for report in Report.objects.filter(task__plan=plan):
        period = periods[report.period_id]
        reports[(report.task_id, report.period_id)] = ReportRow(
            report, period, report.pk in with_evidence, values[report.pk], returns[report.pk]
        )

    contributions: dict[tuple[int, int, int], Contribution] = {
        (c.task_id, c.period_id, c.unit_id): c for c in Contribution.objects.filter(task__plan=plan)
    }

    # The light of each task at each quarter's end (one query: only changes are recorded). The
    # quarter counts once its report is due; its colour is the pace at its last day, before
    # the report's own lateness (报送 counts that) could turn it.
    colours: dict[tuple[int, int], LightRecord] = {}
    if quarters:
        ends = {p.quarter or 0: quarter_bounds(plan.year, p.quarter or 0)[1] for p in quarters}
        history = LightRecord.objects.filter(task__plan=plan, on__lte=max(ends.values())).order_by(
            "task", "on"
        )
        for record in history:
            for quarter, end in ends.items():
                if record.on <= end:
                    colours[(record.task_id, quarter)] = record

    extensions: dict[int, ExtensionRequest] = {}
    for request in ExtensionRequest.objects.filter(
        task__plan=plan, state=ExtensionState.APPROVED, decided_at__lt=until
    ).order_by("decided_at", "pk"):
        extensions.setdefault(request.task_id, request)

    notes: list[str] = []
    task_facts = _task_facts(plan, as_of, tasks, reports, until, extensions)
    report_facts = _report_facts(
        tasks, roles, counted_periods, reports, contributions, as_of, calendar, notes
    )

    notices: dict[int, list[scoring.NoticeFacts]] = defaultdict(list)
    plan_notices = Notice.objects.filter(
        Q(task__plan=plan) | Q(period__plan=plan), issued_at__lt=until
    )
    for notice in plan_notices.select_related("task"):
        if notice.unit_id not in units:
            continue
        replied = notice.replied_at is not None and notice.replied_at < until
        if replied:
            assert notice.replied_at is not None
            late = local_day(notice.replied_at) > notice.reply_due
        else:
            late = as_of > notice.reply_due
        notices[notice.unit_id].append(
            scoring.NoticeFacts(
                notice_id=notice.pk,
                doc_number=notice.doc_number,
                level=notice.level,
                late=late,
                replied=replied,
                task_id=notice.task_id,
                number=notice.task.number if notice.task is not None else "",
                ref=Ref("notice", notice.pk, link("supervision:notice", notice.pk)),
            )
        )

    circulars: dict[int, list[scoring.CircularFacts]] = defaultdict(list)
    issued = Circular.objects.filter(
        period__plan=plan, state=CircularState.ISSUED, issued_at__lt=until
    )
    found = {c.pk: c for c in issued}
    for through, praised in (
        (Circular.praised_units.through, True),
        (Circular.criticised_units.through, False),
    ):  # a subquery, not a list: the same two queries whether or not any was issued
        named = through.objects.filter(circular__in=issued.values("pk")).order_by("circular_id")
        for circular_id, unit_id in named.values_list("circular_id", "unit_id"):
            if unit_id not in units or circular_id not in found:
                continue
            circular = found[circular_id]
            circulars[unit_id].append(
                scoring.CircularFacts(
                    circular_id=circular_id,
                    doc_number=circular.doc_number or circular.title,
                    praised=praised,
                    ref=Ref("circular", circular_id, link("supervision:circular", circular_id)),
                )
            )

    # A verified false report counts against the task's lead units.
    findings: dict[int, list[scoring.FindingFacts]] = defaultdict(list)
    false_reports = Finding.objects.filter(task__plan=plan, falsified=True, found_on__lte=as_of)
    for finding in false_reports.order_by("found_on", "pk"):
        for unit_id, mine in roles.items():
            if mine.get(finding.task_id) == LEAD:
                findings[unit_id].append(
                    scoring.FindingFacts(
                        finding_id=finding.pk,
                        task_id=finding.task_id,
                        number=tasks[finding.task_id].number,
                        ref=Ref(
                            "finding", finding.pk, link("inspections:detail", finding.inspection_id)
                        ),
                    )
                )

    recognitions: dict[int, list[scoring.RecognitionFacts]] = defaultdict(list)
    for recognition in Recognition.objects.filter(plan=plan, granted_on__lte=as_of):
        if recognition.unit_id not in units:
            continue
        task = tasks.get(recognition.task_id) if recognition.task_id else None
        recognitions[recognition.unit_id].append(
            scoring.RecognitionFacts(
                recognition_id=recognition.pk,
                title=recognition.title,
                document=recognition.document,
                points=recognition.points,
                kind=recognition.kind,
                task_id=task.pk if task else None,
                number=task.number if task else "",
                ref=Ref(
                    "recognition",
                    recognition.pk,
                    _with_plan(link("assessment:unit", recognition.unit_id), plan),
                ),
            )
        )

    facts = []
    for unit_id, mine in roles.items():
        unit = units[unit_id]
        ordered = sorted(mine, key=lambda pk: tasks[pk].position)
        facts.append(
            scoring.UnitFacts(
                unit_id=unit_id,
                name=unit.name,
                kind=unit.kind,
                tasks=tuple(_as_role(task_facts[pk], mine[pk]) for pk in ordered),
                lights=tuple(
                    scoring.LightFacts(
                        task_id=pk,
                        number=tasks[pk].number,
                        role=mine[pk],
                        quarter=period.quarter or 0,
                        colour=light.colour,
                        ref=Ref("light_record", light.pk, link("ledger:task", pk)),
                    )
                    for pk in ordered
                    for period in quarters
                    if (light := colours.get((pk, period.quarter or 0))) is not None
                ),
                reports=tuple(report_facts.get(unit_id, ())),
                notices=tuple(notices.get(unit_id, ())),
                circulars=tuple(circulars.get(unit_id, ())),
                recognitions=tuple(recognitions.get(unit_id, ())),
                findings=tuple(findings.get(unit_id, ())),
            )
        )
    facts.sort(key=lambda f: (units[f.unit_id].kind, units[f.unit_id].name))
    return Record(plan=plan, as_of=as_of, units=units, facts=facts, tasks=tasks, notes=notes)


def _as_role(facts: scoring.TaskFacts, role: str) -> scoring.TaskFacts:
    return facts if facts.role == role else replace(facts, role=role)


def _task_facts(
    plan: Plan,
    as_of: dt.date,
    tasks: dict[int, Task],
    reports: dict[tuple[int, int], ReportRow],
    until: dt.datetime,
    extensions: dict[int, ExtensionRequest],
) -> dict[int, scoring.TaskFacts]:
    """Each task's completion (as its lead unit's role; ``_as_role`` for the others)."""
    accepted: dict[int, list[ReportRow]] = defaultdict(list)
    for row in reports.values():
        report = row.report
        if (
            report.state == ReviewState.ACCEPTED
            and report.reviewed_at is not None
            and report.reviewed_at < until
        ):
            accepted[report.task_id].append(row)
    year_end = dt.date(plan.year, 12, 31)
    out = {}
    for pk, task in tasks.items():
        rows = sorted(accepted[pk], key=lambda r: _period_order(r.period))
        chosen = rows[-1] if rows else None  # the year-end report, else the latest accepted
        early = None
        deadline_quarter = _deadline_quarter(task, plan.year)
        for row in rows:
            if (
                row.period.kind == PeriodKind.QUARTER
                and (row.period.quarter or 0) < deadline_quarter
                and row.evidence
                and row.ratio() >= ONE
            ):
                early = row
                break
        exceeded = chosen.exceeded() if chosen is not None and chosen.evidence else None
        extension = extensions.get(pk)
        out[pk] = scoring.TaskFacts(
            task_id=pk,
            number=task.number,
            role=LEAD,
            ratio=chosen.ratio() if chosen else Decimal(0),
            report=_row_ref(chosen) if chosen else None,
            period=period_label(chosen.period) if chosen else "",
            evidence=bool(chosen and chosen.evidence),
            due_passed=(task.deadline or year_end) < as_of,
            early=_row_ref(early) if early else None,
            early_period=period_label(early.period) if early else "",
            beyond=_row_ref(chosen) if chosen and exceeded is not None else None,
            beyond_target=exceeded.label if exceeded is not None else "",
            extension=(
                Ref("extension", extension.pk, link("ledger:task", pk)) if extension else None
            ),
            ref=task_ref(pk),
        )
    return out


def _row_ref(row: ReportRow) -> Ref:
    return report_ref(row.report.pk, row.report.task_id, row.period.pk)


def _lateness(
    due_on: dt.date, day: dt.date, calendar: Calendar, notes: list[str]
) -> tuple[int, bool]:
    """Working days from the due date to ``day``; calendar days (noted) without a calendar."""
    try:
        return calendar.count(due_on, day), False
    except MissingCalendar as exc:
        if str(exc.year) not in notes:
            notes.append(str(exc.year))
        return max(0, (day - due_on).days), True


def _report_facts(
    tasks: dict[int, Task],
    roles: dict[int, dict[int, str]],
    periods: Iterable[Period],
    reports: dict[tuple[int, int], ReportRow],
    contributions: dict[tuple[int, int, int], Contribution],
    as_of: dt.date,
    calendar: Calendar,
    notes: list[str],
) -> dict[int, list[scoring.ReportFacts]]:
    """Per unit: its reports (lead) and contributions (responsible) of every period opened and
    due before ``as_of`` that were missing, late or returned."""
    out: dict[int, list[scoring.ReportFacts]] = defaultdict(list)
    periods = sorted(periods, key=_period_order)
    for unit_id, mine in roles.items():
        for task_id in sorted(mine, key=lambda pk: tasks[pk].position):
            role = mine[task_id]
            for period in periods:
                late, calendar_days, missing = 0, False, False
                returns: tuple[Ref, ...] = ()
                ref = report_ref(None, task_id, period.pk)
                if role == LEAD:
                    row = reports.get((task_id, period.pk))
                    first = _first_submission(row) if row else None
                    if row is not None:
                        ref = report_ref(row.report.pk, task_id, period.pk)
                        versions = link(
                            "reporting:report_versions", task_pk=task_id, period_pk=period.pk
                        )
                        returns = tuple(
                            Ref("report", row.report.pk, versions) for _v in row.returns
                        )
                else:
                    contribution = contributions.get((task_id, period.pk, unit_id))
                    first = (
                        local_day(contribution.submitted_at)
                        if contribution is not None
                        and contribution.state == ReviewState.SUBMITTED
                        and contribution.submitted_at is not None
                        else None
                    )
                if first is None or first > as_of:
                    missing = True
                else:
                    late, calendar_days = _lateness(period.due_on, first, calendar, notes)
                if not (missing or late or returns):
                    continue
                out[unit_id].append(
                    scoring.ReportFacts(
                        task_id=task_id,
                        number=tasks[task_id].number,
                        role=role,
                        period_code=period.code,
                        period=period_label(period),
                        missing=missing,
                        late_days=late,
                        calendar_days=calendar_days,
                        returns=returns,
                        ref=ref,
                    )
                )
    return out


def _first_submission(row: ReportRow) -> dt.date | None:
    """The day the report was first submitted (its lateness is that day's), None if never."""
    report = row.report
    if report.state == ReviewState.DRAFT or report.submitted_at is None:
        return None
    if report.days_late:
        return row.period.due_on + dt.timedelta(days=report.days_late)
    return min(local_day(report.submitted_at), row.period.due_on)
