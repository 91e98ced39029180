"""Each filter option's count is what choosing it finds, and what a plain count says.

The counts are the database's (``count_facets``: grouped queries, a task's units read from a
signature of what it names); here they are checked against counting in Python, task by task,
the way a clerk would: a task counts once for a unit it names, or names through a group that
stands for the unit (各镇（街道） for 缑氏镇), or names behind a placeholder the lead unit filled
in (相关镇（街道） → 缑氏镇); and against the tasks the ledger lists when the option is chosen.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import pytest

from duban.ledger.models import AssignmentRole, Task, TaskStatus
from duban.ledger.queries import Directory, FacetValues, TaskFilter, count_facets, filter_tasks
from duban.lights.services import lights_for
from duban.reporting.models import SlotUnit
from tests.support.world import World


def naive_counts(tasks: list[Task], directory: Directory) -> dict[str, Counter[Any]]:
    """Every option's count, task by task, in Python."""
    counts: dict[str, Counter[Any]] = defaultdict(Counter)
    for task in tasks:
        counts["area"][task.area_id] += 1
        counts["status"][task.status] += 1
        for leader_id in {link.leader_id for link in task.task_leaders.all()}:
            counts["leader"][leader_id] += 1
        for role in (AssignmentRole.LEAD, AssignmentRole.RESPONSIBLE):
            reached: set[int] = set()
            for assignment in task.assignments.all():
                if assignment.role != role:
                    continue
                if assignment.unit_id is not None:
                    reached.add(assignment.unit_id)
                else:
                    reached.update(unit.pk for unit in directory.expansion(assignment.group_id))
                reached.update(slot.unit_id for slot in assignment.slot_units.all())
            for unit_id in reached:
                counts[role][unit_id] += 1
    colours = lights_for(tasks)
    counts["light"] = Counter(str(light.colour) for light in colours.values())
    return counts


def fill_a_placeholder(world: World) -> None:
    """发改委 names 缑氏镇 and 工信局 behind task 2's 相关镇（街道） (and a task that names 工信局
    by name already counts it once)."""
    placeholder = world.task("2").assignments.get(group__name="相关镇（街道）")
    for name in ("缑氏镇", "工信局"):
        SlotUnit.objects.create(assignment=placeholder, unit=world.unit(name))


@pytest.mark.parametrize(
    ("who", "filters"),
    [
        ("office", {}),
        ("office", {"status": TaskStatus.NOT_STARTED}),
        ("office", {"lead": "发改委", "light": "red"}),
        ("office", {"responsible": "缑氏镇", "leader": "朱蕾"}),
        ("goushi", {}),
        ("zhulei", {"q": "项目"}),
    ],
    ids=["office", "office-status", "office-lead-light", "office-town-leader", "town", "leader"],
)
def test_every_count_is_a_plain_count_of_what_the_option_finds(
    world: World, who: str, filters: dict[str, str]
) -> None:
    fill_a_placeholder(world)
    user = world.user(who)
    directory = Directory.load()
    named = {**{u: world.unit(u).pk for u in ("发改委", "缑氏镇")}, "朱蕾": world.leader("朱蕾").pk}
    params = {key: str(named.get(value, value)) for key, value in filters.items()}
    task_filter = TaskFilter.from_params(params)
    visible = Task.objects.restrict(user)
    values = FacetValues.read(visible.filter(plan=world.plan), [], user, world.plan)
    facets = count_facets(world.plan, task_filter, directory, visible, values, user)

    def without(name: str) -> list[Task]:
        found = filter_tasks(world.plan, task_filter.without(name), directory, visible, values)
        return list(
            found.select_related("plan", "refinement", "light_override").prefetch_related(
                "task_leaders", "assignments__slot_units"
            )
        )

    for name, counted in (
        ("area", facets.areas),
        ("status", facets.statuses),
        ("leader", facets.leaders),
        (AssignmentRole.LEAD, facets.lead),
        (AssignmentRole.RESPONSIBLE, facets.responsible),
        ("light", facets.extra["light"]),
    ):
        parameter = {AssignmentRole.LEAD: "lead", AssignmentRole.RESPONSIBLE: "responsible"}.get(
            name, name
        )
        naive = naive_counts(without(parameter), directory)[name]
        assert {k: v for k, v in counted.items() if v} == dict(naive), name
        # Choosing an option finds as many tasks as its count says.
        for option, count in list(naive.items())[:8]:
            if option is None:
                continue
            chosen = TaskFilter.from_params({**params, parameter: str(option)})
            listed = filter_tasks(world.plan, chosen, directory, visible, values).count()
            assert listed == count, (name, option)

    # The page's total is the count of its own filter (no COUNT query of its own).
    total = filter_tasks(world.plan, task_filter, directory, visible, values).count()
    assert facets.found(task_filter) == total


def test_a_unit_reached_twice_by_one_task_counts_it_once(world: World) -> None:
    """Task 2 names 工信局 as responsible and, behind its placeholder, again: one task."""
    fill_a_placeholder(world)
    directory = Directory.load()
    facets = count_facets(world.plan, TaskFilter(), directory)
    gongxin = world.unit("工信局").pk
    expected = Task.objects.filter(
        plan=world.plan,
        pk__in=[
            task.pk
            for task in world.plan.tasks.prefetch_related("assignments__slot_units")
            if any(
                a.role == AssignmentRole.RESPONSIBLE
                and (
                    a.unit_id == gongxin
                    or any(slot.unit_id == gongxin for slot in a.slot_units.all())
                    or gongxin in {u.pk for u in directory.expansion(a.group_id)}
                )
                for a in task.assignments.all()
            )
        ],
    ).count()
    assert facets.responsible[gongxin] == expected
    assert world.task("2").pk in set(
        filter_tasks(world.plan, TaskFilter(responsible=gongxin), directory).values_list(
            "pk", flat=True
        )
    )
