"""赵敏 of 缑氏镇 (a town, so responsible on task 1 through 各镇（街道）) contributes to the
Q1 report; 王强 of 发改委 sees who has contributed and what."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from duban.reporting.models import Contribution, ReviewState
from duban.reporting.services.contributions import contribution_status
from tests.support.files import png_bytes, upload
from tests.support.world import World, signed_in


def test_a_town_contributes_and_the_lead_unit_sees_it(world: World) -> None:
    task = world.task("1")
    page = reverse("reporting:contribution_edit", args=[task.pk, world.q1.pk])
    zhao = world.as_unit("缑氏镇")

    assert zhao.get(page).status_code == 200
    draft = {"version": 0, "text": "缑氏镇一季度新开工项目3个。", "figures": "完成投资2.1亿元"}
    assert zhao.post(page, draft).status_code == 302
    contribution = Contribution.objects.get(task=task, period=world.q1)
    assert contribution.unit.name == "缑氏镇" and contribution.state == ReviewState.DRAFT

    # Not yet submitted: 发改委 sees 缑氏镇 among the units that have not contributed.
    rows = {row.unit.name: row for row in contribution_status(task, world.q1)}
    assert not rows["缑氏镇"].submitted

    submitted = {
        **draft,
        "version": 1,
        "submit": "1",
        "attachments": [upload("开工照片.png", png_bytes())],
    }
    assert zhao.post(page, submitted).status_code == 302
    contribution.refresh_from_db()
    assert contribution.state == ReviewState.SUBMITTED and contribution.submitted_by == world.goushi
    assert contribution.evidence.get().original_name == "开工照片.png"

    # Submitted: read-only.
    assert 'name="text"' not in zhao.get(page).content.decode()
    response = zhao.post(page, {**draft, "version": 2, "text": "改动"})
    assert response.status_code == 409
    contribution.refresh_from_db()
    assert contribution.text == "缑氏镇一季度新开工项目3个。"

    # Every responsible unit is listed: 投促中心 by name, the 13 towns and streets of 各镇（街道）.
    rows = {row.unit.name: row for row in contribution_status(task, world.q1)}
    assert len(rows) == 14 and "投促中心" in rows and "首阳山街道" in rows and "发改委" not in rows
    assert rows["缑氏镇"].submitted and rows["缑氏镇"].via == "各镇（街道）"
    assert [name for name, row in rows.items() if row.submitted] == ["缑氏镇"]

    # 王强's report page shows it, with the file, and the units still missing.
    wang = world.as_unit("发改委")
    html = wang.get(reverse("reporting:report", args=[task.pk, world.q1.pk])).content.decode()
    assert (
        "缑氏镇一季度新开工项目3个。" in html
        and "完成投资2.1亿元" in html
        and "开工照片.png" in html
    )
    assert 'data-unit="缑氏镇" class="contributed"' in html
    assert '<span data-unit="投促中心" class="missing">' in html
    evidence = contribution.evidence.get()
    assert wang.get(reverse("reporting:evidence_download", args=[evidence.pk])).status_code == 200


def test_only_responsible_units_contribute(world: World) -> None:
    task = world.task("1")
    page = reverse("reporting:contribution_edit", args=[task.pk, world.q1.pk])
    for user in (world.gongxin, world.fgw, world.office, world.zhulei):
        assert signed_in(Client(), user).get(page).status_code == 403, user
    # 工信局 is responsible on task 2: there it may.
    task2 = world.task("2")
    page2 = reverse("reporting:contribution_edit", args=[task2.pk, world.q1.pk])
    sun = world.as_unit("工信局")
    assert (
        sun.post(
            page2, {"version": 0, "text": "工信局协调电池箔项目设备进场。", "figures": ""}
        ).status_code
        == 302
    )
    assert Contribution.objects.get(task=task2).unit.name == "工信局"


def test_two_saves_of_one_contribution(world: World) -> None:
    task = world.task("1")
    page = reverse("reporting:contribution_edit", args=[task.pk, world.q1.pk])
    zhao = world.as_unit("缑氏镇")
    assert zhao.post(page, {"version": 0, "text": "第一稿", "figures": ""}).status_code == 302
    response = zhao.post(page, {"version": 0, "text": "另一个窗口里的稿子", "figures": ""})
    assert response.status_code == 409
    assert "另一个窗口里的稿子" in response.content.decode()
    assert Contribution.objects.get().text == "第一稿"
