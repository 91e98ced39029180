"""Fixtures every folder may use: the world (tests/support/world.py), the office account alone,
uploads kept out of var/, and a real headless Chromium.

Conftest files only declare fixtures; what tests import comes from tests/support.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from duban.ledger.models import Plan
from duban.reporting.models import Period
from tests.support.world import PASSWORD, World, build_world

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser
    from django.test import Client
    from playwright.sync_api import Browser, Page

# Playwright's sync API runs an event loop in the main thread; Django would otherwise refuse
# the ORM calls that live_server tests make from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Serve live_server on the address the tests check requests against.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect (visibly, not skip) the tests meant for the other database engine."""
    from django.conf import settings

    other = (
        "sqlite" if settings.DATABASES["default"]["ENGINE"].endswith("postgresql") else "postgres"
    )
    _share_worlds(items)
    deselected = [item for item in items if item.get_closest_marker(other)]
    if other == "sqlite" and not os.environ.get("DUBAN_TEST_ALL_ON_POSTGRES"):
        # The PostgreSQL run repeats what can differ there: tests that use the database (or a
        # command that may). A test without database access (pytest-django blocks it) gives
        # the same answer on either engine and ran already in the SQLite run.
        deselected += [item for item in items if _engine_free(item)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        gone = {id(item) for item in deselected}
        items[:] = [item for item in items if id(item) not in gone]


_DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_setup", "world"}


def _engine_free(item: pytest.Item) -> bool:
    """Whether a test cannot touch the database: no django_db mark, no database fixture, and
    not one of the integration tests that run duban's commands in a child process."""
    if item.get_closest_marker("django_db") or item.get_closest_marker("postgres"):
        return False
    if _DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
        return False
    return "tests/integration/" not in item.nodeid.replace("\\", "/")


@pytest.fixture(autouse=True, scope="session")
def _two_factor_optional() -> Iterator[None]:
    """The second factor is required of nobody unless a test asks for it (settings fixture:
    ``settings.TWOFACTOR_REQUIRED_ROLES = ["office"]``); tests sign in with the password alone."""
    with override_settings(TWOFACTOR_REQUIRED_ROLES=[]):
        yield


@pytest.fixture(autouse=True, scope="session")
def _static_files_by_plain_names() -> Iterator[None]:
    """Pages name static files by their plain names (/static/vendor/htmx.min.js), served from
    the apps' folders by live_server: the suite runs no collectstatic, and the hashed names of
    the production storage (duban/core/server_static.py; tested by tests/core/test_serve.py
    against a real `duban serve`) would follow whatever var/static last held."""
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={**django_settings.STORAGES, "staticfiles": plain}):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    """Tests create many accounts; a production-strength hash costs a third of a second each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture
def office_user(db: None) -> AbstractUser:
    """The world's office account (``office``, ``PASSWORD``) alone, without the world: for the
    stories that make their own data (importing the notice, the synthetic ledger)."""
    from duban.accounts.services import ensure_office_account

    return ensure_office_account(username="office", password=PASSWORD)


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the product's default language (Simplified Chinese): a page asked
    for in English activates English in the test's thread, and would leak into the next test."""
    with translation.override(django_settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Uploaded files go to a fresh folder per test, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    return tmp_path / "media"


SHARED_WORLD = "_duban_shares_its_world"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _share_worlds(items: list[pytest.Item]) -> None:
    """Mark the modules whose every database test uses ``world`` (and none a real transaction):
    they build the world once, and each test runs in a savepoint rolled back to it. Building
    it (directory, the seed import, people: some 2,700 queries) per test was most of the
    suite's time on PostgreSQL."""
    modules: dict[Any, list[pytest.Item]] = {}
    for item in items:
        module = getattr(item, "module", None)
        if module is not None:
            modules.setdefault(module, []).append(item)
    for module, its in modules.items():
        shared = False
        for item in its:
            names = set(getattr(item, "fixturenames", ()))
            marker = item.get_closest_marker("django_db")
            if names & _REAL_TRANSACTIONS or (marker and marker.kwargs.get("transaction")):
                shared = False
                break
            if "world" in names:
                shared = True
            elif marker or names & _DATABASE_FIXTURES:
                shared = False
                break
        setattr(module, SHARED_WORLD, shared)


_REAL_TRANSACTIONS = {"transactional_db", "live_server", "world_committed"}


@dataclass(frozen=True)
class _Built:
    plan: int
    q1: int
    people: dict[str, int]
    media: Path


@pytest.fixture(scope="module")
def _module_world(
    request: pytest.FixtureRequest,
    django_db_setup: None,
    django_db_blocker: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[_Built | None]:
    """In a module that shares its world: the world, built once in a transaction that every
    test's own (a savepoint) returns to and that is rolled back when the module ends."""
    if not getattr(request.module, SHARED_WORLD, False):
        yield None
        return
    media = tmp_path_factory.mktemp("world-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=FAST_HASHERS),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_world()
            yield _Built(
                built.plan.pk,
                built.q1.pk,
                {name: user.pk for name, user in built.people.items()},
                media,
            )
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def world(db: None, _module_world: _Built | None, media: Path) -> World:
    """The demo's directory, ledger and people, 2023Q1 open (tests/support/world.py); read
    afresh for each test where its module shares one world."""
    if _module_world is None:
        return build_world()
    shutil.copytree(_module_world.media, media, dirs_exist_ok=True)
    users = get_user_model().objects.in_bulk(list(_module_world.people.values()))
    return World(
        plan=Plan.objects.get(pk=_module_world.plan),
        q1=Period.objects.get(pk=_module_world.q1),
        people={name: users[pk] for name, pk in _module_world.people.items()},
    )


@pytest.fixture
def world_committed(transactional_db: None) -> World:
    """The world in a database that real transactions (threads, live_server) see."""
    return build_world()


@pytest.fixture
def office_client(client: Client, office_user: AbstractUser) -> Client:
    client.force_login(office_user)
    return client


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium "
            "(run scripts/ensure-system-packages, or apt-get install chromium)",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (no cookies) per test, in Chinese like an office PC."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    yield page
    context.close()
