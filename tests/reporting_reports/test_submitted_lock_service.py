"""A submitted (or accepted) report is read-only, enforced by the service itself: writing it
through ``save_report`` or submitting it again is refused and leaves the database unchanged,
whoever calls (the author, the office's import on his behalf, the console), with or without the
version check. Called directly, not through the view."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
import time_machine

from duban.reporting.models import Report, ReportTargetValue, ReportVersion, ReviewState
from duban.reporting.services import reports
from tests.support.reporting import q1_input, target
from tests.support.world import World

MARCH_30 = "2023-03-30 10:00 +0800"


def submitted(world: World) -> Report:
    """王强's task 1 Q1 report with one target value, submitted on 30 March (on time)."""
    task = world.task("1")
    data = q1_input(progress=30, target_values={target(task, "年度完成投资"): Decimal("80")})
    with time_machine.travel(MARCH_30, tick=False):
        report = reports.save_report(
            task=task, period=world.q1, user=world.fgw, data=data, version=0, submit=True
        )
    assert report.state == ReviewState.SUBMITTED
    return report


def state_of(report: Report) -> dict[str, Any]:
    """Everything the report service could touch, read afresh from the database."""
    fresh = Report.objects.get(pk=report.pk)
    return {
        "report": {
            name: getattr(fresh, name)
            for name in (
                "state",
                "version",
                "status",
                "progress",
                "progress_text",
                "problems",
                "next_steps",
                "submitted_at",
                "submitted_by_id",
                "days_late",
                "reviewed_at",
                "review_comment",
            )
        },
        "values": sorted(
            ReportTargetValue.objects.filter(report=report).values_list("target_id", "value")
        ),
        "versions": list(
            ReportVersion.objects.filter(report=report).order_by("pk").values_list("pk", flat=True)
        ),
        "reports": Report.objects.count(),
    }


def changed_input(world: World) -> reports.ReportInput:
    task = world.task("1")
    return q1_input(
        status="done",
        progress=100,
        progress_text="改写：全部完成。",
        problems="",
        next_steps="",
        target_values={target(task, "年度完成投资"): None, target(task, "项目"): Decimal("270")},
    )


@pytest.mark.parametrize("who", ["author", "colleague", "console", "office_on_behalf"])
@pytest.mark.parametrize("with_version", [True, False], ids=["version", "no-version"])
def test_save_report_refuses_a_submitted_report(world: World, who: str, with_version: bool) -> None:
    report = submitted(world)
    before = state_of(report)
    user = {
        "author": world.fgw,
        "colleague": world.chenjing,
        "console": None,
        "office_on_behalf": world.office,
    }[who]
    with pytest.raises(reports.NotEditable) as refused:
        reports.save_report(
            task=world.task("1"),
            period=world.q1,
            user=user,
            data=changed_input(world),
            version=report.version if with_version else None,
            on_behalf=who == "office_on_behalf",
        )
    assert str(ReviewState.SUBMITTED.label).lower() in str(refused.value).lower()
    assert state_of(report) == before


def test_submitting_or_resubmitting_it_again_is_refused(world: World) -> None:
    report = submitted(world)
    before = state_of(report)
    with pytest.raises(reports.NotEditable):
        reports.save_report(
            task=world.task("1"),
            period=world.q1,
            user=world.fgw,
            data=changed_input(world),
            version=report.version,
            submit=True,
        )
    assert state_of(report) == before
    with pytest.raises(reports.NotEditable):
        reports.submit_report(report=report, user=world.fgw, version=report.version)
    assert state_of(report) == before


def test_an_accepted_report_is_locked_too(world: World) -> None:
    report = reports.accept_report(report=submitted(world), user=world.office, comment="同意。")
    assert report.state == ReviewState.ACCEPTED
    before = state_of(report)
    with pytest.raises(reports.NotEditable):
        reports.save_report(
            task=world.task("1"),
            period=world.q1,
            user=world.fgw,
            data=changed_input(world),
            version=report.version,
        )
    with pytest.raises(reports.NotEditable):
        reports.submit_report(report=report, user=world.fgw)
    assert state_of(report) == before


def test_the_lock_is_the_reports_state_not_the_callers_copy(world: World) -> None:
    """An editor who loaded the draft before it was submitted (a stale object in hand, no
    version check) still cannot write it: the service reads the state under its lock."""
    task = world.task("1")
    draft = reports.save_report(
        task=task, period=world.q1, user=world.fgw, data=q1_input(), version=0
    )
    stale = Report.objects.get(pk=draft.pk)
    assert stale.state == ReviewState.DRAFT
    reports.submit_report(report=draft, user=world.chenjing)
    before = state_of(draft)
    with pytest.raises(reports.NotEditable):
        reports.save_report(
            task=task,
            period=world.q1,
            user=world.fgw,
            data=changed_input(world),
            version=None,
        )
    with pytest.raises(reports.NotEditable):
        reports.submit_report(report=stale, user=world.fgw)
    assert state_of(draft) == before


def test_once_returned_it_may_be_written_again(world: World) -> None:
    """The control: the lock is the state, and a returned report is the author's again."""
    report = submitted(world)
    reports.return_report(report=report, user=world.office, comment="请补充项目数量。")
    saved = reports.save_report(
        task=world.task("1"),
        period=world.q1,
        user=world.fgw,
        data=changed_input(world),
        version=Report.objects.get(pk=report.pk).version,
    )
    assert (saved.state, saved.progress, saved.status) == (ReviewState.RETURNED, 100, "done")
