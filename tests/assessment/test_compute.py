"""Computing and storing a year: scores that are the exact sum of their items, ranks and grades,
recomputation in place that keeps the office's adjustments, refusal once the year is in
publicity or published — and a published year that does not change when the record does."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from duban.assessment.models import (
    Adjustment,
    AdjustmentFile,
    Assessment,
    AssessmentState,
    Scheme,
    ScoreItem,
    UnitScore,
)
from duban.assessment.services import AssessmentError
from duban.assessment.services.compute import assess_plan, compute, stored_results
from duban.assessment.services.schemes import current_scheme, save_scheme
from duban.assessment.services.workflow import adjust, open_publicity, publish
from duban.core import clock
from duban.supervision.models import NoticeLevel
from tests.support import assessment as rec
from tests.support.files import pdf_bytes, upload
from tests.support.world import World

D = dt.date
AS_OF = D(2023, 4, 20)


def some_record(world: World) -> None:
    q1 = world.q1
    rec.report(world.task("1"), q1, submitted=D(2023, 4, 6))
    rec.light(world.task("1"), D(2023, 3, 20), "red")
    rec.notice(
        world.task("1"), world.unit("发改委"), NoticeLevel.SUPERVISE, reply_due=D(2023, 4, 10)
    )
    rec.circular(q1, praised=[world.unit("发改委")], criticised=[world.unit("缑氏镇")])


def score_of(world: World, unit: str) -> UnitScore:
    return UnitScore.objects.get(assessment__plan=world.plan, unit__name=unit)


def item(world: World, unit: str, key: str) -> ScoreItem:
    """The unit's item of that key; "report:1:…" names task 1 by its number."""
    kind, _sep, rest = key.partition(":")
    head, _sep, tail = rest.partition(":")
    if kind in ("report", "contribution", "light", "task") and head.isdigit():
        key = f"{kind}:{world.task(head).pk}:{tail}"
    return ScoreItem.objects.get(
        score__assessment__plan=world.plan, score__unit__name=unit, key=key
    )


def pdf() -> list[object]:
    return [upload("依据.pdf", pdf_bytes(), "application/pdf")]


def test_compute_stores_every_unit_with_items_summing_to_its_score(world: World) -> None:
    some_record(world)
    assessment = compute(world.plan, world.office, AS_OF)
    assert assessment.state == AssessmentState.DRAFT and assessment.as_of == AS_OF
    assert assessment.scheme == Scheme.objects.get(version=1)  # the shipped default, created
    scores = list(UnitScore.objects.filter(assessment=assessment).prefetch_related("items"))
    assert len(scores) == len(assess_plan(world.plan, AS_OF))
    for score in scores:
        assert score.score == sum((i.final_points for i in score.items.all()), Decimal(0))
        assert score.rank >= 1 and score.grade
    fgw = score_of(world, "发改委")
    late = item(world, "发改委", "report:1:2023Q1:late")
    assert (late.points, late.text) == (Decimal("-0.50"), "任务1：2023年第1季度报告逾期3个工作日")
    assert late.task == world.task("1") and late.source_type == "report" and late.link
    assert fgw.group == "departments"
    assert [r.score for r in stored_results(assessment) if r.unit.name == "发改委"] == [fgw.score]


def test_causes_are_stored_in_the_records_language_whoever_computes(world: World) -> None:
    """Someone whose browser asks for English computes: the stored causes are still Chinese
    (they are the record, read by every unit and printed in the official result)."""
    some_record(world)
    with translation.override("en"):
        compute(world.plan, world.office, AS_OF)
    late = item(world, "发改委", "report:1:2023Q1:late")
    assert late.text == "任务1：2023年第1季度报告逾期3个工作日"


def test_recomputing_updates_in_place_and_keeps_adjustments(world: World) -> None:
    on = D(2023, 3, 31)  # 2023Q1's reports are not late yet: nothing at a pool's floor
    notice = rec.notice(
        world.task("1"),
        world.unit("发改委"),
        NoticeLevel.SUPERVISE,
        reply_due=D(2023, 3, 25),
        replied=D(2023, 3, 24),
        issued=D(2023, 3, 20),
    )
    compute(world.plan, world.office, on)
    supervised = item(world, "发改委", f"notice:{notice.pk}:level")
    before = score_of(world, "发改委").score
    adjustment = adjust(world.office, supervised, Decimal("0"), "督办事由已由上级撤销", pdf())
    assert adjustment.points_before == Decimal("-2.00") and adjustment.key == supervised.key
    assert AdjustmentFile.objects.filter(adjustment=adjustment).count() == 1
    assert score_of(world, "发改委").score == before + Decimal("2.00")
    # The record changes (a 挂牌督办 more); computing again keeps the item, and its adjustment.
    rec.notice(
        world.task("2"),
        world.unit("发改委"),
        NoticeLevel.LISTED,
        reply_due=D(2023, 3, 28),
        issued=D(2023, 3, 21),
    )
    compute(world.plan, world.office, on)
    again = item(world, "发改委", f"notice:{notice.pk}:level")
    assert again.pk == supervised.pk and again.points == Decimal("-2.00")
    assert again.final_points == Decimal("0.00")
    # −3 for the 挂牌督办, −1 for its reply not given by its date.
    assert score_of(world, "发改委").score == before + Decimal("2.00") - Decimal("4.00")
    assert Adjustment.objects.get().item_id == supervised.pk


