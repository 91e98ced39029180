"""The database's own refusal to change the audit trail.

On PostgreSQL a trigger refuses every UPDATE and DELETE of an audit event, whoever connects
(the application, psql, a script); on SQLite a trigger refuses UPDATE. SQLite keeps no DELETE
trigger: Django's test runner empties tables with DELETE, and whoever can open the file can
drop a trigger anyway; there the application refuses deletes (``AuditEvent``'s manager and
model) and ``duban audit verify`` shows any row removed behind its back.

The guards are installed by the migration that made the chain
(0003_chain_and_security_events) and again after every ``migrate`` (a later migration that
rebuilds the table on SQLite drops its triggers): installing is idempotent.
"""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "audit_auditevent"
FUNCTION = "duban_audit_append_only"
TRIGGER = "audit_auditevent_append_only"

_POSTGRES_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END
    $$
    """,
    f"DROP TRIGGER IF EXISTS {TRIGGER} ON {TABLE}",
    f"""
    CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()
    """,
]
_POSTGRES_REMOVE = [
    f"DROP TRIGGER IF EXISTS {TRIGGER} ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {FUNCTION}()",
]

_SQLITE_INSTALL = [
    f"""
    CREATE TRIGGER IF NOT EXISTS {TRIGGER} BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END
    """,
]
_SQLITE_REMOVE = [f"DROP TRIGGER IF EXISTS {TRIGGER}"]


def _run(connection: BaseDatabaseWrapper, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _table_exists(connection: BaseDatabaseWrapper) -> bool:
    with connection.cursor() as cursor:
        return TABLE in connection.introspection.table_names(cursor)


def install(connection: BaseDatabaseWrapper) -> None:
    """Put the trigger(s) in place (again); nothing on an engine duban does not know."""
    if connection.vendor == "postgresql":
        _run(connection, _POSTGRES_INSTALL)
    elif connection.vendor == "sqlite":
        _run(connection, _SQLITE_INSTALL)


def remove(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor == "postgresql":
        _run(connection, _POSTGRES_REMOVE)
    elif connection.vendor == "sqlite":
        _run(connection, _SQLITE_REMOVE)


def installed(connection: BaseDatabaseWrapper) -> bool:
    """Whether the trigger is there (for ``duban audit verify`` and the tests)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgname = %s AND tgenabled <> 'D'",
                [TRIGGER],
            )
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = %s",
                [TRIGGER],
            )
        else:
            return False
        return bool(cursor.fetchone()[0])


def after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """post_migrate: the guards again, once the audit table exists."""
    connection = connections[using]
    if _table_exists(connection):
        install(connection)
