"""Hand-built record for the assessment's tests: reports (submitted late, returned, accepted
with evidence), lights at a quarter's end, notices, circulars, false reports — written straight
to the tables, dated as the story needs, without the workflows' own checks and announcements
(those have their own tests)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from duban.directory.models import Unit
from duban.inspections.models import Finding, Inspection
from duban.ledger.models import Task, TaskStatus
from duban.lights.models import LightRecord
from duban.reporting.models import (
    Contribution,
    Evidence,
    Period,
    PeriodState,
    Report,
    ReportVersion,
    ReviewState,
)
from duban.supervision.models import Circular, CircularState, Notice

from .world import World

D = dt.date


def moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def open_periods(world: World, *codes: str) -> None:
    """Mark these periods as opened (on their opening day) and closed."""
    for period in world.plan.periods.filter(code__in=codes):
        period.state = PeriodState.CLOSED
        period.opened_at = moment(period.opens_on)
        period.closed_at = moment(period.due_on + dt.timedelta(days=10))
        period.save()


def evidence(report: Report, name: str = "佐证.pdf") -> Evidence:
    return Evidence.objects.create(
        report=report,
        original_name=name,
        content_type="application/pdf",
        size=14,
        sha256="0" * 64,
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="e.pdf"),
    )


def report(
    task: Task,
    period: Period,
    *,
    submitted: dt.date | None = None,
    state: str = ReviewState.SUBMITTED,
    progress: int | None = 50,
    status: str = TaskStatus.IN_PROGRESS,
    accepted: dt.date | None = None,
    with_evidence: bool = False,
    returned: Iterable[dt.date] = (),
) -> Report:
    """A report first submitted on ``submitted`` (its lateness, in calendar days, as the
    reporting services store it), optionally returned on those days and accepted."""
    submitted = submitted or period.due_on
    row = Report.objects.create(
        task=task,
        period=period,
        state=ReviewState.ACCEPTED if accepted else state,
        status=status,
        progress=progress,
        progress_text="按计划推进",
        submitted_at=moment(submitted),
        days_late=max(0, (submitted - period.due_on).days),
        reviewed_at=moment(accepted) if accepted else None,
    )
    for number, day in enumerate(returned, 1):
        ReportVersion.objects.create(
            report=row, number=number, state=ReviewState.RETURNED, data={}, created_at=moment(day)
        )
    if with_evidence:
        evidence(row)
    return row


def contribution(task: Task, period: Period, unit: Unit, submitted: dt.date) -> Contribution:
    return Contribution.objects.create(
        task=task,
        period=period,
        unit=unit,
        state=ReviewState.SUBMITTED,
        text="已配合完成",
        submitted_at=moment(submitted),
    )


def light(task: Task, day: dt.date, colour: str) -> LightRecord:
    return LightRecord.objects.create(task=task, on=day, colour=colour)


_serial = [100]


def notice(
    task: Task | None,
    unit: Unit,
    level: str,
    *,
    reply_due: dt.date,
    replied: dt.date | None = None,
    issued: dt.date | None = None,
    period: Period | None = None,
) -> Notice:
    _serial[0] += 1
    serial = _serial[0]
    return Notice.objects.create(
        task=task,
        period=period,
        level=level,
        unit=unit,
        problem="进度滞后",
        requirement="加快推进",
        reply_due=reply_due,
        replied_at=moment(replied) if replied else None,
        year=2023,
        agency_code="偃督",
        serial=serial,
        doc_number=f"偃督〔2023〕{serial}号",
        issuer="偃师区人民政府督查室",
        issued_at=moment(issued or reply_due - dt.timedelta(days=7)),
    )


def circular(
    period: Period,
    *,
    praised: Iterable[Unit] = (),
    criticised: Iterable[Unit] = (),
    issued: dt.date | None = None,
    state: str = CircularState.ISSUED,
) -> Circular:
    _serial[0] += 1
    serial = _serial[0]
    row = Circular.objects.create(
        period=period,
        title="督查通报",
        state=state,
        recipients="各镇（街道）、区直各单位",
        issuer="偃师区人民政府督查室",
        year=2023,
        agency_code="偃督通",
        serial=serial,
        doc_number=f"偃督通〔2023〕{serial}号",
        issued_at=moment(issued or period.due_on + dt.timedelta(days=15)),
    )
    row.praised_units.set(list(praised))
    row.criticised_units.set(list(criticised))
    return row


def false_report(world: World, task: Task, found_on: dt.date, **fields: Any) -> Finding:
    """A finding of an inspection that a report on ``task`` was false (``Finding.falsified``)."""
    inspection = Inspection.objects.create(
        plan=world.plan, topic="专项督查", starts_on=found_on, ends_on=found_on
    )
    inspection.covered.create(task=task)
    return Finding.objects.create(
        inspection=inspection,
        task=task,
        text="报送数据与实际不符",
        found_on=found_on,
        falsified=True,
        **fields,
    )


def points_of(items: Iterable[Any]) -> dict[str, Decimal]:
    """{key: the points that count} of ScoreItem rows or compute.ItemResult."""
    return {
        item.key: getattr(item, "final_points", None)
        if hasattr(item, "final_points")
        else item.points
        for item in items
    }
