"""Sign-in lockout over HTTP (等保 身份鉴别: 登录失败处理): five failures in fifteen minutes lock
the account, and separately the address, for fifteen minutes; the page says so in Chinese with
the time it opens; the lock and its early unlock are in the audit trail."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from duban.accounts.models import Role
from duban.accounts.services import ensure_account
from duban.audit.models import AuditAction, AuditEvent
from duban.core.formatting import format_cn_datetime
from tests.support.world import PASSWORD

pytestmark = pytest.mark.django_db

# User names an attacker tries, from one address.
NAMES = ("admin", "root", "test", "user1", "guest")
START = datetime(2024, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def sign_in(client: Client, username: str, password: str, address: str = "127.0.0.1") -> int:
    """Post the sign-in form from ``address``; the status of the answer (302: signed in)."""
    response = client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )
    return response.status_code


def fail(client: Client, username: str, times: int, *, spread: bool = True) -> None:
    """``times`` wrong passwords for ``username``, each from an address of its own (so that
    only the account counts) unless ``spread`` is off."""
    for n in range(times):
        address = f"10.0.0.{n + 1}" if spread else "10.9.9.9"
        # Refused (200), the last one with the lock's page (429) once it reaches the limit.
        assert sign_in(Client(), username, "wrong-Password-1", address) in (200, 429)


def test_five_failures_lock_the_account_with_a_chinese_message_and_its_end(
    clock: time_machine.Traveller,
) -> None:
    ensure_account("chaxun", PASSWORD, Role.VIEWER)
    fail(Client(), "chaxun", 4)
    client = Client()
    response = client.post(
        "/accounts/login/",
        {"username": "chaxun", "password": "wrong-Password-1"},
        REMOTE_ADDR="10.0.1.1",
    )
    assert response.status_code == 429
    page = response.content.decode()
    opens = format_cn_datetime(START + timedelta(minutes=15))
    assert f"登录失败次数过多，账号 chaxun 已被锁定，将于 {opens} 解锁" in page
    # Locked: even the right password, from any address, is refused; the opening time holds.
    clock.shift(timedelta(minutes=10))
    response = client.post(
        "/accounts/login/", {"username": "chaxun", "password": PASSWORD}, REMOTE_ADDR="10.0.2.2"
    )
    assert response.status_code == 429
    assert opens in response.content.decode()
    assert "_auth_user_id" not in client.session
    # One lockout event, for the lock (not for each try refused while it holds).
    events = AuditEvent.objects.filter(action=AuditAction.LOCKOUT)
    assert [(e.username, e.after["locked"]) for e in events] == [("chaxun", ["account"])]
    # Fifteen minutes after the fifth failure it opens by itself.
    clock.shift(timedelta(minutes=5, seconds=1))
    assert sign_in(client, "chaxun", PASSWORD, "10.0.2.2") == 302


def test_failures_more_than_the_window_apart_do_not_add_up(
    clock: time_machine.Traveller,
) -> None:
    ensure_account("chaxun", PASSWORD, Role.VIEWER)
    fail(Client(), "chaxun", 4)
    clock.shift(timedelta(minutes=16))
    fail(Client(), "chaxun", 1)
    assert sign_in(Client(), "chaxun", PASSWORD) == 302


def test_failures_from_one_address_on_many_accounts_lock_the_address(
    clock: time_machine.Traveller,
) -> None:
    ensure_account("chaxun", PASSWORD, Role.VIEWER)
    attacker = "10.6.6.6"
    statuses = [sign_in(Client(), name, "Passw0rd!", attacker) for name in NAMES]
    assert statuses == [200, 200, 200, 200, 429]
    response = Client().post(
        "/accounts/login/", {"username": "chaxun", "password": PASSWORD}, REMOTE_ADDR=attacker
    )
    assert response.status_code == 429
    assert "本机（10.6.6.6）登录失败次数过多" in response.content.decode()
    # The account itself is not locked: from another computer it signs in.
    assert sign_in(Client(), "chaxun", PASSWORD, "10.0.0.8") == 302
    event = AuditEvent.objects.get(action=AuditAction.LOCKOUT)
    assert (event.address, event.after["locked"]) == (attacker, ["address"])


@pytest.mark.parametrize("failures", [3])
def test_the_limit_and_the_window_are_settings(
    settings: pytest.FixtureRequest, clock: time_machine.Traveller, failures: int
) -> None:
    settings.AXES_FAILURE_LIMIT = failures  # type: ignore[attr-defined]  # DUBAN_LOCKOUT_FAILURES
    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)  # type: ignore[attr-defined]
    ensure_account("chaxun", PASSWORD, Role.VIEWER)
    fail(Client(), "chaxun", failures)
    clock.shift(timedelta(minutes=29))
    assert sign_in(Client(), "chaxun", PASSWORD) == 429
    clock.shift(timedelta(minutes=1, seconds=1))
    assert sign_in(Client(), "chaxun", PASSWORD) == 302


def test_the_security_administrator_sees_and_lifts_a_lock(clock: time_machine.Traveller) -> None:
    anquan = ensure_account("anquan", PASSWORD, Role.SECURITY_ADMIN)
    chaxun = ensure_account("chaxun", PASSWORD, Role.VIEWER)
    fail(Client(), "chaxun", 5)
    admin = Client()
    admin.force_login(anquan)
    listing = admin.get("/accounts/users/").content.decode()
    assert "已锁定" in listing
    page = admin.get(f"/accounts/users/{chaxun.pk}/edit").content.decode()
    assert "登录失败次数过多，已锁定至" in page
    assert f'action="/accounts/users/{chaxun.pk}/unlock"' in page
    response = admin.post(f"/accounts/users/{chaxun.pk}/unlock", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    assert sign_in(Client(), "chaxun", PASSWORD) == 302
    event = AuditEvent.objects.get(action=AuditAction.UNLOCK)
    assert (event.username, event.object_id, event.address) == (
        "anquan",
        str(chaxun.pk),
        "10.1.2.3",
    )
    assert event.after == {"username": "chaxun", "locked": True}


def test_an_address_lock_is_lifted_by_the_security_administrator_alone(
    clock: time_machine.Traveller,
) -> None:
    anquan = ensure_account("anquan", PASSWORD, Role.SECURITY_ADMIN)
    office = ensure_account("office", PASSWORD, Role.OFFICE)
    ensure_account("chaxun", PASSWORD, Role.VIEWER)
    for name in NAMES:
        sign_in(Client(), name, "Passw0rd!", "10.6.6.6")
    assert sign_in(Client(), "chaxun", PASSWORD, "10.6.6.6") == 429
    clerk = Client()
    clerk.force_login(office)
    # The office manages some accounts, but an address holds every account: not its to open.
    assert "10.6.6.6" not in clerk.get("/accounts/users/").content.decode()
    assert clerk.post("/accounts/users/unlock-address", {"address": "10.6.6.6"}).status_code == 403
    assert sign_in(Client(), "chaxun", PASSWORD, "10.6.6.6") == 429
    admin = Client()
    admin.force_login(anquan)
    assert "10.6.6.6" in admin.get("/accounts/users/").content.decode()
    admin.post("/accounts/users/unlock-address", {"address": "10.6.6.6"})
    assert sign_in(Client(), "chaxun", PASSWORD, "10.6.6.6") == 302
    event = AuditEvent.objects.get(action=AuditAction.UNLOCK)
    assert (event.username, event.after) == ("anquan", {"address": "10.6.6.6", "locked": True})


def test_nobody_unlocks_an_account_they_may_not_change(clock: time_machine.Traveller) -> None:
    office = ensure_account("office", PASSWORD, Role.OFFICE)
    shenji = ensure_account("shenji", PASSWORD, Role.AUDIT_ADMIN)
    fail(Client(), "shenji", 5)
    clerk = Client()
    clerk.force_login(office)
    assert clerk.post(f"/accounts/users/{shenji.pk}/unlock").status_code == 403
    assert sign_in(Client(), "shenji", PASSWORD) == 429
    assert not AuditEvent.objects.filter(action=AuditAction.UNLOCK).exists()


def test_the_console_unlocks_an_administrator(clock: time_machine.Traveller) -> None:
    """The security administrator locked out of their own account: the server's operator."""
    ensure_account("anquan", PASSWORD, Role.SECURITY_ADMIN)
    fail(Client(), "anquan", 5)
    out = io.StringIO()
    call_command("admin", "unlock", "anquan", stdout=out)
    assert "anquan 已解除锁定" in out.getvalue()
    assert sign_in(Client(), "anquan", PASSWORD) == 302
    event = AuditEvent.objects.get(action=AuditAction.UNLOCK)
    assert (event.username, event.after["locked"]) == ("", True)
    out = io.StringIO()
    call_command("admin", "unlock", "--address", "10.6.6.6", stdout=out)
    assert "10.6.6.6 未被锁定" in out.getvalue()
