"""The ledger's unit filter, its counts and the permission rule agree, for every unit of the demo.

All three ask duban.directory.reach; this holds them to it. A unit's operator sees exactly the
tasks that the ledger's lead-unit filter or responsible-unit filter finds for that unit, and the
filter's counts say how many. Units named behind an open placeholder (相关镇（街道） → 缑氏镇)
count on all three sides.
"""

from __future__ import annotations

from django.db.models import QuerySet

from duban.accounts.models import Role
from duban.core.permissions import Action
from duban.directory.models import Group, GroupExpansion, Unit
from duban.ledger.models import Assignment, Task
from duban.ledger.queries import Directory, TaskFilter, count_facets, filter_tasks
from duban.reporting.models import SlotUnit
from tests.support.permissions import make_person
from tests.support.world import World


def _numbers(tasks: QuerySet[Task]) -> set[str]:
    return set(tasks.values_list("number", flat=True))


def _name_behind_open_placeholders(world: World) -> int:
    """Name two towns behind every open placeholder the seed uses, as lead units do."""
    named = 0
    towns = [world.units["缑氏镇"], world.units["首阳山街道"]]
    for assignment in Assignment.objects.filter(
        task__plan=world.plan, group__expansion=GroupExpansion.OPEN
    ):
        for town in towns:
            SlotUnit.objects.create(assignment=assignment, unit=town)
            named += 1
    return named


def test_filter_counts_and_rule_agree_for_every_unit(world: World) -> None:
    assert _name_behind_open_placeholders(world) > 0, "the seed has open placeholders"
    directory = Directory.load()
    facets = count_facets(world.plan, TaskFilter(), directory)
    checked = 0
    for unit in Unit.objects.all():
        operator = make_person(f"op{unit.pk}", Role.UNIT_OPERATOR, unit=unit)
        seen = _numbers(Task.objects.restrict(operator, Action.VIEW).filter(plan=world.plan))
        as_lead = _numbers(filter_tasks(world.plan, TaskFilter(lead=unit.pk), directory))
        as_responsible = _numbers(
            filter_tasks(world.plan, TaskFilter(responsible=unit.pk), directory)
        )
        assert seen == as_lead | as_responsible, unit.name
        assert facets.lead.get(unit.pk, 0) == len(as_lead), unit.name
        assert facets.responsible.get(unit.pk, 0) == len(as_responsible), unit.name
        reports = _numbers(Task.objects.restrict(operator, Action.REPORT).filter(plan=world.plan))
        assert reports == as_lead, unit.name
        checked += 1
    assert checked == Unit.objects.count() >= 40


def test_a_town_named_behind_a_placeholder_finds_that_task(world: World) -> None:
    """The case the three copies of "reach" disagreed on: a slot unit."""
    placeholder = Group.objects.get(name="相关镇（街道）")
    assignment = Assignment.objects.filter(task__plan=world.plan, group=placeholder).first()
    assert assignment is not None
    town = world.units["府店镇"]
    operator = make_person("fudian", Role.UNIT_OPERATOR, unit=town)
    directory = Directory.load()
    role_filter = (
        TaskFilter(lead=town.pk) if assignment.role == "lead" else TaskFilter(responsible=town.pk)
    )
    before_rule = _numbers(Task.objects.restrict(operator))
    before_filter = _numbers(filter_tasks(world.plan, role_filter, directory))
    assert assignment.task.number not in before_filter

    SlotUnit.objects.create(assignment=assignment, unit=town)

    assert _numbers(Task.objects.restrict(operator)) == before_rule | {assignment.task.number}
    assert _numbers(filter_tasks(world.plan, role_filter, directory)) == before_filter | {
        assignment.task.number
    }
