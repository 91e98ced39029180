"""What an intruder with the database's keys would do to the audit trail, for the tests that
show it is noticed: change or delete rows behind the application's back.

The database's guard (duban/audit/guards.py) is lifted inside the test's own transaction and
put back at once; the test's rollback undoes all of it (PostgreSQL's and SQLite's DDL are
transactional).
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from duban.audit import guards
from duban.audit.integrity import COLUMNS
from duban.audit.models import AuditEvent


def tamper(sql: str, params: list[Any] | None = None) -> None:
    """Run ``sql`` on the audit table with its guard lifted."""
    guards.remove(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params or [])
    finally:
        guards.install(connection)


def rows() -> list[dict[str, Any]]:
    """The trail as ``duban audit verify`` reads it, in the order it was written."""
    return list(AuditEvent.objects.order_by("pk").values(*COLUMNS))
