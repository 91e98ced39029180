"""The demo year, built once for a module of tests: ``demo_year`` (``duban demo --date
2023-08-15``, the year half way) and ``full_year`` (``--date 2024-01-20``, the finished year).

The mid-year build takes several seconds, the full year about twice as long: each builds inside
a transaction that is rolled back when the block ends, so a module-scoped fixture can build it
once and every test reads it (each in its own savepoint, through the ``db`` fixture). Every
account has the password ``DEMO_PASSWORD``; inside the block the date is pinned to the demo
date (``DUBAN_TODAY``), as ``make run`` shows it. Build the full year in at most one or two
modules (the suite's time is tight).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

from duban.demo.year import build_year
from duban.ledger.models import Plan

DEMO_DATE = dt.date(2023, 8, 15)
FULL_YEAR_DATE = dt.date(2024, 1, 20)
DEMO_PASSWORD = "Demo-year-2023"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass(frozen=True)
class DemoYear:
    printed: str  # what ``duban demo`` printed
    media: Path  # where its files are (MEDIA_ROOT while it is read)


def analyze() -> None:
    """Give PostgreSQL's planner the demo's row counts. The year is built in a transaction that
    autovacuum never sees, so without this the planner takes its tables for empty and may
    choose plans that run for seconds (a server's autovacuum does this by itself)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


@contextmanager
def built_year(django_db_blocker: Any, media: Path, day: dt.date) -> Iterator[DemoYear]:
    """Build the demo year up to ``day`` with its files in ``media``."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=FAST_HASHERS, DUBAN_TODAY=day),
        pytest.MonkeyPatch.context() as patch,
    ):
        patch.setenv("DUBAN_DEMO_PASSWORD", DEMO_PASSWORD)
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = io.StringIO()
            call_command("demo", "--date", day.isoformat(), stdout=out, stderr=io.StringIO())
            analyze()
            yield DemoYear(out.getvalue(), media)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def demo_year(django_db_blocker: Any, media: Path) -> AbstractContextManager[DemoYear]:
    """The demo year up to ``DEMO_DATE`` (2023-08-15) with its files in ``media``."""
    return built_year(django_db_blocker, media, DEMO_DATE)


def full_year(django_db_blocker: Any, media: Path) -> AbstractContextManager[DemoYear]:
    """The finished year, up to ``FULL_YEAR_DATE`` (2024-01-20), with its files in ``media``."""
    return built_year(django_db_blocker, media, FULL_YEAR_DATE)


@contextmanager
def year_continued(
    django_db_blocker: Any, built: DemoYear, until: dt.date = FULL_YEAR_DATE
) -> Iterator[int]:
    """Inside ``demo_year``'s block: the year goes on to ``until`` (the steps after
    ``DEMO_DATE``, which are those a fresh build of ``until`` takes: the mid-year demo is the
    finished year's beginning, but for its own day's lights and reminders), undone when the
    block ends. Half the cost of ``full_year`` where a mid-year build is there anyway; yields
    the number of steps taken."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=built.media, DUBAN_TODAY=until),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            steps = build_year(Plan.objects.get(), until, after=DEMO_DATE)
            analyze()
            yield steps
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
