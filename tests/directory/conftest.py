"""The people of the directory stories: 王敏 the office clerk, 李娜 who reports for 发改委."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.test import Client

from duban.accounts.models import Role
from duban.accounts.services import ensure_account
from duban.directory.files import DEMO_FILE, read_directory_file
from duban.directory.models import Unit, UnitKind
from duban.directory.services import create_unit, load_directory

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

PASSWORD = "Directory-test-2023"


@pytest.fixture
def demo_directory(db: None) -> dict[str, int]:
    """The Yanshi District directory, as `duban directory load demo` leaves it."""
    return load_directory(read_directory_file(DEMO_FILE))


@pytest.fixture
def office_clerk(demo_directory: dict[str, int]) -> AbstractUser:
    """王敏 of the 督查室: role office, not a Django staff user."""
    office = create_unit("督查室", UnitKind.DEPARTMENT, "洛阳市偃师区人民政府督查室")
    return ensure_account("wangmin", PASSWORD, Role.OFFICE, unit=office)


@pytest.fixture
def fgw_operator(demo_directory: dict[str, int]) -> AbstractUser:
    """李娜, who reports for 发改委."""
    unit = Unit.objects.get(name="发改委")
    return ensure_account("lina", PASSWORD, Role.UNIT_OPERATOR, unit=unit)


@pytest.fixture
def clerk(office_clerk: AbstractUser) -> Client:
    client = Client()
    client.force_login(office_clerk)
    return client


@pytest.fixture
def operator(fgw_operator: AbstractUser) -> Client:
    client = Client()
    client.force_login(fgw_operator)
    return client
