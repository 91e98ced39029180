"""The audit trail: who did what, when, from where, and what it was before and after.

Append-only and chained (duban/audit/chain.py, docs/audit.md): an event is written once, with
the hash of the event before it and its own; the application refuses to change or delete one
(``AppendOnly``) and the database refuses too (duban/audit/guards.py).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.ipv6 import clean_ipv6_address
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duban.core import clock
from duban.core.permissions import Action, Actor, RestrictedQuerySet

from . import chain

# PostgreSQL's advisory lock that serialises appending to the chain (any constant bigint).
CHAIN_LOCK = 0x64756261_6E417564  # "dubanAud"


class AppendOnly(Exception):
    """An audit event is never changed or deleted."""

    def __init__(self, what: str) -> None:
        super().__init__(f"audit events are append-only: {what} refused")


class AuditAction(models.TextChoices):
    # What a person did, as the trail names it (新建, 修改...; "Created" elsewhere is 已新建).
    CREATE = "create", pgettext_lazy("audit event", "Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Sign-in failed")
    LOGOUT = "logout", _("Signed out")
    EXPORT = "export", _("Exported")
    DOWNLOAD = "download", _("Downloaded")
    # Security events (等保2.0 安全审计): refusals, reads of the trail, the sign-in's defences.
    DENIED = "denied", _("Access refused")
    READ = "read", _("Read the audit trail")
    LOCKOUT = "lockout", _("Account locked")
    UNLOCK = "unlock", _("Account unlocked")
    PASSWORD = "password", _("Password changed")
    OTP_ENROL = "otp_enrol", _("Two-factor set up")
    OTP_FAILED = "otp_failed", _("Two-factor code wrong")
    OTP_RESET = "otp_reset", _("Two-factor reset")
    SESSION_ENDED = "session_ended", _("Session ended")
    CONFIG = "config", _("Configuration changed")
    # The API's personal access tokens: every use and every refusal (docs/api.md).
    TOKEN_USED = "token_used", _("Access token used")
    TOKEN_REFUSED = "token_refused", _("Access token refused")


class AuditEventQuerySet(RestrictedQuerySet["AuditEvent"]):
    """The audit administrator reads the whole trail; a reader of business data reads the
    history of the tasks he or she sees (the panel on a task's page), nothing else."""

    def permitted(self, who: Actor, action: Action) -> AuditEventQuerySet:
        if action != Action.VIEW:
            return self.none()
        if who.may(Action.READ_AUDIT):
            return self
        if who.reads_business:
            # The trail sits below the ledger: its tasks are named, not imported.
            tasks = apps.get_model("ledger", "Task").objects.all().permitted(who, Action.VIEW)
            return self.filter(task_id__in=tasks.values("pk"))
        return self.none()

    # The trail is appended to one event at a time (``AuditEvent.save``): no bulk writes, no
    # changes, no deletions.
    def update(self, **kwargs: Any) -> int:
        raise AppendOnly("update")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly("delete")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise AppendOnly("bulk_update")

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[AuditEvent]:
        raise AppendOnly("bulk_create")

    update.alters_data = True  # type: ignore[attr-defined]
    delete.alters_data = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]


class AuditEvent(models.Model):
    """One event. Append-only: never changed or deleted by the application."""

    # duban's now (duban.core.clock): a demonstration's history happens on its days.
    at = models.DateTimeField(_("time"), default=clock.now, editable=False, db_index=True)
    # The account as it was: deleting an account changes no event (no SET NULL, which is an
    # UPDATE the trail refuses, and no database constraint); ``username`` keeps its name.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    username = models.CharField(_("user"), max_length=150, blank=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    action = models.CharField(_("event"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=60, blank=True)  # "ledger.task"
    object_id = models.CharField(max_length=40, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    task_id = models.BigIntegerField(null=True, blank=True, db_index=True)  # a task's history
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    result = models.CharField(_("result"), max_length=20, default="ok")
    # The chain (duban/audit/chain.py): the previous event's hash, this event's, and how.
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True, editable=False)
    hash = models.CharField(_("hash"), max_length=64, blank=True, editable=False)
    algorithm = models.CharField(_("hash algorithm"), max_length=10, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_repr}"

    # --- append-only ------------------------------------------------------------------------

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Append the event to the chain; an event already written is never saved again."""
        if not self._state.adding:
            raise AppendOnly("update")
        kwargs["force_insert"] = True
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        # No savepoint: an event is written inside the change it records, and a failed insert
        # fails that whole transaction anyway (two round trips fewer per event).
        with transaction.atomic(using=using, savepoint=False):
            self._link(transaction.get_connection(using), using)
            super().save(*args, **kwargs)

    save.alters_data = True  # type: ignore[attr-defined]

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnly("delete")

    delete.alters_data = True  # type: ignore[attr-defined]

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for each field an update changed."""
        before, after = self.before or {}, self.after or {}
        return [(k, before.get(k), after.get(k)) for k in after if before.get(k) != after.get(k)]

    def chain_fields(self) -> dict[str, Any]:
        """What the hash covers, as the event holds it."""
        return {name: getattr(self, name) for name in chain.FIELDS}

    def _normalise(self) -> None:
        """The values as the database will give them back, so that the hash computed now is
        the hash of what is stored: text cut to its column, the address in its canonical
        form (an unreadable one is left out)."""
        for name in ("username", "action", "object_type", "object_id", "object_repr", "result"):
            length = TEXT_LENGTHS[name]
            setattr(self, name, str(getattr(self, name) or "")[:length])
        self.address = normal_address(self.address)

    def _link(self, connection: BaseDatabaseWrapper, using: str) -> None:
        """Take the chain's lock (held to the end of the transaction), then hash the event on
        the last one. On SQLite the transaction holds the database's write lock already
        (BEGIN IMMEDIATE), so no other writer can append in between."""
        self._normalise()
        table = connection.ops.quote_name(AuditEvent._meta.db_table)
        last_hash = f"SELECT hash FROM {table} ORDER BY id DESC LIMIT 1"
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # One round trip, two statements: the second takes its snapshot after the lock
                # is granted, so it sees the event another writer committed while we waited.
                cursor.execute(f"SELECT pg_advisory_xact_lock({int(CHAIN_LOCK)}); {last_hash}")
                cursor.nextset()
            else:
                cursor.execute(last_hash)
            row = cursor.fetchone()
        # (A raw query: this runs for every event written, the ORM's compiling would double it.)
        self.prev_hash = (row[0] if row else "") or chain.GENESIS
        self.algorithm = chain.ALGORITHM
        self.hash = chain.compute(self.chain_fields(), self.prev_hash, self.algorithm)


# The text columns' lengths (cut to them before hashing: the hash is of what is stored).
TEXT_LENGTHS = {
    field.name: field.max_length
    for field in AuditEvent._meta.concrete_fields
    if isinstance(field, models.CharField) and field.max_length
}


def normal_address(address: str | None) -> str | None:
    """An IP address as the database keeps it (IPv6 compressed, lower case), or None."""
    if not address:
        return None
    try:
        parsed = ipaddress.ip_address(str(address).strip())
    except ValueError:
        return None
    if parsed.version == 6:
        return clean_ipv6_address(str(parsed))
    return str(parsed)
