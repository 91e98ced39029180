"""A little of the year on task 1, through the services people use: 发改委's operator refines
it (the office approves), reports on 2023Q1 (the office accepts), the office opens 2023Q2.

For the pages that show how the year stands (tests/pages): the home page, the ledger's light
and progress, the Excel export, the report form's figures of the period before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from duban.core import clock
from duban.directory.models import Unit
from duban.ledger.models import Task
from duban.reporting.models import Period, Report
from duban.reporting.services.periods import open_period
from duban.reporting.services.refinement import approve_refinement, save_refinement
from duban.reporting.services.refinement_rules import MilestoneInput, RefinementInput
from duban.reporting.services.reports import accept_report, save_report
from tests.support.reporting import q1_input, target
from tests.support.world import World

INVESTMENT = "年度完成投资"  # task 1's target of 294亿元


def refine_task_1(
    world: World,
    *,
    percents: Sequence[int | None] = (25, 50, 75, 100),
    targets: Mapping[str, Sequence[str]] | None = None,
) -> None:
    """发改委 refines task 1 into two milestones and a quarterly plan, the office approves it:
    by percentages, or (``targets``: label → four values) by the targets' expected values."""
    task = world.task("1")
    milestones = [
        MilestoneInput("完成一季度项目集中开工", dt.date(2023, 3, 31), _unit("发改委")),
        MilestoneInput("年度完成投资294亿元", dt.date(2023, 12, 31), _unit("投促中心")),
    ]
    if targets:
        data = RefinementInput(
            milestones=milestones,
            mode="targets",
            target_values={
                target(task, label): [Decimal(v) for v in values]
                for label, values in targets.items()
            },
        )
    else:
        data = RefinementInput(milestones=milestones, percents=tuple(percents))
    saved = save_refinement(task=task, user=world.fgw, version=0, data=data, submit=True)
    approve_refinement(task=task, user=world.office, version=saved.refinement.version)


def report(
    world: World,
    task: Task,
    period: Period,
    *,
    investment: str | None = None,
    progress: int | None = None,
    text: str = "一季度开工项目45个，完成投资80亿元。",
    submit: bool = True,
    accept: bool = True,
    on: dt.date | None = None,
) -> Report:
    """发改委's report on ``task`` (one it leads) for ``period`` (task 1's investment figure,
    when given), submitted and accepted unless told otherwise; written ``on`` that day (by
    default the period's due date: on time)."""
    values = {target(task, INVESTMENT): Decimal(investment)} if investment is not None else {}
    data = q1_input(progress=progress, progress_text=text, target_values=values, confirmed=True)
    with clock.pinned(on or period.due_on):
        saved = save_report(
            task=task, period=period, user=world.fgw, data=data, version=None, submit=submit
        )
        if submit and accept:
            saved = accept_report(report=saved, user=world.office)
    return saved


def open_q2(world: World) -> Period:
    return open_period(period=world.period("2023Q2"), user=None)


def _unit(name: str) -> int:
    return Unit.objects.get(name=name).pk
