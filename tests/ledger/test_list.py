"""The ledger page: Wang Fang of the supervision office looks for tasks the way offices ask.

"What does 缑氏镇 have to do?" must also find the tasks the notice gave to 各镇（街道）, and
"what do the streets have?" the tasks given to 各街道 — but not the ones left to
相关镇（街道）, which the lead unit names later.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from duban.ledger.models import Task, TaskStatus
from tests.support import factories
from tests.support.factories import Yanshi


def listed(client: Client, **params: Any) -> list[Task]:
    response = client.get("/ledger/", params)
    assert response.status_code == 200
    return [row.task for row in response.context["rows"]]


def keys(story: Yanshi, tasks: list[Task]) -> set[str]:
    names = {task.pk: key for key, task in story.tasks.items()}
    return {names[task.pk] for task in tasks}


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_login(client: Client) -> None:
    for url in ("/ledger/", "/ledger/tasks/1/", "/ledger/export.xlsx", "/ledger/plans/1/source"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_without_a_plan_the_office_is_told_to_import_one(office_client: Client) -> None:
    response = office_client.get("/ledger/")
    assert response.status_code == 200
    assert "尚未导入任何台账" in response.content.decode()


def test_the_ledger_shows_the_newest_plan_in_the_notices_order(
    office_client: Client, yanshi: Yanshi
) -> None:
    factories.make_plan(2022)  # last year's: not the one shown
    response = office_client.get("/ledger/")
    page = response.content.decode()

    assert response.context["nav"] == "ledger"
    assert response.context["plan"] == yanshi.plan
    assert [row.task for row in response.context["rows"]] == list(yanshi.plan.tasks.all())
    assert "2023年重点工作台账" in page
    assert "偃政〔2023〕6号" in page and "2023年5月4日" in page
    assert '<main class="content wide">' in page
    # The columns of a ledger, and the first task as the notice wrote it.
    for heading in ("序号", "重点任务", "牵头领导", "牵头单位", "责任单位", "完成时限", "状态"):
        assert f">{heading}<" in page
    assert "清单化、台账化推进总投资863亿元的270个项目" in page
    assert "年度完成投资 294亿元" in page  # its targets, compactly
    assert "竣工投产项目 ≥16个" in page
    assert "一、围绕实体经济扩投资" in page  # area headings in the notice's order
    assert "2023年12月31日" in page
    assert '<span class="badge in_progress">推进中</span>' in page
    assert f'href="/ledger/tasks/{yanshi.tasks["projects"].pk}/"' in page
    assert f'href="/ledger/leaders/{yanshi.leaders["朱蕾"].pk}/"' in page
    assert f'href="/ledger/units/{yanshi.units["发改委"].pk}/"' in page


def test_a_group_is_shown_as_written_with_its_members_on_hover(
    office_client: Client, yanshi: Yanshi
) -> None:
    page = office_client.get("/ledger/").content.decode()
    members = "、".join(name for name, _code in factories.STREETS + factories.TOWNS)
    assert f'title="{members}" tabindex="0">各镇（街道）</span>' in page
    assert 'title="首阳山街道、商城街道、槐新街道、伊洛街道" tabindex="0">各街道</span>' in page
    assert 'title="由牵头单位另行明确" tabindex="0">相关镇（街道）</span>' in page


def test_another_plan_is_chosen_with_the_plan_parameter(
    office_client: Client, yanshi: Yanshi
) -> None:
    older = factories.make_plan(2022)
    factories.make_task(older, "2022年的任务：完成农村道路改造。", lead=[yanshi.units["住建局"]])
    response = office_client.get("/ledger/", {"plan": older.pk})
    texts = [row.task.text for row in response.context["rows"]]
    assert texts == ["2022年的任务：完成农村道路改造。"]
    page = response.content.decode()
    assert 'id="plan-switch"' in page  # two plans: a selector
    assert f'<input type="hidden" name="plan" value="{older.pk}">' in page
    assert office_client.get("/ledger/", {"plan": 99999}).status_code == 404


def test_filter_by_area_leader_and_status(office_client: Client, yanshi: Yanshi) -> None:
    assert keys(yanshi, listed(office_client, area=yanshi.areas[3].pk)) == {
        "old_town",
        "centre",
        "permits",
    }
    assert keys(yanshi, listed(office_client, leader=yanshi.leaders["朱蕾"].pk)) == {
        "projects",
        "batteries",
        "centre",
    }
    assert keys(yanshi, listed(office_client, status=TaskStatus.LAGGING)) == {"batteries"}
    both = listed(office_client, leader=yanshi.leaders["张伟"].pk, status=TaskStatus.IN_PROGRESS)
    assert keys(yanshi, both) == {"centre"}


def test_filter_by_lead_unit(office_client: Client, yanshi: Yanshi) -> None:
    housing = yanshi.units["住建局"].pk
    assert keys(yanshi, listed(office_client, lead=housing)) == {"old_town", "centre", "permits"}
    # 城管局 leads one task, and is responsible on another: only the first is "lead".
    assert keys(yanshi, listed(office_client, lead=yanshi.units["城管局"].pk)) == {"centre"}


def test_a_town_finds_the_tasks_of_every_town_and_street(
    office_client: Client, yanshi: Yanshi
) -> None:
    goushi = yanshi.units["缑氏镇"].pk
    # By name (old_town) and through 各镇（街道） (projects); never through 相关镇（街道）.
    assert keys(yanshi, listed(office_client, responsible=goushi)) == {"projects", "old_town"}
    dakou = yanshi.units["大口镇"].pk
    assert keys(yanshi, listed(office_client, responsible=dakou)) == {"projects"}


def test_a_street_finds_the_tasks_of_every_street(office_client: Client, yanshi: Yanshi) -> None:
    yiluo = yanshi.units["伊洛街道"].pk
    assert keys(yanshi, listed(office_client, responsible=yiluo)) == {"projects", "night_market"}
    # 商城街道 is also one of the three central streets, a group listed by its members.
    shangcheng = yanshi.units["商城街道"].pk
    assert keys(yanshi, listed(office_client, responsible=shangcheng)) == {
        "projects",
        "night_market",
        "centre",
    }


def test_a_town_does_not_find_the_open_slot_nor_the_streets(
    office_client: Client, yanshi: Yanshi
) -> None:
    found = keys(yanshi, listed(office_client, responsible=yanshi.units["岳滩镇"].pk))
    assert "batteries" not in found  # 相关镇（街道）: named later by the lead unit
    assert "night_market" not in found  # 各街道: a town is not a street
    assert found == {"projects"}


def test_a_department_does_not_match_groups(office_client: Client, yanshi: Yanshi) -> None:
    assert keys(yanshi, listed(office_client, responsible=yanshi.units["工信局"].pk)) == {"permits"}
    assert keys(yanshi, listed(office_client, responsible=yanshi.units["投促中心"].pk)) == {
        "projects"
    }


def test_an_inactive_town_is_no_longer_covered_by_the_group(
    office_client: Client, yanshi: Yanshi
) -> None:
    """Group.expansion_filter() covers active towns only; the ledger follows it."""
    dakou = yanshi.units["大口镇"]
    dakou.active = False
    dakou.save()
    assert listed(office_client, responsible=dakou.pk) == []


def test_free_text_searches_text_number_and_targets(office_client: Client, yanshi: Yanshi) -> None:
    assert keys(yanshi, listed(office_client, q="老旧小区")) == {"old_town"}
    # Task number 5 (its number is matched whole), and the text with "15万吨".
    assert keys(yanshi, listed(office_client, q="5")) == {"centre", "batteries"}
    assert keys(yanshi, listed(office_client, q="改造")) == {"old_town", "centre"}
    assert keys(yanshi, listed(office_client, q="工作日")) == {"permits"}
    # Both words must appear.
    assert keys(yanshi, listed(office_client, q="改造  微循环")) == {"centre"}
    response = office_client.get("/ledger/", {"q": "不存在的内容"})
    assert response.context["rows"] == []
    assert "没有符合筛选条件的任务" in response.content.decode()


def test_counts_per_option_follow_the_other_filters(office_client: Client, yanshi: Yanshi) -> None:
    """Each filter's counts apply every other current filter, never the filter itself."""
    response = office_client.get("/ledger/")
    assert response.context["page_obj"].paginator.count == 6
    assert "共6项任务" in response.content.decode()
    options = response.context["options"]
    areas = {o.value: o.label for o in options["areas"]}
    first_area = "一、围绕实体经济扩投资，培育现代化偃师建设新动能工作（2）"
    assert areas[str(yanshi.areas[1].pk)] == first_area
    assert areas[str(yanshi.areas[3].pk)].endswith("（3）")
    statuses = {o.value: o.label for o in options["statuses"]}
    assert statuses == {
        "not_started": "未启动（2）",
        "in_progress": "推进中（2）",
        "done": "已完成（1）",
        "lagging": "滞后（1）",
    }
    responsible = {o.label for _kind, group in options["responsible"] for o in group}
    assert {"缑氏镇（2）", "大口镇（1）", "商城街道（3）", "伊洛街道（2）"} <= responsible
    leaders = {o.label for o in options["leaders"]}
    assert leaders == {"朱蕾（3）", "张伟（3）", "刘洋（1）"}

    # With area 3 chosen: statuses count area 3 only; areas still count every area.
    response = office_client.get("/ledger/", {"area": yanshi.areas[3].pk})
    assert response.context["page_obj"].paginator.count == 3
    options = response.context["options"]
    statuses = {o.value: o.label for o in options["statuses"]}
    assert statuses["not_started"] == "未启动（2）"
    assert statuses["lagging"] == "滞后（0）"
    assert [o.label[-3:] for o in options["areas"]] == ["（2）", "（1）", "（3）"]
    chosen = [o for o in options["areas"] if o.selected]
    assert [o.value for o in chosen] == [str(yanshi.areas[3].pk)]
    lead = {o.label for _kind, group in options["lead"] for o in group}
    assert lead == {"住建局（3）", "城管局（1）"}  # 住建局 is the second lead unit of centre
    # Units that would find nothing under the other filters are left out of the list.
    responsible = {o.label for _kind, group in options["responsible"] for o in group}
    assert "大口镇（0）" not in responsible and "缑氏镇（1）" in responsible


