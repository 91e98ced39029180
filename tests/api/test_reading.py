"""Reading the ledger through the API: the same tasks, filters and order as the ledger page,
pages of up to 200, each task with its targets, assignments, light and latest report."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duban.accounts.models import TokenScope
from duban.api.routes import ledger as ledger_routes
from duban.ledger.models import Task
from tests.support.api import as_token
from tests.support.world import World


def test_the_list_of_98_tasks_in_one_page(world: World) -> None:
    response = as_token(world.office, TokenScope.READ).get("tasks/", {"limit": 100})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 98 and len(body["items"]) == 98
    assert [item["number"] for item in body["items"]][:3] == ["1", "2", "3"]
    first = body["items"][0]
    assert first["leaders"] == [{"id": world.leader("朱蕾").pk, "name": "朱蕾"}]
    roles = [(a["role"], a["name"]) for a in first["assignments"]]
    assert roles == [
        ("lead", "发改委"),
        ("responsible", "投促中心"),
        ("responsible", "各镇（街道）"),
    ]
    group = first["assignments"][2]
    assert {"id": world.unit("缑氏镇").pk, "name": "缑氏镇"} in group["members"]
    assert [t["label"] for t in first["targets"]] == ["台账化推进总投资", "项目", "年度完成投资"]
    assert first["targets"][0]["value"] == 863 and first["targets"][0]["unit"] == "亿元"
    assert first["light"]["colour"] in ("none", "green", "yellow", "red")
    assert first["light"]["label"].endswith("灯") or first["light"]["label"] == "暂无亮灯"
    assert first["latest_report"]["period"] == "2023Q1"
    assert first["latest_report"]["state"] is None and first["latest_report"]["state_label"]
    assert first["status_label"] == "未启动"


def test_pages_of_the_list(world: World) -> None:
    api = as_token(world.office, TokenScope.READ)
    first = api.get("tasks/", {"limit": 40}).json()
    second = api.get("tasks/", {"limit": 40, "offset": 40}).json()
    last = api.get("tasks/", {"limit": 40, "offset": 80}).json()
    numbers = [i["number"] for page in (first, second, last) for i in page["items"]]
    assert len(numbers) == 98 == len(set(numbers))
    assert api.get("tasks/").json()["limit"] == 50
    too_many = api.get("tasks/", {"limit": 201})
    assert too_many.status_code == 422
    assert too_many.json()["errors"] == [{"field": "query.limit", "message": "不能大于200。"}]
    assert api.get("tasks/", {"limit": "all"}).json()["errors"][0]["message"] == "请填整数。"


@pytest.mark.parametrize(
    "query",
    [
        {"status": "not_started"},
        {"q": "项目"},
        {"sort": "-deadline"},
        {"sort": "lead"},
        {"light": "red"},
        {"area": "AREA2"},
        {"lead": "发改委"},
        {"responsible": "缑氏镇"},
        {"leader": "朱蕾"},
    ],
)
def test_filters_and_order_are_the_ledgers(world: World, query: dict[str, str]) -> None:
    params = dict(query)
    if params.get("area") == "AREA2":
        params["area"] = str(world.plan.areas.get(number=2).pk)
    for key in ("lead", "responsible"):
        if key in params:
            params[key] = str(world.unit(params[key]).pk)
    if "leader" in params:
        params["leader"] = str(world.leader(params["leader"]).pk)
    for user in (world.office, world.goushi):
        page = world.as_user(user).get(reverse("ledger:tasks"), params)
        expected = [task.number for task in page.context["page_obj"].paginator.object_list]
        got = as_token(user, TokenScope.READ).get("tasks/", {**params, "limit": 200}).json()
        assert [item["number"] for item in got["items"]] == expected, (user, params)
        assert got["count"] == len(expected)


def test_a_unit_reads_only_its_tasks(world: World) -> None:
    api = as_token(world.gongxin, TokenScope.READ)
    numbers = {item["number"] for item in api.get("tasks/", {"limit": 200}).json()["items"]}
    visible = set(Task.objects.restrict(world.gongxin).values_list("number", flat=True))
    assert numbers == visible and "1" not in numbers and "3" in numbers
    task1 = world.task("1")
    assert api.get(f"tasks/{task1.pk}/").status_code == 403
    assert api.get("tasks/99999999/").status_code == 404
    assert api.get("tasks/abc/").status_code == 422


def test_the_task_list_costs_a_fixed_number_of_queries(world: World) -> None:
    api = as_token(world.office, TokenScope.READ)
    api.get("tasks/", {"limit": 5})
    ledger_routes._TASKS.clear()  # each list read afresh, not from what the last one kept
    with CaptureQueriesContext(connection) as few:
        api.get("tasks/", {"limit": 5})
    with CaptureQueriesContext(connection) as many:
        api.get("tasks/", {"limit": 100})
    assert len(few.captured_queries) == len(many.captured_queries) <= 30
    # Asked again while nothing has changed, the list is not read again (the session, the
    # account, the plan and a look at the audit trail)…
    with CaptureQueriesContext(connection) as again:
        kept = api.get("tasks/", {"limit": 100}).json()
    assert len(again.captured_queries) < len(many.captured_queries)
    assert not any('FROM "ledger_assignment"' in q["sql"] for q in again.captured_queries)
    # …and a change shows at once.
    task = world.task(kept["items"][0]["number"])
    task.text = "由接口读到的新表述。"
    task.save()
    assert api.get("tasks/", {"limit": 100}).json()["items"][0]["text"] == "由接口读到的新表述。"


def test_plans_areas_periods_units_leaders(world: World) -> None:
    api = as_token(world.fgw, TokenScope.READ)
    plans = api.get("plans/").json()
    assert [p["doc_number"] for p in plans["items"]] == ["偃政〔2023〕6号"]
    assert api.get(f"plans/{world.plan.pk}/").json()["year"] == 2023
    assert api.get("areas/", {"plan": world.plan.pk}).json()["count"] == 10
    periods = api.get("periods/").json()["items"]
    assert [p["code"] for p in periods] == ["2023Q1", "2023Q2", "2023Q3", "2023Q4", "2023Y"]
    assert periods[0]["state"] == "open" and periods[0]["label"] == "2023年第1季度"
    assert api.get("periods/", {"state": "open"}).json()["count"] == 1
    units = api.get("units/", {"q": "发改", "limit": 200}).json()["items"]
    assert "发改委" in [u["name"] for u in units]
    assert api.get(f"units/{world.unit('缑氏镇').pk}/").json()["kind_label"] == "镇"
    assert "朱蕾" in [x["name"] for x in api.get("leaders/", {"limit": 200}).json()["items"]]
    # The archive's operator reads no task: no plan either, as on the pages.
    assert as_token(world.archive, TokenScope.READ).get("plans/").json()["count"] == 0


def test_administrators_read_no_business_data(world: World) -> None:
    client = world.as_admin("system")  # no token for them (test_tokens.py): the session
    for path in ("tasks/", "plans/", "reports/", "notices/", "summary/", "cockpit/"):
        response = client.get("/api/v1/" + path)
        assert response.status_code == 403, path
        assert response.json()["detail"]


def test_the_summary_and_the_cockpit_follow_the_pages_rule(world: World) -> None:
    office = as_token(world.office, TokenScope.READ)
    summary = office.get("summary/", {"as_of": "2023-04-05"}).json()
    assert summary["tasks"]["total"] == 98 and summary["as_of"] == "2023-04-05"
    assert set(summary["reports"]) == {"2023Q1", "2023Q2", "2023Q3", "2023Q4", "2023Y"}
    leader = as_token(world.zhulei, TokenScope.READ)
    assert leader.get("summary/").status_code == 403  # not every task of the plan
    cockpit = leader.get("cockpit/").json()
    assert (
        cockpit["scope"] == "mine"
        and cockpit["tasks"]
        == Task.objects.restrict(world.zhulei).filter(task_leaders__leader__name="朱蕾").count()
    )
    assert leader.get("cockpit/", {"scope": "all"}).json()["scope"] == "all"
    unit = as_token(world.fgw, TokenScope.READ)
    refused = unit.get("cockpit/")
    assert refused.status_code == 403 and "驾驶舱" in refused.json()["detail"]
    bad = office.get("summary/", {"as_of": "15/08/2023"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "query.as_of"


def test_the_browser_session_reads_and_writes_with_its_csrf_token(world: World) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.fgw)
    assert client.get("/api/v1/me/").json()["via"] == "session"
    task = world.task("1")
    body = {"task": task.pk, "period": world.q1.pk, "progress_text": "开工"}
    refused = client.post("/api/v1/reports/", body, content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    client.get(reverse("tokens:list"))  # any page sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    done = client.post(
        "/api/v1/reports/", body, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert done.status_code == 201, done.content
