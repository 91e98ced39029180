"""What the supervision workflows announce (``duban.core.events``), heard by a receiver the test
connects: the kind, the units told (``unit_ids``) or the office (``to_office``), in Chinese,
tasks by number and dates written 2023年5月15日; always inside the workflow's transaction."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from duban.notify.models import NotificationItem
from duban.reporting.models import Report, ReviewState
from duban.supervision.models import ExtensionRequest, Notice
from duban.supervision.services import notices as services
from duban.supervision.services import period_notices
from tests.support.clock import SHANGHAI
from tests.support.events import heard
from tests.support.notify import told
from tests.support.world import World


def ids(world: World, *names: str) -> tuple[int, ...]:
    return tuple(world.unit(name).pk for name in names)


def issue_to_goushi(world: World) -> Notice:
    return services.issue_notice(
        task=world.task("1"),
        data=services.NoticeInput(
            "supervise",
            "辖区内项目开工率偏低。",
            "5月底前完成辖区项目集中开工。",
            date(2023, 5, 15),
            unit=world.unit("缑氏镇"),
            co_units=[world.unit("投促中心")],
        ),
        user=world.office,
    )


@pytest.mark.usefixtures("may_4")
def test_a_notice_through_its_life(world: World) -> None:
    task = world.task("1")
    with heard() as events:
        notice = issue_to_goushi(world)
    issued = events.one("notice_issued")
    assert issued.unit_ids == ids(world, "缑氏镇", "投促中心")
    assert not issued.to_office
    assert (issued.task_id, issued.due_on, issued.key) == (
        task.pk,
        date(2023, 5, 15),
        f"notice_issued:{notice.pk}",
    )
    assert str(issued.title) == "督办通知：偃督办〔2023〕1号 · 第1项任务"
    assert str(issued.body) == "请签收，并于2023年5月15日前反馈办理情况。"
    assert issued.link == reverse("supervision:notice", args=[notice.pk])
    # The town's operator is told (notify listens); the office is not.
    assert told(issued.key) == {"goushi"}

    with heard() as events:
        services.sign_notice(notice=notice, user=world.goushi)
    assert events == []  # signing for it concerns nobody else
    with heard() as events:
        services.reply_notice(notice=notice, text="已组织辖区8个项目集中开工。", user=world.goushi)
    replied = events.one("notice_replied")
    assert (replied.to_office, replied.unit_ids) == (True, ())
    assert str(replied.title) == "缑氏镇已反馈偃督办〔2023〕1号 · 第1项任务"
    assert str(replied.body) == "已组织辖区8个项目集中开工。"
    assert told(replied.key) == {"office"}

    # Not accepted: pressed again (the reply returned), to the same units, as a 挂牌督办.
    with heard() as events:
        follow_up = services.press_again(
            notice=notice,
            reply_due=date(2023, 5, 25),
            comment="未说明开工项目清单。",
            level="listed",
            user=world.office,
        )
    assert events.kinds() == ["notice_pressed"]  # not also "issued"
    again = events.one("notice_pressed")
    assert again.unit_ids == ids(world, "缑氏镇", "投促中心")
    assert str(again.title) == "再次挂牌督办：偃督办〔2023〕2号 · 第1项任务"
    assert str(again.body) == (
        "对偃督办〔2023〕1号的反馈未通过：未说明开工项目清单。 请于2023年5月25日前重新反馈。"
    )
    assert again.due_on == date(2023, 5, 25) and again.key == f"notice_pressed:{follow_up.pk}"

    services.reply_notice(notice=follow_up, text="附开工项目清单。", user=world.goushi)
    with heard() as events:
        services.accept_reply(notice=follow_up, comment="办理到位。", user=world.office)
    accepted = events.one("notice_accepted")
    assert accepted.unit_ids == ids(world, "缑氏镇", "投促中心")
    assert str(accepted.title) == "反馈已通过：偃督办〔2023〕2号 · 第1项任务"
    assert str(accepted.body) == "办理到位。"


@pytest.mark.usefixtures("may_4")
def test_a_notice_pressed_without_an_answer(world: World) -> None:
    notice = issue_to_goushi(world)
    with heard() as events:
        services.press_again(
            notice=notice, reply_due=date(2023, 5, 25), comment="逾期未反馈。", user=world.office
        )
    assert str(events.one("notice_pressed").body) == (
        "偃督办〔2023〕1号未按要求办理：逾期未反馈。 请于2023年5月25日前反馈。"
    )


def test_extensions(world: World) -> None:
    task = world.task("1")
    task.deadline = date(2023, 6, 30)
    task.save()
    with time_machine.travel(datetime(2023, 6, 1, 10, tzinfo=SHANGHAI), tick=False):
        with heard() as events:
            first = services.request_extension(
                task=task,
                milestone=None,
                requested_due=date(2023, 9, 30),
                reason="用地审批尚未完成。",
                user=world.fgw,
            )
        asked = events.one("extension_requested")
        assert (asked.to_office, asked.unit_ids, asked.task_id) == (True, (), task.pk)
        assert str(asked.title) == "发改委申请延期 · 第1项任务"
        assert str(asked.body) == (
            "任务完成时限：申请由2023年6月30日延至2023年9月30日。理由：用地审批尚未完成。"
        )
        assert ExtensionRequest.objects.get().unit == world.unit("发改委")

        with heard() as events:
            services.decide_extension(request=first, approve=True, user=world.office)
        approved = events.one("extension_decided")
        assert approved.unit_ids == ids(world, "发改委")
        assert approved.extra["approved"] is True
        assert str(approved.title) == "延期申请已批准 · 第1项任务"
        assert str(approved.body) == "任务完成时限已由2023年6月30日调整为2023年9月30日。"
        assert told(approved.key) == {"fgw", "chenjing"}

        task.refresh_from_db()
        second = services.request_extension(
            task=task,
            milestone=None,
            requested_due=date(2023, 12, 31),
            reason="再申请延期。",
            user=world.chenjing,
        )
        with heard() as events:
            services.decide_extension(
                request=second, approve=False, comment="理由不充分。", user=world.office
            )
        refused = events.one("extension_decided")
        assert refused.extra["approved"] is False
        assert str(refused.title) == "延期申请未获批准 · 第1项任务"
        assert str(refused.body) == "任务完成时限仍为2023年9月30日。理由：理由不充分。"


@pytest.mark.usefixtures("may_4")
def test_the_period_催办_tells_each_unit_of_its_own(world: World) -> None:
    Report.objects.create(task=world.task("1"), period=world.q1, state=ReviewState.SUBMITTED)
    with heard() as events:
        result = period_notices.press_period(
            period=world.q1,
            reply_due=date(2023, 5, 8),
            requirement="请补报。",
            user=world.office,
        )
    issued = events.of("notice_issued")
    assert len(issued) == len(result.issued) > 1
    by_unit = {event.unit_ids: event for event in issued}
    assert set(by_unit) == {(notice.unit_id,) for notice in result.issued}
    fgw = next(n for n in result.issued if n.unit.name == "发改委")
    event = by_unit[(fgw.unit_id,)]
    numbers = [t.number for t in fgw.listed_tasks()]
    assert event.task_id is None and event.due_on == date(2023, 5, 8)
    assert (
        str(event.title)
        == f"催办通知：{fgw.doc_number} · 2023年第1季度：{len(numbers)}项进展未报送"
    )
    assert str(event.body).startswith("未报送进展的任务：" + "、".join(f"第{n}项" for n in numbers))
    assert told(event.key) == {"fgw", "chenjing"}
    # A second run the same day presses nobody, so tells nobody.
    with heard() as events:
        period_notices.press_period(
            period=world.q1, reply_due=date(2023, 5, 8), requirement="请补报。", user=world.office
        )
    assert events == []


@pytest.mark.usefixtures("may_4")
def test_a_failed_batch_tells_nobody(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    create = period_notices.create_notice
    made: list[Notice] = []

    def fail_after_fgw(**kwargs: Any) -> Notice:
        if any(notice.unit.name == "发改委" for notice in made):
            raise RuntimeError("the disk is full")
        made.append(create(**kwargs))
        return made[-1]

    before = NotificationItem.objects.count()
    monkeypatch.setattr(period_notices, "create_notice", fail_after_fgw)
    with heard() as events, pytest.raises(RuntimeError):
        period_notices.press_period(
            period=world.q1, reply_due=date(2023, 5, 8), requirement="请补报。", user=world.office
        )
    # 发改委's notice was made and announced (its operators told), then all was rolled back.
    assert (world.unit("发改委").pk,) in {e.unit_ids for e in events.of("notice_issued")}
    assert not Notice.objects.exists()
    # Nobody is told of a notice that never was (what they had been told before stays).
    assert not NotificationItem.objects.filter(kind="notice_issued").exists()
    assert NotificationItem.objects.count() == before


def test_announced_inside_the_transaction(world_committed: World) -> None:
    """With no transaction of the test's own around it, each workflow still announces from
    inside its transaction (notify's items are written and rolled back with it)."""
    world = world_committed
    may_4 = time_machine.travel(datetime(2023, 5, 4, 9, 30, tzinfo=SHANGHAI), tick=False)
    with may_4, heard() as events:
        notice = issue_to_goushi(world)
        services.reply_notice(notice=notice, text="已开工。", user=world.goushi)
        services.accept_reply(notice=notice, user=world.office)
        period_notices.press_period(
            period=world.q1, reply_due=date(2023, 5, 8), requirement="请补报。", user=world.office
        )
    assert len(events) > 4
    assert all(heard.in_transaction for heard in events)
