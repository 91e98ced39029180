"""The demo year (``duban demo --date 2023-08-15``), built once for a module of tests.

The year takes a few seconds to build; ``demo_year(django_db_blocker, media)`` builds it inside
a transaction that is rolled back when the block ends, so a module-scoped fixture can build it
once and every test reads it (each in its own savepoint, through the ``db`` fixture). Every
account has the password ``DEMO_PASSWORD``; inside the block the date is pinned to the demo date
(``DUBAN_TODAY``), as ``make run`` shows it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

DEMO_DATE = dt.date(2023, 8, 15)
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
def demo_year(django_db_blocker: Any, media: Path) -> Iterator[DemoYear]:
    """Build the demo year up to ``DEMO_DATE`` with its files in ``media``."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=FAST_HASHERS, DUBAN_TODAY=DEMO_DATE),
        pytest.MonkeyPatch.context() as patch,
    ):
        patch.setenv("DUBAN_DEMO_PASSWORD", DEMO_PASSWORD)
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = io.StringIO()
            call_command("demo", "--date", DEMO_DATE.isoformat(), stdout=out, stderr=io.StringIO())
            analyze()
            yield DemoYear(out.getvalue(), media)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
