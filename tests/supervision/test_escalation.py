"""The escalation rule: a second yellow in a period suggests a 督办, a red suggests a 约谈; the
period is one of the plan's own periods (never a calendar quarter it may not have), named to the
office in Chinese."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from duban.lights.models import LightRecord
from duban.reporting.models import Period
from duban.supervision.escalation import (
    SUMMONS,
    SUPERVISE,
    EscalationRule,
    LightEvent,
    PeriodSpan,
    Suggestion,
    period_for,
    suggestions,
)
from duban.supervision.services.notices import light_events
from duban.supervision.templatetags import supervision_tags
from tests.support.world import World

Q1 = PeriodSpan("2023Q1", "2023年第1季度", date(2023, 3, 1), date(2023, 3, 31))
Q2 = PeriodSpan("2023Q2", "2023年第2季度", date(2023, 6, 1), date(2023, 6, 30))
Q4 = PeriodSpan("2023Q4", "2023年第4季度", date(2023, 12, 1), date(2023, 12, 31))
YEAR_END = PeriodSpan("2023Y", "2023年年终", date(2023, 12, 1), date(2023, 12, 31))
PLAN = [YEAR_END, Q4, Q2, Q1]  # no Q3: this plan does not have it


def in_plan(on: date, colour: str) -> LightEvent:
    return LightEvent.within(on, colour, PLAN)


def test_a_light_belongs_to_the_period_containing_its_day_else_the_next() -> None:
    assert period_for(date(2023, 3, 1), PLAN) == Q1
    assert period_for(date(2023, 3, 31), PLAN) == Q1
    assert period_for(date(2023, 1, 5), PLAN) == Q1  # before the first: the next to open
    assert period_for(date(2023, 4, 10), PLAN) == Q2  # between Q1 and Q2: the next, Q2
    assert period_for(date(2023, 8, 5), PLAN) == Q4  # no Q3 in this plan: never "2023Q3"
    assert period_for(date(2023, 12, 15), PLAN) == Q4  # Q4 and the year-end overlap
    assert period_for(date(2024, 1, 10), PLAN) is None  # after the last period
    assert period_for(date(2023, 5, 1), []) is None
    moved = PeriodSpan("2023Q1", "2023年第1季度", date(2023, 3, 1), date(2023, 4, 15))
    assert period_for(date(2023, 4, 10), [moved, Q2]) == moved  # its dates, not the calendar


def test_nothing_for_green_or_a_single_yellow() -> None:
    events = [in_plan(date(2023, 4, 10), "green"), in_plan(date(2023, 5, 10), "yellow")]
    assert suggestions(events) == []


def test_second_yellow_in_a_period_suggests_a_notice() -> None:
    events = [
        in_plan(date(2023, 5, 20), "yellow"),
        in_plan(date(2023, 4, 10), "yellow"),
        in_plan(date(2023, 6, 1), "yellow"),
    ]
    assert suggestions(events) == [
        Suggestion(SUPERVISE, date(2023, 5, 20), "2023Q2", 2, "2023年第2季度")
    ]


def test_yellows_in_different_periods_do_not_add_up() -> None:
    events = [in_plan(date(2023, 3, 25), "yellow"), in_plan(date(2023, 4, 2), "yellow")]
    assert [e.period for e in events] == ["2023Q1", "2023Q2"]
    assert suggestions(events) == []
    named = [
        LightEvent(date(2023, 3, 25), "yellow", "2023Q1", "2023年第1季度"),
        LightEvent(date(2023, 4, 2), "yellow", "2023Q1", "2023年第1季度"),
    ]
    assert [(s.kind, s.period_label) for s in suggestions(named)] == [(SUPERVISE, "2023年第1季度")]


def test_red_suggests_a_summons_once_per_period() -> None:
    events = [
        in_plan(date(2023, 5, 1), "red"),
        in_plan(date(2023, 5, 8), "RED"),
        in_plan(date(2023, 8, 8), "red"),
    ]
    found = suggestions(events)
    assert [(s.kind, s.period, s.period_label) for s in found] == [
        (SUMMONS, "2023Q2", "2023年第2季度"),
        (SUMMONS, "2023Q4", "2023年第4季度"),
    ]


def test_lights_in_no_period_are_grouped_under_none() -> None:
    events = [
        in_plan(date(2024, 1, 10), "yellow"),
        in_plan(date(2024, 2, 10), "yellow"),
        in_plan(date(2024, 3, 10), "red"),
        LightEvent(date(2024, 4, 10), "red"),  # no period given: none, never a quarter
    ]
    assert all(e.period == e.period_label == "" for e in events)
    assert suggestions(events) == [
        Suggestion(SUPERVISE, date(2024, 2, 10), "", 2, ""),
        Suggestion(SUMMONS, date(2024, 3, 10), "", 1, ""),
    ]


def test_rule_is_configurable() -> None:
    events = [in_plan(date(2023, 5, 1), "yellow"), in_plan(date(2023, 5, 2), "red")]
    rule = EscalationRule(yellows_for_notice=1, red_suggests_summons=False)
    assert [s.kind for s in suggestions(events, rule)] == [SUPERVISE]


def _visible(html: str) -> str:
    """The page's text as a reader sees it: no tags, no attributes."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_the_recorded_lights_fall_in_the_plans_own_periods(client: Client, world: World) -> None:
    task = world.task("1")
    q1 = world.q1
    q1.due_on = date(2023, 4, 10)  # the office gave Q1 ten more days
    q1.save()
    Period.objects.filter(plan=world.plan, code="2023Q3").delete()  # and has no Q3
    for on, colour in (
        (date(2023, 4, 5), "yellow"),  # Q1, as its dates now say (the calendar says Q2)
        (date(2023, 4, 20), "yellow"),  # Q2, the next to open
        (date(2023, 5, 10), "yellow"),  # Q2: the second yellow in it
        (date(2023, 8, 5), "red"),  # no Q3: Q4, the next to open
        (date(2024, 1, 10), "red"),  # after the year-end report: no period
    ):
        LightRecord.objects.create(task=task, on=on, colour=colour)
    events = light_events(task)
    assert [e.period for e in events] == ["2023Q1", "2023Q2", "2023Q2", "2023Q4", ""]
    assert suggestions(events) == [
        Suggestion(SUPERVISE, date(2023, 5, 10), "2023Q2", 2, "2023年第2季度"),
        Suggestion(SUMMONS, date(2023, 8, 5), "2023Q4", 1, "2023年第4季度"),
        Suggestion(SUMMONS, date(2024, 1, 10), "", 1, ""),
    ]

    body = world.as_office(client).get(reverse("ledger:task", args=[task.pk])).content.decode()
    panel = body[body.index('<ul class="supervision-suggestions"') :]
    panel = _visible(panel[: panel.index("</ul>")])
    assert "2023年第2季度已亮2次黄灯，建议督办。" in panel
    assert "2023年第4季度亮红灯，建议约谈。" in panel
    assert "报送周期外亮红灯，建议约谈。" in panel
    assert not re.search(r"\d{4}Q\d|\d{4}Y|[A-Za-z]{4,}", panel), panel  # no code, no English
    assert "2023Q3" not in body and "2024Q1" not in body


def test_task_page_shows_suggestions_to_the_office_only(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    events = [LightEvent(date(2023, 5, 1), "red", "2023Q2", "2023年第2季度")]
    monkeypatch.setattr(supervision_tags, "light_events", lambda task: events)
    task = world.task("1")
    world.as_office(client)
    body = client.get(reverse("ledger:task", args=[task.pk])).content.decode()
    assert "supervision-suggestions" in body and "2023年第2季度亮红灯，建议约谈。" in body
    assert reverse("supervision:summons_new", args=[task.pk]) in body
    world.as_unit("发改委", client)
    body = client.get(reverse("ledger:task", args=[task.pk])).content.decode()
    assert "supervision-suggestions" not in body
