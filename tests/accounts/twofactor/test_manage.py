"""One's own two-factor page (optional roles turn it on and off; new recovery codes) and the
security administrator's reset of another's."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client

from duban.accounts.twofactor import services
from duban.audit.models import AuditAction, AuditEvent
from tests.support.twofactor import (
    DEFAULT_REQUIRED,
    account,
    code_for,
    enrol,
    past_second_step,
    sign_in,
)

pytestmark = pytest.mark.django_db


def test_an_optional_role_turns_it_on_from_the_user_menu(
    client: Client, clock: time_machine.Traveller
) -> None:
    user = account("chaxun")
    client.force_login(user)
    home = client.get("/").content.decode()
    assert 'href="/accounts/2fa/"' in home  # 两步验证, in the user menu
    page = client.get("/accounts/2fa/").content.decode()
    assert "未开启" in page and "否：您的角色可自愿开启" in page

    setup = client.get("/accounts/2fa/setup/")
    html = setup.content.decode()
    assert "<svg" in html and "<img" not in html  # the QR code drawn inline on the server
    pending = services.device(user, confirmed=False)
    assert pending is not None
    reloaded = client.get("/accounts/2fa/setup/")
    assert reloaded.context["key"] == setup.context["key"]  # a reload shows the key scanned
    assert (
        "otpauth://totp/" in pending.config_url
        and "issuer=%E7%9D%A3%E5%8A%9E" in pending.config_url
    )

    wrong = client.post("/accounts/2fa/setup/", {"code": "000000"})
    assert "验证码与身份验证器当前显示的不一致" in wrong.content.decode()
    assert not services.is_enabled(user)

    done = client.post("/accounts/2fa/setup/", {"code": code_for(pending)})
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "no-store" in done["Cache-Control"]  # shown once, never cached
    assert all(code in done.content.decode() for code in codes)
    assert services.is_enabled(user)
    assert "已开启" in client.get("/accounts/2fa/").content.decode()
    assert client.get("/").status_code == 200  # setting it up was the second factor


def test_new_recovery_codes_replace_the_old_ones(clock: time_machine.Traveller) -> None:
    user = account("chaxun")
    _device, old = enrol(user)
    client = past_second_step(Client(), user)
    answer = client.post("/accounts/2fa/recovery-codes/")
    new = answer.context["codes"]
    assert set(new).isdisjoint(old)
    with pytest.raises(services.CodeProblem):
        services.verify(user, old[0])
    assert services.verify(user, new[0]).persistent_id.startswith("otp_static")
    assert AuditEvent.objects.filter(action=AuditAction.OTP_ENROL).count() == 2


def test_an_optional_role_turns_it_off_with_a_code(
    client: Client, clock: time_machine.Traveller
) -> None:
    user = account("chaxun")
    device, _codes = enrol(user)
    clock.shift(30)
    sign_in(client, "chaxun")
    client.post("/accounts/2fa/verify/", {"code": code_for(device)})
    refused = client.post("/accounts/2fa/off/", {"code": "000000"}, follow=True)
    assert "验证码不正确" in refused.content.decode()
    assert services.is_enabled(user)
    clock.shift(30)
    answer = client.post("/accounts/2fa/off/", {"code": code_for(device)}, follow=True)
    assert "您的账号已关闭两步验证" in answer.content.decode()
    assert not services.is_enabled(user) and services.recovery_codes_left(user) == 0
    event = AuditEvent.objects.get(action=AuditAction.OTP_RESET)
    assert (event.user_id, event.object_id) == (user.pk, str(user.pk))
    other = Client()
    assert sign_in(other, "chaxun")["Location"] == "/"


def test_a_required_role_cannot_turn_it_off(
    settings: pytest.FixtureRequest, clock: time_machine.Traveller
) -> None:
    settings.TWOFACTOR_REQUIRED_ROLES = DEFAULT_REQUIRED  # type: ignore[attr-defined]
    user = account("office")
    device, _codes = enrol(user)
    clock.shift(30)
    with pytest.raises(services.CodeProblem):
        services.turn_off(user, code_for(device))
    assert services.is_enabled(user)


def test_the_security_administrator_resets_a_lost_phone(
    settings: pytest.FixtureRequest, clock: time_machine.Traveller
) -> None:
    settings.TWOFACTOR_REQUIRED_ROLES = DEFAULT_REQUIRED  # type: ignore[attr-defined]
    office = account("office")
    enrol(office)
    anquan = account("anquan")
    admin = past_second_step(Client(), anquan)
    page = admin.get(f"/accounts/users/{office.pk}/edit").content.decode()
    assert "已开启" in page and "重置两步验证" in page
    answer = admin.post(f"/accounts/2fa/reset/{office.pk}/", follow=True)
    assert "已重置 office 的两步验证" in answer.content.decode()
    assert not services.is_enabled(office)
    event = AuditEvent.objects.get(action=AuditAction.OTP_RESET)
    assert (event.user_id, event.object_id, event.before) == (
        anquan.pk,
        str(office.pk),
        {"two_factor": True},
    )
    # The office signs in with the password and must set up a new authenticator.
    client = Client()
    assert sign_in(client, "office")["Location"] == "/accounts/2fa/setup/"


def test_resets_follow_who_may_change_the_account(clock: time_machine.Traveller) -> None:
    office, anquan, xitong = account("office"), account("anquan"), account("xitong")
    for user in (office, anquan, xitong):
        enrol(user)
    admin = past_second_step(Client(), anquan)
    # Not an administrator's account (those are reset on the server), not one's own.
    assert admin.post(f"/accounts/2fa/reset/{xitong.pk}/").status_code == 403
    assert admin.post(f"/accounts/2fa/reset/{anquan.pk}/").status_code == 403
    # The system administrator manages no accounts at all.
    system = past_second_step(Client(), xitong)
    assert system.post(f"/accounts/2fa/reset/{office.pk}/").status_code == 403
    assert admin.get(f"/accounts/2fa/reset/{office.pk}/").status_code == 405
    assert all(services.is_enabled(user) for user in (office, anquan, xitong))
    assert not AuditEvent.objects.filter(action=AuditAction.OTP_RESET).exists()
    missing = get_user_model().objects.order_by("-pk").first().pk + 1
    assert admin.post(f"/accounts/2fa/reset/{missing}/").status_code == 404
