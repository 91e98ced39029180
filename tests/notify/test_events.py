"""What the workflows announce reaches the people concerned, and nobody else: a returned report
or refinement the lead unit's operators, a submitted one the office, an opened period each unit
with work in it (the contribution request), a rectification item's steps its unit or the office.
A rolled-back action tells nobody; the same event twice tells nobody twice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.utils import translation

from duban.core import clock
from duban.core.events import Event, announce
from duban.inspections import services as inspections
from duban.notify.models import Channel, ChannelKind, Delivery, NotificationItem
from duban.reporting.services.periods import close_period, open_period
from duban.reporting.services.refinement import return_refinement, save_refinement
from duban.reporting.services.refinement_rules import MilestoneInput, RefinementInput
from duban.reporting.services.reports import return_report, save_report, submit_report
from tests.support.inspections import new_item, report_with_evidence
from tests.support.notify import item, told, told_of
from tests.support.reporting import q1_input
from tests.support.world import World

pytestmark = pytest.mark.django_db

DAY = dt.date(2023, 3, 20)
FGW = {"fgw", "chenjing"}  # 发改委's two operators
NOBODY_ELSE = {"goushi", "gongxin", "archive", "zhulei", "yezhanfang", "chaxun", "xitong"}


@pytest.fixture(autouse=True)
def on_a_day_of_2023q1() -> Any:
    with clock.pinned(DAY):
        yield


def submitted_report(world: World) -> Any:
    return save_report(
        task=world.task("1"),
        period=world.q1,
        user=world.fgw,
        data=q1_input(),
        version=None,
        submit=True,
    )


def test_a_submitted_report_reaches_the_office_alone(world: World) -> None:
    report = submitted_report(world)
    key = f"report_submitted:r{report.pk}:v{report.version}"
    assert told(key) == {"office"}
    told_item = item(world.office, key)
    assert told_item.title == "报告已报送 · 2023年第1季度 · 第1项任务"
    assert "2023Q1" not in told_item.title + told_item.body
    assert told_item.body.startswith("第1项任务：树牢“项目为王”理念")
    assert told_item.link == f"/reporting/tasks/{world.task('1').pk}/periods/{world.q1.pk}/"
    assert told_item.task == world.task("1") and told_item.notification.day == DAY


def test_a_returned_report_reaches_the_lead_units_operators_alone(world: World) -> None:
    report = submitted_report(world)
    returned = return_report(report=report, user=world.office, comment="请补充投资完成情况。")
    key = f"report_returned:r{returned.pk}:v{returned.version}"
    assert told(key) == FGW
    told_item = item(world.fgw, key)
    assert told_item.title == "报告被退回 · 2023年第1季度 · 第1项任务"
    assert "请补充投资完成情况" in told_item.body and "。。" not in told_item.body
    assert "2023年3月31日" in told_item.body and "2023-03-31" not in told_item.body
    assert told_item.due_on == dt.date(2023, 3, 31)
    # Submitted again and returned again: a new return, told again.
    again = submit_report(report=returned, user=world.fgw)
    assert told(f"report_submitted:r{again.pk}:v{again.version}") == {"office"}
    second = return_report(report=again, user=world.office, comment="仍缺数据。")
    assert told(f"report_returned:r{second.pk}:v{second.version}") == FGW
    assert NotificationItem.objects.filter(user=world.fgw, kind="report_returned").count() == 2


def refined(world: World) -> Any:
    data = RefinementInput(
        milestones=[
            MilestoneInput("完成一季度项目集中开工", dt.date(2023, 3, 31), world.unit("发改委").pk)
        ],
        percents=(25, 50, 75, 100),
    )
    return save_refinement(task=world.task("1"), user=world.fgw, version=0, data=data, submit=True)


def test_a_refinement_submitted_reaches_the_office_returned_the_lead_unit(world: World) -> None:
    refinement = refined(world).refinement
    assert told_of("refinement_submitted") == {"office"}
    returned = return_refinement(
        task=world.task("1"), user=world.office, version=refinement.version, comment="节点太少。"
    )
    key = f"refinement_returned:t{world.task('1').pk}:v{returned.version}"
    assert told(key) == FGW
    assert item(world.chenjing, key).title == "细化台账被退回 · 第1项任务"
    assert "节点太少" in item(world.chenjing, key).body


def test_an_opened_period_asks_each_unit_once_for_its_work(world: World) -> None:
    q2 = world.period("2023Q2")
    open_period(period=q2, user=world.office)
    kind = {"kind": "period_opened", "key__startswith": f"period_opened:p{q2.pk}:"}
    # 发改委 leads tasks; 缑氏镇 is responsible through 各镇（街道）; 工信局 on tasks 2–4;
    # 档案馆 is in no task; leaders, viewers, administrators and the office write nothing.
    assert told_of(**kind) == FGW | {"goushi", "gongxin"}
    fgw = NotificationItem.objects.get(user=world.fgw, **kind)
    assert fgw.title == "2023年第2季度进展报送已开始"
    assert "截止日期：2023年6月30日" in fgw.body
    assert "本单位牵头、需报送进展的任务8项（第1、2、3、4、30、62、66、75项）" in fgw.body
    goushi = NotificationItem.objects.get(user=world.goushi, **kind)
    assert "需向牵头单位提交配合材料" in goushi.body and "牵头、需报送" not in goushi.body
    assert goushi.link == "/reporting/todo/"
    # Closed and reopened: nobody is told again.
    before = NotificationItem.objects.count()
    close_period(period=q2, user=world.office)
    open_period(period=q2, user=world.office)
    assert NotificationItem.objects.count() == before


def test_a_rectification_item_tells_its_unit_and_the_office_at_each_step(world: World) -> None:
    rectification = new_item(world)
    assert told(f"item_raised:i{rectification.pk}") == FGW
    raised = item(world.fgw, f"item_raised:i{rectification.pk}")
    assert raised.title == "整改事项已交办 · 第1项任务"
    assert "6月底前完成项目开工手续" in raised.body and "2023年6月30日" in raised.body
    assert raised.link == f"/inspections/items/{rectification.pk}/"

    report_with_evidence(world, rectification)
    assert told(f"item_reported:i{rectification.pk}:r0") == {"office"}
    assert "发改委已报送" in item(world.office, f"item_reported:i{rectification.pk}:r0").body

    inspections.return_item(item=rectification, reason="照片不清晰。", user=world.office)
    assert told(f"item_returned:i{rectification.pk}:r1") == FGW
    assert "照片不清晰" in item(world.fgw, f"item_returned:i{rectification.pk}:r1").body

    report_with_evidence(world, rectification, "已补充照片。")
    assert told(f"item_reported:i{rectification.pk}:r1") == {"office"}
    inspections.verify_item(item=rectification, user=world.office)
    assert told(f"item_verified:i{rectification.pk}:r1") == FGW
    inspections.close_item(item=rectification, user=world.office)
    assert told(f"item_closed:i{rectification.pk}") == FGW
    assert item(world.chenjing, f"item_closed:i{rectification.pk}").title == (
        "整改事项已销号 · 第1项任务"
    )
    # Nobody outside 发改委 and the office heard of the item.
    heard = told_of("item_raised") | told_of("item_returned") | told_of("item_closed")
    assert heard == FGW and not heard & NOBODY_ELSE


def test_an_item_for_another_unit_reaches_that_unit(world: World) -> None:
    finding = new_item(world).finding
    other = inspections.raise_item(
        finding=finding,
        text="工信局核实企业名单",
        deadline=dt.date(2023, 7, 15),
        unit=world.unit("工信局"),
        user=world.office,
    )
    assert told(f"item_raised:i{other.pk}") == {"gongxin"}


@pytest.mark.parametrize(
    "step",
    [
        pytest.param(
            lambda w, r: return_report(report=r, user=w.office, comment="退回"), id="report"
        ),
        pytest.param(
            lambda w, r: open_period(period=w.period("2023Q2"), user=w.office), id="period"
        ),
    ],
)
def test_a_rolled_back_action_tells_nobody(
    world: World,
    step: Callable[[World, Any], Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    report = submitted_report(world)
    Channel.objects.create(kind=ChannelKind.WECOM, name="群", url="http://127.0.0.1:9/x")
    before = NotificationItem.objects.count()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        step(world, report)
        assert NotificationItem.objects.count() > before  # told, inside the transaction
        raise RuntimeError("the action fails after announcing")
    assert NotificationItem.objects.count() == before
    assert callbacks == [] and not Delivery.objects.exists()


def test_the_same_event_twice_tells_each_person_once(world: World) -> None:
    event = Event(
        kind="notice_issued",
        key="notice_issued:n42",
        title="督办通知 · 第1项任务",
        body="请于2023年4月15日前书面回复。",
        link="/supervision/notices/42/",
        unit_ids=(world.unit("发改委").pk,),
        to_office=True,
    )
    announce(event)
    announce(event)
    assert told("notice_issued:n42") == FGW | {"office"}
    assert NotificationItem.objects.filter(key="notice_issued:n42").count() == 3


def test_the_texts_are_chinese_whatever_the_actors_language(world: World) -> None:
    with translation.override("en"):
        report = submitted_report(world)
    told_item = item(world.office, f"report_submitted:r{report.pk}:v{report.version}")
    assert told_item.title == "报告已报送 · 2023年第1季度 · 第1项任务"
    assert "waits" not in told_item.body


@pytest.mark.django_db(transaction=True)
def test_one_robot_message_per_unit_and_one_email_per_person_per_action(
    world_committed: World,
) -> None:
    """Three items raised for 发改委 in one transaction (really committed): the group hears
    发改委 once, listing the three; fgw, who has an address, gets one email; nobody else."""
    world = world_committed
    world.fgw.email = "fgw@example.gov.cn"
    world.fgw.save()
    Channel.objects.create(kind=ChannelKind.EMAIL, name="邮件")
    robot = Channel.objects.create(kind=ChannelKind.WECOM, name="群", url="http://127.0.0.1:9/x")
    finding = new_item(world).finding  # its own action, its own messages
    first = Delivery.objects.get(channel=robot)
    assert [i["title"] for i in first.items] == ["整改事项已交办 · 第1项任务"]
    with transaction.atomic():
        for n in range(3):
            inspections.raise_item(
                finding=finding, text=f"整改事项{n}", deadline=DAY, user=world.office
            )
        assert Delivery.objects.count() == 2  # nothing queued before the commit
    group = Delivery.objects.filter(channel=robot).exclude(pk=first.pk).get()
    assert group.unit == world.unit("发改委") and group.recipient is None
    assert len(group.items) == 3
    assert all(f"“整改事项{n}”" in i["body"] for n, i in enumerate(group.items))
    assert group.title == "发改委：3条新通知"
    mails = Delivery.objects.filter(channel__kind=ChannelKind.EMAIL).order_by("pk")
    assert [(m.recipient, len(m.items)) for m in mails] == [(world.fgw, 1), (world.fgw, 3)]