def test_sorting_by_each_column(office_client: Client, yanshi: Yanshi) -> None:
    t = yanshi.tasks
    notice_order = [t[key] for key in ("projects", "batteries", "night_market")] + [
        t[key] for key in ("old_town", "centre", "permits")
    ]
    assert listed(office_client) == notice_order
    assert listed(office_client, sort="-number") == notice_order[::-1]
    assert listed(office_client, sort="area") == notice_order
    assert listed(office_client, sort="-area")[:3] == [t["old_town"], t["centre"], t["permits"]]
    # Deadlines: earliest first, tasks without a deadline last either way.
    assert listed(office_client, sort="deadline") == [
        t["permits"],
        t["batteries"],
        t["night_market"],
        t["centre"],
        t["projects"],
        t["old_town"],
    ]
    assert listed(office_client, sort="-deadline")[0] == t["projects"]
    assert listed(office_client, sort="-deadline")[-1] == t["old_town"]
    # Status: what needs attention first.
    assert [task.status for task in listed(office_client, sort="status")] == [
        "lagging",
        "not_started",
        "not_started",
        "in_progress",
        "in_progress",
        "done",
    ]
    # Lead unit: by the first lead unit as written, so one unit's tasks come together in the
    # notice's order (住建局 leads old_town and permits; centre is led first by 城管局). Which
    # unit comes first is the database's collation (code points, or pinyin on a zh_CN one).
    first_lead = {
        task.pk: task.assignments.get(role="lead", position=1).name for task in t.values()
    }
    by_lead = listed(office_client, sort="lead")
    names = [first_lead[task.pk] for task in by_lead]
    assert len(by_lead) == 6
    assert names == sorted(names, key=names.index)  # each unit's tasks are together
    housing = [task for task in by_lead if first_lead[task.pk] == "住建局"]
    assert housing == [t["old_town"], t["permits"]]
    reverse = [first_lead[task.pk] for task in listed(office_client, sort="-lead")]
    assert list(dict.fromkeys(reverse)) == list(dict.fromkeys(names))[::-1]
    # Unknown sort keys fall back to the notice's order.
    assert listed(office_client, sort="drop table") == notice_order


