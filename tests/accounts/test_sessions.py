"""Sessions (等保: 登录连接超时, 会话): the idle limit at any value, the absolute lifetime, and one
session per account, each ending told on the sign-in page and recorded."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from duban.accounts.models import Role
from duban.accounts.services import ensure_account
from duban.audit.models import AuditAction, AuditEvent
from tests.support.world import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    start = datetime(2024, 3, 1, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(start, tick=False) as traveller:
        yield traveller


@pytest.fixture
def viewer() -> None:
    ensure_account("chaxun", PASSWORD, Role.VIEWER)


def signed_in(address: str = "127.0.0.1") -> Client:
    client = Client(REMOTE_ADDR=address)
    response = client.post("/accounts/login/", {"username": "chaxun", "password": PASSWORD})
    assert response.status_code == 302
    return client


def ended(client: Client, reason: str) -> str:
    """The next page after the session ended: the sign-in page, with why."""
    response = client.get("/directory/units/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=/directory/units/"
    assert AuditEvent.objects.filter(
        action=AuditAction.SESSION_ENDED, username="chaxun", after={"reason": reason}
    ).exists()
    return str(response.content.decode())


@pytest.mark.usefixtures("viewer")
def test_a_one_minute_idle_limit_keeps_a_busy_person_signed_in(
    settings: pytest.FixtureRequest, clock: time_machine.Traveller
) -> None:
    settings.SESSION_IDLE_MINUTES = 1  # type: ignore[attr-defined]
    client = signed_in()
    for _ in range(10):  # a click every 50 seconds for over eight minutes
        clock.shift(timedelta(seconds=50))
        assert client.get("/directory/units/").status_code == 200
    clock.shift(timedelta(seconds=61))
    assert "1 分钟无操作" in ended(client, "idle")


@pytest.mark.usefixtures("viewer")
def test_a_session_ends_twelve_hours_after_its_sign_in(
    settings: pytest.FixtureRequest, clock: time_machine.Traveller
) -> None:
    # Only the lifetime counts (SESSION_COOKIE_AGE follows DUBAN_SESSION_IDLE_MINUTES).
    settings.SESSION_IDLE_MINUTES = 600  # type: ignore[attr-defined]
    settings.SESSION_COOKIE_AGE = 600 * 60  # type: ignore[attr-defined]
    client = signed_in()
    clock.shift(timedelta(hours=6))
    assert client.get("/directory/units/").status_code == 200
    clock.shift(timedelta(hours=5, minutes=59))
    assert client.get("/directory/units/").status_code == 200
    clock.shift(timedelta(minutes=2))
    assert "一次登录最长保持 12 小时" in ended(client, "lifetime")
    assert signed_in().get("/directory/units/").status_code == 200  # signing in again starts anew


@pytest.mark.usefixtures("viewer")
def test_a_new_sign_in_ends_the_older_session_which_is_told_why(
    clock: time_machine.Traveller,
) -> None:
    first = signed_in("10.0.0.1")
    assert first.get("/directory/units/").status_code == 200
    second = signed_in("10.0.0.2")
    assert "您的账号已在别处登录" in ended(first, "replaced")
    event = AuditEvent.objects.get(action=AuditAction.SESSION_ENDED)
    assert event.address == "10.0.0.1"
    assert second.get("/directory/units/").status_code == 200


@pytest.mark.usefixtures("viewer")
def test_several_sessions_when_single_session_is_off(
    settings: pytest.FixtureRequest, clock: time_machine.Traveller
) -> None:
    settings.SINGLE_SESSION = False  # type: ignore[attr-defined]
    first = signed_in("10.0.0.1")
    second = signed_in("10.0.0.2")
    assert first.get("/directory/units/").status_code == 200
    assert second.get("/directory/units/").status_code == 200
    assert not AuditEvent.objects.filter(action=AuditAction.SESSION_ENDED).exists()
