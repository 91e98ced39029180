"""Who may do what, person by person, through the pages themselves (the permission matrix).

One row per kind of person of the world (tests/support/permissions.py), one column per thing to try:

- ledger, export: which tasks the list page and the Excel export hold: ALL, or OWN = exactly
  those an independent reading of the seed gives the person (a leader's tasks; a unit's tasks
  by name or through a group that stands for it), or the status code;
- task1: open task 1's page; status: set task 1's status (POST); source: download the notice;
  imports: the import page; dir_read / dir_edit: the unit list / the new-unit form;
  users: user management; audit: the audit trail (audit:events).

LOGIN means sent to the sign-in page; 302 for the status change means saved and redirected.
A task that exists but is not the user's answers 403, never 404 (documented in
duban/accounts/permissions.py).
"""

from __future__ import annotations

import io
from dataclasses import astuple, dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AbstractUser
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from duban.ledger.models import Task, TaskStatus
from tests.support.permissions import People, independent_view
from tests.support.world import World

ALL, OWN, LOGIN = "ALL", "OWN", "LOGIN"


@dataclass(frozen=True)
class Row:
    person: str
    ledger: object
    task1: object
    status: object
    export: object
    source: object
    imports: object
    dir_read: object
    dir_edit: object
    users: object
    audit: object


# fmt: off
MATRIX = [
    #    person        ledger task1  status export source imports dir_read dir_edit users  audit
    Row("anonymous",   LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN,  LOGIN,   LOGIN,   LOGIN, LOGIN),
    Row("gongxin",     OWN,   403,   403,   OWN,   200,   403,    200,     403,     403,   403),
    Row("goushi",      OWN,   200,   403,   OWN,   200,   403,    200,     403,     403,   403),
    Row("fgw",         OWN,   200,   403,   OWN,   200,   403,    200,     403,     403,   403),
    Row("archive",     OWN,   403,   403,   OWN,   403,   403,    200,     403,     403,   403),
    Row("zhulei",      OWN,   200,   403,   OWN,   200,   403,    200,     403,     403,   403),
    Row("yezhanfang",  OWN,   403,   403,   OWN,   200,   403,    200,     403,     403,   403),
    Row("viewer",      ALL,   200,   403,   ALL,   200,   403,    200,     403,     403,   403),
    Row("office",      ALL,   200,   302,   ALL,   200,   200,    200,     200,     200,   403),
    Row("superuser",   403,   403,   403,   403,   403,   403,    200,     403,     403,   403),
    Row("sysadmin",    403,   403,   403,   403,   403,   403,    200,     403,     403,   403),
    Row("security",    403,   403,   403,   403,   403,   403,    200,     403,     200,   403),
    Row("auditor",     403,   403,   403,   403,   403,   403,    200,     403,     403,   200),
    Row("staff",       403,   403,   403,   403,   403,   403,    200,     403,     403,   403),
]
# fmt: on


def _outcome(response: Any) -> object:
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return LOGIN
    return response.status_code


def _numbers(world: World, user: AbstractUser | None, numbers: set[str]) -> object:
    if numbers == set(world.tasks):
        return ALL
    if numbers == independent_view(world, user):
        return OWN
    return sorted(numbers)


def listed(world: World, user: AbstractUser | None, client: Client) -> object:
    response = client.get(reverse("ledger:tasks"))
    if response.status_code != 200:
        return _outcome(response)
    found = response.context["page_obj"].paginator.object_list
    return _numbers(world, user, {task.number for task in found})


def exported(world: World, user: AbstractUser | None, client: Client) -> object:
    response = client.get(reverse("ledger:export"))
    if response.status_code != 200:
        return _outcome(response)
    sheet = load_workbook(io.BytesIO(response.content)).active
    numbers = {str(row[0]) for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]}
    return _numbers(world, user, numbers)


def changed_status(world: World, client: Client) -> object:
    task = world.tasks["1"]
    response = client.post(reverse("ledger:task", args=[task.pk]), {"status": TaskStatus.LAGGING})
    saved = Task.objects.get(pk=task.pk).status == TaskStatus.LAGGING
    outcome = _outcome(response)
    assert saved == (outcome == 302), "the status changed exactly when the POST succeeded"
    return outcome


def observe(world: World, people: People, person: str) -> Row:
    user = people[person]
    client = world.as_user(user)
    task1 = world.tasks["1"]

    def status_of(url: str) -> object:
        return _outcome(client.get(url))

    return Row(
        person=person,
        ledger=listed(world, user, client),
        task1=status_of(reverse("ledger:task", args=[task1.pk])),
        status=changed_status(world, client),
        export=exported(world, user, client),
        source=status_of(reverse("ledger:plan_source", args=[world.plan.pk])),
        imports=status_of(reverse("intake:upload")),
        dir_read=status_of(reverse("directory:units")),
        dir_edit=status_of(reverse("directory:unit_new")),
        users=status_of(reverse("accounts:users")),
        audit=status_of(reverse("audit:events")),
    )


@pytest.mark.parametrize("expected", MATRIX, ids=[row.person for row in MATRIX])
def test_the_permission_matrix(world: World, people: People, expected: Row) -> None:
    assert astuple(observe(world, people, expected.person)) == astuple(expected)


def test_the_seed_says_what_the_matrix_relies_on(world: World, people: People) -> None:
    """OWN is not a vacuous truth: the people see what the story says, and no more."""
    view = {person: independent_view(world, people[person]) for person in people}
    assert "1" in view["goushi"] and "1" in view["fgw"] and "1" in view["zhulei"]
    assert "1" not in view["gongxin"] and "3" in view["gongxin"]
    assert "1" not in view["yezhanfang"] and view["yezhanfang"]
    assert view["archive"] == set()
    for person in ("gongxin", "goushi", "fgw", "zhulei", "yezhanfang"):
        assert 0 < len(view[person]) < len(world.tasks), person
