"""In real Chromium: the office sets up two-factor sign-in with the key its page shows (the code
an authenticator app would compute), signs out, and signs in again with a code and then with a
recovery code."""

from __future__ import annotations

import base64
import time

import pytest
from django.contrib.auth.models import AbstractUser
from django_otp.oath import TOTP
from playwright.sync_api import ConsoleMessage, Page
from pytest_django.live_server_helper import LiveServer

from tests.support.twofactor import DEFAULT_REQUIRED
from tests.support.world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def app_code(key: str, at: float) -> str:
    """What an authenticator app shows for the typed-in key ``key`` at the time ``at``."""
    text = key.replace(" ", "")
    secret = base64.b32decode(text + "=" * (-len(text) % 8))
    totp = TOTP(secret)
    totp.time = at
    return f"{totp.token():06d}"


def password_step(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名").fill("office")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def sign_out(page: Page) -> None:
    page.locator("details.usermenu summary").click()
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url("**/accounts/login/")


def test_office_enrols_then_signs_in_with_a_code_and_a_recovery_code(
    page: Page,
    live_server: LiveServer,
    office_user: AbstractUser,
    settings: pytest.FixtureRequest,
) -> None:
    settings.TWOFACTOR_REQUIRED_ROLES = DEFAULT_REQUIRED  # type: ignore[attr-defined]
    problems: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(message.text)

    page.on("console", console)

    password_step(page, live_server)
    page.wait_for_url(live_server.url + "/accounts/2fa/setup/")
    assert page.locator(".qr svg").is_visible()
    key = page.locator("#totp-key").inner_text()
    page.get_by_label("验证码").fill(app_code(key, time.time()))
    page.get_by_role("button", name="确认").click()
    page.wait_for_selector("#recovery-codes")
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="继续").click()
    page.wait_for_url(live_server.url + "/")
    assert page.locator("h1").inner_text() == "office的工作台"
    sign_out(page)

    # With the code the app shows next (the one just used is never taken twice).
    password_step(page, live_server)
    page.wait_for_url(live_server.url + "/accounts/2fa/verify/")
    page.get_by_label("验证码").fill(app_code(key, time.time() + 30))
    page.get_by_role("button", name="验证并登录").click()
    page.wait_for_url(live_server.url + "/")
    sign_out(page)

    # The phone left at home: a recovery code, once.
    password_step(page, live_server)
    page.wait_for_url(live_server.url + "/accounts/2fa/verify/")
    page.get_by_label("验证码").fill(codes[0])
    page.get_by_role("button", name="验证并登录").click()
    page.wait_for_url(live_server.url + "/")
    assert "恢复码还剩 9 个" in page.locator(".messages").inner_text()
    assert problems == []
