"""待办 of supervision: notices to sign for and answer (overdue marked), replies to accept,
extension requests to decide and decided, each gone once acted on, and only for whom it is."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from duban.core import clock
from duban.core.todo import todo_for
from duban.ledger.models import Task
from duban.supervision import todo as kinds_of
from duban.supervision.models import Notice
from duban.supervision.services import notices as services
from duban.supervision.services import period_notices
from tests.support.clock import at
from tests.support.todo import items, keys
from tests.support.world import World

pytestmark = pytest.mark.usefixtures("may_4")

SIGN = kinds_of.NOTICES_TO_SIGN
ANSWER = kinds_of.NOTICES_TO_ANSWER
ACCEPT = kinds_of.REPLIES_TO_ACCEPT
DECIDE = kinds_of.EXTENSIONS_TO_DECIDE
DECIDED = kinds_of.EXTENSIONS_DECIDED


def issue(
    world: World, number: str = "1", *, unit: str = "发改委", co: tuple[str, ...] = ()
) -> Notice:
    return services.issue_notice(
        task=world.task(number),
        data=services.NoticeInput(
            level="supervise",
            problem="项目开工率偏低，一季度进度滞后。",
            requirement="加快项目审批，5月底前开工项目达到60个。",
            reply_due=date(2023, 5, 15),
            unit=world.unit(unit),
            co_units=[world.unit(name) for name in co],
        ),
        user=world.office,
    )


def test_a_notice_waits_on_the_unit_then_on_the_office(world: World) -> None:
    notice = issue(world)
    key = str(notice.pk)
    [item] = items(world.fgw, SIGN)
    assert item.key == key and item.task == world.task("1")
    assert item.link == f"/supervision/notices/{notice.pk}/"
    assert item.due_on == date(2023, 5, 15) and not item.overdue
    assert notice.doc_number in item.title and item.note.startswith("项目开工率偏低")
    assert keys(world.chenjing, SIGN) == [key]  # every operator of the unit
    assert keys(world.office, ACCEPT) == []

    services.sign_notice(notice=notice, user=world.fgw)
    assert keys(world.fgw, SIGN) == [] and keys(world.fgw, ANSWER) == [key]

    with at(2023, 5, 16):  # the reply deadline has passed
        [late] = items(world.fgw, ANSWER)
        assert late.overdue
        services.reply_notice(notice=notice, text="已开工项目58个。", user=world.fgw)
        assert keys(world.fgw, ANSWER) == []
        [reply] = items(world.office, ACCEPT)
        assert reply.key == key and reply.unit == "发改委" and reply.note == "已开工项目58个。"
        assert reply.submitted_at is not None
        services.accept_reply(notice=notice, comment="办理到位。", user=world.office)
        assert keys(world.office, ACCEPT) == []


def test_replying_without_signing_and_pressing_again(world: World) -> None:
    notice = issue(world)
    services.reply_notice(notice=notice, text="正在办理。", user=world.fgw)  # signs too
    assert keys(world.fgw, SIGN) == [] and keys(world.fgw, ANSWER) == []
    assert keys(world.office, ACCEPT) == [str(notice.pk)]
    follow_up = services.press_again(
        notice=notice, reply_due=date(2023, 5, 31), comment="办理未达要求。", user=world.office
    )
    assert keys(world.office, ACCEPT) == []  # pressed: closed
    assert keys(world.fgw, SIGN) == [str(follow_up.pk)]


def test_only_the_units_that_answer_see_a_notice(world: World) -> None:
    """The addressee, a co-operating unit and the task's lead unit answer; a unit that is
    only responsible on the task, or not on it at all, never sees it here."""
    to_fgw = issue(world, "2", co=("工信局",))
    assert keys(world.fgw, SIGN) == [str(to_fgw.pk)]
    assert keys(world.gongxin, SIGN) == [str(to_fgw.pk)]  # co-operating unit
    to_goushi = issue(world, "17", unit="缑氏镇")  # a town named on task 17
    assert keys(world.goushi, SIGN) == [str(to_goushi.pk)]
    assert keys(world.fgw, SIGN) == [str(to_fgw.pk)]
    assert keys(world.gongxin, SIGN) == [str(to_fgw.pk)]
    lead = issue(
        world, "1", unit="投促中心"
    )  # addressed to another unit: its lead unit answers too
    assert keys(world.fgw, SIGN) == [str(to_fgw.pk), str(lead.pk)]
    assert keys(world.goushi, SIGN) == [str(to_goushi.pk)]  # responsible on task 1, not addressed
    for nobody in (world.archive, world.zhulei, world.chaxun, world.office):
        assert keys(nobody, SIGN) == [] and keys(nobody, ANSWER) == []
    for unit_user in (world.fgw, world.goushi, world.gongxin):
        assert keys(unit_user, ACCEPT) == []


@pytest.fixture
def task(world: World) -> Task:
    task = world.task("1")
    task.deadline = date(2023, 6, 30)
    task.save()
    return task


def test_an_extension_request_waits_on_the_office_then_informs_the_unit(
    world: World, task: Task
) -> None:
    request = services.request_extension(
        task=task,
        milestone=None,
        requested_due=date(2023, 9, 30),
        reason="用地审批尚未完成。",
        user=world.fgw,
    )
    [waiting] = items(world.office, DECIDE)
    assert waiting.key == str(request.pk) and waiting.due_on == date(2023, 6, 30)
    assert waiting.unit == "发改委" and waiting.note == "用地审批尚未完成。"
    assert "2023年9月30日" in waiting.title and waiting.link.endswith("#supervision")
    assert keys(world.fgw, DECIDED) == [] and keys(world.fgw, DECIDE) == []

    services.decide_extension(request=request, approve=True, user=world.office)
    assert keys(world.office, DECIDE) == []
    [decided] = items(world.fgw, DECIDED)
    assert decided.key == str(request.pk) and "2023年9月30日" in decided.note
    assert keys(world.chenjing, DECIDED) == [str(request.pk)]
    for other in (world.goushi, world.gongxin, world.archive, world.office, world.zhulei):
        assert keys(other, DECIDED) == []
    section = todo_for(world.fgw).section(DECIDED)
    assert section is not None and section.informational

    later = clock.today() + timedelta(days=kinds_of.RECENT_DAYS + 1)
    with at(later.year, later.month, later.day):
        assert keys(world.fgw, DECIDED) == []  # information for two weeks, then gone


def test_a_refused_extension_says_why(world: World, task: Task) -> None:
    request = services.request_extension(
        task=task,
        milestone=None,
        requested_due=date(2023, 9, 30),
        reason="资金未到位。",
        user=world.fgw,
    )
    services.decide_extension(
        request=request, approve=False, comment="理由不充分。", user=world.office
    )
    [decided] = items(world.fgw, DECIDED)
    assert "理由不充分。" in decided.note and "2023年9月30日" not in decided.note


def test_a_period_reminder_names_its_period(world: World) -> None:
    """A period 催办 (on every report a unit still owes for 2023Q1) is on no single task."""
    result = period_notices.press_period(
        period=world.q1, reply_due=date(2023, 5, 10), requirement="请立即补报。", user=world.office
    )
    mine = Notice.objects.get(unit=world.unit("发改委"), period=world.q1)
    assert mine in result.issued
    [item] = items(world.fgw, SIGN)
    assert item.key == str(mine.pk) and item.task is None
    assert item.period_label == "2023年第1季度" and item.due_on == date(2023, 5, 10)
    assert keys(world.gongxin, SIGN) == [
        str(n.pk) for n in Notice.objects.filter(unit=world.unit("工信局"), period=world.q1)
    ]
    html = world.as_unit("发改委").get("/reporting/todo/").content.decode()
    assert f'href="/supervision/notices/{mine.pk}/"' in html and "2023年第1季度" in html
    services.sign_notice(notice=mine, user=world.fgw)
    assert keys(world.fgw, SIGN) == [] and keys(world.fgw, ANSWER) == [str(mine.pk)]
