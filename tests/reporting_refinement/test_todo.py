"""待办 for 发改委, 缑氏镇, the office and a leader, read against the permission rule, and the
count in the navigation bar."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from duban.core.permissions import Action, actor, can
from duban.core.todo import count_for, todo_for
from duban.directory.models import Unit
from duban.ledger.models import Task
from duban.reporting.models import Contribution, Period, PeriodState, Report, ReviewState
from duban.reporting.services import refinement as workflow
from duban.reporting.services.refinement_rules import MilestoneInput, RefinementInput
from duban.reporting.services.todo import Kind
from tests.support.refinement import nav_count
from tests.support.world import World, signed_in


def roles(world: World, user: object) -> dict[str, list[str]]:
    """The oracle: task numbers by the user's role on them, asked of the permission rule."""
    found: dict[str, list[str]] = {"lead": [], "responsible": []}
    for task in Task.objects.filter(plan=world.plan).order_by("position"):
        if can(user, Action.REPORT, task):
            found["lead"].append(task.number)
        elif can(user, Action.CONTRIBUTE, task):
            found["responsible"].append(task.number)
    return found


def complete(world: World) -> RefinementInput:
    fgw = Unit.objects.get(name="发改委").pk
    return RefinementInput(
        milestones=[MilestoneInput("开工", date(2023, 6, 30), fgw)], percents=(25, 50, 75, 100)
    )


@pytest.fixture
def quarter(world: World) -> Period:
    """2023Q1 is open (due 2023-04-10); 2023Q2 is not open yet and asks nothing."""
    Period.objects.filter(pk=world.q1.pk).update(
        opens_on=date(2023, 4, 1), due_on=date(2023, 4, 10), state=PeriodState.OPEN
    )
    assert world.period("2023Q2").state == PeriodState.PLANNED
    return world.period("2023Q1")


@pytest.fixture
def activity(world: World, quarter: Period) -> Period:
    """发改委 has submitted task 1's report, had task 2's returned and drafts task 3's;
    task 1's refinement is submitted, task 3's returned, task 4's a draft. 缑氏镇 has submitted
    its contribution to task 1 and drafts one for task 3."""
    task = world.task
    Report.objects.create(task=task("1"), period=quarter, state=ReviewState.SUBMITTED)
    Report.objects.create(
        task=task("2"), period=quarter, state=ReviewState.RETURNED, review_comment="数据不全"
    )
    Report.objects.create(task=task("3"), period=quarter, state=ReviewState.DRAFT)
    workflow.save_refinement(
        task=task("1"), user=world.fgw, version=0, data=complete(world), submit=True
    )
    workflow.save_refinement(
        task=task("3"), user=world.fgw, version=0, data=complete(world), submit=True
    )
    workflow.return_refinement(task=task("3"), user=world.office, version=1, comment="请细化节点")
    workflow.save_refinement(task=task("4"), user=world.fgw, version=0, data=RefinementInput())
    goushi = Unit.objects.get(name="缑氏镇")
    Contribution.objects.create(
        task=task("1"), period=quarter, unit=goushi, state=ReviewState.SUBMITTED
    )
    Contribution.objects.create(task=task("3"), period=quarter, unit=goushi)
    return quarter


def numbers(user: object) -> dict[Kind, list[str]]:
    return {s.kind: [item.task.number for item in s.items] for s in todo_for(user).sections}


def test_what_fgw_has_to_do(world: World, activity: Period) -> None:
    oracle = roles(world, world.fgw)
    assert oracle["lead"] == ["1", "2", "3", "4", "30", "62", "66", "75"]
    found = numbers(world.fgw)
    others = [n for n in oracle["lead"] if n not in ("1", "2")]
    assert found[Kind.REPORTS_TO_WRITE] == others  # 1 submitted, 2 returned, 3 only a draft
    assert found[Kind.RETURNED_REPORTS] == ["2"]
    assert found[Kind.RETURNED_REFINEMENTS] == ["3"]
    assert found[Kind.REFINEMENTS_TO_WRITE] == ["2", "4", "30", "62", "66", "75"]
    assert found.get(Kind.CONTRIBUTIONS, []) == oracle["responsible"]
    assert Kind.REFINEMENTS_TO_REVIEW not in found
    todo = todo_for(world.fgw)
    reports = next(s for s in todo.sections if s.kind == Kind.REPORTS_TO_WRITE)
    assert {(i.key, i.period_label, i.due_on) for i in reports.items} == {
        ("2023Q1", "2023年第1季度", date(2023, 4, 10))
    }
    assert count_for(world.fgw) == todo.total


def test_what_goushi_has_to_do(world: World, activity: Period) -> None:
    oracle = roles(world, world.goushi)
    assert "1" in oracle["responsible"] and "3" in oracle["responsible"]  # through 各镇（街道）
    assert "17" in oracle["responsible"]  # by name (the notice writes 缙氏镇)
    found = numbers(world.goushi)
    assert found[Kind.CONTRIBUTIONS] == [n for n in oracle["responsible"] if n != "1"]
    assert found.get(Kind.REPORTS_TO_WRITE, []) == oracle["lead"]
    assert Kind.REFINEMENTS_TO_REVIEW not in found
    assert count_for(world.goushi) == todo_for(world.goushi).total


def test_what_the_office_has_to_review(world: World, activity: Period) -> None:
    found = numbers(world.office)
    assert found == {Kind.REFINEMENTS_TO_REVIEW: ["1"], Kind.REPORTS_TO_REVIEW: ["1"]}
    assert count_for(world.office) == 2


def test_a_leader_has_nothing_to_do_here(world: World, activity: Period) -> None:
    assert todo_for(world.zhulei).sections == []
    assert count_for(world.zhulei) == 0


def test_without_an_open_period_only_refinements_are_asked(world: World) -> None:
    found = numbers(world.fgw)
    assert list(found) == [Kind.REFINEMENTS_TO_WRITE]
    assert found[Kind.REFINEMENTS_TO_WRITE] == ["1", "2", "3", "4", "30", "62", "66", "75"]


@pytest.mark.parametrize("who", ["fgw", "goushi", "office", "zhulei"])
def test_the_page_and_the_navigation_count_agree(world: World, activity: Period, who: str) -> None:
    user = getattr(world, who)
    client = signed_in(None, user)
    response = client.get("/reporting/todo/")
    assert response.status_code == 200
    page = response.content.decode()
    total = int(re.search(r'data-total="(\d+)"', page).group(1))  # type: ignore[union-attr]
    assert total == todo_for(user).total
    assert nav_count(page) == total
    rows = re.findall(r'<tr class="todo-item" data-task="(\w+)"', page)
    assert len(rows) == total
    assert nav_count(client.get("/ledger/").content.decode()) == total
    for number in rows[:3]:
        assert f'href="/ledger/tasks/{world.task(number).pk}/"' in page


def test_the_count_costs_one_query_whatever_the_user(world: World, activity: Period) -> None:
    for user in (world.fgw, world.goushi, world.office, world.zhulei):
        actor(user)  # the membership, which every page reads anyway
        with CaptureQueriesContext(connection) as captured:
            count_for(user)
        assert len(captured.captured_queries) <= 1, [q["sql"] for q in captured]


def test_signed_out_pages_do_not_count(client: Client, world: World) -> None:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/accounts/login/").status_code == 200
    assert not [q for q in captured.captured_queries if "reporting_" in q["sql"]]
