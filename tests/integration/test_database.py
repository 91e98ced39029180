"""The database runs the way settings.py promises, on either engine."""

import pytest
from django.db import connection


@pytest.mark.sqlite
@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode() -> None:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 1  # NORMAL


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_run_really_uses_postgresql() -> None:
    assert connection.vendor == "postgresql"
    assert connection.pg_version >= 130000