def test_sort_headers_flip_direction_and_keep_filters(
    office_client: Client, yanshi: Yanshi
) -> None:
    params = {"area": yanshi.areas[3].pk, "sort": "deadline", "page": 1}
    page = office_client.get("/ledger/", params)
    html = page.content.decode()
    area = yanshi.areas[3].pk
    assert f'aria-sort="ascending"><a href="?area={area}&amp;sort=-deadline">' in html
    assert f'<a href="?area={area}&amp;sort=status">' in html


def test_pages_of_fifty_keep_the_filters(office_client: Client, yanshi: Yanshi) -> None:
    factories.add_filler_tasks(yanshi, 120)
    first = office_client.get("/ledger/", {"responsible": yanshi.units["岳滩镇"].pk})
    page = first.context["page_obj"]
    # 120 fillers: 80 through 各镇（街道）, plus those naming 岳滩镇 directly, plus "projects".
    assert page.paginator.count > 80
    assert len(first.context["rows"]) == 50
    html = first.content.decode()
    town = yanshi.units["岳滩镇"].pk
    assert f'href="?responsible={town}&amp;page=2"' in html
    second = office_client.get("/ledger/", {"responsible": town, "page": 2})
    assert second.context["page_obj"].number == 2
    assert {row.task.pk for row in second.context["rows"]}.isdisjoint(
        {row.task.pk for row in first.context["rows"]}
    )
    # A page past the end shows the last page rather than an error.
    assert office_client.get("/ledger/", {"page": 999}).context["page_obj"].number == 3


