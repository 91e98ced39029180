"""The password policy (等保 身份鉴别: 口令复杂度, 定期更换): its rules in Chinese, the history
of the last five, and who owes a change (a password someone else gave, an expired one)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.utils import timezone

from duban.accounts import passwords, services
from duban.accounts.models import PasswordRecord, Role
from duban.accounts.services import ensure_account
from tests.support.world import PASSWORD

pytestmark = pytest.mark.django_db


def problems(password: str, username: str = "wangqiang") -> list[str]:
    user = get_user_model().objects.filter(username=username).first()
    try:
        password_validation.validate_password(password, user or get_user_model()(username=username))
    except ValidationError as exc:
        return list(exc.messages)
    return []


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!x", "密码太短，至少需要8个字符。"),
        ("abcdefgh1", "密码须至少包含大写字母、小写字母、数字、符号这四类中的 3 类。"),
        ("ABCDEFGH!", "密码须至少包含大写字母、小写字母、数字、符号这四类中的 3 类。"),
        ("WangQiang-2024", "密码不得包含用户名。"),
        ("Password1", "这个密码太常见了。"),
    ],
)
def test_each_rule_refuses_in_chinese(password: str, message: str) -> None:
    assert message in problems(password)


@pytest.mark.parametrize("password", ["Duban-demo-2023", "qiang2024!", "SHUIli#hao", "督办Ab12!x"])
def test_three_of_four_kinds_and_eight_long_pass(password: str) -> None:
    assert problems(password) == []


def test_the_rules_are_listed_in_chinese() -> None:
    texts = password_validation.password_validators_help_texts()
    assert "至少 8 个字符。" in texts
    assert "不得与最近 5 次用过的密码相同。" in texts
    assert all(not text.isascii() for text in texts), texts


def test_none_of_the_last_five_passwords_comes_back() -> None:
    user = ensure_account("wangqiang", "First-pass-01", Role.VIEWER)
    for n in range(2, 6):  # five passwords in all
        user.set_password(f"Next-pass-0{n}")
        user.save()
    assert PasswordRecord.objects.filter(user=user).count() == 5
    reused = "该密码近期用过，请勿使用最近 5 次用过的密码。"
    assert reused in problems("First-pass-01")
    assert reused in problems("Next-pass-05")  # the current one too
    user.set_password("Next-pass-06")
    user.save()
    assert problems("First-pass-01") == []  # six passwords ago: allowed again
    # Only the last five are kept, as hashes.
    records = PasswordRecord.objects.filter(user=user)
    assert records.count() == 5
    assert all(not record.encoded.startswith("Next") for record in records)


def test_a_password_someone_else_gave_is_owed_a_change() -> None:
    anquan = ensure_account("anquan", PASSWORD, Role.SECURITY_ADMIN)
    viewer = ensure_account("chaxun", PASSWORD, Role.VIEWER)
    assert passwords.owed_change(viewer) is None  # the demo's and the world's accounts
    services.reset_password(by=anquan, user=viewer)
    assert passwords.owed_change(viewer) == passwords.GIVEN
    created, _shown = services.create_user(
        by=anquan, username="newcomer", full_name="新人", role=Role.VIEWER, password=""
    )
    assert passwords.owed_change(created) == passwords.GIVEN
    typed, _shown = services.create_user(
        by=anquan,
        username="newclerk",
        full_name="新人二",
        role=Role.VIEWER,
        password="Typed-by-admin-1",
    )
    assert passwords.owed_change(typed) == passwords.GIVEN
    # Changing it oneself pays the debt.
    typed.set_password("Chosen-by-me-22")
    typed.save()
    assert passwords.owed_change(typed) is None


def test_a_reset_obeys_the_policy_too() -> None:
    anquan = ensure_account("anquan", PASSWORD, Role.SECURITY_ADMIN)
    viewer = ensure_account("chaxun", PASSWORD, Role.VIEWER)
    with pytest.raises(services.AccountProblem) as problem:
        services.reset_password(by=anquan, user=viewer, password="chaxun123")
    assert "密码不得包含用户名。" in str(problem.value)
    with pytest.raises(services.AccountProblem) as problem:
        services.reset_password(by=anquan, user=viewer, password=PASSWORD)
    assert "近期用过" in str(problem.value)
    assert viewer.check_password(PASSWORD)


def test_a_password_expires_after_the_configured_days(settings: pytest.FixtureRequest) -> None:
    viewer = ensure_account("chaxun", PASSWORD, Role.VIEWER)
    now = timezone.now()
    with time_machine.travel(now + timedelta(days=90, hours=-1), tick=False):
        assert passwords.owed_change(viewer) is None
    with time_machine.travel(now + timedelta(days=90, hours=1), tick=False):
        assert passwords.owed_change(viewer) == passwords.EXPIRED
        settings.PASSWORD_MAX_AGE_DAYS = 0  # type: ignore[attr-defined]  # never expires
        assert passwords.owed_change(viewer) is None
        settings.PASSWORD_MAX_AGE_DAYS = 180  # type: ignore[attr-defined]
        assert passwords.owed_change(viewer) is None
