"""What the report form shows beside its inputs: the figures of the period before and the
quarter's planned 形象进度, so the author writes this period's figures against both.

- **the period before** (``reports.previous_period``: 2023Q1 before 2023Q2, 2023Q4 before the
  year-end report): its submitted or accepted report's progress (what the author wrote, else
  what its targets say) and each target's value (a draft or a returned report is not the unit's
  word yet: nothing is shown for it);
- **planned for this quarter** (the year-end report: the fourth quarter): from the task's
  submitted or approved refinement (细化任务台账), the expected percentage, or each target's
  expected value (and the expected progress they make, by the rule of a report's progress).

``guide_for(task, period)`` costs at most five queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from duban.ledger.display import format_number
from duban.ledger.models import Target, Task
from duban.ledger.progress import progress_from_targets

from ..models import Period, QuarterPlan, Report, ReviewState
from .periods import period_label
from .reports import previous_period

COMMITTED = (ReviewState.SUBMITTED, ReviewState.ACCEPTED)


@dataclass(frozen=True)
class TargetGuide:
    previous: str = ""  # "80亿元": the value the period before reported, "" when none
    expected: str = ""  # "150亿元": the value planned for this quarter, "" when none


@dataclass
class ReportGuide:
    previous_label: str = ""  # 2023年第1季度, "" for the first period
    previous_reported: bool = False  # the period before has a submitted or accepted report
    previous_progress: int | None = None
    quarter: int = 4  # the quarter whose plan applies (4 for the year-end report)
    expected_percent: int | None = None  # the quarter's planned 形象进度
    targets: dict[int, TargetGuide] = field(default_factory=dict)  # by target id

    @property
    def has_previous_values(self) -> bool:
        return any(guide.previous for guide in self.targets.values())

    @property
    def has_expected_values(self) -> bool:
        return any(guide.expected for guide in self.targets.values())

    @property
    def shown(self) -> bool:
        """Anything to show at all."""
        return bool(
            self.previous_reported
            or self.expected_percent is not None
            or any(guide.expected for guide in self.targets.values())
        )


def _amount(value: Decimal | None, target: Target) -> str:
    return "" if value is None else f"{format_number(value)}{target.unit}"


def guide_for(task: Task, period: Period) -> ReportGuide:
    targets = {target.pk: target for target in task.targets.order_by("position")}
    guide = ReportGuide(quarter=period.quarter or 4)
    previous_values: dict[int, Decimal] = {}
    before = previous_period(period)
    if before is not None:
        guide.previous_label = period_label(before)
        report = (
            Report.objects.filter(task=task, period=before, state__in=COMMITTED)
            .prefetch_related("target_values__target")
            .first()
        )
        if report is not None:
            guide.previous_reported = True
            values = list(report.target_values.all())
            previous_values = {value.target_id: value.value for value in values}
            guide.previous_progress = (
                report.progress
                if report.progress is not None
                else progress_from_targets((v.value, v.target.value, v.target.op) for v in values)
            )

    planned: dict[int, Decimal] = {}
    for row in QuarterPlan.objects.filter(
        refinement__task=task, refinement__state__in=COMMITTED, quarter=guide.quarter
    ):
        if row.target_id is None:
            guide.expected_percent = row.expected_percent
        elif row.expected_value is not None and row.target_id in targets:
            planned[row.target_id] = row.expected_value
    if guide.expected_percent is None and planned:
        guide.expected_percent = progress_from_targets(
            (value, targets[pk].value, targets[pk].op) for pk, value in planned.items()
        )
    guide.targets = {
        pk: TargetGuide(_amount(previous_values.get(pk), target), _amount(planned.get(pk), target))
        for pk, target in targets.items()
    }
    return guide
