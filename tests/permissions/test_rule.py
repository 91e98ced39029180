"""The rule itself: ``Task.objects.restrict`` for every kind of person, ``can`` for every Action.

The people are those of the matrix: the world's, by kind (tests/support/permissions.py).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from duban.core.permissions import CAPABILITIES, OBJECT_ACTIONS, Action, actor, can
from duban.ledger.models import Task
from tests.support.permissions import People, independent_view, make_person
from tests.support.world import World

A = Action

# What each person may do to task 1 (发改委 leads it, 各镇（街道）are responsible, 朱蕾 leads it).
# Every Action not listed is refused.
ON_TASK_1: dict[str, set[Action]] = {
    "anonymous": set(),
    "gongxin": set(),
    "goushi": {A.VIEW, A.DOWNLOAD, A.CONTRIBUTE},  # responsible through 各镇（街道）
    "fgw": {A.VIEW, A.DOWNLOAD, A.REFINE, A.REPORT},  # the lead unit
    "archive": set(),
    "zhulei": {A.VIEW, A.DOWNLOAD},  # the lead leader reads
    "yezhanfang": set(),
    "viewer": {A.VIEW, A.DOWNLOAD},
    "office": {A.VIEW, A.DOWNLOAD, A.CHANGE, A.REVIEW},
    "superuser": set(),  # Django's superuser flag grants nothing in duban
    "sysadmin": set(),
    "security": set(),
    "auditor": set(),
    "staff": set(),  # Django's is_staff opens the admin site, nothing here
}

# What each person may do at all (capabilities, asked without an object).
HOLDS: dict[str, set[Action]] = {
    "anonymous": set(),
    "gongxin": {A.READ_LEDGER},
    "goushi": {A.READ_LEDGER},
    "fgw": {A.READ_LEDGER},
    "archive": {A.READ_LEDGER},
    "zhulei": {A.READ_LEDGER},
    "yezhanfang": {A.READ_LEDGER},
    "viewer": {A.READ_LEDGER},
    "office": {A.READ_LEDGER, A.MANAGE_LEDGER, A.MANAGE_USERS},
    "superuser": set(),
    "sysadmin": {A.MANAGE_SETTINGS},
    "security": {A.MANAGE_USERS},
    "auditor": {A.READ_AUDIT},
    "staff": set(),
}

# On task 3, 工信局 is a responsible unit by name.
ON_TASK_3 = {
    "gongxin": {A.VIEW, A.DOWNLOAD, A.CONTRIBUTE},
    "fgw": {A.VIEW, A.DOWNLOAD, A.REFINE, A.REPORT},
}


@pytest.mark.parametrize("person", list(ON_TASK_1))
def test_can_for_every_action_on_task_1(world: World, people: People, person: str) -> None:
    user = people[person]
    allowed = {action for action in OBJECT_ACTIONS if can(user, action, world.tasks["1"])}
    assert allowed == ON_TASK_1[person]


@pytest.mark.parametrize("person", list(HOLDS))
def test_capabilities_of_every_person(world: World, people: People, person: str) -> None:
    user = people[person]
    assert {action for action in CAPABILITIES if can(user, action)} == HOLDS[person]


@pytest.mark.parametrize("person", list(ON_TASK_3))
def test_can_for_every_action_on_task_3(world: World, people: People, person: str) -> None:
    user = people[person]
    allowed = {action for action in OBJECT_ACTIONS if can(user, action, world.tasks["3"])}
    assert allowed == ON_TASK_3[person]


@pytest.mark.parametrize("person", list(ON_TASK_1))
def test_restrict_tasks_gives_each_person_their_tasks(
    world: World, people: People, person: str
) -> None:
    numbers = set(Task.objects.restrict(people[person]).values_list("number", flat=True))
    assert numbers == independent_view(world, people[person])


def test_restrict_tasks_narrows_the_queryset_it_is_given(world: World, people: People) -> None:
    some = Task.objects.filter(number__in=["1", "3"])
    assert set(some.restrict(people["gongxin"]).values_list("number", flat=True)) == {"3"}
    assert some.restrict(people["office"]).count() == 2
    assert not some.restrict(AnonymousUser()).exists()
    assert not some.restrict(None).exists()


def test_actions_that_concern_a_task_are_refused_without_one(world: World, people: People) -> None:
    office, fgw = people["office"], people["fgw"]
    for action in OBJECT_ACTIONS:
        assert not can(office, action) and not can(fgw, action), action
    assert can(office, A.MANAGE_LEDGER)


def test_an_inactive_account_may_do_nothing(world: World, people: People) -> None:
    for person in ("office", "superuser", "fgw", "security", "auditor"):
        user = people[person]
        assert user is not None
        user.is_active = False  # seen at once: the rule does not keep a stale copy
        assert not any(can(user, action, world.tasks["1"]) for action in Action), person
        assert not any(can(user, action) for action in Action), person
        assert not Task.objects.restrict(user).exists(), person


def test_who_reads_the_ledger_at_all(world: World, people: People) -> None:
    readers = {person for person, user in people.items() if can(user, A.READ_LEDGER)}
    assert readers == {
        "gongxin",
        "goushi",
        "fgw",
        "archive",
        "zhulei",
        "yezhanfang",
        "viewer",
        "office",
    }


def test_how_a_unit_works_on_a_task(world: World, people: People) -> None:
    task1, task3 = world.tasks["1"], world.tasks["3"]
    assert can(people["fgw"], A.REPORT, task1)  # the lead unit
    assert not can(people["fgw"], A.CONTRIBUTE, task1)  # a lead unit does not contribute
    assert can(people["goushi"], A.CONTRIBUTE, task1)  # through 各镇（街道）
    assert not can(people["goushi"], A.REPORT, task1)
    assert not can(people["gongxin"], A.CONTRIBUTE, task1)
    assert can(people["gongxin"], A.CONTRIBUTE, task3)
    assert not can(people["office"], A.REPORT, task1)  # the office is no unit on it


def test_a_leader_or_operator_without_a_leader_or_unit_sees_nothing(world: World) -> None:
    from duban.accounts.models import Role

    assert not Task.objects.restrict(make_person("nobody-leads", Role.LEADER)).exists()
    assert not Task.objects.restrict(make_person("nobody-works", Role.UNIT_OPERATOR)).exists()
    assert not Task.objects.restrict(make_person("no-membership", None)).exists()


def test_a_retired_town_keeps_its_named_tasks_but_leaves_the_groups(
    world: World, people: People
) -> None:
    """As the directory says (Group.expansion_filter): 各镇（街道） covers active towns only."""
    goushi = people["goushi"]
    assert goushi is not None
    named = set(
        Task.objects.filter(assignments__unit__name="缑氏镇").values_list("number", flat=True)
    )
    assert named, "the seed names 缑氏镇 (written 缙氏镇) on some task"
    town = world.units["缑氏镇"]
    town.active = False
    town.save()
    goushi.membership.refresh_from_db()
    goushi.membership.unit.refresh_from_db()
    assert actor(goushi).unit_active is False
    assert set(Task.objects.restrict(goushi).values_list("number", flat=True)) == named
    assert not can(goushi, A.VIEW, world.tasks["1"])  # reached it only through 各镇（街道）
