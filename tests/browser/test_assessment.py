"""The year-end assessment, in real Chromium, in Chinese, in January 2024: the office computes
2023, adjusts one of 缑氏镇's items with its reason and document, opens publicity; 缑氏镇's
operator finds the result in its 待办, appeals an item with its evidence; the office finds the
appeal in its 待办 and upholds it; once publicity is over (the date moved on) the office
publishes the result, and 缑氏镇 reads its final score with the upheld appeal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from duban.assessment.models import (
    Adjustment,
    Appeal,
    AppealState,
    Assessment,
    AssessmentState,
    ScoreItem,
    UnitScore,
)
from tests.support import assessment as rec
from tests.support.browser import sign_in
from tests.support.files import pdf_bytes
from tests.support.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = dt.date
ARITHMETIC = ("pool_base", "pool_floor", "task_bonus_cap", "bonus_cap")


def goushi_items() -> list[ScoreItem]:
    return list(
        ScoreItem.objects.filter(score__unit__name="缑氏镇")
        .exclude(rule__in=ARITHMETIC)
        .order_by("position", "pk")
    )


def goushi_score() -> Decimal:
    return UnitScore.objects.get(unit__name="缑氏镇").score


def test_the_office_computes_the_year_a_unit_appeals_and_the_result_is_published(
    page: Page,
    browser: Browser,
    live_server: LiveServer,
    world_committed: World,
    tmp_path: Path,
    settings: Any,
) -> None:
    settings.DUBAN_TODAY = D(2024, 1, 15)
    world = world_committed
    # A little of the year's record: 缑氏镇's contribution to task 1 came in late.
    rec.contribution(world.task("1"), world.q1, world.unit("缑氏镇"), D(2023, 4, 10))
    document = tmp_path / "核实说明.pdf"
    document.write_bytes(pdf_bytes())
    receipt = tmp_path / "报送回执.pdf"
    receipt.write_bytes(pdf_bytes())
    goushi_pk = world.unit("缑氏镇").pk

    # The office computes 2023 from the record as it stands today.
    sign_in(page, live_server, "office", "/assessment/")
    expect(page.locator("#assessment-state")).to_have_text("尚未计算")
    page.locator("#assessment-compute").click()
    expect(page.locator("#assessment-state")).to_have_text("待公示")
    expect(page.locator(".messages")).to_contain_text("已按截至2024年1月15日的督办记录完成计算")
    expect(page.locator("#group-townships tr.assess-score")).to_have_count(13)
    computed = goushi_score()

    # ... opens 缑氏镇's page and adjusts its first item: a reason and a document are required.
    page.locator(f'#group-townships tr[data-unit="{goushi_pk}"] a').click()
    expect(page.locator("h1")).to_have_text("缑氏镇")
    first, second = goushi_items()[:2]
    page.locator(f"#item-{first.pk} .assess-adjust-button").click()
    page.locator("#id_points").fill(str(first.points + 1))
    page.locator("#id_reason").fill("经核实，该任务一季度已完成，予以调整。")
    page.locator("#adjust-save").click()
    expect(page.locator("#field-attachments .errors")).to_contain_text("请上传调整所依据的材料")
    assert not Adjustment.objects.exists()
    page.locator("#id_reason").fill("经核实，该任务一季度已完成，予以调整。")
    page.set_input_files("#id_attachments", str(document))
    page.locator("#adjust-save").click()
    expect(page.locator("#adjustments")).to_contain_text("经核实，该任务一季度已完成")
    expect(page.locator("#adjustments")).to_contain_text("核实说明.pdf")
    assert goushi_score() == computed + 1

    # ... and opens publicity for the scheme's five working days.
    page.goto(live_server.url + "/assessment/")
    expect(page.locator("#id_days")).to_have_value("5")
    page.locator("#publicity-open").click()
    expect(page.locator("#assessment-state")).to_have_text("公示中")
    expect(page.locator("#publicity-dates")).to_have_text("2024年1月15日 — 2024年1月22日")
    expect(page.locator("#publish-blockers")).to_contain_text("期满后方可发布")
    expect(page.locator("#assessment-publish")).to_be_disabled()

    # 缑氏镇's operator is asked in its 待办 to check the score, and is taken to its own page.
    unit = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai").new_page()
    sign_in(unit, live_server, "goushi", "/reporting/todo/")
    asked = unit.locator("#todo-assessment_scores_in_publicity .todo-item")
    expect(asked).to_contain_text("2023年度考核结果公示中，请核对本单位得分")
    asked.locator("a.todo-link").click()
    expect(unit.locator("h1")).to_have_text("缑氏镇")
    expect(unit.locator("#publicity-notice")).to_contain_text("考核结果公示至2024年1月22日")
    expect(unit.locator(f"#item-{first.pk} .assess-adjusted")).to_be_visible()  # the adjustment
    expect(unit.locator(".assess-adjust-button")).to_have_count(0)
    # ... appeals its second item, with the reason and the receipt.
    unit.locator(f"#item-{second.pk} .assess-appeal-button").click()
    unit.locator("#id_reason").fill("该材料已按时报送，附报送回执。")
    unit.set_input_files("#id_attachments", str(receipt))
    unit.locator("#appeal-submit").click()
    expect(unit.locator(".messages")).to_contain_text("申诉已提交督查室")
    expect(unit.locator("#appeals .assess-appeal-entry")).to_have_attribute("data-state", "pending")
    expect(unit.locator("#appeal-form")).to_have_count(0)

    # The office finds the appeal in its 待办 and upholds it: the item counts 0.
    page.goto(live_server.url + "/reporting/todo/")
    waiting = page.locator("#todo-assessment_appeals_to_decide .todo-item")
    expect(waiting).to_contain_text("缑氏镇")
    waiting.locator("a.todo-link").click()
    expect(page.locator("#appeals")).to_contain_text("报送回执.pdf")
    page.get_by_label("采纳", exact=True).check()
    page.locator("#id_reply").fill("经核实，报送回执属实，予以采纳。")
    page.locator("#id_points").fill("0")
    page.locator("#decision-save").click()
    expect(page.locator("#appeals .assess-appeal-entry")).to_have_attribute("data-state", "upheld")
    appeal = Appeal.objects.get()
    assert appeal.state == AppealState.UPHELD
    assert goushi_score() == computed + 1 - second.points

    # Publicity over (the date moves on), nothing waiting: the office publishes.
    settings.DUBAN_TODAY = D(2024, 1, 23)
    page.goto(live_server.url + "/reporting/todo/")
    ready = page.locator("#todo-assessment_ready_to_publish .todo-item")
    expect(ready).to_contain_text("2023年度考核结果公示期已满，可以发布")
    ready.locator("a.todo-link").click()
    expect(page.locator("#publish-ready")).to_be_visible()
    page.locator("#assessment-publish").click()
    expect(page.locator("#assessment-state")).to_have_text("已发布")
    expect(page.locator("#published-on")).to_have_text("2024年1月23日")
    expect(page.locator("#assessment-compute")).to_have_count(0)
    assert Assessment.objects.get().state == AssessmentState.PUBLISHED

    # 缑氏镇 reads its final score, the decision and the reply.
    unit.goto(live_server.url + "/assessment/")
    expect(unit.locator("#assessment-state")).to_have_text("已发布")
    expect(unit.locator("#unit-total")).to_have_text(str(goushi_score()))
    expect(unit.locator(f"#item-{second.pk} [data-appeal-state]")).to_have_attribute(
        "data-appeal-state", "upheld"
    )
    unit.locator(f"#item-{second.pk} td a").first.click()
    expect(unit.locator(".assess-reply")).to_contain_text("经核实，报送回执属实，予以采纳。")
    unit.context.close()

    # The cockpit shows the published scores; the red bar of an area opens the ledger on
    # exactly the tasks it counts.
    page.goto(live_server.url + "/cockpit/")
    expect(page.locator("#cockpit")).to_have_attribute("data-ready", "true")
    towns = page.locator('[data-chart-table="scores_townships"]')
    expect(towns).to_contain_text("缑氏镇")
    expect(towns).to_contain_text(str(goushi_score()))
    expect(page.locator('[data-chart-canvas="scores_townships"] canvas')).to_have_count(1)
    reds = int(
        page.evaluate(
            """(() => {
              const table = document.querySelector('[data-chart-table="areas_light"]');
              const heads = [...table.querySelectorAll("thead th")];
              const column = heads.findIndex((th) => th.dataset.series === "red");
              return table.querySelector("tbody tr").children[column].textContent.trim();
            })()"""
        )
    )
    assert reds > 0
    page.locator('[data-chart-canvas="areas_light"]').scroll_into_view_if_needed()
    point = page.evaluate("window.dubanCockpit.point('areas_light', 'red', 0)")
    with page.expect_navigation():
        page.mouse.click(point["x"], point["y"])
    area = world.plan.areas.order_by("number").first()
    assert area is not None
    assert parse_qs(urlsplit(page.url).query) == {"area": [str(area.pk)], "light": ["red"]}
    expect(page.locator(".found")).to_have_text(f"共{reds}项任务")
