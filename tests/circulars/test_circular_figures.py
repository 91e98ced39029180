"""The circular quotes only accepted reports, and its summary follows the figures.

The figures are counted here again from the world's record (the tasks' lights from
duban.lights.services, the reports' states), independently of the circular's code, and the
numbers written in the draft must equal them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest

from duban.ledger.models import TaskStatus
from duban.lights.services import lights_for
from duban.reporting.models import Period, Report, ReviewState
from duban.reporting.services.reports import accept_report, return_report, save_report
from duban.supervision.services import circulars
from tests.support.clock import at
from tests.support.reporting import q1_input
from tests.support.world import World

pytestmark = pytest.mark.django_db

ON_PLAN = "整体按计划推进"
MOST_LAG = "多数任务进展滞后，形势不容乐观"


@dataclass
class Counted:
    total: int = 0
    completed: int = 0
    on_pace: int = 0
    lagging: int = 0  # yellow or 滞后, not red
    red: int = 0
    not_rated: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    accepted: int = 0
    pending: int = 0
    returned: int = 0


def count(period: Period, today: date) -> Counted:
    """The figures straight from the record, as the test reads it."""
    tasks = list(period.plan.tasks.all())
    lights = lights_for(tasks, today=today)
    reports = {r.task_id: r for r in Report.objects.filter(period=period)}
    out = Counted(total=len(tasks))
    for task in tasks:
        report = reports.get(task.pk)
        colour = str(lights[task.pk].colour)
        accepted = report is not None and report.state == ReviewState.ACCEPTED
        if task.status == TaskStatus.DONE or (accepted and report.status == TaskStatus.DONE):
            out.completed += 1
        elif colour == "red":
            out.red += 1
        elif colour == "yellow" or task.status == TaskStatus.LAGGING:
            out.lagging += 1
        elif colour == "green":
            out.on_pace += 1
        else:
            out.not_rated += 1
        if report is None or report.submitted_at is None:
            out.missing += today > period.due_on
            continue
        if report.days_late:
            out.late += 1
        else:
            out.on_time += 1
        out.accepted += report.state == ReviewState.ACCEPTED
        out.pending += report.state == ReviewState.SUBMITTED
        out.returned += report.state == ReviewState.RETURNED
    return out


def report(world: World, number: str, *, problems: str, **changes: object) -> Report:
    """发改委's operator writes and submits the Q1 report of one of its tasks."""
    return save_report(
        task=world.task(number),
        period=world.q1,
        user=world.fgw,
        data=q1_input(problems=problems, **changes),
        version=0,
        submit=True,
    )


def summary_of(circular_paragraphs: list[dict[str, object]]) -> str:
    """The first paragraph under 一、总体情况."""
    texts = [(str(p["text"]), p["level"]) for p in circular_paragraphs]
    at_heading = texts.index(("总体情况", 1))
    return texts[at_heading + 1][0]


def assert_numbers(text: str, expected: Counted) -> None:
    assert f"共{expected.total}项" in text
    assert f"已完成{expected.completed}项" in text
    assert f"{expected.on_pace}项按序时推进" in text
    assert f"{expected.lagging}项滞后" in text
    assert f"{expected.red}项亮红灯" in text
    if expected.not_rated:
        assert f"{expected.not_rated}项尚无进展评价" in text
    else:
        assert "尚无进展评价" not in text
    assert f"审核通过{expected.accepted}项" in text
    assert f"待审核{expected.pending}项" in text
    assert f"被退回修改{expected.returned}项" in text
    # the parts add up: every task is counted once
    assert (
        expected.completed + expected.on_pace + expected.lagging + expected.red + expected.not_rated
        == expected.total
    )


def test_only_accepted_reports_are_quoted(world: World) -> None:
    """Task 2's draft, task 3's returned report and task 4's pending one are never quoted;
    task 30's accepted report is."""
    with at(2023, 3, 20):
        save_report(
            task=world.task("2"),
            period=world.q1,
            user=world.fgw,
            data=q1_input(status="lagging", progress=5, problems="草稿里的问题：资金未到位。"),
            version=0,
        )
        returned = report(world, "3", problems="退回的问题：土地指标不足。", status="lagging")
        return_report(report=returned, user=world.office, comment="数据不实，请核实。")
        report(world, "4", problems="待审的问题：审批流程较长。", progress=0)
        accepted = report(world, "30", problems="已审的问题：拆迁进度缓慢。", status="lagging")
        accept_report(report=accepted, user=world.office)
    assert Report.objects.get(task=world.task("2")).state == ReviewState.DRAFT
    with at(2023, 4, 10):
        found = circulars.situation(world.q1)
        circular = circulars.create_draft(period=world.q1, user=world.office)
    body = "\n".join(str(p["text"]) for p in circular.paragraphs)
    assert "拆迁进度缓慢" in body
    for unquoted in ("草稿里的问题", "资金未到位", "退回的问题", "土地指标不足", "待审的问题"):
        assert unquoted not in body
    lines = {line.task.number: line for line in found.lines}
    assert lines["30"].problems == "已审的问题：拆迁进度缓慢。"
    assert [lines[n].problems for n in ("2", "3", "4")] == ["", "", ""]
    # described by where their reports stand, and counted so
    lagging = {str(p["text"])[:4]: str(p["text"]) for p in circular.paragraphs if p["level"] == 3}
    # the light already says the report is missing ("……应于2023年3月31日前提交，已逾期10天")
    assert "已逾期10天" in lagging["第2项“"] or "本期进展逾期未报送" in lagging["第2项“"]
    assert "未通过审核" in lagging["第3项“"]
    assert "尚待审核" in lagging["第4项“"]
    assert "单位反映的问题：已审的问题：拆迁进度缓慢。" in lagging["第30项"]
    assert "2" in [x.task.number for x in found.not_submitted]
    assert [x.task.number for x in found.returned] == ["3"]
    assert [x.task.number for x in found.pending] == ["4"]
    assert [x.task.number for x in found.accepted] == ["30"]
    assert any("报送内容不符合要求被退回的：第3项" in t for t in body.splitlines())
    # the office's page shows the same: no unaccepted text anywhere
    page = world.as_office().get(f"/supervision/circulars/new/?period={world.q1.pk}")
    html = page.content.decode()
    assert "拆迁进度缓慢" in html and "土地指标不足" not in html and "草稿里的问题" not in html


