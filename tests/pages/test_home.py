"""The home page is the person's day: the office's 待办 and the lights of the whole ledger, a
unit's tasks with what falls due and the notices it must answer, 朱蕾's tasks with their light,
progress and latest report; the administrators their own pages. Nothing says 即将推出."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
from django.test import Client
from django.utils import translation

from duban.core.todo import todo_for
from duban.ledger.models import Task, TaskLeader
from duban.lights.services import lights_for
from duban.supervision.services.notices import NoticeInput, issue_notice
from tests.support import year
from tests.support.world import World

APRIL = dt.date(2023, 4, 10)  # 2023Q1 is open and its reports were due on 31 March


@pytest.fixture(autouse=True)
def _april(settings: pytest.FixtureRequest) -> None:
    settings.DUBAN_TODAY = APRIL  # type: ignore[attr-defined]


def home(client: Client) -> tuple[str, object]:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode(), response.context["home"]


def tiles(page: str) -> dict[str, int]:
    """The light tiles of the page: colour → count."""
    return {
        colour: int(count)
        for colour, count in re.findall(r'data-colour="(\w+)" data-count="(\d+)"', page)
    }


def colours(tasks: object) -> Counter[str]:
    return Counter(str(light.colour) for light in lights_for(tasks, today=APRIL).values())  # type: ignore[arg-type]


def notify_fgw(world: World, number: str = "1") -> str:
    notice = issue_notice(
        task=world.task(number),
        data=NoticeInput(
            level="supervise",
            problem="一季度进展报告未按时报送。",
            requirement="请于4月20日前报送并说明原因。",
            reply_due=dt.date(2023, 4, 20),
            unit=world.unit("发改委"),
        ),
        user=world.office,
    )
    return notice.doc_number


def test_the_office_sees_its_todo_the_lights_and_the_period(world: World) -> None:
    year.report(world, world.task("1"), world.q1, investment="80", accept=False)  # to review
    number = notify_fgw(world)
    page, found = home(world.as_office())

    # 待办: exactly what duban.core.todo gives the office, by section, the report to review in it.
    todo = todo_for(world.office)
    assert found.todo.total == todo.total >= 1  # type: ignore[attr-defined]
    review = todo.section("reports_to_review")
    assert review is not None and len(review.items) == 1
    assert 'data-kind="reports_to_review" data-count="1"' in page
    for section in todo.sections:
        assert section.title in page

    # The lights of the whole ledger, each a link to the ledger filtered by that light.
    expected = colours(world.plan.tasks.all())
    shown = tiles(page)
    assert sum(shown.values()) == 98
    assert {c: n for c, n in shown.items() if n} == dict(expected)
    office = world.as_office()
    for colour, count in shown.items():
        assert f'href="/ledger/?light={colour}"' in page
        listed = office.get("/ledger/", {"light": colour})
        assert listed.context["page_obj"].paginator.count == count, colour

    # The current period: one report submitted, 97 not yet.
    assert "2023年第1季度进展报告" in page
    assert re.search(r'data-state="submitted">1<', page)
    assert re.search(r'data-state="missing">97<', page)
    # The open notices, counted; the office reads every task, so no list of its own tasks.
    assert found.notices_open == 1  # type: ignore[attr-defined]
    assert "1件未办结" in page and number not in page
    assert found.tasks is None  # type: ignore[attr-defined]
    assert 'id="home-tasks"' not in page


def test_a_unit_sees_its_tasks_what_falls_due_and_the_notices_it_must_answer(
    world: World,
) -> None:
    number = notify_fgw(world)
    page, found = home(world.as_unit("发改委"))

    # Its tasks: those that reach 发改委, lead or responsible, each with its light.
    mine = Task.objects.restrict(world.fgw).filter(plan=world.plan)
    lines = {line.task.number: line for line in found.tasks}  # type: ignore[attr-defined]
    assert set(lines) == set(mine.values_list("number", flat=True))
    assert page.count('class="task-row"') == mine.count()
    for number_ in ("1", "2", "3", "4", "30", "62", "66", "75"):
        assert lines[number_].role == "牵头单位"
    responsible = [line for line in lines.values() if line.role == "责任单位"]
    assert responsible
    assert all(line.light is not None for line in lines.values())
    # The lights count its own tasks and link to the ledger, which shows it the same.
    assert sum(tiles(page).values()) == mine.count()
    listed = world.as_unit("发改委").get("/ledger/", {"light": "red"})
    assert listed.context["page_obj"].paginator.count == tiles(page)["red"]

    # What falls due: task 1's Q1 report (due 31 March, overdue on 10 April); a task it is only
    # responsible for asks for its contribution.
    task_1 = lines["1"]
    assert task_1.due is not None
    assert (task_1.due.on, task_1.due.what, task_1.due.overdue) == (
        dt.date(2023, 3, 31),
        "2023年第1季度进展报告",
        True,
    )
    assert responsible[0].due is not None and responsible[0].due.what.endswith("配合材料")
    assert "2023年3月31日" in page

    # The 督办 notice addressed to it, with its reply date.
    assert [notice.doc_number for notice, _overdue in found.to_answer] == [number]  # type: ignore[attr-defined]
    assert number in page and "2023年4月20日前答复" in page
    # Another unit's home does not list it.
    other, _found = home(world.as_unit("工信局"))
    assert number not in other


def test_zhu_leis_home_lists_the_tasks_she_leads_with_light_progress_and_latest_report(
    world: World,
) -> None:
    led = TaskLeader.objects.filter(leader__name="朱蕾", task__plan=world.plan)
    assert led.count() == 19  # 朱蕾 leads 19 tasks of the seed notice
    year.report(world, world.task("1"), world.q1, investment="80", progress=30)
    page, found = home(world.as_leader("朱蕾"))

    lines = found.tasks  # type: ignore[attr-defined]
    assert len(lines) == 19 and page.count('class="task-row"') == 19
    assert {line.task.pk for line in lines} == set(led.values_list("task_id", flat=True))
    assert found.unit_home is False  # type: ignore[attr-defined]
    assert "我牵头的任务" in page
    # Every task with its light, worst first.
    shown = re.findall(r'class="task-row" data-task="[^"]+" data-light="(\w+)"', page)
    assert len(shown) == 19 and set(shown) <= {"green", "yellow", "red", "none"}
    assert page.count('class="light-dot light-') >= 19
    severity = {"red": 3, "yellow": 2, "green": 1, "none": 0}
    assert [severity[c] for c in shown] == sorted((severity[c] for c in shown), reverse=True)
    # Task 1: 30% from its accepted Q1 report, the report's state and date.
    task_1 = next(line for line in lines if line.task.number == "1")
    assert task_1.latest.progress == 30
    assert (task_1.latest.period_label, task_1.latest.state_label) == ("2023年第1季度", "已通过")
    row = re.search(r'data-task="1".*?</tr>', page, re.S)
    assert row is not None
    assert "30%" in row.group(0) and "已通过" in row.group(0) and "2023年3月31日" in row.group(0)
    # A task without a report says so.
    assert "未填报" in page
    # Her lights count her 19 tasks.
    assert sum(tiles(page).values()) == 19
    assert dict(Counter(shown)) == {c: n for c, n in tiles(page).items() if n}


def test_the_viewer_sees_the_lights_of_the_whole_ledger_and_nothing_to_do(world: World) -> None:
    page, found = home(world.as_viewer())
    assert sum(tiles(page).values()) == 98
    assert found.tasks is None  # type: ignore[attr-defined]
    assert "暂无待办事项" in page


@pytest.mark.parametrize(
    ("kind", "title", "url"),
    [
        ("security", "用户管理", "/accounts/users/"),
        ("system", "通知渠道", "/notifications/channels/"),
        ("audit", "审计日志", "/audit/"),
    ],
)
def test_an_administrator_finds_the_entry_to_their_own_pages(
    world: World, kind: str, title: str, url: str
) -> None:
    client = world.as_admin(kind)
    page, found = home(client)
    assert [entry.label for entry in found.entries] == [title]  # type: ignore[attr-defined]
    assert f'href="{url}"' in page
    assert client.get(url).status_code == 200
    # No business data on an administrator's home.
    assert "红黄绿灯" not in page and "待办" not in page.split("<main")[1]
    assert "偃政〔2023〕6号" not in page


def test_the_supervision_link_is_in_every_reader_of_the_ledgers_navigation(world: World) -> None:
    for client in (
        world.as_unit("发改委"),
        world.as_unit("缑氏镇"),
        world.as_leader("朱蕾"),
        world.as_office(),
        world.as_viewer(),
    ):
        page, _found = home(client)
        nav = page.split('<nav class="mainnav"')[1].split("</nav>")[0]
        assert 'href="/supervision/"' in nav
        assert client.get("/supervision/").status_code == 200
    admin, _found = home(world.as_admin("security"))
    assert 'href="/supervision/"' not in admin


def test_nothing_says_coming_next(world: World) -> None:
    for client in (
        world.as_office(),
        world.as_unit("发改委"),
        world.as_leader("朱蕾"),
        world.as_viewer(),
        world.as_admin("audit"),
    ):
        page, _found = home(client)
        assert "即将推出" not in page
        english = client.get("/", headers={"accept-language": "en"}).content.decode()
        assert "Coming next" not in english
    with translation.override("zh-hans"):
        assert translation.gettext("Our unit's tasks") == "本单位任务"
