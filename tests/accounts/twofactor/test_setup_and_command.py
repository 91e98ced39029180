"""The configuration of the second factor (DUBAN_2FA_* variables, system checks) and the
server's command ``duban twofactor list | reset NAME``."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path
from types import ModuleType

import pytest
from django.conf import settings as django_settings
from django.core.checks.registry import registry
from django.core.management import CommandError, call_command

from duban.accounts.twofactor import checks, services
from duban.audit.models import AuditAction, AuditEvent
from tests.support.twofactor import DEFAULT_REQUIRED, account, enrol


def settings_with(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **env: str) -> ModuleType:
    """duban/settings.py read afresh under ``env`` (a module of its own: Django's stays)."""
    monkeypatch.setenv("DUBAN_DATA_DIR", str(tmp_path))
    for name in ("DUBAN_2FA_REQUIRED_ROLES", "DUBAN_2FA_MAX_FAILURES", "DUBAN_2FA_ISSUER"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    path = Path(django_settings.PACKAGE_DIR) / "settings.py"
    spec = importlib.util.spec_from_file_location("duban_settings_probe", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_office_and_the_administrators_must_by_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    default = settings_with(monkeypatch, tmp_path)
    assert default.TWOFACTOR_REQUIRED_ROLES == DEFAULT_REQUIRED
    assert (default.TWOFACTOR_MAX_FAILURES, default.TWOFACTOR_LOCK_MINUTES) == (5, 15)
    assert default.OTP_TOTP_ISSUER == "督办"
    chosen = settings_with(
        monkeypatch,
        tmp_path,
        DUBAN_2FA_REQUIRED_ROLES="office, viewer",
        DUBAN_2FA_ISSUER="偃师督办",
    )
    assert chosen.TWOFACTOR_REQUIRED_ROLES == ["office", "viewer"]
    assert chosen.OTP_TOTP_ISSUER == "偃师督办"
    nobody = settings_with(monkeypatch, tmp_path, DUBAN_2FA_REQUIRED_ROLES="none")
    assert nobody.TWOFACTOR_REQUIRED_ROLES == []


def test_a_misspelt_role_stops_the_check(settings: pytest.FixtureRequest) -> None:
    settings.TWOFACTOR_REQUIRED_ROLES = ["office", "ofice"]  # type: ignore[attr-defined]
    [error] = checks.required_roles_known()
    assert error.id == "duban.E210" and "ofice" in error.msg
    settings.TWOFACTOR_REQUIRED_ROLES = DEFAULT_REQUIRED  # type: ignore[attr-defined]
    assert checks.required_roles_known() == []
    assert checks.required_roles_known in registry.get_checks()


def test_the_deploy_check_asks_it_of_the_office_and_administrators(
    settings: pytest.FixtureRequest,
) -> None:
    settings.TWOFACTOR_REQUIRED_ROLES = ["office", "security_admin"]  # type: ignore[attr-defined]
    [warning] = checks.administrators_use_two_factor()
    assert warning.id == "duban.W210"
    assert (
        "系统管理员" in warning.msg and "审计管理员" in warning.msg and "督查室" not in warning.msg
    )
    settings.TWOFACTOR_REQUIRED_ROLES = DEFAULT_REQUIRED  # type: ignore[attr-defined]
    assert checks.administrators_use_two_factor() == []
    deploy = registry.get_checks(include_deployment_checks=True)
    assert checks.administrators_use_two_factor in deploy
    assert checks.administrators_use_two_factor not in registry.get_checks()


@pytest.mark.django_db
def test_the_command_lists_and_resets(settings: pytest.FixtureRequest) -> None:
    settings.TWOFACTOR_REQUIRED_ROLES = DEFAULT_REQUIRED  # type: ignore[attr-defined]
    xitong = account("xitong")
    account("chaxun")
    enrol(xitong)
    out = io.StringIO()
    call_command("twofactor", "list", stdout=out)
    rows = {line.split()[0]: line.split()[1:] for line in out.getvalue().splitlines()[1:]}
    assert rows["xitong"] == ["系统管理员", "已开启", "是"]
    assert rows["chaxun"] == ["查阅人员", "未开启", "否"]

    out = io.StringIO()
    call_command("twofactor", "reset", "xitong", stdout=out)  # an administrator's: here only
    assert "已重置 xitong 的两步验证" in out.getvalue()
    assert not services.is_enabled(xitong)
    event = AuditEvent.objects.get(action=AuditAction.OTP_RESET)
    assert event.user_id is None and event.object_id == str(xitong.pk)  # the console

    out = io.StringIO()
    call_command("twofactor", "reset", "xitong", stdout=out)
    assert "xitong 尚未设置两步验证" in out.getvalue()
    with pytest.raises(CommandError, match="nobody"):
        call_command("twofactor", "reset", "nobody")
