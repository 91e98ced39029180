"""Signing in with the account `duban demo` prints, and signing out."""

import io

import pytest
from django.core.management import call_command
from django.test import Client


def demo_password(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.delenv("DUBAN_DEMO_PASSWORD", raising=False)
    out = io.StringIO()
    # The bare import: the accounts are the same, without the year's cost (test_demo_command.py
    # runs the whole demo).
    call_command("demo", "--empty", stdout=out)
    row = next(line for line in out.getvalue().splitlines() if line.startswith("office "))
    return row.split()[-1]


@pytest.mark.django_db
def test_demo_account_can_sign_in(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    password = demo_password(monkeypatch)
    response = client.post("/accounts/login/", {"username": "office", "password": password})
    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/").content.decode()
    assert "的工作台</h1>" in home  # the person's desk, with the office's 待办 on it
    assert 'id="home-todo"' in home


@pytest.mark.django_db
def test_wrong_password_is_refused_in_chinese(client: Client) -> None:
    response = client.post("/accounts/login/", {"username": "office", "password": "nope"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


@pytest.mark.django_db
def test_login_page_is_chinese_and_public(client: Client) -> None:
    page = client.get("/accounts/login/").content.decode()
    assert "登录" in page
    assert "用户名" in page


def test_signing_out_ends_the_session(office_client: Client) -> None:
    response = office_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert office_client.get("/").status_code == 302
