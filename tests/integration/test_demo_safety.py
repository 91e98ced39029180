"""`duban demo` on a machine others reach, its password and the accounts it leaves: the demo
refuses where DUBAN_ALLOWED_HOSTS names a host beyond this machine unless --force, its password
obeys the policy, and `duban check --deploy` names demo accounts still able to sign in."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model, password_validation
from django.core.management import CommandError, call_command

from duban.accounts.models import Role
from duban.accounts.services import ensure_account
from duban.demo.accounts import DEMO_ACCOUNTS
from duban.demo.checks import demo_accounts_left
from duban.demo.management.commands.demo import outside_hosts
from tests.support.world import PASSWORD

pytestmark = pytest.mark.django_db


def test_loopback_names_stay_on_this_machine() -> None:
    assert outside_hosts(["127.0.0.1", "localhost", "::1", "[::1]", "testserver"]) == []
    assert outside_hosts(["127.0.1.1", "app.localhost", ".localhost"]) == []
    assert outside_hosts(["duban.yanshi.gov.cn", "localhost", "10.1.2.3", "*"]) == [
        "duban.yanshi.gov.cn",
        "10.1.2.3",
        "*",
    ]


def test_the_demo_refuses_a_server_others_reach_unless_forced(
    settings: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.ALLOWED_HOSTS = ["duban.yanshi.gov.cn", "127.0.0.1"]  # type: ignore[attr-defined]
    with pytest.raises(CommandError) as refused:
        call_command("demo", "--empty", stdout=io.StringIO())
    message = str(refused.value)
    assert "督办可从本机以外访问（DUBAN_ALLOWED_HOSTS：duban.yanshi.gov.cn）" in message
    assert "--force" in message
    assert not get_user_model().objects.exists()  # nothing made
    monkeypatch.delenv("DUBAN_DEMO_PASSWORD", raising=False)
    out = io.StringIO()
    call_command("demo", "--empty", "--force", stdout=out, stderr=io.StringIO())
    row = next(line for line in out.getvalue().splitlines() if line.startswith("office "))
    password = row.split()[-1]
    # The default (random) demo password satisfies the policy for every demo account.
    for account in DEMO_ACCOUNTS:
        user = get_user_model().objects.get(username=account.username)
        password_validation.validate_password(password, get_user_model()(username=user.username))
    # ... and `duban check --deploy` names the demo accounts left behind.
    (warning,) = demo_accounts_left()
    assert warning.id == "duban.W301"
    assert "演示账号 anquan, chaxun, fgw" in warning.msg
    assert "duban admin deactivate" in warning.msg


def test_a_demo_password_against_the_policy_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUBAN_DEMO_PASSWORD", "demo1234")
    with pytest.raises(CommandError) as refused:
        call_command("demo", "--empty", stdout=io.StringIO())
    assert "DUBAN_DEMO_PASSWORD 不符合密码策略" in str(refused.value)
    assert not get_user_model().objects.exists()


def test_the_deploy_check_names_demo_accounts_that_can_sign_in() -> None:
    assert demo_accounts_left() == []
    ensure_account("zhangsan", PASSWORD, Role.VIEWER)  # not a demo account
    assert demo_accounts_left() == []
    ensure_account("chaxun", PASSWORD, Role.VIEWER)
    shenji = ensure_account("shenji", PASSWORD, Role.AUDIT_ADMIN)
    shenji.is_active = False
    shenji.save()
    err = io.StringIO()
    # The tests' own environment has errors of its own (DJANGO_ALLOW_ASYNC_UNSAFE): list all.
    call_command("check", "--deploy", "--fail-level", "CRITICAL", stdout=io.StringIO(), stderr=err)
    assert "duban.W301" in err.getvalue()
    assert "演示账号 chaxun 仍可用" in err.getvalue()
    shenji.is_active = True
    shenji.set_unusable_password()
    shenji.save()
    assert "shenji" not in demo_accounts_left()[0].msg
