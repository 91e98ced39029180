"""督办 to the units behind a group: task 1 names 发改委 (lead), 投促中心 and 各镇（街道） (the 13
towns and streets); the office may address a notice to any of them — 缑氏镇, say — and that
town's operator sees, signs and answers it like a named unit. A unit the task does not reach
(档案馆, 工信局 on task 1, a retired town) is refused with a sentence, and nothing is issued."""

from __future__ import annotations

import io
import re
from datetime import date

import docx
import pytest
from django.test import Client
from django.urls import reverse

from duban.directory.models import Unit, UnitKind
from duban.ledger.models import Task
from duban.reporting.models import SlotUnit
from duban.supervision.models import DocSerial, Notice, NoticeState
from duban.supervision.services import notices as services
from tests.support.world import World

pytestmark = pytest.mark.usefixtures("may_4")

TOWNSHIPS = 13  # the towns and streets of the Yanshi directory


def post_notice(client: Client, task: Task, **changes: object) -> object:
    data = {
        "level": "supervise",
        "units": [],
        "problem": "辖区内项目开工率偏低。",
        "requirement": "5月底前完成辖区项目集中开工。",
        "reply_due": "2023-05-15",
        **changes,
    }
    return client.post(reverse("supervision:notice_new", args=[task.pk]), data)


def ids(*names: str) -> list[int]:
    return [Unit.objects.get(name=name).pk for name in names]


def test_the_form_offers_the_towns_behind_the_group(client: Client, world: World) -> None:
    task = world.task("1")
    headings = services.reachable_units(task)
    assert [h.label for h in headings] == ["任务所列单位", "各镇（街道）"]
    assert [u.name for u in headings[0].units] == ["发改委", "投促中心"]
    towns = headings[1].units
    assert len(towns) == TOWNSHIPS and "缑氏镇" in {u.name for u in towns}
    page = world.as_office(client).get(reverse("supervision:notice_new", args=[task.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    picker = body[body.index('id="picker-units"') : body.index('id="picker-co_units"')]
    assert "各镇（街道）" in picker and "缑氏镇" in picker
    # The lead unit is ticked at first; a town is not.
    assert re.search(rf'value="{ids("发改委")[0]}"[^>]*checked', picker)
    assert not re.search(rf'value="{ids("缑氏镇")[0]}"[^>]*checked', picker)


def test_the_form_and_the_rule_agree_on_every_unit(world: World) -> None:
    """The units offered are exactly those ``reach`` says the task reaches: named, through
    各镇（街道）, or named by the lead unit behind 相关镇（街道） (task 2)."""
    task2 = world.task("2")
    slot = task2.assignments.get(group__name="相关镇（街道）")
    assert not [u for h in services.reachable_units(task2) for u in h.units if u.is_township]
    SlotUnit.objects.create(assignment=slot, unit=world.unit("缑氏镇"))
    units = list(Unit.objects.all())
    for task in (world.task("1"), task2):
        offered = {u.pk for u in services.task_units(task)}
        reached = {u.pk for u in units if services.reaches_unit(task, u)}
        assert offered == reached, task.number
    headings = {h.label: [u.name for u in h.units] for h in services.reachable_units(task2)}
    assert headings["相关镇（街道）"] == ["缑氏镇"]


def test_a_town_answers_its_own_notice_end_to_end(client: Client, world: World) -> None:
    task = world.task("1")
    office = world.as_office(Client())
    response = post_notice(
        office, task, units=ids("缑氏镇", "首阳山街道"), co_units=ids("投促中心")
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("ledger:task", args=[task.pk]) + "#supervision"
    to_goushi = Notice.objects.get(unit__name="缑氏镇")
    to_shouyang = Notice.objects.get(unit__name="首阳山街道")
    # One notice each, with its own number; the co-operating unit on both.
    assert {to_goushi.doc_number, to_shouyang.doc_number} == {
        "偃督办〔2023〕1号",
        "偃督办〔2023〕2号",
    }
    assert [u.name for u in to_goushi.co_units.all()] == ["投促中心"]

    town = world.as_unit("缑氏镇", client)
    listing = town.get(reverse("supervision:notices")).content.decode()
    assert to_goushi.doc_number in listing
    page = town.get(reverse("supervision:notice", args=[to_goushi.pk]))
    assert page.status_code == 200
    assert reverse("supervision:notice_sign", args=[to_goushi.pk]) in page.content.decode()
    assert town.post(reverse("supervision:notice_sign", args=[to_goushi.pk])).status_code == 302
    reply = town.post(
        reverse("supervision:notice_reply", args=[to_goushi.pk]),
        {"text": "已组织辖区8个项目集中开工。"},
    )
    assert reply.status_code == 302
    # The other town's notice is not 缑氏镇's to answer: it reads it (a task it works on), no more.
    assert town.post(reverse("supervision:notice_sign", args=[to_shouyang.pk])).status_code == 403
    assert town.post(reverse("supervision:notice_reply", args=[to_shouyang.pk])).status_code == 403

    document = town.get(reverse("supervision:notice_document", args=[to_goushi.pk]))
    texts = [p.text for p in docx.Document(io.BytesIO(document.content)).paragraphs]
    assert "缑氏镇：" in texts

    accepted = office.post(
        reverse("supervision:notice_accept", args=[to_goushi.pk]), {"comment": "办理到位。"}
    )
    assert accepted.status_code == 302
    to_goushi.refresh_from_db()
    to_shouyang.refresh_from_db()
    assert (to_goushi.state, to_goushi.replied_by, to_goushi.closed_by) == (
        NoticeState.ACCEPTED,
        world.goushi,
        world.office,
    )
    assert to_shouyang.state == NoticeState.ISSUED


def test_a_unit_the_task_does_not_reach_is_refused(client: Client, world: World) -> None:
    task = world.task("1")
    office = world.as_office(client)
    cases = [
        ({"units": ids("档案馆")}, "档案馆不是第1项任务的单位"),
        ({"units": ids("缑氏镇"), "co_units": ids("工信局")}, "工信局不是第1项任务的单位"),
        ({"units": ids("缑氏镇", "档案馆")}, "档案馆不是第1项任务的单位"),
        ({"units": ["99999"]}, "没有这个单位"),
        ({"units": ["缑氏镇"]}, "没有这个单位"),
    ]
    for changes, message in cases:
        response = post_notice(office, task, **changes)
        assert response.status_code == 400, changes
        assert message in response.content.decode(), changes
    assert not Notice.objects.exists()
    assert not DocSerial.objects.exists()  # no number was taken either
    with pytest.raises(services.SupervisionError, match="档案馆不是第1项任务的单位"):
        services.issue_notice(
            task=task,
            data=services.NoticeInput(
                "supervise", "问题", "要求", date(2023, 6, 1), unit=world.unit("档案馆")
            ),
            user=world.office,
        )
    assert not Notice.objects.exists()


def test_a_retired_town_is_no_longer_behind_the_group(client: Client, world: World) -> None:
    task = world.task("1")
    town = world.unit("邙岭镇")
    assert town.kind == UnitKind.TOWN
    town.active = False
    town.save()
    assert town.pk not in {u.pk for u in services.task_units(task)}
    response = post_notice(world.as_office(client), task, units=[town.pk])
    assert response.status_code == 400
    assert "邙岭镇不是第1项任务的单位" in response.content.decode()
    assert not Notice.objects.exists()
