"""Reading 待办 in tests: the items of one kind, by what identifies them; a year with something
of every kind waiting."""

from __future__ import annotations

from datetime import date
from typing import Any

from duban.core.todo import Item, todo_for
from duban.inspections import services as inspections
from duban.ledger.models import Task
from duban.lights.models import LightRecord
from duban.supervision.models import ExtensionRequest, Notice
from duban.supervision.services import notices
from tests.support.clock import at
from tests.support.inspections import (
    plan_inspection,
    raise_item,
    record_finding,
    report_with_evidence,
)
from tests.support.world import World


def items(user: Any, kind: str) -> list[Item]:
    """The user's items of ``kind`` (none when the section is absent)."""
    section = todo_for(user).section(kind)
    return section.items if section is not None else []


def keys(user: Any, kind: str) -> list[str]:
    return [item.key for item in items(user, kind)]


def kinds(user: Any) -> set[str]:
    return {section.kind for section in todo_for(user).sections}


def busy_year(world: World) -> None:
    """Something of every kind waiting, on 4 May 2023 (2023Q1 open, as in every world):

    - 发改委: notice 1 (task 1) to sign for, notice 2 (task 2, with 工信局) to answer, its
      extension of task 1 approved; rectification item 1 to report on;
    - the office: notice 3 (task 3) replied, the extension of task 2 to decide, two yellows of
      task 4 in 2023Q2 (a 督办 suggested), item 2 reported, item 3 verified.
    """
    with at(2023, 5, 4):
        for number, deadline in (("1", date(2023, 6, 30)), ("2", date(2023, 7, 31))):
            Task.objects.filter(pk=world.task(number).pk).update(deadline=deadline)
        notice(world, "1")
        second = notice(world, "2", co=("工信局",))
        notices.sign_notice(notice=second, user=world.fgw)
        third = notice(world, "3")
        notices.reply_notice(notice=third, text="已按要求整改。", user=world.fgw)
        approved = extension(world, "1", date(2023, 9, 30))
        notices.decide_extension(request=approved, approve=True, user=world.office)
        extension(world, "2", date(2023, 10, 31))
        for on in (date(2023, 4, 10), date(2023, 4, 20)):
            LightRecord.objects.create(task=world.task("4"), on=on, colour="yellow")
        finding = record_finding(world, plan_inspection(world))
        raise_item(world, finding)
        reported = report_with_evidence(world, raise_item(world, finding))
        verified = report_with_evidence(world, raise_item(world, finding))
        inspections.verify_item(item=verified, user=world.office)
        assert reported.state == "reported"


def notice(world: World, number: str, *, co: tuple[str, ...] = ()) -> Notice:
    return notices.issue_notice(
        task=world.task(number),
        data=notices.NoticeInput(
            level="supervise",
            problem="项目开工率偏低，一季度进度滞后。",
            requirement="加快项目审批。",
            reply_due=date(2023, 5, 15),
            unit=world.unit("发改委"),
            co_units=[world.unit(name) for name in co],
        ),
        user=world.office,
    )


def extension(world: World, number: str, requested_due: date) -> ExtensionRequest:
    return notices.request_extension(
        task=world.task(number),
        milestone=None,
        requested_due=requested_due,
        reason="用地审批尚未完成。",
        user=world.fgw,
    )
