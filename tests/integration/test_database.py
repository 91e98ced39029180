"""The database runs the way settings.py promises, on either engine."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode() -> None:
    if connection.vendor == "postgresql":
        pytest.skip("WAL is SQLite's journal mode; this run is on PostgreSQL")
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
