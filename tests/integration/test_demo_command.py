"""`duban demo`: prints the office account and can be run again safely."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def printed_password(output: str) -> str:
    return next(line for line in output.splitlines() if line.startswith("office ")).split()[-1]


@pytest.mark.django_db
def test_demo_prints_account_role_password_and_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DUBAN_DEMO_PASSWORD", raising=False)
    output = run_demo()
    assert "用户名" in output and "角色" in output and "密码" in output
    assert "督查室管理员" in output
    assert "http://127.0.0.1:8000" in output
    assert len(printed_password(output)) == 12


@pytest.mark.django_db
def test_demo_is_idempotent_and_resets_the_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DUBAN_DEMO_PASSWORD", raising=False)
    first = printed_password(run_demo())
    second = printed_password(run_demo())
    users = get_user_model().objects.filter(username="office")
    assert users.count() == 1
    office = users.get()
    assert office.is_superuser and office.is_staff
    assert office.check_password(second)
    assert first == second or not office.check_password(first)


@pytest.mark.django_db
def test_demo_uses_the_password_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUBAN_DEMO_PASSWORD", "Chosen-by-the-office-9")
    assert printed_password(run_demo()) == "Chosen-by-the-office-9"
    office = get_user_model().objects.get(username="office")
    assert office.check_password("Chosen-by-the-office-9")