def test_most_tasks_lagging_is_not_called_on_plan(world: World) -> None:
    """Ten days after Q1's due date only two tasks have reported: the rest are red."""
    with at(2023, 3, 20):
        accept_report(
            report=report(world, "1", problems="", status="done", progress=100), user=world.office
        )
        report(world, "30", problems="", progress=30)
    with at(2023, 4, 10):
        circular = circulars.create_draft(period=world.q1, user=world.office)
        expected = count(world.q1, date(2023, 4, 10))
    assert (expected.lagging + expected.red) * 2 > expected.total  # most lag, per the record
    summary = summary_of(circular.paragraphs)
    assert ON_PLAN not in "\n".join(str(p["text"]) for p in circular.paragraphs)
    assert MOST_LAG in summary
    assert_numbers(summary, expected)
    assert f"按时报送进展{expected.on_time}项" in summary
    assert f"未报送{expected.missing}项" in summary and expected.missing == expected.total - 2


def test_all_on_pace_is_called_on_plan(world: World) -> None:
    """Every task reported on time, ahead of the year's pace, and accepted (five completed)."""
    tasks = list(world.plan.tasks.order_by("position"))
    with at(2023, 3, 10):
        for i, task in enumerate(tasks):
            done = i < 5
            written = save_report(
                task=task,
                period=world.q1,
                user=world.office,
                data=q1_input(
                    status="done" if done else "in_progress",
                    progress=100 if done else 40,
                    problems="",
                ),
                version=0,
                submit=True,
                on_behalf=True,
            )
            accept_report(report=written, user=world.office)
        circular = circulars.create_draft(period=world.q1, user=world.office)
        expected = count(world.q1, date(2023, 3, 10))
    assert expected.red == 0
    assert (expected.completed + expected.on_pace) * 100 >= 80 * expected.total
    summary = summary_of(circular.paragraphs)
    assert ON_PLAN in summary and "滞后，形势" not in summary
    assert_numbers(summary, expected)
    assert expected.completed == 5 and expected.accepted == expected.total


def test_the_words_follow_the_thresholds() -> None:
    """The sentence is chosen from the figures alone: 80 % good and no red; more than half
    behind; anything behind; else nothing rated yet."""

    def figures(completed: int, on_pace: int, lagging: int, red: int, not_rated: int):
        total = completed + on_pace + lagging + red + not_rated
        return circulars.Figures(
            total, completed, on_pace, lagging, red, not_rated, 0, 0, 0, 0, 0, 0, 0
        )

    kind = circulars.summary_kind
    assert kind(figures(2, 6, 2, 0, 0)) == circulars.ON_PLAN  # exactly 80 %
    assert kind(figures(2, 5, 3, 0, 0)) == circulars.SOME_LAGGING  # 70 %
    assert kind(figures(2, 7, 0, 1, 0)) == circulars.SOME_LAGGING  # 90 % but a red one
    assert kind(figures(0, 5, 3, 2, 0)) == circulars.SOME_LAGGING  # exactly half behind
    assert kind(figures(0, 4, 3, 3, 0)) == circulars.MOST_LAGGING  # more than half
    assert kind(figures(1, 1, 0, 0, 8)) == circulars.NOT_RATED
    assert kind(figures(0, 0, 0, 0, 0)) == circulars.NO_TASKS
    period = Period(code="2023Q2", kind="quarter", quarter=2)
    text = circulars.summary_sentence(figures(0, 4, 3, 3, 0), period)
    assert text == (
        "2023年第二季度纳入督查的重点工作共10项，多数任务进展滞后，形势不容乐观："
        "已完成0项、4项按序时推进、3项滞后、3项亮红灯。"
    )
    assert re.search(
        r"未发现滞后任务.*8项尚无进展评价",
        circulars.summary_sentence(figures(1, 1, 0, 0, 8), period),
    )
    assert circulars.summary_sentence(figures(0, 0, 0, 0, 0), period) == (
        "2023年第二季度没有纳入督查的重点工作。"
    )
