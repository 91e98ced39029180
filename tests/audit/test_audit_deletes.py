"""Deletions reach the audit trail: the action, the object's identity, who and from where, and
the object as it was before ("before"; nothing after), for objects other than a task.

Independent of tests/audit/test_audit_trail.py (which deletes a task): a traffic-light override
removed through its service, a target value cleared through the report service, and a unit
alias removed from the directory.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from duban.audit.context import acting_as
from duban.audit.models import AuditAction, AuditEvent
from duban.directory.models import Unit, UnitAlias
from duban.directory.services import add_alias
from duban.lights.models import LightOverride
from duban.lights.services import remove_override, set_override
from duban.reporting.models import ReportTargetValue
from duban.reporting.services import reports
from tests.support.world import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings: pytest.FixtureRequest, tmp_path: Path) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    return build_world()


def deletions(object_type: str, object_id: int) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            action=AuditAction.DELETE, object_type=object_type, object_id=str(object_id)
        )
    )


def test_removing_a_light_override_records_the_deletion(world: World) -> None:
    task = world.task("1")
    with acting_as(world.office, "10.0.0.7"):
        override = set_override(world.office, task, "red", "项目审批停滞，督查室核实。")
        pk = override.pk
        assert remove_override(world.office, task) is True
    assert not LightOverride.objects.filter(pk=pk).exists()

    [event] = deletions("lights.lightoverride", pk)
    assert (event.username, event.user, event.address) == ("office", world.office, "10.0.0.7")
    assert event.task_id == task.pk  # on the task's history
    assert event.object_repr == f"{task.pk}: {override.get_colour_display()}"
    assert event.after is None
    assert event.before is not None
    assert event.before["id"] == pk
    assert event.before["task_id"] == task.pk
    assert event.before["colour"] == "red"
    assert event.before["reason"] == "项目审批停滞，督查室核实。"
    assert event.before["set_by_id"] == world.office.pk
    assert event.result == "ok"


def test_a_target_value_cleared_by_the_report_service_is_recorded(world: World) -> None:
    task = world.task("1")
    target = task.targets.get(label="年度完成投资")
    data = reports.ReportInput(
        progress_text="一季度完成投资80亿元。", target_values={target.pk: Decimal("80.5")}
    )
    with acting_as(world.fgw, "10.0.0.8"):
        report = reports.save_report(
            task=task, period=world.q1, user=world.fgw, data=data, version=0
        )
        value = ReportTargetValue.objects.get(report=report, target=target)
        cleared = reports.ReportInput(progress_text="一季度进展。", target_values={target.pk: None})
        reports.save_report(task=task, period=world.q1, user=world.fgw, data=cleared, version=1)
    assert not ReportTargetValue.objects.filter(pk=value.pk).exists()

    [event] = deletions("reporting.reporttargetvalue", value.pk)
    assert (event.username, event.address, event.task_id) == ("fgw", "10.0.0.8", task.pk)
    assert event.after is None
    before = event.before
    assert before is not None
    assert (before["id"], before["report_id"], before["target_id"]) == (
        value.pk,
        report.pk,
        target.pk,
    )
    assert Decimal(before["value"]) == Decimal("80.5")


def test_removing_a_unit_alias_records_the_deletion(world: World) -> None:
    unit = Unit.objects.get(name="发改委")
    clerk = world.office
    alias = add_alias(unit, "发展和改革委员会")
    pk = alias.pk
    with acting_as(clerk, "10.0.0.9"):
        UnitAlias.objects.get(pk=pk).delete()

    [event] = deletions("directory.unitalias", pk)
    assert (event.username, event.address) == ("office", "10.0.0.9")
    assert event.object_repr == "发展和改革委员会"
    assert event.task_id is None
    assert event.after is None
    assert event.before["id"] == pk
    assert event.before["unit_id"] == unit.pk
    assert event.before["name"] == "发展和改革委员会"
    assert event.before["key"] == alias.key
    # The alias's creation was recorded too, before its deletion.
    created = AuditEvent.objects.get(
        action=AuditAction.CREATE, object_type="directory.unitalias", object_id=str(pk)
    )
    assert created.pk < event.pk
