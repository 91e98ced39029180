"""待办 of the office: escalation suggestions, the task panel's rule written as one query, gone
once the office acted on them (a notice issued, a 约谈 held since the light) or once the task is
green again; units never see them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from duban.ledger.models import Task
from duban.lights.models import LightRecord
from duban.reporting.models import Period
from duban.supervision.escalation import SUMMONS, SUPERVISE, suggestions
from duban.supervision.services import notices as services
from duban.supervision.services.notices import light_events
from duban.supervision.todo import ESCALATIONS, escalations
from tests.support.clock import at
from tests.support.todo import items, keys, kinds
from tests.support.world import World

HISTORIES: dict[str, list[tuple[date, str]]] = {
    # the second yellow of 2023Q2 (a light between Q1 and Q2 belongs to Q2) suggests a 督办
    "1": [
        (date(2023, 4, 10), "yellow"),
        (date(2023, 5, 20), "yellow"),
        (date(2023, 6, 1), "yellow"),
    ],
    # yellows in two periods do not add up
    "2": [(date(2023, 3, 25), "yellow"), (date(2023, 4, 2), "yellow")],
    # the first red of a period suggests a 约谈, a second red in it nothing more
    "3": [(date(2023, 4, 10), "red"), (date(2023, 4, 20), "yellow"), (date(2023, 5, 1), "red")],
    # after the last period: no period, still suggested
    "4": [(date(2024, 1, 10), "yellow"), (date(2024, 2, 1), "yellow"), (date(2024, 3, 1), "red")],
    # before 2023Q3 opens, the lights belong to it
    "30": [(date(2023, 7, 1), "yellow"), (date(2023, 8, 1), "red"), (date(2023, 8, 15), "yellow")],
}


def record(task: Task, history: list[tuple[date, str]]) -> None:
    for on, colour in history:
        LightRecord.objects.create(task=task, on=on, colour=colour)


@pytest.fixture
def lights(world: World) -> None:
    for number, history in HISTORIES.items():
        record(world.task(number), history)


def found(world: World) -> set[tuple[str, str, str, date]]:
    codes = dict(Period.objects.values_list("pk", "code"))
    rows: list[Any] = list(escalations(world.office).select_related("task"))  # annotated
    return {(r.task.number, r.suggestion, codes.get(r.period_pk, ""), r.on) for r in rows}


def test_the_query_agrees_with_the_rule_of_the_task_panel(world: World, lights: None) -> None:
    expected = {
        (number, s.kind, s.period, s.on)
        for number in HISTORIES
        for s in suggestions(light_events(world.task(number)))
    }
    assert expected == {
        ("1", SUPERVISE, "2023Q2", date(2023, 5, 20)),
        ("3", SUMMONS, "2023Q2", date(2023, 4, 10)),
        ("4", SUPERVISE, "", date(2024, 2, 1)),
        ("4", SUMMONS, "", date(2024, 3, 1)),
        ("30", SUMMONS, "2023Q3", date(2023, 8, 1)),
        ("30", SUPERVISE, "2023Q3", date(2023, 8, 15)),
    }
    assert found(world) == expected


def test_the_office_reads_them_in_chinese(world: World, lights: None) -> None:
    shown = items(world.office, ESCALATIONS)
    assert len(shown) == 6
    first = shown[0]  # the oldest light first: task 3's red of 10 April
    assert first.task == world.task("3") and first.period_label == "2023年第2季度"
    assert first.note == "2023年第2季度亮红灯，建议约谈。"
    assert first.link == f"/ledger/tasks/{world.task('3').pk}/#supervision"
    task_1 = next(i for i in shown if i.task == world.task("1"))
    assert task_1.note == "2023年第2季度已亮2次黄灯，建议督办。"
    outside = [i.note for i in shown if i.task == world.task("4")]
    assert outside == ["报送周期外已亮2次黄灯，建议督办。", "报送周期外亮红灯，建议约谈。"]


def test_units_leaders_and_viewers_never_see_them(world: World, lights: None) -> None:
    for user in (world.fgw, world.goushi, world.zhulei, world.chaxun, world.archive):
        assert ESCALATIONS not in kinds(user)
        assert not escalations(user).exists()


def test_gone_once_acted_on(world: World, lights: None) -> None:
    task_1, task_3 = world.task("1"), world.task("3")
    with at(2023, 5, 4):  # a notice before the second yellow does not answer it
        issue(world, task_1, date(2023, 5, 15))
    assert ("1", SUPERVISE, "2023Q2", date(2023, 5, 20)) in found(world)
    with at(2023, 6, 5):
        issue(world, task_1, date(2023, 6, 20))
    assert not [f for f in found(world) if f[0] == "1"]

    services.record_summons(task=task_3, held_on=date(2023, 4, 5), note="约谈", user=world.office)
    assert ("3", SUMMONS, "2023Q2", date(2023, 4, 10)) in found(world)  # held before the red
    services.record_summons(task=task_3, held_on=date(2023, 4, 12), note="约谈", user=world.office)
    assert not [f for f in found(world) if f[0] == "3"]

    # a summons does not answer a suggested 督办, a notice not a suggested 约谈
    with at(2024, 3, 2):
        issue(world, world.task("4"), date(2024, 3, 20))
    assert [f[1] for f in found(world) if f[0] == "4"] == [SUMMONS]


def test_gone_once_the_task_is_green_again(world: World, lights: None) -> None:
    record(world.task("30"), [(date(2023, 9, 10), "green")])
    assert not [f for f in found(world) if f[0] == "30"]
    assert len(keys(world.office, ESCALATIONS)) == 4


def issue(world: World, task: Task, reply_due: date) -> None:
    services.issue_notice(
        task=task,
        data=services.NoticeInput(
            level="supervise", problem="进度滞后。", requirement="加快推进。", reply_due=reply_due
        ),
        user=world.office,
    )
