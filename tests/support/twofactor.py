"""Two-factor sign-in in tests: accounts of a role without the whole world, the code an
authenticator app would show, enrolment done as the set-up page does it, the password step."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from duban.accounts.models import Role
from duban.accounts.services import ensure_account
from duban.accounts.twofactor import STATE_KEY, VERIFIED, services
from tests.support.world import PASSWORD

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser
    from django.http import HttpResponse

# One account per kind of person the second factor treats differently: the office and an
# administrator (required by default), a viewer (optional).
ACCOUNTS = {
    "office": Role.OFFICE,
    "chaxun": Role.VIEWER,
    "anquan": Role.SECURITY_ADMIN,
    "xitong": Role.SYSTEM_ADMIN,
}
DEFAULT_REQUIRED = ["office", "system_admin", "security_admin", "audit_admin"]


def account(username: str) -> AbstractUser:
    """The account ``username`` of ``ACCOUNTS`` with the world's ``PASSWORD``."""
    return ensure_account(username, PASSWORD, ACCOUNTS[username])


def code_for(device: TOTPDevice, at: float | None = None) -> str:
    """The 6 digits an authenticator app shows for ``device`` at ``at`` (now by default)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def enrol(user: AbstractUser) -> tuple[TOTPDevice, list[str]]:
    """Set up an authenticator for ``user`` as the set-up page does; its recovery codes."""
    pending = services.start_enrolment(user)
    codes = services.finish_enrolment(user, code_for(pending))
    device = services.device(user)
    assert device is not None
    return device, codes


def past_second_step(client: Client, user: AbstractUser) -> Client:
    """``client`` signed in as ``user`` with both factors given (force_login stands for the
    password, the session's note for the code, as the code page leaves it)."""
    client.force_login(user)
    session = client.session
    session[STATE_KEY] = VERIFIED
    session.save()
    return client


def sign_in(client: Client, username: str, password: str = PASSWORD) -> HttpResponse:
    """The password step over HTTP, as the sign-in form posts it."""
    response: HttpResponse = client.post(
        "/accounts/login/", {"username": username, "password": password}
    )
    return response
