"""Fixtures of the ledger tests: a small Yanshi-like directory and plan, and named people."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.support import factories

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser
    from django.test import Client


@pytest.fixture
def yanshi(db: None) -> factories.Yanshi:
    """The 2023 plan of Yanshi District with its directory (see factories.build_yanshi)."""
    return factories.build_yanshi()


@pytest.fixture
def operator_client(client: Client, yanshi: factories.Yanshi) -> Client:
    """Li Na (李娜), who reports for the housing bureau: she reads the ledger, no more."""
    user = factories.make_user("lina", role="unit_operator", unit=yanshi.units["住建局"])
    client.force_login(user)
    return client


@pytest.fixture
def clerk_user(db: None) -> AbstractUser:
    """Wang Fang (王芳), a clerk of the supervision office: not staff, but role "office"."""
    return factories.make_user("wangfang", role="office")
