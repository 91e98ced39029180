"""What the ledger keeps between requests follows every change the audit trail records.

Each task's light, report marks and latest report are kept per plan in the process
(``duban.ledger.memo``), the navigation's 待办 count and the directory while the trail has not
moved. A report submitted, a period opened, a light set by hand, a group given a member, a
change rolled back: the next page shows it, as if nothing were kept.
"""

from __future__ import annotations

import re
from datetime import date

from bs4 import BeautifulSoup
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from duban.core import clock
from duban.directory.models import GroupExpansion
from duban.ledger import views as ledger_views
from duban.ledger.memo import PlanMemo, trail
from duban.ledger.models import Task
from duban.ledger.queries import Directory
from duban.lights.services import PLAN_LIGHTS, set_override
from duban.reporting.models import Report, SlotUnit
from duban.reporting.services.periods import open_period
from duban.reporting.services.reports import ReportInput, save_report
from tests.support import factories
from tests.support.world import World


def row_of(client: Client, number: str) -> BeautifulSoup:
    page = BeautifulSoup(client.get("/ledger/", {"page_size": "all"}).content, "lxml")
    for row in page.select("tr.task-row"):
        if row.select_one("td.col-number").get_text(strip=True) == number:
            return row
    raise AssertionError(f"task {number} is not listed")


def state(client: Client, number: str) -> str:
    return row_of(client, number).select_one("td.col-progress .badge").get_text(strip=True)


def colour(client: Client, number: str) -> str:
    dot = row_of(client, number).select_one(".light-dot")
    return next(c for c in dot["class"] if c.startswith("light-") and c != "light-dot")


def submit_q1(world: World, number: str) -> Report:
    data = ReportInput(progress=30, progress_text="一季度完成项目前期工作。")
    with clock.pinned(date(2023, 3, 20)):
        return save_report(
            task=world.task(number),
            period=world.q1,
            user=world.fgw,
            data=data,
            version=None,
            submit=True,
        )


def test_a_submitted_report_shows_at_once(world: World) -> None:
    office = world.as_office()
    with clock.pinned(date(2023, 3, 20)):
        assert state(office, "1") == "未填报"  # kept from now on
        assert PLAN_LIGHTS.kept(world.plan.pk)
    submit_q1(world, "1")
    with clock.pinned(date(2023, 3, 20)):
        assert state(office, "1") == "已提交"
        assert state(office, "2") == "未填报"


def test_a_light_set_by_hand_shows_at_once(world: World) -> None:
    office = world.as_office()
    with clock.pinned(date(2023, 3, 20)):
        before = colour(office, "3")
        assert before != "light-red"
        set_override(world.office, world.task("3"), "red", "进度严重滞后。")
        assert colour(office, "3") == "light-red"
        red = office.get("/ledger/", {"light": "red", "page_size": "all"})
        numbers = [row.task.number for row in red.context["rows"]]
        assert "3" in numbers


def test_a_period_opened_changes_every_task(world: World) -> None:
    office = world.as_office()
    with clock.pinned(date(2023, 6, 20)):
        assert state(office, "1") == "未填报"  # 2023Q1, the latest period opened
        open_period(period=world.period("2023Q2"), user=None)
        assert row_of(office, "1").select_one("td.col-progress .muted").get_text() == (
            "2023年第2季度"
        )


def test_a_change_rolled_back_is_forgotten(world: World) -> None:
    office = world.as_office()
    with clock.pinned(date(2023, 3, 20)):
        assert state(office, "1") == "未填报"
        with transaction.atomic():
            sid = transaction.savepoint()
            submit_q1(world, "1")
            assert state(office, "1") == "已提交"  # kept at the report's event
            transaction.savepoint_rollback(sid)
        # The event remembered is gone: everything is worked out again.
        assert not Report.objects.exists()
        assert state(office, "1") == "未填报"


def test_a_plan_memo_recomputes_only_the_tasks_the_trail_names(world: World) -> None:
    computed: list[set[int]] = []

    def compute(tasks: object, today: date) -> dict[int, str]:
        found = {task.pk: task.status for task in tasks}  # type: ignore[attr-defined]
        computed.append(set(found))
        return found

    memo = PlanMemo("statuses", compute, global_types=("reporting.period",))
    first = dict(memo.values(world.plan.pk))
    assert len(first) == 98 and len(computed[-1]) == 98
    assert memo.values(world.plan.pk) == first and len(computed) == 1  # nothing happened

    task = world.task("5")
    task.status = "in_progress"
    task.save()  # an event that names task 5
    assert memo.values(world.plan.pk)[task.pk] == "in_progress"
    assert computed[-1] == {task.pk}

    added = Task.objects.create(plan=world.plan, position=99, number="99", text="新增任务。")
    assert memo.values(world.plan.pk)[added.pk] == "not_started"
    added.delete()
    assert added.pk not in memo.values(world.plan.pk)

    open_period(period=world.period("2023Q2"), user=None)  # concerns every task
    assert len(memo.values(world.plan.pk)) == 98 and len(computed[-1]) == 98


