"""Every change leaves a trace: who, when, from where, before and after; sign-ins too."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from duban.audit.context import acting_as
from duban.audit.models import AuditAction, AuditEvent
from duban.directory.models import Unit, UnitKind
from duban.directory.services import create_unit, load_directory
from duban.intake.pipeline import DEMO_DIRECTORY
from duban.intake.services import import_demo_plan
from duban.ledger.models import Task, TaskStatus
from tests.support.world import PASSWORD, World

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(settings: object, tmp_path: object) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    load_directory(json.loads(DEMO_DIRECTORY.read_text(encoding="utf-8")))
    import_demo_plan()


def test_an_import_records_each_task_and_its_assignments(seed: None) -> None:
    task = Task.objects.get(number="1")
    kinds = {e.object_type for e in AuditEvent.objects.filter(task_id=task.pk)}
    assert {"ledger.task", "ledger.assignment", "ledger.target", "ledger.taskleader"} <= kinds


def test_a_change_by_a_person_records_who_where_before_and_after(
    seed: None, office_client: Client
) -> None:
    task = Task.objects.get(number="1")
    office_client.post(
        reverse("ledger:task", args=[task.pk]),
        {"status": TaskStatus.IN_PROGRESS},
        REMOTE_ADDR="10.1.2.3",
    )
    event = AuditEvent.objects.filter(task_id=task.pk, action=AuditAction.UPDATE).first()
    assert event is not None
    assert (event.username, event.address) == ("office", "10.1.2.3")
    assert ("status", "not_started", "in_progress") in event.changes()
    page = office_client.get(reverse("ledger:task", args=[task.pk])).content.decode()
    assert 'id="history"' in page and "10.1.2.3" in page


def test_saving_without_a_change_records_nothing(seed: None) -> None:
    task = Task.objects.get(number="2")
    before = AuditEvent.objects.count()
    task.save()
    assert AuditEvent.objects.count() == before


def test_deletes_and_commands_are_recorded(seed: None) -> None:
    clerk = User.objects.create_user("clerk", password="Long-enough-2023")
    with acting_as(clerk, "127.0.0.1"):
        Task.objects.get(number="98").delete()
    event = AuditEvent.objects.get(action=AuditAction.DELETE, object_type="ledger.task")
    assert (event.username, event.address, event.after) == ("clerk", "127.0.0.1", None)
    assert event.before["number"] == "98"


def test_passwords_never_reach_the_trail(db: None) -> None:
    user = User.objects.create_user("someone", password="Secret-value-2023")
    events = AuditEvent.objects.filter(object_type="auth.user", object_id=str(user.pk))
    assert events.exists()
    assert all(
        "Secret" not in json.dumps(e.after) and "pbkdf2" not in json.dumps(e.after) for e in events
    )


def test_sign_ins_and_failures_are_recorded(client: Client, office_user: User) -> None:
    client.post(
        reverse("login"), {"username": "office", "password": "wrong"}, REMOTE_ADDR="10.9.9.9"
    )
    client.post(reverse("login"), {"username": "office", "password": PASSWORD})
    failed = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert (failed.username, failed.address, failed.result) == ("office", "10.9.9.9", "failed")
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, username="office").exists()


def test_only_the_audit_administrator_reads_the_whole_trail(client: Client, world: World) -> None:
    with acting_as(world.office, "127.0.0.1"):  # the newest event of the trail
        create_unit("人防办", UnitKind.DEPARTMENT, "偃师区人民防空办公室")
    world.as_office(client)
    assert client.get(reverse("audit:events")).status_code == 403
    world.as_admin("audit", client)
    page = client.get(reverse("audit:events"), {"action": "create"})
    # The unit by its kind and number (tests/audit/test_security_events.py), not its name.
    unit = Unit.objects.get(name="人防办")
    assert page.status_code == 200 and f"单位 · {unit.pk}" in page.content.decode()
