"""What a task's reports say lately: for the ledger's rows, its Excel export and the home page.

- the **current report**: the task's report for the latest period the office has opened (open
  or closed; a planned period cannot be reported on), its state and when it was submitted or
  reviewed, or that it is not written;
- the **latest progress**: of the latest submitted or accepted report (a draft is not the
  unit's word yet): what the author wrote, else what its targets say (the rule of
  ``Report.derived_progress``), with that report's period and its 进展情况.

``latest_for(tasks)`` costs at most three queries whatever the number of tasks (the periods,
the reports, the target values of reports without a stated progress). ``attach_latest(rows)``
sets ``row.latest`` on ledger rows; ``ReportingConfig.ready`` registers it with
``duban.ledger.rows`` (the ledger is below reporting and cannot ask for it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple, Protocol, TypeVar

from django.utils.translation import gettext as _

from duban.ledger.memo import PlanMemo, in_request
from duban.ledger.models import Task
from duban.ledger.progress import progress_from_targets

from ..models import Period, PeriodState, Report, ReportTargetValue, ReviewState
from .periods import period_label

COMMITTED = (ReviewState.SUBMITTED, ReviewState.ACCEPTED)


@dataclass(frozen=True)
class Latest:
    """A task's current report and latest progress (see the module's docstring)."""

    period: Period | None = None  # the latest opened period of the task's plan
    period_label: str = ""
    state: str = ""  # the current report's state, "" when it is not written
    state_label: str = ""  # 已提交 …, 未填报 when not written
    on: datetime | None = None  # submitted (submitted) or reviewed (accepted, returned)
    days_late: int = 0
    progress: int | None = None  # of the latest submitted or accepted report
    progress_period: str = ""  # that report's period
    progress_text: str = ""  # that report's 进展情况

    @property
    def written(self) -> bool:
        return bool(self.state)


class _Row(Protocol):
    task: Task
    latest: Any


R = TypeVar("R", bound=_Row)


class _Report(NamedTuple):
    """What ``latest_for`` reads of a report."""

    pk: int
    task_id: int
    period_id: int
    state: str
    progress: int | None
    progress_text: str
    days_late: int
    submitted_at: datetime | None
    reviewed_at: datetime | None


def _when(report: Report | _Report) -> datetime | None:
    if report.state == ReviewState.SUBMITTED:
        return report.submitted_at
    if report.state in (ReviewState.ACCEPTED, ReviewState.RETURNED):
        return report.reviewed_at
    return None


def latest_for(tasks: Iterable[Task]) -> dict[int, Latest]:
    """``{task id: Latest}`` for every task given, in at most three queries."""
    tasks = list(tasks)
    if not tasks:
        return {}
    periods = list(
        Period.objects.filter(plan_id__in={task.plan_id for task in tasks})
        .exclude(state=PeriodState.PLANNED)
        .order_by("due_on", "code")
    )
    if not periods:
        return {task.pk: Latest() for task in tasks}
    # Rows, not model instances: a page of the ledger reads hundreds at once.
    reports = [
        _Report(*row)
        for row in Report.objects.filter(
            task_id__in=[task.pk for task in tasks], period__in=[p.pk for p in periods]
        ).values_list(*_Report._fields)
    ]
    by_task: dict[int, dict[int, _Report]] = defaultdict(dict)
    for report in reports:
        by_task[report.task_id][report.period_id] = report
    derived = _derived_progress([r for r in reports if r.progress is None and r.state in COMMITTED])
    # Worded once per call, not per task: a ledger page asks for hundreds of tasks at once.
    labels = {period.pk: period_label(period) for period in periods}
    states = {value: str(label) for value, label in ReviewState.choices}
    not_written = _("Not written")
    by_plan: dict[int, list[Period]] = defaultdict(list)
    for period in periods:
        by_plan[period.plan_id].append(period)

    found: dict[int, Latest] = {}
    for task in tasks:
        own = by_plan.get(task.plan_id)
        if not own:
            found[task.pk] = Latest()
            continue
        current = own[-1]
        found_report = by_task[task.pk].get(current.pk)
        committed = next(
            (
                (period, by_task[task.pk][period.pk])
                for period in reversed(own)
                if period.pk in by_task[task.pk] and by_task[task.pk][period.pk].state in COMMITTED
            ),
            None,
        )
        progress: int | None = None
        progress_period = progress_text = ""
        if committed is not None:
            period, done = committed
            progress = done.progress if done.progress is not None else derived.get(done.pk)
            progress_period = labels[period.pk]
            progress_text = done.progress_text
        found[task.pk] = Latest(
            period=current,
            period_label=labels[current.pk],
            state=found_report.state if found_report is not None else "",
            state_label=(
                states.get(found_report.state, found_report.state)
                if found_report is not None
                else not_written
            ),
            on=_when(found_report) if found_report is not None else None,
            days_late=found_report.days_late if found_report is not None else 0,
            progress=progress,
            progress_period=progress_period,
            progress_text=progress_text,
        )
    return found


def _derived_progress(reports: Sequence[Report | _Report]) -> dict[int, int]:
    """Progress read from the target values of reports that state none (one query)."""
    if not reports:
        return {}
    values: dict[int, list[ReportTargetValue]] = defaultdict(list)
    for value in ReportTargetValue.objects.filter(
        report_id__in=[r.pk for r in reports]
    ).select_related("target"):
        values[value.report_id].append(value)
    found = {}
    for report_id, given in values.items():
        progress = progress_from_targets((v.value, v.target.value, v.target.op) for v in given)
        if progress is not None:
            found[report_id] = progress
    return found


# Every task's Latest, per plan (and language: it holds words), kept in the process and
# current with the audit trail (duban.ledger.memo): a report's events name its task; a period
# opened or closed concerns every task of the plan.
PLAN_LATEST: PlanMemo[Latest] = PlanMemo(
    "latest reports",
    lambda tasks, today: latest_for(tasks.only("pk", "plan_id")),
    global_types=("reporting.period", "ledger.plan"),
    per_language=True,
)
FEW_ROWS = 20  # fewer rows of a plan not kept, outside a request: read for those rows only


def attach_latest(rows: list[R]) -> list[R]:
    """Set ``row.latest`` on ledger rows (anything with a ``task``), in one batch: from the
    plan's kept values (``PLAN_LATEST``; in a request always, so that a page costs the same
    queries for 4 rows as for 200), or read for a few rows of a plan not kept (a command)."""
    plans = {row.task.plan_id for row in rows}
    kept_or_asked = in_request() or all(PLAN_LATEST.kept(plan) for plan in plans)
    if len(rows) < FEW_ROWS and not kept_or_asked:
        latest: Mapping[int, Latest] = latest_for(row.task for row in rows)
        for row in rows:
            row.latest = latest.get(row.task.pk)
        return rows
    kept = {plan: PLAN_LATEST.values(plan) for plan in plans}
    for row in rows:
        row.latest = kept[row.task.plan_id].get(row.task.pk)
    return rows
