"""Signing in with a real browser, as a person does: the sign-in form, then the page asked for."""

from __future__ import annotations

from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from tests.support.world import PASSWORD


def sign_in(page: Page, live_server: LiveServer, username: str, path: str = "/") -> None:
    """Open ``path`` as ``username`` (whoever was signed in on this page's context before is
    signed out): the sign-in page comes first and leads back to ``path``."""
    page.context.clear_cookies()
    page.goto(live_server.url + path)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + path)
