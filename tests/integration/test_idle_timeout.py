"""A session ends after DUBAN_SESSION_IDLE_MINUTES without a request (等保 idle timeout)."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.test import Client, override_settings
from django.utils import timezone


@pytest.fixture
def five_minute_idle_limit() -> Iterator[None]:
    with override_settings(SESSION_IDLE_MINUTES=5):
        yield


@pytest.mark.usefixtures("five_minute_idle_limit")
def test_activity_keeps_the_session(office_client: Client) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        assert office_client.get("/").status_code == 200
        for _ in range(3):
            traveller.shift(timedelta(minutes=4))
            assert office_client.get("/").status_code == 200


@pytest.mark.usefixtures("five_minute_idle_limit")
def test_idle_user_is_signed_out_and_told_why(office_client: Client) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        assert office_client.get("/").status_code == 200
        traveller.shift(timedelta(minutes=6))
        response = office_client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert "5 分钟无操作" in response.content.decode()