def test_htmx_refresh_returns_only_the_ledger_fragment(
    office_client: Client, yanshi: Yanshi
) -> None:
    response = office_client.get(
        "/ledger/",
        {"status": "lagging"},
        headers={"HX-Request": "true", "HX-Target": "ledger"},
    )
    html = response.content.decode()
    assert html.startswith('<div id="ledger"')
    assert "<html" not in html
    assert "确保优箔年产15万吨电池箔" in html
    assert "HX-Request" in response["Vary"]
    # The export button carries the current filters.
    assert 'href="/ledger/export.xlsx?status=lagging"' in html
    # A history restore needs the whole page.
    restore = office_client.get(
        "/ledger/",
        headers={"HX-Request": "true", "HX-Target": "ledger", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in restore.content.decode()


def test_the_filter_form_works_with_and_without_htmx(office_client: Client, yanshi: Yanshi) -> None:
    html = office_client.get("/ledger/").content.decode()
    assert 'method="get" action="/ledger/"' in html
    assert 'hx-get="/ledger/" hx-target="#ledger"' in html
    assert 'hx-push-url="true"' in html
    assert "导出Excel" in html


def test_malformed_filters_are_ignored(office_client: Client, yanshi: Yanshi) -> None:
    response = office_client.get(
        "/ledger/", {"area": "abc", "leader": "-3", "lead": "", "status": "finished", "page": "x"}
    )
    assert response.status_code == 200
    assert len(response.context["rows"]) == 6
    assert not response.context["filter"].active
