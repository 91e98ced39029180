"""The year's workflow: publicity over N working days, appeals by the unit during it, the
office's decisions, publishing — who may do each, what each refuses, who hears of it; and
recognitions from a higher level."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from duban.assessment.models import (
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
from duban.assessment.services import AssessmentError
from duban.assessment.services.compute import compute
from duban.assessment.services.results import current_scores, scores_for, visible_assessment
from duban.assessment.services.workflow import (
    adjust,
    appeal,
    decide_appeal,
    open_publicity,
    publish,
    record_recognition,
    withdraw_publicity,
)
from duban.core import clock
from duban.core.files import UploadRejected
from duban.supervision.models import NoticeLevel
from tests.support import assessment as rec
from tests.support.events import heard
from tests.support.files import pdf_bytes, upload
from tests.support.world import World

D = dt.date
AS_OF = D(2023, 9, 27)
OPENED = D(2023, 9, 28)  # a Thursday before 中秋·国庆 (9月29日–10月6日; 10月7日、8日 worked)


def pdf() -> list[object]:
    return [upload("材料.pdf", pdf_bytes(), "application/pdf")]


@pytest.fixture
def year(world: World) -> Assessment:
    """2023 computed with a 挂牌督办 to 缑氏镇 and a criticism of 发改委, publicity open."""
    rec.notice(world.task("1"), world.unit("缑氏镇"), NoticeLevel.LISTED, reply_due=D(2023, 9, 1))
    rec.circular(world.q1, criticised=[world.unit("发改委")], issued=D(2023, 4, 20))
    compute(world.plan, world.office, AS_OF)
    with clock.pinned(OPENED):
        return open_publicity(world.office, Assessment.objects.get(plan=world.plan))


def item_of(world: World, unit: str, rule: str) -> ScoreItem:
    return ScoreItem.objects.filter(
        score__assessment__plan=world.plan, score__unit__name=unit, rule=rule
    ).first()  # type: ignore[return-value]


def test_publicity_runs_n_working_days_and_every_scored_unit_hears(world: World) -> None:
    compute(world.plan, world.office, AS_OF)
    assessment = Assessment.objects.get(plan=world.plan)
    with clock.pinned(OPENED), heard() as events:
        opened = open_publicity(world.office, assessment)
    assert opened.state == AssessmentState.PUBLICITY
    # The 5th working day after 9月28日: 10月7日、8日 (make-up days), 9日, 10日, 11日.
    assert (opened.publicity_from, opened.publicity_until) == (OPENED, D(2023, 10, 11))
    told = {unit for event in events.of("assessment_publicity") for unit in event.unit_ids}
    assert told == set(
        UnitScore.objects.filter(assessment=opened).values_list("unit_id", flat=True)
    )
    assert "2023年10月11日" in str(events.of("assessment_publicity")[0].title)
    with clock.pinned(OPENED):
        again = withdraw_publicity(world.office, opened)
        assert again.state == AssessmentState.DRAFT and again.publicity_until is None
        three = open_publicity(world.office, again, days=3)
    assert three.publicity_until == D(2023, 10, 9)
    with clock.pinned(OPENED), pytest.raises(AssessmentError, match="工作日"):
        open_publicity(world.office, withdraw_publicity(world.office, three), days=0)


def test_only_the_office_runs_the_year(world: World, year: Assessment) -> None:
    item = item_of(world, "发改委", "criticised")
    for person in (world.fgw, world.zhulei, world.chaxun, world.goushi):
        with pytest.raises(PermissionDenied):
            adjust(person, item, Decimal(0), "理由", pdf())
        with pytest.raises(PermissionDenied):
            publish(person, year)
        with pytest.raises(PermissionDenied):
            withdraw_publicity(person, year)
        with pytest.raises(PermissionDenied):
            compute(world.plan, person, AS_OF)
        with pytest.raises(PermissionDenied):
            record_recognition(
                person, world.plan, world.unit("发改委"), Decimal(1), "表彰", "文件", D(2023, 6, 1)
            )


def test_a_unit_appeals_its_own_item_during_publicity(world: World, year: Assessment) -> None:
    mine = item_of(world, "发改委", "criticised")
    others = item_of(world, "缑氏镇", "notice_listed")
    bad = [upload("说明.exe", b"MZ\x90\x00not a document", "application/octet-stream")]
    with clock.pinned(D(2023, 10, 9)), pytest.raises(UploadRejected):  # an AssessmentError too
        appeal(world.fgw, mine, "理由", bad)
    assert not Appeal.objects.exists()
    with clock.pinned(D(2023, 10, 9)), heard() as events:
        filed = appeal(world.fgw, mine, "通报所述问题已于通报前整改完毕", pdf())
    assert filed.state == AppealState.PENDING and filed.key == mine.key
    assert AppealFile.objects.filter(appeal=filed).count() == 1
    event = events.one("assessment_appeal_filed")
    assert event.to_office and "发改委" in str(event.title)
    with clock.pinned(D(2023, 10, 9)):
        with pytest.raises(PermissionDenied):  # another unit's item: not even seen
            appeal(world.fgw, others, "不服", [])
        with pytest.raises(PermissionDenied):  # the office does not appeal
            appeal(world.office, mine, "不服", [])
        with pytest.raises(AssessmentError, match="待处理的申诉"):
            appeal(world.chenjing, mine, "再申诉一次", [])
        with pytest.raises(AssessmentError, match="由其他得分项计算得出"):
            appeal(world.fgw, item_of(world, "发改委", "pool_base"), "不服", [])
    with clock.pinned(D(2023, 10, 12)), pytest.raises(AssessmentError, match="2023年10月11日"):
        appeal(world.goushi, others, "公示结束后才申诉", [])
    assert Appeal.objects.count() == 1


def test_no_appeal_outside_publicity(world: World) -> None:
    compute(world.plan, world.office, AS_OF)
    draft_item = item_of(world, "发改委", "pool_base")
    with pytest.raises(PermissionDenied):  # a draft is the office's alone
        appeal(world.fgw, draft_item, "不服", [])
    assessment = Assessment.objects.get(plan=world.plan)
    with clock.pinned(OPENED):
        open_publicity(world.office, assessment)
    with clock.pinned(D(2023, 10, 12)):
        publish(world.office, assessment)
    completion = item_of(world, "发改委", "completion")
    with clock.pinned(D(2023, 10, 13)), pytest.raises(AssessmentError, match="公示期"):
        appeal(world.fgw, completion, "不服", [])


def test_an_upheld_appeal_changes_exactly_that_item(world: World, year: Assessment) -> None:
    listed = item_of(world, "缑氏镇", "notice_listed")
    score = UnitScore.objects.get(pk=listed.score_id)
    before = {i.pk: i.final_points for i in ScoreItem.objects.filter(score__assessment=year)}
    scores_before = {s.pk: s.score for s in UnitScore.objects.filter(assessment=year)}
    with clock.pinned(D(2023, 10, 9)):
        filed = appeal(world.goushi, listed, "挂牌督办事项不属于本镇职责", pdf())
    with pytest.raises(PermissionDenied):
        decide_appeal(world.goushi, filed, True, "同意")
    with heard() as events:
        decided = decide_appeal(world.office, filed, True, "经核实，予以采纳")
    assert decided.state == AppealState.UPHELD and decided.points_after == Decimal("0.00")
    after = {i.pk: i.final_points for i in ScoreItem.objects.filter(score__assessment=year)}
    changed = {pk for pk in before if before[pk] != after.get(pk)}
    assert changed == {listed.pk} and set(after) == set(before)
    assert after[listed.pk] == Decimal("0.00")
    scores_after = {s.pk: s.score for s in UnitScore.objects.filter(assessment=year)}
    assert scores_after[score.pk] == scores_before[score.pk] + Decimal("3.00")
    assert {pk for pk in scores_before if scores_before[pk] != scores_after[pk]} == {score.pk}
    event = events.one("assessment_appeal_decided")
    assert event.unit_ids == (world.unit("缑氏镇").pk,) and "采纳" in str(event.title)
    with pytest.raises(AssessmentError, match="已处理"):
        decide_appeal(world.office, filed, False, "不予采纳")


def test_a_rejected_appeal_changes_nothing(world: World, year: Assessment) -> None:
    mine = item_of(world, "发改委", "criticised")
    with clock.pinned(D(2023, 10, 9)):
        filed = appeal(world.fgw, mine, "不服", [])
    with pytest.raises(AssessmentError, match="答复"):
        decide_appeal(world.office, filed, False, " ")
    decide_appeal(world.office, filed, False, "通报事实清楚，不予采纳")
    mine.refresh_from_db()
    assert mine.adjusted_points is None and mine.final_points == Decimal("-1.00")


def test_publishing_waits_for_the_end_of_publicity_and_every_decision(
    world: World, year: Assessment
) -> None:
    mine = item_of(world, "发改委", "criticised")
    with clock.pinned(D(2023, 10, 9)):
        filed = appeal(world.fgw, mine, "不服", [])
    with clock.pinned(D(2023, 10, 11)), pytest.raises(AssessmentError, match="公示期至"):
        publish(world.office, year)
    with clock.pinned(D(2023, 10, 12)), pytest.raises(AssessmentError, match="待处理"):
        publish(world.office, year)
    decide_appeal(world.office, filed, False, "不予采纳")
    with clock.pinned(D(2023, 10, 12)), heard() as events:
        published = publish(world.office, year)
    assert published.state == AssessmentState.PUBLISHED and published.frozen
    assert published.published_by == world.office
    assert (
        len(events.of("assessment_published")) == UnitScore.objects.filter(assessment=year).count()
    )
    with pytest.raises(AssessmentError, match="已发布"):
        adjust(world.office, mine, Decimal(0), "理由", pdf())
    with pytest.raises(AssessmentError, match="已发布"):
        decide_appeal(world.office, filed, True, "改判")


def test_who_sees_the_scores(world: World) -> None:
    compute(world.plan, world.office, AS_OF)
    assert current_scores(world.plan, world.zhulei) == []  # a draft is the office's
    assert current_scores(world.plan, world.goushi) == []
    assert len(current_scores(world.plan, world.office)) == UnitScore.objects.count()
    assessment = Assessment.objects.get(plan=world.plan)
    with clock.pinned(OPENED):
        open_publicity(world.office, assessment)
    assert visible_assessment(world.plan, world.goushi) is not None
    [own] = scores_for(assessment, world.goushi)
    assert own.unit.name == "缑氏镇" and own.items.all()  # prefetched with its items
    assert len(current_scores(world.plan, world.zhulei)) == UnitScore.objects.count()
    assert current_scores(world.plan, world.admin("security")) == []


def test_a_recognition_is_recorded_with_its_document_and_counts(world: World) -> None:
    fgw = world.unit("发改委")
    with clock.pinned(D(2023, 11, 1)):
        with pytest.raises(AssessmentError, match="1至2分"):
            record_recognition(
                world.office, world.plan, fgw, Decimal(3), "表彰", "豫政", D(2023, 6, 1)
            )
        with pytest.raises(AssessmentError, match="2023年内"):
            record_recognition(
                world.office, world.plan, fgw, Decimal(1), "表彰", "豫政", D(2022, 6, 1)
            )
        with pytest.raises(AssessmentError, match="文号"):
            record_recognition(
                world.office, world.plan, fgw, Decimal(1), "表彰", " ", D(2023, 6, 1)
            )
        recognition = record_recognition(
            world.office,
            world.plan,
            fgw,
            Decimal("2"),
            "项目建设工作受到省政府通报表扬",
            "豫政〔2023〕12号",
            D(2023, 6, 1),
            pdf(),
            task=world.task("1"),
        )
        instruction = record_recognition(
            world.office,
            world.plan,
            fgw,
            Decimal("1"),
            "市领导批示肯定",
            "市领导批示件",
            D(2023, 7, 1),
            kind="instruction",
        )
    assert RecognitionFile.objects.filter(recognition=recognition).count() == 1
    assert Recognition.objects.count() == 2
    compute(world.plan, world.office, AS_OF)
    counted = ScoreItem.objects.get(key=f"recognition:{recognition.pk}")
    assert counted.points == Decimal("2.00") and "豫政〔2023〕12号" in counted.text
    off = ScoreItem.objects.get(key=f"recognition:{instruction.pk}")
    assert off.points == 0 and "不计分" in off.text  # 领导批示肯定 is off by default
