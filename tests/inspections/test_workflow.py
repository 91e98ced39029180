"""The world through the services: plan, finding, item, report, verify, close — and refusals."""

from __future__ import annotations

from datetime import date

import pytest

from duban.audit.models import AuditEvent
from duban.core.files import check_file
from duban.directory.models import Unit
from duban.inspections import services
from duban.inspections.models import (
    Finding,
    Inspection,
    InspectionFile,
    ItemState,
    RectificationItem,
)
from tests.support.files import pdf_bytes, png_bytes
from tests.support.world import World


def test_the_office_plans_records_and_raises(
    world: World, inspection: Inspection, finding: Finding, item: RectificationItem
) -> None:
    assert set(inspection.tasks.values_list("number", flat=True)) == {"1", "2"}
    assert finding.task == world.task("1")
    photo = finding.files.get()
    assert (photo.original_name, photo.content_type) == ("现场.png", "image/png")
    assert photo.file.read() == png_bytes()
    # The owner unit defaults to the task's lead unit, 发改委.
    assert item.unit.name == "发改委"
    assert (item.state, item.task_id, item.deadline) == (
        ItemState.OPEN,
        finding.task_id,
        date(2023, 6, 30),
    )


def test_from_report_to_closure(world: World, item: RectificationItem) -> None:
    reported = services.report_item(
        item=item,
        text="已完成用地审批，项目6月20日开工。",
        files=[check_file("开工手续.pdf", pdf_bytes())],
        user=world.fgw,
    )
    assert reported.state == ItemState.REPORTED and reported.reported_by == world.fgw
    verified = services.verify_item(item=item, user=world.office)
    assert verified.state == ItemState.VERIFIED and verified.verified_by == world.office
    closed = services.close_item(item=item, user=world.office)
    assert closed.state == ItemState.CLOSED and closed.closed_by == world.office
    assert closed.closed_at is not None
    with pytest.raises(services.InspectionError, match="already closed"):
        services.close_item(item=item, user=world.office)


def test_closure_needs_evidence_and_a_verifying_reviewer(
    world: World, item: RectificationItem
) -> None:
    services.report_item(item=item, text="已整改。", user=world.fgw)
    # Not verified yet: no reviewer recorded.
    with pytest.raises(services.InspectionError, match="not verified"):
        services.close_item(item=item, user=world.office)
    services.verify_item(item=item, user=world.office)
    # Verified, but the report carries no evidence.
    with pytest.raises(services.InspectionError, match="no evidence"):
        services.close_item(item=item, user=world.office)
    assert RectificationItem.objects.get(pk=item.pk).state == ItemState.VERIFIED


def test_only_the_office_closes_and_verifies(world: World, item: RectificationItem) -> None:
    services.report_item(
        item=item,
        text="已整改。",
        files=[check_file("照片.png", png_bytes())],
        user=world.fgw,
    )
    for user in (world.fgw, world.zhulei, world.gongxin):
        with pytest.raises(services.NotAllowed):
            services.verify_item(item=item, user=user)
    services.verify_item(item=item, user=world.office)
    for user in (world.fgw, world.zhulei, world.goushi):
        with pytest.raises(services.NotAllowed):
            services.close_item(item=item, user=user)
    assert RectificationItem.objects.get(pk=item.pk).state == ItemState.VERIFIED


def test_a_returned_report_goes_back_to_the_unit_and_is_closed_with_evidence(
    world: World, item: RectificationItem
) -> None:
    services.report_item(item=item, text="已整改。", user=world.fgw)
    # The reason is required, and the item stays reported without one.
    for reason in ("", "   "):
        with pytest.raises(services.InspectionError, match="needs the reason"):
            services.return_item(item=item, reason=reason, user=world.office)
    assert RectificationItem.objects.get(pk=item.pk).state == ItemState.REPORTED
    # Only the office returns.
    for user in (world.fgw, world.zhulei, world.chaxun):
        with pytest.raises(services.NotAllowed):
            services.return_item(item=item, reason="x", user=user)
    returned = services.return_item(item=item, reason="请补充开工现场照片。", user=world.office)
    assert returned.state == ItemState.RETURNED and returned.verified_by is None
    assert returned.return_reason == "请补充开工现场照片。"
    assert (returned.returned_by, returned.times_returned) == (world.office, 1)
    assert returned.returned_at is not None
    # Neither verified nor closed while it is back with the unit, nor returned twice.
    with pytest.raises(services.InspectionError, match="Only a reported item"):
        services.verify_item(item=item, user=world.office)
    with pytest.raises(services.InspectionError, match="not verified"):
        services.close_item(item=item, user=world.office)
    with pytest.raises(services.InspectionError, match="Only a reported or verified"):
        services.return_item(item=item, reason="再次退回", user=world.office)
    # The unit (another of its operators) reports again, with evidence; verified and closed.
    again = services.report_item(
        item=item,
        text="已整改，附现场照片。",
        files=[check_file("现场.png", png_bytes())],
        user=world.chenjing,  # 发改委's other operator
    )
    assert again.state == ItemState.REPORTED and again.reported_by == world.chenjing
    assert again.return_reason == "请补充开工现场照片。"  # kept: the office sees the history
    services.verify_item(item=item, user=world.office)
    assert services.close_item(item=item, user=world.office).state == ItemState.CLOSED