def test_adjusting_needs_a_reason_a_document_and_a_draft(world: World) -> None:
    compute(world.plan, world.office, AS_OF)
    missing = item(world, "发改委", "report:3:2023Q1:missing")
    with pytest.raises(AssessmentError, match="调整理由"):
        adjust(world.office, missing, Decimal("0"), "  ", pdf())
    with pytest.raises(AssessmentError, match="材料"):
        adjust(world.office, missing, Decimal("0"), "已补报", [])
    with pytest.raises(AssessmentError, match="数字"):
        adjust(world.office, missing, "很多", "已补报", pdf())  # type: ignore[arg-type]
    base = item(world, "发改委", "base:pace")
    with pytest.raises(AssessmentError, match="其他得分项"):
        adjust(world.office, base, Decimal("5"), "理由", pdf())
    assert not Adjustment.objects.exists()


def test_an_adjustment_moves_a_pools_floor_and_the_groups_ranks(world: World) -> None:
    on = D(2023, 3, 31)
    for number in ("1", "2", "3", "4", "30", "62", "66", "75"):  # 发改委 leads: −1 each
        rec.light(world.task(number), D(2023, 3, 20), "red")
    for number in ("7", "9", "10", "11", "22", "29"):  # responsible: −0.5 each
        rec.light(world.task(number), D(2023, 3, 20), "red")
    compute(world.plan, world.office, on)
    floor = item(world, "发改委", "floor:pace")
    assert floor.points == Decimal("1.00")  # 10 − 11 → +1
    score = score_of(world, "发改委").score
    for number in ("1", "2"):
        red = item(world, "发改委", f"light:{number}:Q1")
        adjust(world.office, red, Decimal("0"), "亮灯系数据录入错误", pdf())
    assert not ScoreItem.objects.filter(pk=floor.pk).exists()  # 10 − 9: no floor any more
    assert score_of(world, "发改委").score == score + Decimal("1.00")
    fgw = score_of(world, "发改委")
    better = UnitScore.objects.filter(
        assessment=fgw.assessment, group=fgw.group, score__gt=fgw.score
    )
    assert fgw.rank == better.count() + 1


def test_computing_is_refused_in_publicity_and_once_published(world: World) -> None:
    compute(world.plan, world.office, AS_OF)
    with clock.pinned(D(2023, 4, 21)):
        assessment = open_publicity(world.office, Assessment.objects.get(plan=world.plan))
    with pytest.raises(AssessmentError, match="正在公示"):
        compute(world.plan, world.office, AS_OF)
    with clock.pinned(assessment.publicity_until + dt.timedelta(days=1)):  # type: ignore[operator]
        publish(world.office, assessment)
    with pytest.raises(AssessmentError, match="已发布并锁定"):
        compute(world.plan, world.office, AS_OF)


def test_a_published_year_does_not_change_when_the_record_does(world: World) -> None:
    some_record(world)
    compute(world.plan, world.office, AS_OF)
    with clock.pinned(D(2023, 4, 21)):
        assessment = open_publicity(world.office, Assessment.objects.get(plan=world.plan))
    with clock.pinned(D(2023, 5, 8)):
        publish(world.office, assessment)
    frozen = [
        (r.unit.pk, r.score, r.rank, r.grade, [(i.key, i.points) for i in r.items])
        for r in stored_results(assessment)
    ]
    scheme = assessment.scheme
    # The record changes: a false report, a new circular, a new scheme version.
    rec.false_report(world, world.task("1"), D(2023, 4, 18))
    rec.circular(world.q1, criticised=[world.unit("发改委")], issued=D(2023, 4, 19))
    save_scheme(world.office, {"falsified": "5"}, "加重弄虚作假扣分")
    with pytest.raises(AssessmentError):
        compute(world.plan, world.office, AS_OF)
    assessment.refresh_from_db()
    assert assessment.scheme == scheme and current_scheme().version == 2
    assert [
        (r.unit.pk, r.score, r.rank, r.grade, [(i.key, i.points) for i in r.items])
        for r in stored_results(assessment)
    ] == frozen
    # What the record says now differs (a dry run): the stored year does not follow it.
    now = {r.unit.name: r for r in assess_plan(world.plan, AS_OF)}
    assert now["发改委"].vetoed and not score_of(world, "发改委").vetoed


def test_the_scheme_is_versioned_and_validated(world: World) -> None:
    first = current_scheme()
    assert first.version == 1 and first.rules["pace_pool"] == "10"
    with pytest.raises(AssessmentError, match="不能为负数"):
        save_scheme(world.office, {"criticism": "-1"}, "")
    second = save_scheme(world.office, {"pace_pool": 12}, "序时进度提高到12分")
    assert second.version == 2 and second.rules["pace_pool"] == "12"
    assert second.rules["response_pool"] == "15"  # what was not given keeps the default
    assert Scheme.objects.count() == 2
    compute(world.plan, world.office, AS_OF)
    assert Assessment.objects.get(plan=world.plan).scheme == second
    assert item(world, "发改委", "base:pace").points == Decimal("12.00")
