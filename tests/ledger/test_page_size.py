"""The ledger's page size: 50 tasks a page, or 100, or all of them (200 a page at most).

The office reads all 98 tasks of the seed notice on one page; the choice stays with every link
of the page (pages, sorting, filters, clearing them, the export), and a plan of more than 200
tasks asked for "all" says that it shows them 200 at a time.
"""

from __future__ import annotations

import io
import re
from datetime import date
from html import unescape
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup
from django.test import Client
from openpyxl import load_workbook

from duban.ledger.models import Task, TaskStatus
from tests.support import factories
from tests.support.world import World


def add_tasks(world: World, count: int) -> None:
    """``count`` more tasks in the world's plan, after its 98 (a lead unit and a status each)."""
    units = [world.units["发改委"], world.units["住建局"], world.units["财政局"]]
    for i in range(count):
        factories.make_task(
            world.plan,
            f"补充任务{i + 1}：推进重点项目建设。",
            lead=[units[i % len(units)]],
            deadline=date(2023, 12, 31),
            status=list(TaskStatus)[i % 4],
        )


def page_of(client: Client, **params: str) -> tuple[list[str], BeautifulSoup]:
    """The numbers of the tasks on the page, and the page."""
    response = client.get("/ledger/", params)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "lxml")
    numbers = [cell.get_text(strip=True) for cell in soup.select("tr.task-row td.col-number")]
    return numbers, soup


def query_of(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(unescape(href)).query)


def test_fifty_tasks_a_page_unless_asked_for_more(world: World) -> None:
    client = world.as_office()
    numbers, soup = page_of(client)
    assert len(numbers) == 50
    assert "共98项任务" in soup.select_one(".found").get_text()
    assert soup.select_one('nav.pagination a[rel="next"]') is not None

    numbers, soup = page_of(client, page_size="100")
    assert len(numbers) == 98
    assert soup.select_one("nav.pagination") is None

    numbers, soup = page_of(client, page_size="all")
    assert numbers == [task.number for task in world.plan.tasks.order_by("position")]
    assert soup.select_one("nav.pagination") is None
    assert soup.select_one(".page-capped") is None  # 98 tasks: no need to say more

    # The choice is a select of the filter form, in Chinese, the current one selected.
    select = soup.select_one('select[name="page_size"]')
    assert [(o["value"], o.get_text()) for o in select.select("option")] == [
        ("", "每页50项"),
        ("100", "每页100项"),
        ("all", "全部（每页最多200项）"),
    ]
    assert select.select_one("option[selected]")["value"] == "all"


def test_an_unknown_page_size_is_the_default(world: World) -> None:
    client = world.as_office()
    for value in ("7", "1000", "ALL", "-1", "<b>"):
        numbers, soup = page_of(client, page_size=value)
        assert len(numbers) == 50, value
        assert soup.select_one('select[name="page_size"] option[selected]')["value"] == ""


def test_links_keep_the_page_size(world: World) -> None:
    add_tasks(world, 152)  # 250 tasks: three pages of 100
    client = world.as_office()
    status = TaskStatus.NOT_STARTED  # the 98 of the notice and 38 more
    numbers, soup = page_of(client, page_size="100")
    assert len(numbers) == 100

    # Pages, and sorting by a column.
    pages = [a["href"] for a in soup.select("nav.pagination a")]
    assert pages and all(query_of(href)["page_size"] == ["100"] for href in pages)
    sorts = [a["href"] for a in soup.select("thead a")]
    assert sorts and all(query_of(href)["page_size"] == ["100"] for href in sorts)

    # Filtering: the form sends the page size with the filters; the next page keeps both.
    numbers, soup = page_of(client, page_size="100", status=status)
    found = Task.objects.filter(plan=world.plan, status=status).count()
    assert found > 100
    assert len(numbers) == 100
    assert f"共{found}项任务" in soup.select_one(".found").get_text()
    next_page = soup.select_one('nav.pagination a[rel="next"]')["href"]
    assert query_of(next_page) == {"page_size": ["100"], "status": [status], "page": ["2"]}
    numbers, _soup = page_of(client, **{k: v[0] for k, v in query_of(next_page).items()})
    assert len(numbers) == found - 100

    # Clearing the filters keeps the page size (and nothing else).
    clear = soup.select_one(".filter-actions a.btn")["href"]
    assert query_of(clear) == {"page_size": ["100"]}

    # The export link keeps the page's query: its filters and its page size.
    export = soup.select_one('a[href^="/ledger/export.xlsx"]')["href"]
    assert query_of(export) == {"page_size": ["100"], "status": [status]}


def test_all_shows_200_a_page_and_says_so(world: World) -> None:
    add_tasks(world, 152)
    client = world.as_office()
    numbers, soup = page_of(client, page_size="all")
    assert len(numbers) == 200
    assert numbers[0] == "1"
    note = soup.select_one(".page-capped").get_text(strip=True)
    assert note == "每页最多显示200项任务，其余任务在后面的页中。"
    assert "共250项任务" in soup.select_one(".found").get_text()
    assert "（当前显示第1—200项）" in soup.select_one(".found").get_text()

    numbers, soup = page_of(client, page_size="all", page="2")
    assert len(numbers) == 50
    assert soup.select_one(".page-capped") is not None


def test_the_export_holds_every_task_the_filters_find_whatever_the_page_size(
    world: World,
) -> None:
    add_tasks(world, 152)
    client = world.as_office()
    status = TaskStatus.NOT_STARTED
    expected = list(
        Task.objects.filter(plan=world.plan, status=status)
        .order_by("position")
        .values_list("number", flat=True)
    )
    assert len(expected) > 50
    for page_size in ("", "100", "all"):
        params = {"status": status, "page": "2"}
        if page_size:
            params["page_size"] = page_size
        response = client.get("/ledger/export.xlsx", params)
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        numbers = [str(row[0]) for row in sheet.iter_rows(min_row=3, values_only=True)]
        assert numbers == expected, page_size


def test_the_page_size_is_no_filter(world: World) -> None:
    """Choosing a page size neither shows “clear filters” nor narrows what is counted."""
    client = world.as_office()
    _numbers, soup = page_of(client, page_size="100")
    assert soup.select_one(".filter-actions a.btn") is None
    counts = [o.get_text() for o in soup.select('select[name="status"] option')]
    assert sum(int(re.sub(r"\D", "", text) or 0) for text in counts[1:]) == 98
