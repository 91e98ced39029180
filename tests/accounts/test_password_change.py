"""Changing one's own password over HTTP, and the change a sign-in owes after a reset or once
the password has expired: every page leads to the change page until it is done."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from duban.accounts import services
from duban.accounts.models import Role
from duban.accounts.services import ensure_account
from duban.audit.models import AuditAction, AuditEvent
from tests.support.world import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "Mine-own-2024!"


def change(client: Client, old: str, new: str, again: str | None = None, next_: str = "") -> str:
    response = client.post(
        "/accounts/password/",
        {
            "old_password": old,
            "new_password1": new,
            "new_password2": again or new,
            "next": next_,
        },
    )
    return response["Location"] if response.status_code == 302 else response.content.decode()


def test_a_reset_password_must_be_changed_at_the_next_sign_in() -> None:
    anquan = ensure_account("anquan", PASSWORD, Role.SECURITY_ADMIN)
    viewer = ensure_account("chaxun", PASSWORD, Role.VIEWER)
    given = services.reset_password(by=anquan, user=viewer)
    client = Client()
    response = client.post(
        "/accounts/login/?next=/ledger/",
        {"username": "chaxun", "password": given, "next": "/ledger/"},
    )
    assert response["Location"] == "/accounts/password/?next=%2Fledger%2F"
    page = client.get(response["Location"]).content.decode()
    assert "您的密码由他人设置（新建账号或重置密码），请先改为您自己的密码再继续。" in page
    assert "至少 8 个字符。" in page  # the rules, listed
    # Every page leads there; sign-out stays open.
    for path in ("/", "/ledger/", "/directory/"):
        assert client.get(path)["Location"].startswith("/accounts/password/"), path
    # A weak or repeated password is refused in Chinese, and nothing changes.
    assert "密码须至少包含" in change(client, given, "weakpassword")
    assert "近期用过" in change(client, given, given)
    assert "输入的两个密码不一致" in change(client, given, NEW, "Other-2024!")
    assert "旧密码不正确" in change(client, "Wrong-old-1", NEW)
    assert client.get("/")["Location"].startswith("/accounts/password/")
    # A good one: back to the page asked for, signed in, nothing owed any more.
    assert change(client, given, NEW, next_="/ledger/") == "/ledger/"
    assert client.get("/ledger/").status_code == 200
    viewer.refresh_from_db()
    assert viewer.check_password(NEW)
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD, username="chaxun")
    assert event.after == {"password": "changed"}
    assert (
        Client().post("/accounts/login/", {"username": "chaxun", "password": NEW})["Location"]
        == "/"
    )


def test_an_expired_password_must_be_changed() -> None:
    ensure_account("chaxun", PASSWORD, Role.VIEWER)
    with time_machine.travel(timezone.now() + timedelta(days=91), tick=False):
        client = Client()
        response = client.post("/accounts/login/", {"username": "chaxun", "password": PASSWORD})
        assert response["Location"] == "/accounts/password/"
        page = client.get("/accounts/password/").content.decode()
        assert "您的密码已使用超过 90 天，请先设置新密码再继续。" in page
        assert change(client, PASSWORD, NEW) == "/"
        assert client.get("/").status_code == 200


def test_anyone_changes_their_own_password_from_the_user_menu() -> None:
    viewer = ensure_account("chaxun", PASSWORD, Role.VIEWER)
    client = Client()
    client.force_login(viewer)
    home = client.get("/").content.decode()
    assert 'href="/accounts/password/"' in home
    assert "修改密码" in home
    page = client.get("/accounts/password/").content.decode()
    assert "请先" not in page  # nothing owed: no warning
    # An address of another site is never where the page leads afterwards.
    assert change(client, PASSWORD, NEW, next_="https://evil.example/") == "/"
    assert client.get("/").status_code == 200  # this session stays signed in
