"""Reading the record into scores (the world's plan, hand-built record): who is scored and in
which group, lateness in working days, missing and returned reports, lights at a quarter's end,
notices, circulars, false reports, completion with evidence — each item with its Chinese cause
and the page of its source — in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from duban.assessment.models import Scheme
from duban.assessment.scheme import DEFAULT
from duban.assessment.services.compute import ItemResult, UnitResult, assess_plan
from duban.assessment.services.record import collect
from duban.ledger.models import TaskStatus
from duban.supervision.models import CircularState, NoticeLevel
from tests.support import assessment as rec
from tests.support.world import World

D = dt.date
AS_OF = D(2023, 4, 20)  # 2023Q1 (due 3月31日) is open in the world; the other periods are not


def result_of(results: list[UnitResult], name: str) -> UnitResult:
    return next(r for r in results if r.unit.name == name)


def items(result: UnitResult) -> dict[str, tuple[Decimal, str]]:
    """The unit's items by key, a task's pk in the key read as its number ("report:1:…")."""
    return {by_number(item): (item.points, item.text) for item in result.items}


def by_number(item: ItemResult) -> str:
    kind, _sep, rest = item.key.partition(":")
    head, _sep, tail = rest.partition(":")
    if kind in ("report", "contribution", "light", "task") and head == str(item.task_id):
        return f"{kind}:{item.task_number}:{tail}"
    return item.key


def test_every_unit_on_a_task_is_scored_in_its_group(world: World) -> None:
    results = assess_plan(world.plan, AS_OF)
    names = {r.unit.name: r for r in results}
    assert {"发改委", "投促中心", "工信局", "缑氏镇"} <= set(names)
    assert "档案馆" not in names  # on no task
    assert names["缑氏镇"].group == "townships" and names["发改委"].group == "departments"
    fgw = items(names["发改委"])
    assert fgw["task:1:completion"][1].startswith("任务1")
    assert "task:2:completion" in fgw  # lead on 1–4, 30, 62, 66, 75
    goushi = [i for i in names["缑氏镇"].items if i.rule == "completion"]
    assert goushi and all("责任单位" in i.text for i in goushi)  # through 各镇（街道）
    for result in results:
        assert result.score == sum((i.points for i in result.items), Decimal(0))


def test_reports_late_by_working_days_missing_and_returned(world: World) -> None:
    q1 = world.q1
    # Due Friday 3月31日; 4月5日 is 清明: given 4月6日 is 6 days but 3 working days late.
    rec.report(world.task("1"), q1, submitted=D(2023, 4, 6))
    rec.report(world.task("2"), q1, submitted=D(2023, 4, 7), returned=[D(2023, 4, 10)])
    rec.report(world.task("3"), q1, submitted=D(2023, 4, 25))  # after the day of the record
    rec.report(world.task("4"), q1, submitted=D(2023, 3, 30))
    rec.contribution(world.task("1"), q1, world.unit("缑氏镇"), D(2023, 4, 3))
    counting = Scheme(rules=replace(DEFAULT, contributions_count=True).to_dict())
    results = assess_plan(world.plan, AS_OF, scheme=counting)
    fgw = items(result_of(results, "发改委"))
    assert fgw["report:1:2023Q1:late"] == (
        Decimal("-0.50"),
        "任务1：2023年第1季度报告逾期3个工作日",
    )
    assert fgw["report:2:2023Q1:late"][0] == Decimal("-1.00")  # 4 working days
    returned = [k for k in fgw if k.startswith("report:2:2023Q1:returned")]
    assert len(returned) == 1 and fgw[returned[0]][0] == Decimal("-1.00")
    assert "退回" in fgw[returned[0]][1]
    assert fgw["report:3:2023Q1:missing"] == (Decimal("-2.00"), "任务3：2023年第1季度报告未报送")
    assert fgw["report:30:2023Q1:missing"][0] == Decimal("-2.00")
    assert not [k for k in fgw if k.startswith("report:4:")]  # on time
    # 7 deductions of 2 and more: the pool stops at 0, and says so.
    floor = fgw["floor:reporting"]
    assert floor[0] > 0 and "按0分计" in floor[1]
    pool = [i.points for i in result_of(results, "发改委").items if i.component == "reporting"]
    assert sum(pool) == 0  # its contributions as a responsible unit are in the same pool
    goushi = items(result_of(results, "缑氏镇"))
    assert goushi["contribution:1:2023Q1:late"][0] == Decimal("-0.25")  # 1 working day, at half
    assert goushi["contribution:3:2023Q1:missing"][0] == Decimal("-1.00")
    link = next(
        i for i in result_of(results, "发改委").items if by_number(i) == "report:1:2023Q1:late"
    )
    assert link.source_type == "report" and link.link.startswith("/reporting/tasks/")
    # The default scheme leaves contributions out: the rule names the lead unit's report.
    default = items(result_of(assess_plan(world.plan, AS_OF), "缑氏镇"))
    assert not [key for key in default if key.startswith("contribution:")]


def test_a_quarters_light_is_its_last_record_by_the_quarters_end(world: World) -> None:
    # The report is due on 4月20日; the pace is judged at 3月31日, not at the due date (a late
    # report turns the light then, and 报送 already counts that).
    world.q1.due_on = D(2023, 4, 20)
    world.q1.save(update_fields=["due_on"])
    rec.light(world.task("1"), D(2023, 3, 10), "yellow")
    rec.light(world.task("1"), D(2023, 3, 20), "red")
    rec.light(world.task("1"), D(2023, 4, 10), "green")  # after 3月31日: not 2023Q1's
    rec.light(world.task("2"), D(2023, 3, 31), "yellow")
    results = assess_plan(world.plan, AS_OF)
    fgw = items(result_of(results, "发改委"))
    assert fgw["light:1:Q1"] == (Decimal("-1.00"), "任务1第1季度末为红灯")
    assert fgw["light:2:Q1"][0] == Decimal("-0.50")
    goushi = items(result_of(results, "缑氏镇"))
    assert goushi["light:1:Q1"][0] == Decimal("-0.50")  # responsible: half
    source = next(i for i in result_of(results, "发改委").items if by_number(i) == "light:1:Q1")
    assert (
        source.source_type == "light_record"
        and source.link == f"/ledger/tasks/{world.task('1').pk}/"
    )


def test_notices_addressed_to_the_unit(world: World) -> None:
    task, fgw_unit, goushi_unit = world.task("1"), world.unit("发改委"), world.unit("缑氏镇")
    late = rec.notice(
        task, fgw_unit, NoticeLevel.SUPERVISE, reply_due=D(2023, 4, 10), replied=D(2023, 4, 12)
    )
    rec.notice(task, fgw_unit, NoticeLevel.URGE, reply_due=D(2023, 4, 10), replied=D(2023, 4, 10))
    listed = rec.notice(task, goushi_unit, NoticeLevel.LISTED, reply_due=D(2023, 4, 15))
    rec.notice(task, fgw_unit, NoticeLevel.LISTED, reply_due=D(2023, 5, 10), issued=D(2023, 5, 1))
    results = assess_plan(world.plan, AS_OF)
    fgw = items(result_of(results, "发改委"))
    assert fgw[f"notice:{late.pk}:late_reply"] == (
        Decimal("-1.00"),
        f"{late.doc_number}（任务1）逾期反馈",
    )
    assert fgw[f"notice:{late.pk}:level"][0] == Decimal("-2.00")
    assert [k for k in fgw if k.startswith("notice:")] == [
        f"notice:{late.pk}:late_reply",
        f"notice:{late.pk}:level",
    ]  # the 催办 answered in time costs nothing; the notice issued after the record's day waits
    goushi = items(result_of(results, "缑氏镇"))
    assert goushi[f"notice:{listed.pk}:late_reply"][0] == Decimal("-1.00")  # not replied
    assert goushi[f"notice:{listed.pk}:level"][0] == Decimal("-3.00")


def test_circulars_praise_and_criticise(world: World) -> None:
    fgw_unit, goushi_unit = world.unit("发改委"), world.unit("缑氏镇")
    issued = rec.circular(
        world.q1, praised=[fgw_unit], criticised=[goushi_unit], issued=D(2023, 4, 15)
    )
    rec.circular(world.q1, praised=[goushi_unit], state=CircularState.DRAFT)
    results = assess_plan(world.plan, AS_OF)
    fgw = items(result_of(results, "发改委"))
    assert fgw[f"circular:{issued.pk}:praised"] == (
        Decimal("1.00"),
        f"在通报{issued.doc_number}中受到表扬",
    )
    goushi = items(result_of(results, "缑氏镇"))
    assert goushi[f"circular:{issued.pk}:criticised"][0] == Decimal("-0.50")  # leads nothing
    assert not [k for k in goushi if k.endswith(":praised")]  # a draft is no circular yet


def test_completion_needs_an_accepted_report_with_evidence(world: World) -> None:
    q1 = world.q1
    rec.report(
        world.task("1"),
        q1,
        progress=100,
        status=TaskStatus.DONE,
        accepted=D(2023, 4, 3),
        with_evidence=True,
    )
    rec.report(world.task("2"), q1, progress=100, accepted=D(2023, 4, 3))  # no evidence
    rec.report(world.task("3"), q1, progress=40, accepted=D(2023, 4, 3), with_evidence=True)
    rec.report(world.task("4"), q1, progress=100, accepted=D(2023, 4, 25), with_evidence=True)
    fgw = items(result_of(assess_plan(world.plan, AS_OF), "发改委"))
    assert fgw["task:1:completion"][0] == Decimal("5.00")  # 60 / (8 + 8 × 0.5 … ) per lead task
    assert "已完成" in fgw["task:1:completion"][1]
    assert fgw["task:2:completion"][0] == 0 and "无佐证材料" in fgw["task:2:completion"][1]
    assert fgw["task:3:completion"][0] == Decimal("2.00")
    assert fgw["task:4:completion"][0] == 0  # accepted after the record's day
    assert fgw["task:1:early"][0] == Decimal("0.50")  # done in Q1, deadline at the year's end
    assert "task:2:early" not in fgw


def test_a_false_report_costs_its_lead_unit_and_vetoes(world: World) -> None:
    finding = rec.false_report(world, world.task("1"), D(2023, 4, 18))
    results = assess_plan(world.plan, AS_OF)
    fgw = result_of(results, "发改委")
    assert items(fgw)[f"finding:{finding.pk}:falsified"][0] == Decimal("-3.00")
    assert fgw.vetoed and fgw.grade == "poor"
    assert fgw.vetoes[0]["code"] == "falsified" and "一票否决" in fgw.vetoes[0]["text"]
    goushi = result_of(results, "缑氏镇")  # responsible on task 1: not its report
    assert not goushi.vetoed and not [i for i in goushi.items if i.rule == "falsified"]


def test_the_record_is_read_in_a_fixed_number_of_queries(world: World) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            collect(world.plan, AS_OF)
        return len(queries)

    before = count()
    for number in ("1", "2", "3", "30", "62"):
        task = world.task(number)
        rec.report(
            task, world.q1, submitted=D(2023, 4, 6), returned=[D(2023, 4, 7)], with_evidence=True
        )
        rec.light(task, D(2023, 3, 20), "red")
        rec.notice(task, world.unit("发改委"), NoticeLevel.SUPERVISE, reply_due=D(2023, 4, 10))
        rec.contribution(task, world.q1, world.unit("缑氏镇"), D(2023, 4, 3))
    rec.circular(world.q1, praised=[world.unit("发改委")], criticised=[world.unit("缑氏镇")])
    assert count() == before
    assert before <= 20


def test_a_report_is_not_missing_before_its_due_date_has_passed(world: World) -> None:
    for day in (D(2023, 3, 31), D(2023, 4, 1)):
        fgw = items(result_of(assess_plan(world.plan, day), "发改委"))
        missing = [k for k in fgw if k.endswith(":missing")]
        assert bool(missing) == (day > world.q1.due_on)