def test_a_verified_item_without_evidence_is_no_dead_end(
    world: World, item: RectificationItem
) -> None:
    """Verified on a report without evidence, it cannot be closed: the office returns it, the
    unit reports again with evidence, and it is verified and closed."""
    services.report_item(item=item, text="已整改。", user=world.fgw)
    services.verify_item(item=item, user=world.office)
    with pytest.raises(services.InspectionError, match="no evidence"):
        services.close_item(item=item, user=world.office)
    returned = services.return_item(item=item, reason="请上传整改佐证材料。", user=world.office)
    assert returned.state == ItemState.RETURNED
    assert (returned.verified_by, returned.verified_at) == (None, None)
    services.report_item(
        item=item,
        text="已整改，附开工手续。",
        files=[check_file("开工手续.pdf", pdf_bytes())],
        user=world.fgw,
    )
    services.verify_item(item=item, user=world.office)
    closed = services.close_item(item=item, user=world.office)
    assert closed.state == ItemState.CLOSED and closed.times_returned == 1
    with pytest.raises(services.InspectionError, match="Only a reported or verified"):
        services.return_item(item=item, reason="x", user=world.office)


def test_each_return_is_audited(world: World, item: RectificationItem) -> None:
    services.report_item(item=item, text="已整改。", user=world.fgw)
    services.return_item(item=item, reason="请补充照片。", user=world.office)
    event = (
        AuditEvent.objects.filter(object_type="inspections.rectificationitem", object_id=item.pk)
        .order_by("-pk")
        .first()
    )
    assert event is not None and event.username == "office"
    assert event.before is not None and event.after is not None
    assert (event.before["state"], event.after["state"]) == ("reported", "returned")
    assert (event.before["return_reason"], event.after["return_reason"]) == ("", "请补充照片。")
    assert event.after["times_returned"] == 1


def test_only_the_owner_unit_reports_and_only_when_open(
    world: World, item: RectificationItem
) -> None:
    for user in (world.gongxin, world.goushi, world.office, world.zhulei):
        with pytest.raises(services.NotAllowed):
            services.report_item(item=item, text="x", user=user)
    services.report_item(item=item, text="已整改。", user=world.fgw)
    with pytest.raises(services.InspectionError, match="cannot be reported again"):
        services.report_item(item=item, text="再次", user=world.fgw)


def test_units_and_leaders_cannot_plan_record_or_raise(
    world: World, inspection: Inspection, finding: Finding
) -> None:
    for user in (world.fgw, world.zhulei):
        with pytest.raises(services.NotAllowed):
            services.create_inspection(
                plan=world.plan,
                topic="x",
                tasks=[world.task("1")],
                starts_on=date(2023, 5, 1),
                ends_on=date(2023, 5, 2),
                user=user,
            )
        with pytest.raises(services.NotAllowed):
            services.record_finding(
                inspection=inspection,
                task=world.task("1"),
                text="x",
                found_on=date(2023, 5, 9),
                user=user,
            )
        with pytest.raises(services.NotAllowed):
            services.raise_item(finding=finding, text="x", deadline=date(2023, 6, 1), user=user)


def test_a_finding_is_on_a_covered_task_and_an_item_may_go_to_another_unit(
    world: World, inspection: Inspection, finding: Finding
) -> None:
    with pytest.raises(services.InspectionError, match="not covered"):
        services.record_finding(
            inspection=inspection,
            task=world.task("3"),
            text="x",
            found_on=date(2023, 5, 9),
            user=world.office,
        )
    town = Unit.objects.get(name="缑氏镇")
    item = services.raise_item(
        finding=finding,
        text="镇里配合清理场地",
        unit=town,
        deadline=date(2023, 6, 15),
        user=world.office,
    )
    assert item.unit == town
    services.report_item(item=item, text="已清理。", user=world.goushi)
    with pytest.raises(services.InspectionError, match="end before"):
        services.create_inspection(
            plan=world.plan,
            topic="x",
            tasks=[world.task("1")],
            starts_on=date(2023, 5, 2),
            ends_on=date(2023, 5, 1),
            user=world.office,
        )


def test_everything_reaches_the_task_history(world: World, item: RectificationItem) -> None:
    services.report_item(
        item=item,
        text="已整改。",
        files=[check_file("照片.png", png_bytes())],
        user=world.fgw,
    )
    services.verify_item(item=item, user=world.office)
    services.close_item(item=item, user=world.office)
    events = AuditEvent.objects.filter(task_id=world.task("1").pk)
    types = set(events.values_list("object_type", flat=True))
    assert {
        "inspections.inspectiontask",
        "inspections.finding",
        "inspections.rectificationitem",
        "inspections.inspectionfile",
    } <= types
    item_events = events.filter(object_type="inspections.rectificationitem")
    assert [e.after["state"] for e in item_events.order_by("pk")] == [
        "open",
        "reported",
        "verified",
        "closed",
    ]
    assert item_events.order_by("pk").last().username == "office"  # type: ignore[union-attr]
    assert AuditEvent.objects.filter(object_type="inspections.inspection").exists()
    assert InspectionFile.objects.filter(item=item).count() == 1
