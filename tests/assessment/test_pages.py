"""The assessment pages (/assessment/): who sees what before and during publicity, the office's
steps (compute, publicity, publish), a unit's page, adjusting an item, appealing it and deciding
the appeal, and the 待办 they make — on the world's plan computed on 2024年1月15日. Every
refusal is a 403 (or a 404 for what does not exist), and bad input changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from duban.assessment.models import (
    Adjustment,
    Appeal,
    AppealState,
    Assessment,
    AssessmentState,
    Recognition,
    ScoreItem,
    UnitScore,
)
from duban.assessment.services import compute, schemes, workflow
from duban.assessment.todo import (
    APPEALS_DECIDED,
    APPEALS_TO_DECIDE,
    READY_TO_PUBLISH,
    SCORES_IN_PUBLICITY,
)
from duban.core.todo import count_for, todo_for
from duban.supervision.models import NoticeLevel
from tests.support import assessment as rec
from tests.support.crawl import offences, visible_text
from tests.support.files import pdf_bytes, upload
from tests.support.todo import items as todo_items
from tests.support.world import World

D = dt.date
COMPUTED_ON = D(2024, 1, 15)  # a Monday: 5 working days of publicity end on 2024年1月22日
AFTER_PUBLICITY = D(2024, 1, 23)
ARITHMETIC = ("pool_base", "pool_floor", "task_bonus_cap", "bonus_cap")


@pytest.fixture
def today(settings: Any) -> Any:
    settings.DUBAN_TODAY = COMPUTED_ON
    return settings


def computed(world: World) -> Assessment:
    """The year as of 2024年1月15日, with a notice to 发改委 (a 督办) and a late report."""
    rec.report(world.task("1"), world.q1, submitted=D(2023, 4, 6))
    rec.notice(
        world.task("2"),
        world.unit("发改委"),
        NoticeLevel.SUPERVISE,
        reply_due=D(2023, 5, 10),
        replied=D(2023, 5, 8),
    )
    return compute.compute(world.plan, world.office)


def in_publicity(world: World) -> Assessment:
    return workflow.open_publicity(world.office, computed(world))


def score_of(name: str) -> UnitScore:
    return UnitScore.objects.select_related("unit").get(unit__name=name)


def an_item(name: str) -> ScoreItem:
    """An item of the unit that may be adjusted and appealed (not a base, floor or cap)."""
    return (
        ScoreItem.objects.filter(score__unit__name=name)
        .exclude(rule__in=ARITHMETIC)
        .order_by("position", "pk")
        .first()
    )


def soup(response: Any) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def text_of(response: Any, selector: str) -> str:
    found = soup(response).select_one(selector)
    return found.get_text(" ", strip=True) if found is not None else ""


def units_listed(response: Any) -> set[str]:
    return {
        row.select("td")[1].get_text(strip=True) for row in soup(response).select("tr.assess-score")
    }


def pdf_upload(name: str = "依据.pdf") -> Any:
    return upload(name, pdf_bytes(), "application/pdf")


# --- before any computation -----------------------------------------------------------------------


def test_before_computation_the_office_may_compute_and_the_others_read_the_state(
    world: World, today: Any
) -> None:
    office = world.as_office().get("/assessment/")
    assert office.status_code == 200
    assert text_of(office, "#assessment-state") == "尚未计算"
    assert text_of(office, "#assessment-compute") == "计算"
    for client in (world.as_leader("朱蕾"), world.as_unit("缑氏镇"), world.as_viewer()):
        page = client.get("/assessment/")
        assert page.status_code == 200
        assert text_of(page, "#assessment-state") == "尚未计算"
        assert not soup(page).select("#office-actions, #results")
    # 三权分立: no business data; not signed in: the sign-in page first
    assert world.as_admin("security").get("/assessment/").status_code == 403
    assert Client().get("/assessment/").status_code == 302
    # Nobody but the office computes.
    assert world.as_unit("缑氏镇").post("/assessment/compute/").status_code == 403
    assert world.as_leader("朱蕾").post("/assessment/compute/").status_code == 403
    assert not Assessment.objects.exists()


def test_the_office_computes_and_sees_the_result_per_ranking_group(
    world: World, today: Any
) -> None:
    client = world.as_office()
    done = client.post("/assessment/compute/", {"plan": world.plan.pk})
    assert done.status_code == 302
    assessment = Assessment.objects.get(plan=world.plan)
    assert (assessment.state, assessment.as_of) == (AssessmentState.DRAFT, COMPUTED_ON)
    page = client.get(done["Location"])
    assert "已按截至2024年1月15日的督办记录完成计算" in page.content.decode()
    assert text_of(page, "#assessment-state") == "待公示"
    assert text_of(page, "#assessment-compute") == "重新计算"
    townships = soup(page).select("#group-townships tr.assess-score")
    departments = soup(page).select("#group-departments tr.assess-score")
    assert len(townships) == 13 and departments
    assert "缑氏镇" in units_listed(page) and "发改委" in units_listed(page)
    row = soup(page).select_one(f'tr.assess-score[data-unit="{world.unit("发改委").pk}"]')
    assert row.select_one(".assess-points").get_text(strip=True) == str(score_of("发改委").score)
    assert "计算时间" in page.content.decode() and "2024年1月15日" in page.content.decode()


# --- draft: the office alone ----------------------------------------------------------------------


def test_a_draft_is_the_offices_alone(world: World, today: Any) -> None:
    computed(world)
    goushi = world.unit("缑氏镇").pk
    for client in (world.as_leader("朱蕾"), world.as_unit("缑氏镇"), world.as_viewer()):
        page = client.get("/assessment/")
        assert page.status_code == 200  # the state, not the scores
        assert text_of(page, "#assessment-state") == "待公示"
        assert soup(page).select_one("#results-hidden") is not None
        assert units_listed(page) == set()
        assert client.get(f"/assessment/units/{goushi}/").status_code == 403
        assert client.get(f"/assessment/items/{an_item('缑氏镇').pk}/").status_code == 403
        assert client.get("/assessment/export/results.xlsx").status_code == 403
    office = world.as_office().get(f"/assessment/units/{goushi}/")
    assert office.status_code == 200
    # The office adjusts (a draft), nobody appeals yet.
    assert soup(office).select(".assess-adjust-button")
    assert not soup(office).select(".assess-appeal-button")


def test_pages_of_what_does_not_exist_are_404(world: World, today: Any) -> None:
    computed(world)
    client = world.as_office()
    assert client.get("/assessment/units/999999/").status_code == 404
    assert client.get(f"/assessment/units/{world.unit('档案馆').pk}/").status_code == 404
    assert client.get("/assessment/items/999999/").status_code == 404
    assert client.get("/assessment/?plan=999999").status_code == 404
    assert client.get("/assessment/scheme/v99/").status_code == 404


# --- publicity --------------------------------------------------------------------------------


def test_the_office_opens_publicity_for_the_schemes_days(world: World, today: Any) -> None:
    assessment = computed(world)
    client = world.as_office()
    page = client.get("/assessment/")
    assert soup(page).select_one("#id_days")["value"] == "5"
    for bad in ("", "0", "abc", "31"):
        refused = client.post(f"/assessment/{assessment.pk}/publicity/", {"days": bad})
        assert refused.status_code == 400
        assert soup(refused).select_one("#field-days .errors") is not None
    assert Assessment.objects.get().state == AssessmentState.DRAFT
    # A unit may not; nor open the year of another plan's number.
    assert (
        world.as_unit("缑氏镇").post(f"/assessment/{assessment.pk}/publicity/", {"days": 5})
    ).status_code == 403
    assert client.post("/assessment/999999/publicity/", {"days": 5}).status_code == 404
    done = client.post(f"/assessment/{assessment.pk}/publicity/", {"days": 5}, follow=True)
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.PUBLICITY
    assert (assessment.publicity_from, assessment.publicity_until) == (COMPUTED_ON, D(2024, 1, 22))
    assert "公示期至2024年1月22日" in done.content.decode()
    assert text_of(done, "#publicity-dates") == "2024年1月15日 — 2024年1月22日"
    # Publishing waits for the end of publicity; the page says so and the button is off.
    assert "公示期至2024年1月22日，期满后方可发布" in text_of(done, "#publish-blockers")
    assert soup(done).select_one("#assessment-publish").has_attr("disabled")
    early = client.post(f"/assessment/{assessment.pk}/publish/")
    assert early.status_code == 409 and "2024年1月22日" in text_of(early, "#assessment-error")
    assert Assessment.objects.get().state == AssessmentState.PUBLICITY
    # Computing again is refused during publicity.
    again = client.post("/assessment/compute/", {"plan": world.plan.pk})
    assert again.status_code == 409 and text_of(again, "#assessment-error")


def test_during_publicity_leaders_see_all_and_a_unit_only_its_own(world: World, today: Any) -> None:
    in_publicity(world)
    leader = world.as_leader("朱蕾").get("/assessment/")
    assert leader.status_code == 200 and len(units_listed(leader)) > 20
    assert not soup(leader).select("#office-actions")
    goushi, fgw = world.unit("缑氏镇"), world.unit("发改委")
    assert world.as_leader("朱蕾").get(f"/assessment/units/{goushi.pk}/").status_code == 200
    # A unit is taken to its own page; another unit's page and items are refused.
    unit = world.as_unit("缑氏镇")
    landing = unit.get("/assessment/")
    assert landing.status_code == 302
    assert landing["Location"] == f"/assessment/units/{goushi.pk}/?plan={world.plan.pk}"
    own = unit.get(landing["Location"])
    assert own.status_code == 200
    assert "考核结果公示至2024年1月22日" in text_of(own, "#publicity-notice")
    assert text_of(own, "#unit-total") == str(score_of("缑氏镇").score)
    assert soup(own).select(".assess-appeal-button")
    assert not soup(own).select(".assess-adjust-button")  # adjusting is before publicity
    assert unit.get(f"/assessment/units/{fgw.pk}/").status_code == 403
    assert unit.get(f"/assessment/items/{an_item('发改委').pk}/").status_code == 403
    assert unit.get(f"/assessment/export/units/{fgw.pk}.xlsx").status_code == 403
    # The items add up to the score, part by part, and name their source.
    items = soup(own).select("tr.assess-item")
    assert sum(Decimal(row["data-points"]) for row in items) == score_of("缑氏镇").score
    assert text_of(own, "#items-total") == f"{score_of('缑氏镇').score:.2f}"
    # A unit that has no score (档案馆, on no task) sees none.
    archive = world.as_unit("档案馆").get("/assessment/")
    assert archive.status_code == 200 and units_listed(archive) == set()
    assert soup(archive).select_one("#no-plan") is not None


def test_the_office_withdraws_publicity(world: World, today: Any) -> None:
    assessment = in_publicity(world)
    assert (
        world.as_unit("缑氏镇").post(f"/assessment/{assessment.pk}/publicity/withdraw/")
    ).status_code == 403
    done = world.as_office().post(f"/assessment/{assessment.pk}/publicity/withdraw/", follow=True)
    assert "已撤回公示" in done.content.decode()
    assert Assessment.objects.get().state == AssessmentState.DRAFT
    assert (
        world.as_unit("缑氏镇").get(f"/assessment/units/{world.unit('缑氏镇').pk}/").status_code
        == 403
    )


# --- adjusting an item ----------------------------------------------------------------------------


def test_the_office_adjusts_an_item_with_a_reason_and_a_file(world: World, today: Any) -> None:
    computed(world)
    item = an_item("缑氏镇")
    before = score_of("缑氏镇").score
    client = world.as_office()
    url = f"/assessment/items/{item.pk}/adjust/"
    bad = [
        ({"points": "abc", "reason": "核实", "attachments": pdf_upload()}, "points", "数"),
        ({"points": "1", "reason": "  ", "attachments": pdf_upload()}, "reason", "调整理由"),
        ({"points": "1", "reason": "核实"}, "attachments", "请上传调整所依据的材料"),
        (
            {"points": "1", "reason": "核实", "attachments": upload("a.pdf", b"nothing")},
            "attachments",
            "a.pdf",
        ),
    ]
    for data, field, words in bad:
        refused = client.post(url, data)
        assert refused.status_code == 400, field
        assert words in text_of(refused, f"#field-{field} .errors"), field
    assert not Adjustment.objects.exists()
    assert world.as_unit("缑氏镇").post(url, {"points": "1", "reason": "x"}).status_code == 403
    done = client.post(
        url, {"points": "1.5", "reason": "经核实已按期报送", "attachments": pdf_upload("核实.pdf")}
    )
    assert done.status_code == 302
    adjustment = Adjustment.objects.get()
    assert (adjustment.points_after, adjustment.reason) == (Decimal("1.50"), "经核实已按期报送")
    assert adjustment.files.get().original_name == "核实.pdf"
    item.refresh_from_db()
    assert item.adjusted_points == Decimal("1.50")
    assert score_of("缑氏镇").score == before - item.points + Decimal("1.50")
    page = client.get(done["Location"])
    assert "经核实已按期报送" in text_of(page, "#adjustments")
    assert "核实.pdf" in text_of(page, "#adjustments")
    file_url = soup(page).select_one("#adjustments .evidence-list a")["href"]
    assert client.get(file_url).status_code == 200
    # The unit sees the adjustment and its file once publicity opens, not before.
    assert world.as_unit("缑氏镇").get(file_url).status_code == 403


def test_an_item_is_not_adjusted_during_publicity(world: World, today: Any) -> None:
    in_publicity(world)
    item = an_item("缑氏镇")
    client = world.as_office()
    page = client.get(f"/assessment/items/{item.pk}/")
    assert soup(page).select_one("#adjust-form") is None
    refused = client.post(
        f"/assessment/items/{item.pk}/adjust/",
        {"points": "1", "reason": "核实", "attachments": pdf_upload()},
    )
    assert refused.status_code == 409
    assert "公示" in text_of(refused, "#item-error")
    assert not Adjustment.objects.exists()


# --- appeals ------------------------------------------------------------------------------------


def test_a_unit_appeals_an_item_and_the_office_upholds_it(world: World, today: Any) -> None:
    in_publicity(world)
    item = an_item("缑氏镇")
    unit = world.as_unit("缑氏镇")
    url = f"/assessment/items/{item.pk}/appeal/"
    page = unit.get(f"/assessment/items/{item.pk}/")
    assert soup(page).select_one("#appeal-form") is not None
    refused = unit.post(url, {"reason": "   "})
    assert refused.status_code == 400
    assert "申诉的理由" in text_of(refused, "#field-reason .errors")
    bad_file = unit.post(url, {"reason": "已报送", "attachments": upload("x.docx", b"no")})
    assert bad_file.status_code == 400 and "x.docx" in text_of(bad_file, "#field-attachments")
    assert not Appeal.objects.exists()
    # Another unit may not appeal it; the office does not appeal.
    assert world.as_unit("发改委").post(url, {"reason": "x"}).status_code == 403
    assert world.as_office().post(url, {"reason": "x"}).status_code == 403
    done = unit.post(
        url, {"reason": "该材料已于3月30日报送", "attachments": pdf_upload("回执.pdf")}
    )
    assert done.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.state == AppealState.PENDING and appeal.files.count() == 1
    again = unit.get(f"/assessment/items/{item.pk}/")
    assert soup(again).select_one("#appeal-form") is None  # one pending appeal per item
    assert text_of(again, f'[data-appeal="{appeal.pk}"]').startswith("待处理")

    # The office finds it in its 待办 and on the year's page, and decides it.
    assert [i.key for i in todo_items(world.office, APPEALS_TO_DECIDE)] == [str(appeal.pk)]
    office = world.as_office()
    assert str(item.pk) in soup(office.get("/assessment/")).select_one("#pending-appeals a")["href"]
    decide = f"/assessment/appeals/{appeal.pk}/decide/"
    for data, field in (
        ({"reply": "属实"}, "decision"),
        ({"decision": "upheld", "reply": " "}, "reply"),
        ({"decision": "upheld", "reply": "属实", "points": "abc"}, "points"),
    ):
        refused = office.post(decide, data)
        assert refused.status_code == 400, field
        assert text_of(refused, f"#field-{field} .errors"), field
    assert unit.post(decide, {"decision": "upheld", "reply": "x"}).status_code == 403
    assert Appeal.objects.get().state == AppealState.PENDING
    before = score_of("缑氏镇").score
    done = office.post(
        decide, {"decision": "upheld", "reply": "经核实属实，予以采纳。", "points": "0"}
    )
    assert done.status_code == 302
    appeal.refresh_from_db()
    item.refresh_from_db()
    assert appeal.state == AppealState.UPHELD and item.adjusted_points == Decimal("0.00")
    assert score_of("缑氏镇").score == before - item.points
    assert todo_items(world.office, APPEALS_TO_DECIDE) == []
    # The unit reads the decision in its 待办 and on the item.
    decided = todo_items(world.goushi, APPEALS_DECIDED)
    assert [i.key for i in decided] == [str(appeal.pk)]
    assert "已采纳" in decided[0].note and "经核实属实" in decided[0].note
    reply = unit.get(f"/assessment/items/{item.pk}/")
    assert "经核实属实，予以采纳。" in text_of(reply, ".assess-reply")


def test_the_office_rejects_an_appeal_with_a_reply(world: World, today: Any) -> None:
    in_publicity(world)
    item = an_item("发改委")
    world.as_unit("发改委").post(f"/assessment/items/{item.pk}/appeal/", {"reason": "不认可"})
    appeal = Appeal.objects.get()
    before = item.final_points
    world.as_office().post(
        f"/assessment/appeals/{appeal.pk}/decide/",
        {"decision": "rejected", "reply": "未提供佐证材料。", "points": "5"},
    )
    appeal.refresh_from_db()
    item.refresh_from_db()
    assert appeal.state == AppealState.REJECTED and item.final_points == before
    assert "不予采纳" in todo_items(world.fgw, APPEALS_DECIDED)[0].note


def test_appeals_close_with_publicity(world: World, today: Any) -> None:
    in_publicity(world)
    today.DUBAN_TODAY = AFTER_PUBLICITY
    item = an_item("缑氏镇")
    unit = world.as_unit("缑氏镇")
    page = unit.get(f"/assessment/units/{world.unit('缑氏镇').pk}/")
    assert not soup(page).select(".assess-appeal-button")
    assert "公示已于2024年1月22日结束" in page.content.decode()
    late = unit.post(f"/assessment/items/{item.pk}/appeal/", {"reason": "x"})
    assert late.status_code == 409
    assert "公示已于2024年1月22日结束" in text_of(late, "#item-error")
    assert not Appeal.objects.exists()


# --- publishing -------------------------------------------------------------------------------


def test_the_office_publishes_after_publicity_once_every_appeal_is_decided(
    world: World, today: Any
) -> None:
    assessment = in_publicity(world)
    item = an_item("缑氏镇")
    world.as_unit("缑氏镇").post(f"/assessment/items/{item.pk}/appeal/", {"reason": "有误"})
    today.DUBAN_TODAY = AFTER_PUBLICITY
    client = world.as_office()
    page = client.get("/assessment/")
    assert "还有1件申诉待处理" in text_of(page, "#publish-blockers")
    assert todo_items(world.office, READY_TO_PUBLISH) == []
    refused = client.post(f"/assessment/{assessment.pk}/publish/")
    assert refused.status_code == 409 and "申诉" in text_of(refused, "#assessment-error")
    appeal = Appeal.objects.get()
    workflow.decide_appeal(world.office, appeal, False, "维持原分。")
    ready = todo_items(world.office, READY_TO_PUBLISH)
    assert [i.key for i in ready] == [str(assessment.pk)]
    assert ready[0].title == "2023年度考核结果公示期已满，可以发布"
    assert soup(client.get("/assessment/")).select_one("#publish-ready") is not None
    done = client.post(f"/assessment/{assessment.pk}/publish/", follow=True)
    assert "考核结果已发布，并按考核方案第1版锁定" in done.content.decode()
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.PUBLISHED
    assert text_of(done, "#assessment-state") == "已发布"
    assert text_of(done, "#published-on") == "2024年1月23日"
    assert text_of(done, "#assessment-scheme") == "重点工作责任目标考核办法（第1版）"
    assert soup(done).select_one("#assessment-compute") is None
    # Frozen: computing again is refused and changes nothing; nothing is adjusted.
    scores = dict(UnitScore.objects.values_list("unit_id", "score"))
    again = client.post("/assessment/compute/", {"plan": world.plan.pk})
    assert again.status_code == 409
    assert dict(UnitScore.objects.values_list("unit_id", "score")) == scores
    assert todo_items(world.office, READY_TO_PUBLISH) == []
    # Everyone who sees the plan sees the result; a unit its own page.
    assert len(units_listed(world.as_viewer().get("/assessment/"))) > 20
    assert world.as_unit("缑氏镇").get("/assessment/").status_code == 302


# --- 待办 ---------------------------------------------------------------------------------------


def test_units_are_asked_to_check_their_score_during_publicity(world: World, today: Any) -> None:
    computed(world)
    assert todo_items(world.goushi, SCORES_IN_PUBLICITY) == []
    workflow.open_publicity(world.office, Assessment.objects.get())
    waiting = todo_items(world.goushi, SCORES_IN_PUBLICITY)
    assert len(waiting) == 1
    assert waiting[0].title == "2023年度考核结果公示中，请核对本单位得分"
    assert waiting[0].due_on == D(2024, 1, 22)
    assert waiting[0].link == f"/assessment/units/{world.unit('缑氏镇').pk}/?plan={world.plan.pk}"
    assert todo_items(world.archive, SCORES_IN_PUBLICITY) == []  # no score
    assert todo_items(world.zhulei, SCORES_IN_PUBLICITY) == []  # a leader checks no score
    # The count and the list agree (one query for the count).
    for user in (world.goushi, world.office, world.fgw):
        assert count_for(user) == todo_for(user).total
    page = world.as_unit("缑氏镇").get("/reporting/todo/")
    assert "2023年度考核结果公示中，请核对本单位得分" in page.content.decode()
    # A section of items on no task has no 任务 column (no row of “—”).
    section = soup(page).select_one(f"#todo-{SCORES_IN_PUBLICITY}")
    assert section is not None and section.select(".todo-item")
    assert not section.select(".todo-task") and "任务" not in section.select_one("thead").text
    today.DUBAN_TODAY = AFTER_PUBLICITY
    assert todo_items(world.goushi, SCORES_IN_PUBLICITY) == []


# --- recognitions -------------------------------------------------------------------------------


def test_the_office_records_a_recognition_with_its_document(world: World, today: Any) -> None:
    computed(world)
    client = world.as_office()
    goushi = world.unit("缑氏镇")
    good = {
        "plan": world.plan.pk,
        "unit": goushi.pk,
        "points": "2",
        "title": "全市重点项目建设先进单位",
        "document": "洛政〔2023〕12号",
        "granted_on": "2023-12-20",
    }
    for change, field in (
        ({"points": "3"}, "points"),
        ({"points": "0.5"}, "points"),
        ({"title": ""}, "title"),
        ({"granted_on": "2023-13-01"}, "granted_on"),
        ({"unit": "999999"}, "unit"),
    ):
        refused = client.post("/assessment/recognitions/new/", {**good, **change})
        assert refused.status_code == 400, field
        assert text_of(refused, f"#field-{field} .errors"), field
    # The service's own rules: the year of the plan.
    wrong_year = client.post("/assessment/recognitions/new/", {**good, "granted_on": "2022-12-20"})
    assert wrong_year.status_code == 400 and "2023" in text_of(
        wrong_year, "#recognition-form .errors"
    )
    assert not Recognition.objects.exists()
    assert world.as_unit("缑氏镇").post("/assessment/recognitions/new/", good).status_code == 403
    done = client.post(
        "/assessment/recognitions/new/", {**good, "attachments": pdf_upload("表彰文件.pdf")}
    )
    assert done.status_code == 302
    recognition = Recognition.objects.get()
    assert (recognition.unit, recognition.points) == (goushi, Decimal("2.00"))
    page = client.get("/assessment/")
    assert "洛政〔2023〕12号" in text_of(page, "#recognitions")
    assert "表彰文件.pdf" in text_of(page, "#recognitions")
    # Counted at the next computation, with the recognition as its source.
    client.post("/assessment/compute/", {"plan": world.plan.pk})
    bonus = ScoreItem.objects.get(score__unit=goushi, rule="recognition")
    assert bonus.points == Decimal("2.00") and bonus.source_type == "recognition"
    unit_page = client.get(f"/assessment/units/{goushi.pk}/")
    assert "洛政〔2023〕12号" in text_of(unit_page, f"#item-{bonus.pk}")


# --- a unit's page as its items' sources --------------------------------------------------------


def test_each_item_links_to_its_source(world: World, today: Any) -> None:
    computed(world)
    page = world.as_office().get(f"/assessment/units/{world.unit('发改委').pk}/")
    supervised = next(
        row for row in soup(page).select("tr.assess-item") if row["data-rule"] == "notice_supervise"
    )
    cells = supervised.select("td")
    assert "督办通知" in cells[1].get_text() and "偃督〔2023〕" in cells[1].get_text()
    assert cells[1].select_one("a")["href"].startswith("/supervision/notices/")
    late = next(
        row
        for row in soup(page).select("tr.assess-item")
        if row["data-rule"] == "report_late_minor"
    )
    assert "进展情况报送" in late.get_text() and "第1项" in late.get_text()


# --- in Chinese -----------------------------------------------------------------------------------


def test_every_assessment_page_is_chinese(world: World, today: Any) -> None:
    """The pages the demo's crawl cannot reach at its mid-year date: a year in publicity with
    an adjusted item, an appeal decided and one pending, read as the office, a unit and a
    leader."""
    assessment = computed(world)
    first, second, third = [
        item
        for item in ScoreItem.objects.filter(score__unit__name="缑氏镇").order_by("position", "pk")
        if item.rule not in ARITHMETIC
    ][:3]
    workflow.adjust(world.office, first, Decimal("1"), "核实", [pdf_upload()])
    workflow.open_publicity(world.office, assessment)
    decided = workflow.appeal(world.goushi, second, "有误", [pdf_upload()])
    workflow.decide_appeal(world.office, decided, True, "采纳", Decimal("0"))
    workflow.appeal(world.goushi, third, "有误")
    goushi = world.unit("缑氏镇").pk
    pages = [
        "/assessment/",
        f"/assessment/units/{goushi}/",
        *(f"/assessment/items/{item.pk}/" for item in (first, second, third)),
        "/assessment/scheme/",
        "/assessment/scheme/v1/",
        "/reporting/todo/",
    ]
    found = []
    for client in (world.as_office(), world.as_unit("缑氏镇"), world.as_leader("朱蕾")):
        for url in [*pages, "/assessment/scheme/edit/"]:
            response = client.get(url, follow=True)
            if response.status_code == 403 and url.endswith("edit/"):
                continue
            assert response.status_code == 200, url
            for piece in visible_text(response.content.decode()):
                found += [f"{url}: {offence} in {piece[:60]!r}" for offence in offences(piece)]
    assert found == []


def test_leaders_approvals_are_recorded_only_when_the_scheme_counts_them(
    world: World, today: Any
) -> None:
    client = world.as_office()
    assert soup(client.get("/assessment/")).select_one("#id_kind") is None  # off by default
    rules = {**schemes.rules_of(schemes.current_scheme()).to_dict(), "instruction_bonus": True}
    schemes.save_scheme(world.office, rules, "计入领导批示肯定")
    page = client.get("/assessment/")
    assert [o["value"] for o in soup(page).select("#id_kind option")] == [
        "higher_level",
        "instruction",
    ]
    done = client.post(
        "/assessment/recognitions/new/",
        {
            "plan": world.plan.pk,
            "kind": "instruction",
            "unit": world.unit("发改委").pk,
            "points": "1",
            "title": "招商引资工作获市领导批示肯定",
            "document": "市领导批示件",
            "granted_on": "2023-11-02",
        },
    )
    assert done.status_code == 302
    assert Recognition.objects.get().kind == "instruction"
    assert "领导批示肯定" in text_of(client.get("/assessment/"), "#recognitions")
