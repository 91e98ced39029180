"""The light history: recorded when the colour changes, read by the escalation rule."""

from __future__ import annotations

from datetime import date

import pytest

from duban.lights.models import LightRecord
from duban.lights.services import light_history, record_lights, remove_override, set_override
from duban.supervision.escalation import SUPERVISE, suggestions
from duban.supervision.services.notices import light_events
from tests.support.world import World


@pytest.mark.django_db
def test_a_second_yellow_within_a_quarter_suggests_a_督办(world: World) -> None:
    task = world.task("1")
    for day, colour in (
        (date(2023, 4, 3), "yellow"),
        (date(2023, 4, 10), "green"),
        (date(2023, 4, 17), "yellow"),
    ):
        set_override(world.office, task, colour, "核查情况")
        record_lights(day, tasks=[task])
        record_lights(day, tasks=[task])  # twice the same day: nothing more
    remove_override(world.office, task)
    assert [(r.on, r.colour) for r in light_history(task)] == [
        (date(2023, 4, 3), "yellow"),
        (date(2023, 4, 10), "green"),
        (date(2023, 4, 17), "yellow"),
    ]
    found = suggestions(light_events(task))
    assert [(s.kind, s.period) for s in found] == [(SUPERVISE, "2023Q2")]


@pytest.mark.django_db
def test_an_unchanged_light_is_not_recorded_again(world: World) -> None:
    task = world.task("2")
    set_override(world.office, task, "red", "现场核查发现严重滞后")
    assert record_lights(date(2023, 5, 1), tasks=[task]) == 1
    assert record_lights(date(2023, 5, 2), tasks=[task]) == 0
    assert LightRecord.objects.filter(task=task).count() == 1


@pytest.mark.django_db
def test_duban_remind_records_the_days_lights(world: World) -> None:
    from io import StringIO

    from django.core.management import call_command

    call_command("remind", "--date", "2023-04-05", "--no-send", stdout=StringIO())
    record = LightRecord.objects.get(task=world.task("1"))
    assert (record.on, record.colour) == (date(2023, 4, 5), "red")
    assert "report_missing" in record.reasons
