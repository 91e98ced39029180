"""A special inspection of tasks 1 and 2 as the office records it, a finding on task 1 with a
photo, and a rectification item on it for 发改委 (the task's lead unit) — through the services."""

from __future__ import annotations

from datetime import date
from typing import Any

from duban.core.files import check_file
from duban.inspections import services
from duban.inspections.models import Finding, Inspection, InspectionState, RectificationItem
from tests.support.files import pdf_bytes, png_bytes
from tests.support.world import World


def plan_inspection(seed: World, state: str = InspectionState.UNDER_WAY) -> Inspection:
    return services.create_inspection(
        plan=seed.plan,
        topic="重大项目建设专项督查",
        tasks=[seed.task("1"), seed.task("2")],
        team="刘芳、张伟",
        starts_on=date(2023, 5, 8),
        ends_on=date(2023, 5, 12),
        state=state,
        user=seed.office,
    )


def record_finding(seed: World, inspection: Inspection) -> Finding:
    return services.record_finding(
        inspection=inspection,
        task=seed.task("1"),
        text="部分项目未按计划开工，现场未见施工。",
        severity="serious",
        found_on=date(2023, 5, 9),
        files=[check_file("现场.png", png_bytes())],
        user=seed.office,
    )


def raise_item(
    seed: World, finding: Finding, deadline: date = date(2023, 6, 30)
) -> RectificationItem:
    return services.raise_item(
        finding=finding, text="6月底前完成项目开工手续", deadline=deadline, user=seed.office
    )


def new_item(seed: World) -> RectificationItem:
    """An open item for 发改委, with its inspection and finding."""
    return raise_item(seed, record_finding(seed, plan_inspection(seed)))


def report_with_evidence(
    seed: World,
    item: RectificationItem,
    text: str = "已完成用地审批，项目6月20日开工。",
    user: Any = None,
) -> RectificationItem:
    """发改委 (its operator 王强, or ``user``) reports on ``item`` with a PDF as evidence."""
    return services.report_item(
        item=item,
        text=text,
        files=[check_file("开工手续.pdf", pdf_bytes())],
        user=user or seed.fgw,
    )