def test_a_new_member_of_a_group_is_no_stale_directory(world: World) -> None:
    """Members are set without an event of their own: the trail's fingerprint sees them."""
    group = factories.make_group("重点企业帮扶单位", GroupExpansion.MEMBERS, [world.unit("工信局")])
    fgw = world.unit("发改委")
    before = trail()
    assert [u.name for u in Directory.kept().expansion(group.pk)] == ["工信局"]
    group.members.add(fgw)
    assert trail() != before
    assert {u.name for u in Directory.kept().expansion(group.pk)} == {"工信局", "发改委"}


def test_the_navigation_count_follows_a_write(world: World) -> None:
    client = world.as_unit("发改委")

    def count(page: str) -> int:
        found = BeautifulSoup(page, "lxml").select_one(".todo-count")
        return int(found["data-count"]) if found is not None else 0

    with clock.pinned(date(2023, 3, 20)):
        before = count(client.get("/ledger/").content.decode())
        submit_q1(world, "1")  # one report less to write
        after = count(client.get("/ledger/").content.decode())
    assert after == before - 1


def test_a_page_asked_again_reads_no_row_until_something_changes(world: World) -> None:
    """The page's rows and their table body are kept (``views._PAGES``): asked again, the
    page is the same and reads no task; a change shows at once, in every column set."""
    office = world.as_office()
    url = "/ledger/?page_size=all"
    ledger_views._PAGES.clear()  # an earlier test may have asked this page of the same world
    with clock.pinned(date(2023, 3, 20)):
        with CaptureQueriesContext(connection) as read:
            first = office.get(url)
        with CaptureQueriesContext(connection) as again:
            second = office.get(url)
        body = [
            BeautifulSoup(r.content, "lxml").select_one("table.ledger-table tbody")
            for r in (first, second)
        ]
        assert body[0] is not None and body[0] == body[1]
        rows_read = [q for q in read if '"ledger_task"' in q["sql"] and "LIMIT" in q["sql"]]
        assert rows_read  # the page's tasks, read the first time…
        assert not any('"ledger_task"' in q["sql"] and "LIMIT" in q["sql"] for q in again)
        task = world.task("7")
        task.text = "新的任务表述：建成区域物流中心。"
        task.save()
        assert "新的任务表述：建成区域物流中心。" in office.get(url).content.decode()
        # The same rows under the English interface are written in English, not reused.
        office.cookies["django_language"] = "en"
        english = office.get(url).content.decode()
        rows = str(BeautifulSoup(english, "lxml").select_one("table.ledger-table tbody"))
        assert 'data-label="Lead units"' in rows and "牵头单位" not in rows


def test_counts_are_read_again_only_when_the_ledger_or_the_directory_changes(
    world: World,
) -> None:
    """The database's part of the filters' counts (``views._FACET_ROWS``) is kept across a
    light set by hand — which changes only the light counts, worked out afresh — and read
    again when a task moves to another area."""

    def number(label: str) -> int:  # "二、…（12）" → 12
        return int(re.search(r"(\d+)\D*$", label)[1])  # type: ignore[index]

    def counts(client: Client) -> tuple[dict[str, int], dict[str, int], list[str]]:
        with CaptureQueriesContext(connection) as asked:
            options = client.get("/ledger/").context["options"]
        grouped = [q["sql"] for q in asked if "'area' AS \"kind\"" in q["sql"]]
        light = next(f for f in options["facets"] if f.facet.name == "light")
        lights = {o.value: number(o.label) for o in light.options}
        areas = {o.value: number(o.label) for o in options["areas"]}
        return lights, areas, grouped

    office = world.as_office()
    ledger_views._FACET_ROWS.clear()
    with clock.pinned(date(2023, 3, 20)):
        lights, areas, grouped = counts(office)
        assert grouped  # read the first time
        set_override(world.office, world.task("3"), "red", "进度严重滞后。")
        red_lights, same_areas, grouped = counts(office)
        assert not grouped and same_areas == areas
        assert red_lights.get("red", 0) == lights.get("red", 0) + 1
        task = world.task("3")
        other = next(a for a in world.plan.areas.all() if a.pk != task.area_id)
        task.area = other
        task.save()
        _lights, moved_areas, grouped = counts(office)
        assert grouped
        assert moved_areas[str(other.pk)] == areas[str(other.pk)] + 1


def test_a_unit_named_behind_a_placeholder_is_counted_at_once(world: World) -> None:
    """The units a lead unit names behind an open placeholder (reporting's ``SlotUnit``) are
    ledger data for the kept counts (``memo.LEDGER_DATA``): 缑氏镇 named behind task 2's
    相关镇（街道） is found and counted on the next page."""
    office = world.as_office()
    placeholder = world.task("2").assignments.get(group__name="相关镇（街道）")
    town = world.unit("缑氏镇")
    param = "lead" if placeholder.role == "lead" else "responsible"

    def found() -> int:
        response = office.get("/ledger/", {param: town.pk, "page_size": "all"})
        return int(response.context["page_obj"].paginator.count)

    before = found()
    SlotUnit.objects.create(assignment=placeholder, unit=town)  # audited: reporting.slotunit
    assert found() == before + 1
