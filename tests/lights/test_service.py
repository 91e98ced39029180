"""Lights on the real seed: the service, the task page, the ledger list, the office's override."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from duban.audit.models import AuditEvent
from duban.ledger.models import Task, TaskStatus
from duban.lights.models import LightOverride, LightSettings
from duban.lights.rules import Colour
from duban.lights.services import current_rules, light_for, lights_for
from duban.reporting.models import Milestone, QuarterPlan, Refinement, ReviewState
from duban.reporting.services import reports
from tests.support.world import World

SHANGHAI = ZoneInfo("Asia/Shanghai")
APRIL_5 = datetime(2023, 4, 5, 10, 0, tzinfo=SHANGHAI)
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def submit_q1(world: World, number: str, progress: int, when: datetime) -> None:
    with time_machine.travel(when, tick=False):
        reports.save_report(
            task=world.task(number),
            period=world.q1,
            user=world.fgw,
            data=reports.ReportInput(progress=progress, progress_text="一季度推进情况。"),
            version=0,
            submit=True,
        )


def refine(task: Task, percents: tuple[int, ...], milestone_due: date | None = None) -> None:
    refinement = Refinement.objects.create(task=task, state=ReviewState.ACCEPTED)
    for quarter, percent in enumerate(percents, start=1):
        QuarterPlan.objects.create(refinement=refinement, quarter=quarter, expected_percent=percent)
    if milestone_due is not None:
        Milestone.objects.create(
            refinement=refinement, position=1, description="完成项目谋划", due_on=milestone_due
        )


def test_task_1_is_red_once_its_q1_report_is_overdue(world: World) -> None:
    task = world.task("1")
    assert world.q1.state == "open" and world.q1.due_on == date(2023, 3, 31)
    assert light_for(task, today=date(2023, 3, 20)).colour == Colour.NONE
    assert light_for(task, today=date(2023, 3, 29)).colour == Colour.YELLOW
    light = light_for(task, today=date(2023, 4, 5))
    assert light.colour == Colour.RED
    assert [(r.code, r.params["days"]) for r in light.reasons] == [("report_missing", 5)]
    # Periods the office has not opened yet do not count: Q2's due date is not the unit's fault.
    assert light_for(task, today=date(2023, 7, 5)).reasons[0].params["period"] == "2023年第1季度"
    assert len(light_for(task, today=date(2023, 7, 5)).reasons) == 1


def test_the_reason_is_shown_on_the_task_page(world: World, client: Client) -> None:
    with time_machine.travel(APRIL_5, tick=False):
        page = english(world.as_leader("朱蕾", client)).get(f"/ledger/tasks/{world.task('1').pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-light="red"' in html
    assert "The Q1 2023 report was due 2023年3月31日 and is 5 day(s) overdue." in html
    assert "Set the light by hand" not in html  # the leader reads, the office overrides


def test_the_task_page_in_chinese_names_the_light(world: World, client: Client) -> None:
    with time_machine.travel(APRIL_5, tick=False):
        page = world.as_office(client).get(f"/ledger/tasks/{world.task('1').pk}/")
    assert page.status_code == 200
    assert 'class="light-badge light-red"' in page.content.decode()


def test_a_submitted_report_on_pace_is_green_and_behind_is_red(world: World) -> None:
    submit_q1(world, "2", 25, datetime(2023, 3, 30, 9, 0, tzinfo=SHANGHAI))
    submit_q1(world, "3", 5, datetime(2023, 3, 30, 9, 0, tzinfo=SHANGHAI))
    submit_q1(world, "4", 30, datetime(2023, 4, 3, 9, 0, tzinfo=SHANGHAI))  # 3 days late
    tasks = [world.task(n) for n in ("1", "2", "3", "4")]
    lights = lights_for(tasks, today=date(2023, 4, 5))
    by_number = {task.number: lights[task.pk] for task in tasks}
    assert by_number["1"].colour == Colour.RED
    assert by_number["2"].colour == Colour.GREEN
    # 31 March is 90/365 of the year: 25 % expected without a refinement; 5 % is 20 behind.
    three = by_number["3"]
    assert three.colour == Colour.YELLOW
    assert three.reasons[0].code == "behind_pace"
    assert (three.reasons[0].params["expected"], three.reasons[0].params["reported"]) == (25, 5)
    assert [r.code for r in by_number["4"].reasons] == ["report_late"]
    assert by_number["4"].reasons[0].params["days"] == 3


def test_the_refinement_sets_the_pace_and_its_milestones_count(world: World) -> None:
    task = world.task("2")
    refine(task, (60, 70, 80, 100), milestone_due=date(2023, 4, 2))
    submit_q1(world, "2", 25, datetime(2023, 3, 30, 9, 0, tzinfo=SHANGHAI))
    light = light_for(Task.objects.get(pk=task.pk), today=date(2023, 4, 5))
    assert light.colour == Colour.RED
    assert [r.code for r in light.reasons] == ["milestone_overdue", "behind_pace"]
    assert light.reasons[1].params["expected"] == 60 and light.reasons[1].params["planned"]


def test_a_draft_refinement_does_not_count(world: World) -> None:
    task = world.task("2")
    refine(task, (60, 70, 80, 100))
    Refinement.objects.filter(task=task).update(state=ReviewState.DRAFT)
    submit_q1(world, "2", 25, datetime(2023, 3, 30, 9, 0, tzinfo=SHANGHAI))
    assert light_for(task, today=date(2023, 4, 5)).colour == Colour.GREEN


def test_a_completed_task_is_green(world: World) -> None:
    task = world.task("1")
    task.status = TaskStatus.DONE
    task.save()
    light = light_for(task, today=date(2023, 4, 5))
    assert (light.colour, [r.code for r in light.reasons]) == (Colour.GREEN, ["done"])


def test_the_settings_change_the_thresholds(world: World) -> None:
    LightSettings.objects.create(pk=1, days_before_yellow=10)
    assert light_for(world.task("1"), today=date(2023, 3, 22)).colour == Colour.YELLOW


def ledger_queries(client: Client, plan_id: int) -> int:
    client.get("/ledger/", {"plan": plan_id})
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/ledger/", {"plan": plan_id})
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_ledger_list_shows_lights_in_constant_queries(world: World, client: Client) -> None:
    with time_machine.travel(APRIL_5, tick=False):
        office = english(world.as_office(client))
        refine(world.task("2"), (25, 50, 75, 100), milestone_due=date(2023, 5, 1))
        submit_q1(world, "2", 20, datetime(2023, 3, 30, 9, 0, tzinfo=SHANGHAI))
        few = ledger_queries(office, world.plan.pk)
        page = office.get("/ledger/", {"plan": world.plan.pk}).content.decode()
        for number in ("3", "4", "30"):
            refine(world.task(number), (25, 50, 75, 100), milestone_due=date(2023, 5, 1))
            submit_q1(world, number, 10, datetime(2023, 4, 1, 9, 0, tzinfo=SHANGHAI))
        many = ledger_queries(office, world.plan.pk)
    assert few == many
    assert 'class="light-dot light-red"' in page
    assert "The Q1 2023 report was due 2023年3月31日 and is 5 day(s) overdue." in page


def test_the_leader_and_unit_pages_show_lights(world: World, client: Client) -> None:
    with time_machine.travel(APRIL_5, tick=False):
        office = world.as_office(client)
        leader = world.zhulei.membership.leader  # type: ignore[attr-defined]
        unit = world.fgw.membership.unit  # type: ignore[attr-defined]
        for url in (f"/ledger/leaders/{leader.pk}/", f"/ledger/units/{unit.pk}/"):
            html = office.get(url).content.decode()
            assert "light-dot light-red" in html, url


# --- The override ----------------------------------------------------------------------------


def test_the_office_sets_and_removes_an_override(world: World, client: Client) -> None:
    task = world.task("1")
    url = f"/lights/tasks/{task.pk}/override/"
    with time_machine.travel(APRIL_5, tick=False):
        office = english(world.as_office(client))
        refused = office.post(url, {"colour": "green", "reason": "  "})
        assert refused.status_code == 400
        assert not LightOverride.objects.exists()
        response = office.post(
            url, {"colour": "green", "reason": "市领导已协调，延期至4月10日报送"}
        )
        assert response.status_code == 302
        assert response["Location"] == f"/ledger/tasks/{task.pk}/#light"
        light = light_for(task)
        assert (light.colour, light.computed, light.overridden) == (Colour.GREEN, Colour.RED, True)
        html = office.get(f"/ledger/tasks/{task.pk}/").content.decode()
        assert 'data-light="green"' in html
        assert "Set by the supervision office: 市领导已协调，延期至4月10日报送" in html
        assert "By the rules: Red light" in html
        listed = office.get("/ledger/", {"plan": world.plan.pk}).content.decode()
        assert "light-dot light-green light-overridden" in listed

        assert office.post(url + "remove/").status_code == 302
        assert light_for(Task.objects.get(pk=task.pk)).colour == Colour.RED
    override = AuditEvent.objects.filter(object_type="lights.lightoverride", task_id=task.pk)
    assert override.count() == 2


@pytest.mark.parametrize("who", ["fgw", "zhulei", "goushi"])
def test_others_may_not_override(world: World, client: Client, who: str) -> None:
    task = world.task("1")
    LightOverride.objects.create(task=task, colour="green", reason="已协调")
    other = world.as_user(world.user(who), client)
    url = f"/lights/tasks/{task.pk}/override/"
    assert other.post(url, {"colour": "red", "reason": "x"}).status_code == 403
    assert other.post(url + "remove/").status_code == 403
    assert other.get("/lights/settings/").status_code == 403
    assert LightOverride.objects.get(task=task).colour == "green"


def test_unknown_task_is_404(world: World, client: Client) -> None:
    office = world.as_office(client)
    assert office.post("/lights/tasks/999999/override/", {"colour": "red"}).status_code == 404


def test_the_office_edits_the_settings(world: World, client: Client) -> None:
    office = world.as_office(client)
    assert office.get("/lights/settings/").status_code == 200
    bad = office.post(
        "/lights/settings/", {"days_before_yellow": 3, "pace_yellow": 40, "pace_red": 30}
    )
    assert bad.status_code == 400
    good = office.post(
        "/lights/settings/",
        {"days_before_yellow": 5, "pace_yellow": 15, "pace_red": 35, "time_pace": "on"},
    )
    assert good.status_code == 302
    saved = LightSettings.current()
    assert (saved.pk, saved.days_before_yellow, saved.pace_yellow, saved.pace_red) == (1, 5, 15, 35)
    assert saved.updated_by == world.office


def test_the_light_speaks_chinese() -> None:
    from django.utils import translation

    with translation.override("zh-hans"):
        assert translation.gettext("Red light") == "红灯"


def test_the_task_panel_costs_a_fixed_few_queries(world: World, rf: object) -> None:
    """The thresholds (kept while the audit trail stands still: outside a request, one look at
    the trail), opened periods, reports (+ milestones, reached, quarters once refined); asked
    again for the same task (the supervision panel does), the light costs nothing."""
    from django.template import Context, Template

    def panel_queries(number: str) -> int:
        task = Task.objects.select_related("plan", "refinement", "light_override").get(
            plan=world.plan, number=number
        )
        request = rf.get("/")  # type: ignore[attr-defined]
        request.user = world.office
        template = Template("{% load light_tags %}{% light_panel task %}")
        with time_machine.travel(APRIL_5, tick=False):
            world.office.membership  # noqa: B018 - the permission rule's cache, read once
            current_rules()  # kept from now on
            with CaptureQueriesContext(connection) as captured:
                html = template.render(Context({"task": task, "request": request}))
                again = light_for(task)
        assert "light-panel" in html and again.colour
        return len(captured.captured_queries)

    assert panel_queries("1") == 3
    refine(world.task("2"), (25, 50, 75, 100), milestone_due=date(2023, 5, 1))
    submit_q1(world, "2", 25, datetime(2023, 3, 30, 9, 0, tzinfo=SHANGHAI))
    assert panel_queries("2") == 6
