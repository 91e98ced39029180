"""The trail is tamper-evident: each event carries the hash of the one before it (SM3 here),
``duban audit verify`` walks the chain and names the first broken link, and neither the
application nor (for updates, and on PostgreSQL deletes) the database lets an event change.
"""

from __future__ import annotations

import hashlib
import importlib
import threading
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor

from duban.audit import chain, guards, integrity
from duban.audit.context import acting_as
from duban.audit.models import AppendOnly, AuditAction, AuditEvent
from duban.audit.signals import record
from tests.support.audit import rows, tamper

pytestmark = pytest.mark.django_db
migration = importlib.import_module("duban.audit.migrations.0003_chain_and_security_events")


def three_events() -> list[AuditEvent]:
    with acting_as(None, "10.0.0.1"):
        return [
            record(AuditAction.LOGIN, label="wangqiang"),
            record(AuditAction.LOGIN_FAILED, label="chenjing", result="failed"),
            record(AuditAction.EXPORT, after={"file": "台账.xlsx", "filters": {"q": "项目"}}),
        ]


def verify() -> str:
    out: list[str] = []

    class Sink:
        def write(self, text: str) -> None:
            out.append(text)

    call_command("audit", "verify", stdout=Sink(), stderr=Sink())
    return "".join(out)


def test_each_event_carries_the_hash_of_the_one_before(db: None) -> None:
    first, second, third = three_events()
    before = AuditEvent.objects.filter(pk__lt=first.pk).order_by("-pk").first()
    assert first.prev_hash == (before.hash if before else chain.GENESIS)
    assert (second.prev_hash, third.prev_hash) == (first.hash, second.hash)
    # SM3 where OpenSSL offers it (it does here), each event saying so.
    assert "sm3" in hashlib.algorithms_available
    assert {first.algorithm, second.algorithm, third.algorithm} == {"sm3"}
    stored = AuditEvent.objects.values(*integrity.COLUMNS).get(pk=third.pk)
    expected = hashlib.new("sm3", chain.canonical(stored, second.hash, "sm3")).hexdigest()
    assert third.hash == stored["hash"] == expected
    assert len(third.hash) == 64


def test_verify_says_an_intact_trail_is_intact(db: None) -> None:
    three_events()
    last = AuditEvent.objects.order_by("-pk").first()
    assert last is not None
    said = verify()
    assert f"{AuditEvent.objects.count()}" in said and last.hash in said


def test_verify_names_an_edited_event(db: None) -> None:
    _, second, _ = three_events()
    tamper("UPDATE audit_auditevent SET username = %s WHERE id = %s", ["zhangsan", second.pk])
    with pytest.raises(CommandError) as failed:
        verify()
    assert failed.value.returncode == 1
    message = str(failed.value)
    assert f"（编号 {second.pk}，" in message and "记录后被修改过" in message
    broken = integrity.verify_trail().broken
    assert broken is not None
    assert (broken.event_id, broken.kind) == (second.pk, integrity.Broken.CHANGED)


def test_verify_names_the_event_after_a_removed_one(db: None) -> None:
    _, second, third = three_events()
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [second.pk])
    broken = integrity.verify_trail().broken
    assert broken is not None
    assert (broken.event_id, broken.kind) == (third.pk, integrity.Broken.LINK)


def test_verify_notices_a_rehashed_edit(db: None) -> None:
    """An intruder who recomputes the edited event's own hash still breaks the next link."""
    _, second, third = three_events()
    fields = AuditEvent.objects.values(*integrity.COLUMNS).get(pk=second.pk)
    fields["username"] = "zhangsan"
    forged = chain.compute(fields, fields["prev_hash"], fields["algorithm"])
    tamper(
        "UPDATE audit_auditevent SET username = %s, hash = %s WHERE id = %s",
        ["zhangsan", forged, second.pk],
    )
    broken = integrity.verify_trail().broken
    assert broken is not None and broken.event_id == third.pk
    assert broken.kind == integrity.Broken.LINK


def test_the_application_refuses_to_change_or_delete_an_event(db: None) -> None:
    event, *_ = three_events()
    event.username = "zhangsan"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(username="zhangsan")
    with pytest.raises(AppendOnly):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.bulk_create([AuditEvent(action=AuditAction.LOGIN)])
    assert AuditEvent.objects.get(pk=event.pk).username == "wangqiang"
    assert integrity.verify_trail().intact


def test_the_database_refuses_an_update(db: None) -> None:
    event, *_ = three_events()
    assert guards.installed(connection)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET username = 'x' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).username == "wangqiang"


@pytest.mark.postgres
def test_postgresql_refuses_a_delete(db: None) -> None:
    event, *_ = three_events()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_deleting_an_account_changes_no_event(db: None) -> None:
    clerk = User.objects.create_user("clerk", password="Long-enough-2023")
    with acting_as(clerk, "10.0.0.2"):
        event = record(AuditAction.EXPORT, after={"file": "台账.xlsx", "filters": {}})
    clerk.delete()  # no UPDATE of the trail (it would be refused), no constraint in the way
    kept = AuditEvent.objects.get(pk=event.pk)
    assert (kept.user_id, kept.username) == (event.user_id, "clerk")
    assert integrity.verify_trail().intact


def test_what_is_hashed_is_what_the_database_gives_back(db: None) -> None:
    """Values the database keeps in its own form (an IPv6 address, 1.0 in JSON, numbers as
    keys, text longer than its column) hash alike before and after the round trip."""
    odd = [
        ("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("::ffff:10.1.2.3", "::ffff:10.1.2.3"),
        ("not an address", None),
    ]
    for given, kept in odd:
        event = record(
            AuditAction.UPDATE,
            address=given,
            label="x" * 400,
            before={"value": 1.0, 3: "三", "big": 1e20, "list": [0.5, -0.0]},
            after={"value": 2.25, "nested": {"b": [1, {"c": None}], "a": True}},
        )
        assert event.address == kept
        stored = AuditEvent.objects.values(*integrity.COLUMNS).get(pk=event.pk)
        assert stored["address"] == kept and len(stored["username"]) == 150
        assert chain.compute(stored, stored["prev_hash"], stored["algorithm"]) == event.hash
    assert integrity.verify_trail().intact


def test_the_migration_chains_the_events_recorded_before_it(db: None) -> None:
    """Events written before the chain existed (no hashes) are chained in their order."""
    three_events()
    tamper("UPDATE audit_auditevent SET prev_hash = '', hash = '', algorithm = ''")
    assert not integrity.verify_trail().intact
    state = MigrationExecutor(connection).loader.project_state(
        ("audit", "0003_chain_and_security_events")
    )
    guards.remove(connection)
    migration.link_recorded_events(state.apps, SimpleNamespace(connection=connection))
    guards.install(connection)
    walked = integrity.verify_trail()
    assert walked.intact and walked.count == AuditEvent.objects.count() >= 3
    assert all(row["hash"] and row["algorithm"] == chain.ALGORITHM for row in rows())


@pytest.mark.django_db(transaction=True)
def test_writers_at_the_same_moment_keep_one_chain() -> None:
    """Eight threads record at once (each its own connection): one unbroken chain, no fork."""
    barrier = threading.Barrier(8)
    failures: list[BaseException] = []

    def write(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            for i in range(5):
                with transaction.atomic():
                    record(AuditAction.LOGIN, label=f"user{n}-{i}")
        except BaseException as exc:  # reported below
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    walked = integrity.verify_trail()
    assert walked.intact and walked.count == 40
    assert len({row["prev_hash"] for row in rows()}) == 40  # every event follows a different one
