"""The period 催办: on 4 May 2023 the 2023Q1 reports (due 31 March) of most tasks are missing;
the office presses every lead unit at once — one 催办 notice per unit listing all the reports it
owes — from the period page. Nothing for a unit that owes nothing; all or nothing; pressing
again the same day issues nothing new unless a unit owes a report that today's notice did not
list."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import docx
import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from duban.directory.models import Unit
from duban.directory.reach import UnitRef
from duban.ledger.models import AssignmentRole, Task, reaches
from duban.reporting.models import Period, PeriodState, Report, ReviewState
from duban.supervision.models import DocSerial, Notice, NoticeLevel, NoticeState
from duban.supervision.services import notices
from duban.supervision.services import period_notices as services
from tests.support.clock import SHANGHAI
from tests.support.world import World

pytestmark = pytest.mark.usefixtures("may_4")

REQUIREMENT = "请于5月8日前补报一季度进展情况。"


def lead_tasks(unit: Unit) -> list[Task]:
    """The tasks ``unit`` leads, asked of the task rule (not of the code under test)."""
    condition = reaches(UnitRef.of(unit), AssignmentRole.LEAD)
    return list(Task.objects.filter(condition).order_by("position"))


def report(world: World, number: str, state: str) -> Report:
    return Report.objects.create(task=world.task(number), period=world.q1, state=state)


def owed(world: World) -> dict[str, list[str]]:
    """Per unit (by name), the numbers of the tasks it leads without a submitted or accepted
    2023Q1 report: what the batch must press for, derived independently."""
    done = set(
        Report.objects.filter(
            period=world.q1, state__in=(ReviewState.SUBMITTED, ReviewState.ACCEPTED)
        ).values_list("task_id", flat=True)
    )
    found = {}
    for unit in Unit.objects.all():
        missing = [t.number for t in lead_tasks(unit) if t.pk not in done]
        if missing:
            found[unit.name] = missing
    return found


def press(world: World, **changes: Any) -> services.PressResult:
    arguments: dict[str, Any] = {
        "period": world.q1,
        "reply_due": date(2023, 5, 8),
        "requirement": REQUIREMENT,
        "user": world.office,
        **changes,
    }
    return services.press_period(**arguments)


def pressed(notice: Notice) -> list[str]:
    return [task.number for task in notice.listed_tasks()]


@pytest.fixture
def reports(world: World) -> None:
    """发改委 submitted task 1 and had task 2 accepted; task 3 is a draft, task 4 was returned.
    工信局 has submitted every report it owes: nothing is missing for it."""
    report(world, "1", ReviewState.SUBMITTED)
    report(world, "2", ReviewState.ACCEPTED)
    report(world, "3", ReviewState.DRAFT)
    report(world, "4", ReviewState.RETURNED)
    for task in lead_tasks(world.unit("工信局")):
        Report.objects.get_or_create(
            task=task, period=world.q1, defaults={"state": ReviewState.SUBMITTED}
        )


@pytest.mark.usefixtures("reports")
def test_one_notice_per_unit_listing_all_its_missing_reports(world: World) -> None:
    expected = owed(world)
    assert "工信局" not in expected  # it owes nothing
    assert expected["发改委"][:2] == ["3", "4"]  # 1 submitted, 2 accepted; draft and returned owe

    preview = {e.unit.name: [t.number for t in e.tasks] for e in services.missing_by_unit(world.q1)}
    assert preview == expected

    result = press(world)
    issued = {n.unit.name: n for n in result.issued}
    assert {name: pressed(n) for name, n in issued.items()} == expected
    assert result.reports == sum(len(v) for v in expected.values())
    assert not result.already_pressed and not result.nothing_missing
    # Numbered like every notice, one after the other, one transaction's worth.
    assert sorted(n.serial for n in result.issued) == list(range(1, len(expected) + 1))
    fgw = issued["发改委"]
    assert fgw.doc_number.startswith("偃督办〔2023〕") and fgw.doc_number.endswith("号")
    assert (fgw.level, fgw.state, fgw.period, fgw.task) == (
        NoticeLevel.URGE,
        NoticeState.ISSUED,
        world.q1,
        None,
    )
    assert fgw.reply_due == date(2023, 5, 8) and fgw.requirement == REQUIREMENT
    assert "截至2023年5月4日" in fgw.problem and "2023年第一季度" in fgw.problem
    assert "第3项已填写但未提交" in fgw.problem and "第4项退回后未重新报送" in fgw.problem
    assert f"第{expected['发改委'][-1]}项未填报" in fgw.problem
    assert Notice.objects.count() == len(expected)


@pytest.mark.usefixtures("reports")
def test_pressing_again_the_same_day_adds_only_what_is_new(world: World) -> None:
    first = press(world)
    count = Notice.objects.count()
    again = press(world)
    assert again.issued == []
    assert {u.name for u in again.already_pressed} == {n.unit.name for n in first.issued}
    assert Notice.objects.count() == count
    assert DocSerial.objects.get().last == count  # no number was spent

    # Task 1's report is returned the same afternoon: 发改委 owes one more report than this
    # morning's notice lists, and is pressed again, for all of them; nobody else is.
    Report.objects.filter(task=world.task("1"), period=world.q1).update(state=ReviewState.RETURNED)
    third = press(world)
    [notice] = third.issued
    assert notice.unit.name == "发改委"
    assert pressed(notice) == owed(world)["发改委"] and pressed(notice)[0] == "1"
    assert len(third.already_pressed) == len(first.issued) - 1

    # The next day is a new 催办 for everyone who still owes.
    with time_machine.travel(datetime(2023, 5, 5, 9, tzinfo=SHANGHAI), tick=False):
        next_day = press(world, reply_due=date(2023, 5, 9))
    assert len(next_day.issued) == len(first.issued)


@pytest.mark.usefixtures("reports")
def test_all_or_nothing(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[Notice] = []
    create = services.create_notice

    def fail_on_the_third(**kwargs: Any) -> Notice:
        if len(made) == 2:
            raise RuntimeError("the disk is full")
        made.append(create(**kwargs))
        return made[-1]

    monkeypatch.setattr(services, "create_notice", fail_on_the_third)
    with pytest.raises(RuntimeError):
        press(world)
    assert len(made) == 2
    assert not Notice.objects.exists()
    assert not Notice.tasks.through.objects.exists()
    assert not DocSerial.objects.exists()


@pytest.mark.usefixtures("reports")
def test_only_the_units_ticked(world: World) -> None:
    fgw, gongxin, goushi = (world.unit(n) for n in ("发改委", "工信局", "缑氏镇"))
    result = press(world, units=[fgw.pk, gongxin.pk])
    assert [n.unit for n in result.issued] == [fgw]
    assert result.nothing_missing == [gongxin]  # it owes nothing (any more)
    assert not Notice.objects.filter(unit=goushi).exists()
    with pytest.raises(services.SupervisionError, match="请至少选择一个单位"):
        press(world, units=[])


def test_refused_as_asked(world: World) -> None:
    q2 = world.period("2023Q2")
    assert q2.state == PeriodState.PLANNED
    with pytest.raises(services.SupervisionError, match="只能对开放中的报送周期催报"):
        press(world, period=q2)
    with pytest.raises(notices.SupervisionError, match="反馈时限不能早于今天"):
        press(world, reply_due=date(2023, 5, 3))
    with pytest.raises(notices.SupervisionError, match="请填写存在问题和督办要求"):
        press(world, requirement="  ")
    with pytest.raises(PermissionDenied):
        press(world, user=world.fgw)
    assert not Notice.objects.exists()


@pytest.mark.usefixtures("reports")
def test_the_pages(client: Client, world: World) -> None:
    period_page = reverse("reporting:period_reports", args=[world.q1.pk])
    press_page = reverse("supervision:period_press", args=[world.q1.pk])
    # The button is the office's, on an open period.
    assert press_page in world.as_office(client).get(period_page).content.decode()
    q2_page = client.get(reverse("reporting:period_reports", args=[world.period("2023Q2").pk]))
    assert "press-missing" not in q2_page.content.decode()
    unit = world.as_unit("发改委", Client())
    assert press_page not in unit.get(period_page).content.decode()
    assert unit.get(press_page).status_code == 403
    assert unit.post(press_page, {"units": [world.unit("发改委").pk]}).status_code == 403
    assert world.as_leader("朱蕾", Client()).get(press_page).status_code == 403

    preview = client.get(press_page)
    body = preview.content.decode()
    assert preview.status_code == 200
    expected = owed(world)
    for name, numbers in expected.items():
        assert f'data-unit="{name}" data-missing="{len(numbers)}"' in body
    assert 'data-unit="工信局"' not in body
    assert "2023年第1季度未报送进展批量催办" in body
    assert not Notice.objects.exists()  # a preview issues nothing

    fgw = world.unit("发改委")
    bad = client.post(press_page, {"units": [fgw.pk], "reply_due": "", "requirement": "x"})
    assert bad.status_code == 400 and not Notice.objects.exists()

    response = client.post(
        press_page,
        {
            "units": [fgw.pk, world.unit("缑氏镇").pk],
            "reply_due": "2023-05-08",
            "requirement": "请补报。",
        },
    )
    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("已下发")
    issued = list(Notice.objects.order_by("serial"))
    assert {n.unit.name for n in issued} == {"发改委"} | ({"缑氏镇"} & set(expected))
    after = client.get(press_page).content.decode()
    assert issued[0].doc_number in after  # shown as pressed today
    assert 'data-pressed="1"' in after


@pytest.mark.usefixtures("reports")
def test_the_unit_answers_its_period_notice(client: Client, world: World) -> None:
    [notice] = press(world, units=[world.unit("发改委").pk]).issued
    fgw = world.as_unit("发改委", client)
    page = fgw.get(reverse("supervision:notice", args=[notice.pk])).content.decode()
    for number in pressed(notice):
        assert f'data-task="{number}"' in page
    assert "2023年第1季度" in page
    assert fgw.post(reverse("supervision:notice_sign", args=[notice.pk])).status_code == 302
    reply = fgw.post(
        reverse("supervision:notice_reply", args=[notice.pk]),
        {"text": "已于5月5日补报全部进展情况。"},
    )
    assert reply.status_code == 302
    # 工信局 sees 发改委's notice (it works on some of the tasks listed) but does not answer it.
    gongxin = world.as_unit("工信局", Client())
    assert gongxin.post(reverse("supervision:notice_sign", args=[notice.pk])).status_code == 403
    office = world.as_office(Client())
    assert (
        office.post(reverse("supervision:notice_accept", args=[notice.pk]), {}).status_code == 302
    )
    notice.refresh_from_db()
    assert (notice.state, notice.replied_by) == (NoticeState.ACCEPTED, world.fgw)

    # The notice shows on the task pages of the tasks it lists, and in the list of notices.
    task_page = office.get(reverse("ledger:task", args=[notice.listed_tasks()[0].pk]))
    assert notice.doc_number in task_page.content.decode()
    listing = office.get(reverse("supervision:notices")).content.decode()
    assert notice.doc_number in listing and "2023年第1季度" in listing


@pytest.mark.usefixtures("reports")
def test_pressing_a_period_notice_again_keeps_its_tasks(world: World) -> None:
    [notice] = press(world, units=[world.unit("发改委").pk]).issued
    follow_up = notices.press_again(
        notice=notice,
        reply_due=date(2023, 5, 12),
        comment="逾期仍未补报。",
        level=NoticeLevel.SUPERVISE,
        user=world.office,
    )
    assert (follow_up.period, follow_up.task, follow_up.parent) == (world.q1, None, notice)
    assert pressed(follow_up) == pressed(notice)
    assert follow_up.level == NoticeLevel.SUPERVISE


@pytest.mark.usefixtures("reports")
def test_the_document_lists_the_tasks(client: Client, world: World) -> None:
    [notice] = press(world, units=[world.unit("发改委").pk]).issued
    response = world.as_unit("发改委", client).get(
        reverse("supervision:notice_document", args=[notice.pk])
    )
    assert response.status_code == 200
    texts = [p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs]
    assert notice.doc_number in texts
    assert "关于对2023年第一季度重点任务进展情况进行催办的通知" in texts
    assert "发改委：" in texts
    whole = "\n".join(texts)
    for task in notice.listed_tasks():
        assert f"第{task.number}项：{task.text.rstrip('。')}。" in texts, task.number
    assert "未报送事项" in whole and "请于2023年5月8日前" in whole
    assert "2023年5月4日" in texts


def test_nothing_missing(client: Client, world: World) -> None:
    for task in world.plan.tasks.all():
        Report.objects.create(task=task, period=world.q1, state=ReviewState.SUBMITTED)
    assert services.missing_by_unit(world.q1) == []
    result = press(world)
    assert result.issued == [] and not Notice.objects.exists()
    page = world.as_office(client).get(reverse("supervision:period_press", args=[world.q1.pk]))
    assert 'id="nothing-missing"' in page.content.decode()


def test_a_closed_period_is_not_pressed_for(client: Client, world: World) -> None:
    Period.objects.filter(pk=world.q1.pk).update(state=PeriodState.CLOSED)
    office = world.as_office(client)
    url = reverse("supervision:period_press", args=[world.q1.pk])
    assert "只能对开放中的报送周期催报" in office.get(url).content.decode()
    response = office.post(
        url,
        {"units": [world.unit("发改委").pk], "reply_due": "2023-05-08", "requirement": "请补报。"},
    )
    assert response.status_code == 400
    assert not Notice.objects.exists()
