"""In real Chromium: an office user signs in and sees the Chinese home page, all offline."""

from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import AbstractUser
from playwright.sync_api import Page, Request
from pytest_django.live_server_helper import LiveServer

from tests.support.world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HTMX = "/static/vendor/htmx.min.js"


def test_office_user_signs_in(
    page: Page, live_server: LiveServer, office_user: AbstractUser
) -> None:
    requests: list[str] = []

    def record(request: Request) -> None:
        requests.append(request.url)

    page.on("request", record)

    with page.expect_response(lambda response: urlsplit(response.url).path == HTMX) as htmx:
        page.goto(live_server.url + "/")
    assert htmx.value.status == 200
    assert urlsplit(page.url).path == "/accounts/login/"

    page.get_by_label("用户名").fill("office")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + "/")

    assert page.locator("h1").inner_text() == "office的工作台"  # the test office has no name
    assert page.locator(".brand").inner_text() == "督办"
    assert page.evaluate("typeof window.htmx") == "object"

    hosts = {urlsplit(url).hostname for url in requests}
    assert hosts == {"127.0.0.1"}, f"requests left this machine: {requests}"
