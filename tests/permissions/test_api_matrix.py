"""The permission matrix through the API: each kind of person, with his or her own access token
(or, for those who may make none, the session), asks the API what the pages answer.

One row per kind of person, one column per thing to try (expected answers written out from
docs/accounts.md, not read from the code):

- tasks: which tasks /api/v1/tasks/ lists: ALL, OWN (exactly those an independent reading of
  the seed gives the person, tests/support/permissions.py), or the status code;
- task1: task 1's item; report1: task 1's Q1 report (written by 发改委); write1: write a report
  on task 2 for Q1 (201 = written); summary, cockpit: the figures; token: may the person make a
  token at all (the administrators of 三权分立 read no business data: they may not).

LOGIN: nobody signed in, 401. A task or report that exists but is not the person's answers 403.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AbstractUser
from django.test import Client

from duban.accounts.models import TokenScope
from duban.accounts.tokens import make_token
from duban.core.permissions import Action, can
from duban.reporting.models import Report
from duban.reporting.services.reports import save_report
from tests.support.permissions import People, independent_view
from tests.support.reporting import q1_input
from tests.support.world import World

ALL, OWN, LOGIN, SESSION = "ALL", "OWN", "LOGIN", "SESSION"


@dataclass(frozen=True)
class Row:
    person: str
    token: object
    tasks: object
    task1: object
    report1: object
    write2: object
    summary: object
    cockpit: object


# fmt: off
MATRIX = [
    #    person        token    tasks  task1  report1 write2 summary cockpit
    Row("anonymous",   LOGIN,   401,   401,   401,    401,   401,    401),
    Row("gongxin",     True,    OWN,   403,   403,    403,   403,    403),
    Row("goushi",      True,    OWN,   200,   200,    403,   403,    403),
    Row("fgw",         True,    OWN,   200,   200,    201,   403,    403),
    Row("archive",     True,    OWN,   403,   403,    403,   403,    403),
    Row("zhulei",      True,    OWN,   200,   200,    403,   403,    200),
    Row("yezhanfang",  True,    OWN,   403,   403,    403,   403,    200),
    Row("viewer",      True,    ALL,   200,   200,    403,   200,    200),
    Row("office",      True,    ALL,   200,   200,    403,   200,    200),
    Row("superuser",   False,   403,   403,   403,    403,   403,    403),
    Row("sysadmin",    False,   403,   403,   403,    403,   403,    403),
    Row("security",    False,   403,   403,   403,    403,   403,    403),
    Row("auditor",     False,   403,   403,   403,    403,   403,    403),
    Row("staff",       False,   403,   403,   403,    403,   403,    403),
]
# fmt: on


class Caller:
    """The person's own read-write token when he or she may make one, else the session."""

    def __init__(self, user: AbstractUser | None) -> None:
        self.client = Client()
        self.headers: dict[str, str] = {}
        if user is not None and can(user, Action.READ_LEDGER):
            raw = make_token(user=user, name="矩阵", scope=TokenScope.READ_WRITE)[1]
            self.headers = {"Authorization": f"Bearer {raw}"}
        elif user is not None:
            self.client.force_login(user)

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get("/api/v1/" + path, params, headers=self.headers)

    def post(self, path: str, body: dict[str, Any]) -> Any:
        return self.client.post(
            "/api/v1/" + path, body, content_type="application/json", headers=self.headers
        )


def observe(world: World, people: People, person: str) -> Row:
    user = people[person]
    task1, task2 = world.task("1"), world.task("2")
    report = save_report(
        task=task1, period=world.q1, user=world.fgw, data=q1_input(), version=0, submit=True
    )
    caller = Caller(user)
    listed = caller.get("tasks/", limit=200)
    if listed.status_code == 200:
        numbers = {item["number"] for item in listed.json()["items"]}
        if numbers == set(world.tasks):
            tasks: object = ALL
        elif numbers == independent_view(world, user):
            tasks = OWN
        else:
            tasks = sorted(numbers)
    else:
        tasks = listed.status_code
    before = Report.objects.count()
    written = caller.post(
        "reports/", {"task": task2.pk, "period": world.q1.pk, "progress_text": "推进中"}
    )
    assert (Report.objects.count() > before) == (written.status_code == 201)
    may_make = LOGIN if user is None else can(user, Action.READ_LEDGER)
    return Row(
        person=person,
        token=may_make,
        tasks=tasks,
        task1=caller.get(f"tasks/{task1.pk}/").status_code,
        report1=caller.get(f"reports/{report.pk}/").status_code,
        write2=written.status_code,
        summary=caller.get("summary/").status_code,
        cockpit=caller.get("cockpit/").status_code,
    )


@pytest.mark.parametrize("expected", MATRIX, ids=[row.person for row in MATRIX])
def test_the_api_permission_matrix(world: World, people: People, expected: Row) -> None:
    assert astuple(observe(world, people, expected.person)) == astuple(expected)
