"""The cockpit's hand-built record on the test world (tests/dashboards, tests/browser/
test_cockpit.py), on 10 April 2023 (2023Q1 due on 31 March: a task without a submitted report
is red that day).

- lights: every task red, but the office's overrides: tasks 1 and 3 green, 2 and 5 yellow;
- statuses: task 1 completed, task 4 lagging, the others not started;
- 2023Q1 reports: task 1 submitted 3 days late and accepted as completed; task 2 submitted on
  time and returned (not resubmitted); task 3 submitted on time and accepted, in progress;
- open notices: a 督办 on task 1 whose reply date (5 April) has passed, a 催办 on task 2
  (reply by 20 April), a period 催办 listing tasks 5 and 6 (reply by 1 April: overdue); a
  挂牌督办 on task 3 already accepted (closed);
- rectification items for 发改委: one on task 1 past its deadline (31 March), one on task 2 due
  30 June.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from duban.core import clock
from duban.inspections import services as inspections
from duban.inspections.models import RectificationItem
from duban.ledger.models import TaskStatus
from duban.lights.services import set_override
from duban.reporting.models import ReviewState
from duban.supervision.models import NoticeLevel, NoticeState
from tests.support import assessment as hand
from tests.support.inspections import plan_inspection, record_finding
from tests.support.world import World

DAY = dt.date(2023, 4, 10)


@dataclass
class Record:
    items: list[RectificationItem]


def build_record(world: World) -> Record:
    with clock.pinned(DAY):
        office = world.office
        for number, colour in (("1", "green"), ("3", "green"), ("2", "yellow"), ("5", "yellow")):
            set_override(office, world.task(number), colour, "督查室核实")
        world.plan.tasks.filter(number="1").update(status=TaskStatus.DONE)
        world.plan.tasks.filter(number="4").update(status=TaskStatus.LAGGING)

        q1 = world.q1
        hand.report(
            world.task("1"),
            q1,
            submitted=dt.date(2023, 4, 3),
            accepted=dt.date(2023, 4, 5),
            status=TaskStatus.DONE,
            progress=100,
        )
        hand.report(
            world.task("2"),
            q1,
            submitted=dt.date(2023, 3, 31),
            state=ReviewState.RETURNED,
            returned=[dt.date(2023, 4, 4)],
        )
        hand.report(
            world.task("3"), q1, submitted=dt.date(2023, 3, 30), accepted=dt.date(2023, 4, 6)
        )

        fgw = world.unit("发改委")
        hand.notice(world.task("1"), fgw, NoticeLevel.SUPERVISE, reply_due=dt.date(2023, 4, 5))
        hand.notice(world.task("2"), fgw, NoticeLevel.URGE, reply_due=dt.date(2023, 4, 20))
        period_urge = hand.notice(
            None, world.unit("工信局"), NoticeLevel.URGE, reply_due=dt.date(2023, 4, 1), period=q1
        )
        period_urge.tasks.set([world.task("5"), world.task("6")])
        closed = hand.notice(
            world.task("3"), fgw, NoticeLevel.LISTED, reply_due=dt.date(2023, 4, 1)
        )
        closed.state = NoticeState.ACCEPTED
        closed.save(update_fields=["state"])

        inspection = plan_inspection(world)
        late = inspections.raise_item(
            finding=record_finding(world, inspection),
            text="3月底前完成项目开工手续",
            deadline=dt.date(2023, 3, 31),
            user=office,
        )
        on_two = inspections.record_finding(
            inspection=inspection,
            task=world.task("2"),
            text="电池箔项目设备未到位。",
            severity="serious",
            found_on=dt.date(2023, 4, 7),
            files=[],
            user=office,
        )
        later = inspections.raise_item(
            finding=on_two, text="6月底前设备安装到位", deadline=dt.date(2023, 6, 30), user=office
        )
    return Record(items=[late, later])
