"""The people of the user management stories, in the Yanshi directory.

王芳 (wangfang) is a clerk of the 督查室 (role office, no Django flags); 安全 (anquan) is the
security administrator; 李娜 (lina) reports for 发改委 and manages nobody.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client

from duban.accounts.models import Role
from duban.accounts.services import ensure_account
from duban.directory.models import Unit, UnitKind
from duban.directory.services import create_unit, load_directory
from duban.intake.pipeline import DEMO_DIRECTORY

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

PASSWORD = "Accounts-test-2023"


@pytest.fixture(autouse=True)
def fast_hashing(settings: Any) -> None:
    """Hashing with the real iterations takes a second a password; the rules are the same."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def office_unit(db: None) -> Unit:
    load_directory(json.loads(DEMO_DIRECTORY.read_text(encoding="utf-8")))
    return create_unit("督查室", UnitKind.DEPARTMENT, "洛阳市偃师区人民政府督查室")


@pytest.fixture
def wangfang(office_unit: Unit) -> AbstractUser:
    return ensure_account("wangfang", PASSWORD, Role.OFFICE, unit=office_unit)


@pytest.fixture
def anquan(office_unit: Unit) -> AbstractUser:
    return ensure_account("anquan", PASSWORD, Role.SECURITY_ADMIN)


@pytest.fixture
def lina(office_unit: Unit) -> AbstractUser:
    return ensure_account(
        "lina", PASSWORD, Role.UNIT_OPERATOR, unit=Unit.objects.get(name="发改委")
    )


@pytest.fixture
def clerk(wangfang: AbstractUser) -> Client:
    client = Client()
    client.force_login(wangfang)
    return client
