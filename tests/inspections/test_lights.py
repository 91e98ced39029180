"""The lights of rectification items: a pure function, then the same on the pages at set dates."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from duban.inspections.lights import Light, item_light
from duban.inspections.models import ItemState, RectificationItem
from duban.lights.models import LightSettings
from tests.support.world import World

DEADLINE = date(2023, 6, 30)
WARN_DAYS = 3  # the traffic lights' default (LightSettings.days_before_yellow)
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("today", "closed", "expected"),
    [
        (date(2023, 6, 1), False, Light.NONE),
        (date(2023, 6, 26), False, Light.NONE),  # four days left
        (date(2023, 6, 27), False, Light.YELLOW),  # three days left
        (date(2023, 6, 30), False, Light.YELLOW),  # due today: still in time
        (date(2023, 7, 1), False, Light.RED),
        (date(2024, 1, 1), False, Light.RED),
        (date(2023, 7, 1), True, Light.GREEN),
        (date(2023, 6, 1), True, Light.GREEN),
    ],
)
def test_the_light_at_chosen_dates(today: date, closed: bool, expected: Light) -> None:
    assert item_light(deadline=DEADLINE, closed=closed, today=today, warn_days=WARN_DAYS) == (
        expected
    )


def test_the_warning_days_can_be_chosen_and_no_deadline_means_no_light() -> None:
    assert item_light(deadline=DEADLINE, closed=False, today=date(2023, 6, 23), warn_days=7) == (
        Light.YELLOW
    )
    assert item_light(deadline=DEADLINE, closed=False, today=date(2023, 6, 29), warn_days=0) == (
        Light.NONE
    )
    assert (
        item_light(deadline=None, closed=False, today=date(2023, 6, 29), warn_days=WARN_DAYS)
        == Light.NONE
    )


def test_the_items_use_the_traffic_lights_threshold() -> None:
    """One threshold: the items' yellow follows the office's days_before_yellow."""
    assert LightSettings().days_before_yellow == WARN_DAYS


def _light_on_pages(client: Client, item: RectificationItem) -> set[str]:
    pages = [
        client.get("/inspections/").content.decode(),
        client.get(f"/ledger/tasks/{item.task_id}/").content.decode(),
        client.get(f"/inspections/items/{item.pk}/").content.decode(),
    ]
    found = set()
    for page in pages:
        for light in Light:
            if f'data-insp-light="{light}"' in page:
                found.add(str(light))
    return found


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2023, 6, 1, 10, tzinfo=SHANGHAI), "none"),
        (datetime(2023, 6, 28, 10, tzinfo=SHANGHAI), "yellow"),
        (datetime(2023, 7, 1, 0, 30, tzinfo=SHANGHAI), "red"),  # just after midnight in China
    ],
)
def test_the_item_list_and_the_task_panel_show_the_light(
    client: Client, world: World, item: RectificationItem, moment: datetime, expected: str
) -> None:
    world.as_office(client)
    with time_machine.travel(moment, tick=False):
        assert _light_on_pages(client, item) == {expected}


def test_the_office_threshold_moves_the_items_yellow(
    client: Client, world: World, item: RectificationItem
) -> None:
    LightSettings.objects.create(pk=1, days_before_yellow=10)
    world.as_office(client)
    with time_machine.travel(datetime(2023, 6, 21, 10, tzinfo=SHANGHAI), tick=False):
        assert _light_on_pages(client, item) == {"yellow"}  # 9 days left


def test_a_closed_item_is_green_even_when_late(
    client: Client, world: World, item: RectificationItem
) -> None:
    RectificationItem.objects.filter(pk=item.pk).update(state=ItemState.CLOSED)
    world.as_unit("发改委", client)
    with time_machine.travel(datetime(2023, 8, 1, 9, tzinfo=SHANGHAI), tick=False):
        assert _light_on_pages(client, item) == {"green"}
