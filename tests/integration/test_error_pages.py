"""The 403, 404 and 500 pages: in Chinese, with the navigation where it can be drawn, saying what
happened and what to do, and always with the way back (返回上一页 and 首页).

The tests run with DEBUG off (the test settings), as production does. This module is also the
URLconf of the tests that need a view which fails (``@pytest.mark.urls(__name__)``): duban's own
routes and handlers plus ``/boom/`` (a server error) and ``/refused/`` (a refusal whose message
is internal English).
"""

from __future__ import annotations

import io
import logging
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import path, reverse
from django.utils import translation

from duban import urls as duban_urls
from duban.core.views import server_error
from tests.support.world import World, signed_in


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom: the view failed")


def _refused(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("internal flag missing")


urlpatterns = [path("boom/", _boom), path("refused/", _refused), *duban_urls.urlpatterns]
handler403 = duban_urls.handler403
handler500 = duban_urls.handler500


def visible_text(page: str) -> str:
    """What a reader sees: no head, scripts, tags or attributes, and not the language switcher
    (its "English" button is meant to be read in English)."""
    page = re.sub(r"(?s)<head>.*?</head>|<script.*?</script>", " ", page)
    page = re.sub(r'(?s)<form[^>]*class="language".*?</form>', " ", page)
    page = re.sub(r"(?s)<code.*?</code>", " ", page)  # the error number (a request id)
    return re.sub(r"(?s)<[^>]+>", " ", page)


def assert_no_english(page: str) -> None:
    words = re.findall(r"[A-Za-z]{2,}", visible_text(page))
    assert words == [], words


def assert_way_back(page: str) -> None:
    assert "data-back" in page  # behaviours.js goes back (no inline script: the CSP)
    assert "返回上一页" in page
    assert f'href="{reverse("home")}">首页</a>' in page


# 403 -----------------------------------------------------------------------------------------


def test_another_units_task_is_403_with_the_chinese_page_and_the_navigation(
    world: World,
) -> None:
    client = world.as_unit("工信局")  # responsible on tasks 2–4, nowhere on task 1
    response = client.get(reverse("ledger:task", args=[world.task("1").pk]))
    assert response.status_code == 403
    page = response.content.decode()
    assert "<title>无权访问 · " in page
    assert "您没有权限访问此页面" in page
    assert "此页面或任务可能不属于您的单位" in page and "请联系督查室" in page
    # The person's own navigation and menu, as on every page.
    assert f'href="{reverse("ledger:tasks")}">台账</a>' in page
    assert "孙浩" in page and "退出" in page
    assert_way_back(page)
    # The generic refusal is the page itself: not repeated as a reason.
    assert "error-reason" not in page
    assert_no_english(page)


def test_the_reason_a_refusal_gives_is_shown(world: World) -> None:
    client = world.as_admin("security")
    response = client.get(reverse("accounts:user_edit", args=[world.xitong.pk]))
    assert response.status_code == 403
    page = response.content.decode()
    assert "您没有权限访问此页面" in page
    assert '<p class="lead error-reason" role="alert">您无权更改这个账号：' in page
    assert f'href="{reverse("accounts:users")}"' in page  # the navigation of a security admin
    assert_way_back(page)


def test_the_403_page_in_english(world: World) -> None:
    client = world.as_admin("security")
    response = client.get(
        reverse("accounts:user_edit", args=[world.xitong.pk]), headers={"accept-language": "en"}
    )
    page = response.content.decode()
    assert response.status_code == 403
    assert "You do not have permission to open this page" in page
    assert "You may not change this account" in page
    assert "Back to the previous page" in page and ">Home</a>" in page


@pytest.mark.urls(__name__)
def test_an_internal_english_reason_never_reaches_the_chinese_page(world: World) -> None:
    response = world.as_office().get("/refused/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "internal flag" not in page
    assert "您没有权限访问此页面" in page
    assert_no_english(page)
    # In English the reason is a sentence of the same language, so it may be read.
    english = world.as_office().get("/refused/", headers={"accept-language": "en"})
    assert "internal flag missing" in english.content.decode()


# 404 -----------------------------------------------------------------------------------------


def test_an_unknown_address_is_the_chinese_404_with_the_navigation(world: World) -> None:
    response = world.as_unit("发改委").get("/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<title>页面不存在 · " in page
    assert "您访问的页面不存在" in page and "请返回上一页，或从首页重新进入" in page
    assert f'href="{reverse("ledger:tasks")}">台账</a>' in page
    assert "王强" in page
    assert_way_back(page)
    assert f'href="{reverse("login")}"' not in page  # signed in: no sign-in link
    assert_no_english(page)


def test_a_missing_task_is_the_chinese_404_without_djangos_message(world: World) -> None:
    response = world.as_office().get(reverse("ledger:task", args=[999999]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "您访问的页面不存在" in page
    assert "matches" not in page  # Django's "No Task matches the given query."
    assert_no_english(page)


@pytest.mark.django_db
def test_an_anonymous_visitor_gets_a_plain_404_with_sign_in(client: Client) -> None:
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "您访问的页面不存在" in page
    assert 'class="mainnav"' not in page and "usermenu" not in page
    assert f'href="{reverse("login")}">登录</a>' in page
    assert_way_back(page)
    assert_no_english(page)


def test_the_404_page_in_english(world: World) -> None:
    response = world.as_office().get("/no/such/page/", headers={"accept-language": "en"})
    page = response.content.decode()
    assert response.status_code == 404
    assert "The page does not exist" in page and "Back to the previous page" in page


# 500 -----------------------------------------------------------------------------------------


@pytest.mark.urls(__name__)
def test_a_failing_view_is_the_chinese_500_and_the_error_is_recorded(world: World) -> None:
    client = signed_in(Client(raise_request_exception=False), world.fgw)
    # django.request hands its records to the root's handlers (standard error, the log file).
    handlers = logging.getLogger().handlers
    streams = [h for h in handlers if type(h) is logging.StreamHandler]
    assert streams, "django.request must write server errors somewhere"
    recorded = io.StringIO()
    previous = [h.setStream(recorded) for h in streams]
    try:
        response = client.get("/boom/")
    finally:
        for handler, stream in zip(streams, previous, strict=True):
            handler.setStream(stream)
    assert response.status_code == 500
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    assert "<title>系统出错 · " in page
    assert "系统出错了" in page and "错误已记录" in page and "请稍后再试" in page
    assert "联系系统管理员" in page
    assert_way_back(page)
    assert "boom" not in page  # nothing of the error itself reaches the page
    assert_no_english(page)
    assert "RuntimeError: boom: the view failed" in recorded.getvalue()


@pytest.mark.urls(__name__)
def test_the_500_page_in_english(world: World) -> None:
    client = signed_in(Client(raise_request_exception=False), world.fgw)
    logging.getLogger("django.request").disabled = True
    try:
        response = client.get("/boom/", headers={"accept-language": "en"})
    finally:
        logging.getLogger("django.request").disabled = False
    page = response.content.decode()
    assert response.status_code == 500
    assert "The system ran into an error" in page and "Back to the previous page" in page


def test_the_500_page_needs_neither_the_database_nor_the_request() -> None:
    """No database here (pytest-django refuses any query in a test without it): the page of a
    server error renders when the database is what failed."""
    with translation.override("zh-hans"):
        response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "系统出错了" in page
    assert_way_back(page)
    assert_no_english(page)
