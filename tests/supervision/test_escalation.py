"""The escalation rule: a second yellow in a period suggests a 督办, a red suggests a 约谈."""

from __future__ import annotations

from datetime import date

from duban.supervision.escalation import (
    SUMMONS,
    SUPERVISE,
    EscalationRule,
    LightEvent,
    Suggestion,
    suggestions,
)


def test_nothing_for_green_or_a_single_yellow() -> None:
    events = [LightEvent(date(2023, 4, 10), "green"), LightEvent(date(2023, 5, 10), "yellow")]
    assert suggestions(events) == []


def test_second_yellow_in_a_period_suggests_a_notice() -> None:
    events = [
        LightEvent(date(2023, 5, 20), "yellow"),
        LightEvent(date(2023, 4, 10), "yellow"),
        LightEvent(date(2023, 6, 1), "yellow"),
    ]
    assert suggestions(events) == [Suggestion(SUPERVISE, date(2023, 5, 20), "2023Q2", 2)]


def test_yellows_in_different_periods_do_not_add_up() -> None:
    events = [LightEvent(date(2023, 3, 25), "yellow"), LightEvent(date(2023, 4, 2), "yellow")]
    assert suggestions(events) == []
    named = [
        LightEvent(date(2023, 3, 25), "yellow", "2023Q1"),
        LightEvent(date(2023, 4, 2), "yellow", "2023Q1"),
    ]
    assert [s.kind for s in suggestions(named)] == [SUPERVISE]


def test_red_suggests_a_summons_once_per_period() -> None:
    events = [
        LightEvent(date(2023, 5, 1), "red"),
        LightEvent(date(2023, 5, 8), "RED"),
        LightEvent(date(2023, 8, 8), "red"),
    ]
    found = suggestions(events)
    assert [(s.kind, s.period) for s in found] == [(SUMMONS, "2023Q2"), (SUMMONS, "2023Q3")]


def test_rule_is_configurable() -> None:
    events = [LightEvent(date(2023, 5, 1), "yellow"), LightEvent(date(2023, 5, 2), "red")]
    rule = EscalationRule(yellows_for_notice=1, red_suggests_summons=False)
    assert [s.kind for s in suggestions(events, rule)] == [SUPERVISE]


def test_task_page_shows_suggestions_to_the_office_only(
    client: object, world: object, monkeypatch: object
) -> None:
    from django.test import Client
    from django.urls import reverse

    from duban.supervision.templatetags import supervision_tags

    events = [LightEvent(date(2023, 5, 1), "red")]
    monkeypatch.setattr(supervision_tags, "light_events", lambda task: events)  # type: ignore[attr-defined]
    task = world.task("1")  # type: ignore[attr-defined]
    assert isinstance(client, Client)
    world.as_office(client)  # type: ignore[attr-defined]
    body = client.get(reverse("ledger:task", args=[task.pk])).content.decode()
    assert "supervision-suggestions" in body
    assert reverse("supervision:summons_new", args=[task.pk]) in body
    world.as_unit("发改委", client)  # type: ignore[attr-defined]
    body = client.get(reverse("ledger:task", args=[task.pk])).content.decode()
    assert "supervision-suggestions" not in body
