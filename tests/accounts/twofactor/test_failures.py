"""Wrong codes at sign-in: each one on the audit trail, and a limit of their own
(DUBAN_2FA_MAX_FAILURES in a row lock the second step for DUBAN_2FA_LOCK_MINUTES)."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from duban.accounts.twofactor import services
from duban.audit.models import AuditAction, AuditEvent
from tests.support.twofactor import account, code_for, enrol, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def limit(settings: pytest.FixtureRequest) -> None:
    settings.TWOFACTOR_MAX_FAILURES = 3  # type: ignore[attr-defined]
    settings.TWOFACTOR_LOCK_MINUTES = 15  # type: ignore[attr-defined]


def test_a_wrong_code_is_recorded_with_the_address(client: Client) -> None:
    user = account("chaxun")
    enrol(user)
    sign_in(client, "chaxun")
    client.post("/accounts/2fa/verify/", {"code": "123456"}, REMOTE_ADDR="10.0.0.7")
    event = AuditEvent.objects.get(action=AuditAction.OTP_FAILED)
    assert (event.user_id, event.address, event.result) == (user.pk, "10.0.0.7", "failed")
    assert event.object_id == str(user.pk)


def test_too_many_wrong_codes_lock_the_second_step(
    client: Client, limit: None, clock: time_machine.Traveller
) -> None:
    user = account("chaxun")
    device, codes = enrol(user)
    clock.shift(30)
    sign_in(client, "chaxun")
    first = client.post("/accounts/2fa/verify/", {"code": "111111"}).content.decode()
    assert "再错 2 次，登录将被锁定 15 分钟" in first
    client.post("/accounts/2fa/verify/", {"code": "wrongcode"})  # a wrong recovery code counts
    locked = client.post("/accounts/2fa/verify/", {"code": "222222"}, follow=True)
    # Signed out, told why and until when (real time, Shanghai), on the sign-in page.
    assert locked.redirect_chain[-1][0].startswith("/accounts/login/")
    text = locked.content.decode()
    assert "验证码错误次数过多，两步验证已锁定至 2024年3月1日 09:15" in text
    assert AuditEvent.objects.filter(action=AuditAction.OTP_FAILED).count() == 3
    assert AuditEvent.objects.filter(action=AuditAction.OTP_FAILED, result="locked").count() == 1

    # The password again: the code page says it is locked and takes no code, not even a right one.
    sign_in(client, "chaxun")
    page = client.get("/accounts/2fa/verify/").content.decode()
    assert "已锁定至" in page and 'name="code"' not in page
    with pytest.raises(services.Locked):
        services.verify(user, code_for(device))
    with pytest.raises(services.Locked):
        services.verify(user, codes[0])
    assert client.get("/")["Location"] == "/accounts/2fa/verify/"

    # Fifteen minutes after the last wrong code it opens, with a fresh count.
    clock.shift(15 * 60)
    answer = client.post("/accounts/2fa/verify/", {"code": code_for(device)})
    assert answer["Location"] == "/"
    assert client.get("/").status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_a_right_code_clears_the_count(limit: None, clock: time_machine.Traveller) -> None:
    user = account("chaxun")
    device, _codes = enrol(user)
    for _round in range(3):
        clock.shift(30)
        for wrong in ("000001", "000002"):
            with pytest.raises(services.CodeProblem):
                services.verify(user, wrong)
        assert services.verify(user, code_for(device)) == device
    assert services.locked_until(user) is None
