"""The ledger stays fast as it grows, and agrees with the directory on what groups mean."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from duban.directory.models import Group, GroupExpansion, Unit, UnitKind
from duban.ledger.display import chinese_numeral, format_number, target_summary
from duban.ledger.queries import Directory, TaskFilter, parse_sort
from tests.support import factories
from tests.support.factories import Yanshi


def queries_for(client: Client, url: str, params: dict[str, object] | None = None) -> int:
    """Queries of one request, after a first one that lets the session record its activity."""
    client.get(url, params or {})
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"responsible": "岳滩镇", "sort": "lead"},
        {"lead": "住建局", "sort": "deadline", "page": "2"},
        {"q": "项目", "status": "in_progress", "sort": "status", "leader": "朱蕾"},
        {"light": "red", "lead": "住建局"},
        {"light": "none", "page": "2"},
        {"page_size": "all", "sort": "area"},
        {"page_size": "100", "status": "in_progress"},
    ],
    ids=[
        "plain",
        "town-by-lead-unit",
        "lead-unit-page-2",
        "text-status-leader",
        "light-lead-unit",
        "light-page-2",
        "all-by-area",
        "100-in-progress",
    ],
)
def test_the_list_costs_the_same_queries_for_10_and_60_tasks(
    office_client: Client, params: dict[str, str]
) -> None:
    """Same directory, two plans: one of 10 tasks, one of 60 (two pages)."""
    story = factories.build_yanshi()
    factories.add_filler_tasks(story, 10 - len(story.tasks))
    small = story.plan
    factories.add_plan(story, 2024)
    factories.add_filler_tasks(story, 60 - len(story.tasks))
    large = story.plan
    assert (small.tasks.count(), large.tasks.count()) == (10, 60)
    names = {**story.units, **story.leaders}
    resolved = {key: names[value].pk if value in names else value for key, value in params.items()}

    counts = [
        queries_for(office_client, "/ledger/", {"plan": plan.pk, **resolved})
        for plan in (small, large)
    ]
    assert counts[0] == counts[1], counts
    assert counts[0] <= 15, counts  # issue 13: at most 15 a page


def test_task_leader_unit_pages_and_export_do_not_grow_with_tasks(office_client: Client) -> None:
    story = factories.build_yanshi()
    town = story.units["缑氏镇"].pk
    zhu = story.leaders["朱蕾"].pk
    task_page = f"/ledger/tasks/{story.tasks['projects'].pk}/"
    urls = ["/ledger/export.xlsx", f"/ledger/units/{town}/", f"/ledger/leaders/{zhu}/", task_page]
    before = [queries_for(office_client, url) for url in urls]
    factories.add_filler_tasks(story, 40)
    after = [queries_for(office_client, url) for url in urls]
    assert before == after
    # The task page gathers the task's details and one or two queries for each panel (待办
    # count, light, refinement, reports, supervision, inspections, history): a fixed budget.
    assert before[-1] <= 15  # issue 13: at most 15 a page


def test_group_expansion_agrees_with_the_directory_model(yanshi: Yanshi) -> None:
    """Directory.expansion() gives exactly Group.expanded_units() for every kind of group."""
    factories.make_unit("高新区", UnitKind.OTHER)
    retired = factories.make_unit("老城镇", UnitKind.TOWN, active=False)
    factories.make_group("全部镇", GroupExpansion.TOWNS)
    factories.make_group("含停用镇", GroupExpansion.MEMBERS, [retired, yanshi.units["住建局"]])
    directory = Directory.load()
    for group in Group.objects.all():
        expected = set(group.expanded_units().values_list("pk", flat=True))
        assert {unit.pk for unit in directory.expansion(group.pk)} == expected, group.name
        for unit in Unit.objects.all():
            covers = group.pk in directory.covering_groups(unit.pk)
            assert covers == (unit.pk in expected), (group.name, unit.name)


def test_expansions_are_listed_in_official_order(yanshi: Yanshi) -> None:
    directory = Directory.load()
    names = [unit.name for unit in directory.expansion(yanshi.groups["各镇（街道）"].pk)]
    assert names[:5] == ["首阳山街道", "商城街道", "槐新街道", "伊洛街道", "翟镇镇"]
    assert len(names) == 13
    assert directory.expansion(yanshi.groups["相关镇（街道）"].pk) == []


def test_filters_are_read_strictly() -> None:
    task_filter = TaskFilter.from_params(
        {"area": "3", "leader": "x", "lead": "0", "status": "done", "q": "  改造   小区 "}
    )
    assert task_filter == TaskFilter(area=3, status="done", q="改造 小区")
    assert task_filter.without("area") == TaskFilter(status="done", q="改造 小区")
    assert task_filter.restricted([1, 2], [], []).area is None
    assert parse_sort("-deadline") == ("deadline", True)
    assert parse_sort("password") == ("number", False)


def test_targets_read_as_people_write_them() -> None:
    assert format_number(Decimal("294.0000")) == "294"
    assert format_number(Decimal("100.0000")) == "100"
    assert format_number(Decimal("1.5000")) == "1.5"
    assert target_summary("新增企业", ">=", Decimal(50), None, "家") == "新增企业 ≥50家"
    assert target_summary("街区", "range", Decimal(2), Decimal(3), "个") == "街区 2—3个"
    assert target_summary("审批时限", "<=", Decimal(60), None, "个工作日") == "审批时限 ≤60个工作日"
    assert [chinese_numeral(n) for n in (1, 10, 12, 20, 99, 100)] == [
        "一",
        "十",
        "十二",
        "二十",
        "九十九",
        "100",
    ]
