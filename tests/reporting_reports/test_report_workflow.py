"""王强 of 发改委 writes the Q1 report of task 1, the office returns it, he fixes it, the office
accepts it; every step is kept as a version, and nobody who should not can touch it."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import translation

from duban.audit.models import AuditAction, AuditEvent
from duban.reporting.models import Evidence, Report, ReportVersion, ReviewState
from duban.reporting.services import reports
from tests.support.files import png_bytes, upload
from tests.support.reporting import target
from tests.support.world import World

SHANGHAI = ZoneInfo("Asia/Shanghai")


def t(message: str) -> str:
    """What the page says in Chinese (the msgid until the catalogue has the translation)."""
    with translation.override("zh-hans"):
        return translation.gettext(message)


def urls(world: World, number: str = "1", code: str = "2023Q1") -> dict[str, str]:
    args = [world.task(number).pk, world.period(code).pk]
    return {
        name: reverse(f"reporting:{name}", args=args)
        for name in ("report", "report_edit", "report_submit", "report_review", "report_versions")
    }


def form_data(world: World, version: int, **changes: object) -> dict[str, object]:
    task = world.task("1")
    data: dict[str, object] = {
        "version": version,
        "status": "in_progress",
        "progress": "",
        "progress_text": "一季度开工项目45个，完成投资80亿元。",
        "problems": "部分项目用地手续办理较慢。",
        "next_steps": "二季度加快用地审批。",
        f"target_{target(task, '年度完成投资')}": "80",
    }
    data.update(changes)
    return data


def test_write_return_fix_resubmit_accept(client: Client, world: World) -> None:
    task, page = world.task("1"), urls(world)
    wang = world.as_unit("发改委")

    # 王强 opens the form (no report yet), saves a draft with a target value and a photo.
    assert wang.get(page["report_edit"]).status_code == 200
    data = form_data(world, 0, attachments=upload("开工现场.png", png_bytes()))
    response = wang.post(page["report_edit"], data)
    assert response.status_code == 302
    report = Report.objects.get(task=task, period=world.q1)
    assert report.state == ReviewState.DRAFT and report.version == 1
    assert report.target_values.get().value == Decimal("80")
    assert [e.original_name for e in report.evidence.all()] == ["开工现场.png"]
    # Progress left empty: 80 of 294亿元 is 27%, the least of the targets given.
    assert reports.effective_progress(report) == (27, True)

    # He submits it from the report page.
    response = wang.post(page["report_submit"], {"version": report.version})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReviewState.SUBMITTED and report.submitted_by == world.fgw

    # Submitted: read-only for its author (the page offers no form, a POST is refused).
    assert wang.get(page["report_edit"]).status_code == 302
    response = wang.post(page["report_edit"], form_data(world, report.version, problems="改了"))
    assert response.status_code == 409
    report.refresh_from_db()
    assert report.problems == "部分项目用地手续办理较慢。" and report.version == 2

    # 刘芳 of the office returns it: a comment is required.
    office = world.as_office(client)
    response = office.post(
        page["report_review"], {"version": 2, "decision": "return", "comment": " "}
    )
    assert response.status_code == 400
    comment = "请补充项目开工清单，并说明用地审批的具体卡点。"
    response = office.post(
        page["report_review"], {"version": 2, "decision": "return", "comment": comment}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReviewState.RETURNED and report.review_comment == comment

    # 王强 sees the comment, fixes the report and resubmits it in one go.
    assert comment in wang.get(page["report"]).content.decode()
    fixed = form_data(
        world,
        report.version,
        problems="3个项目用地报批卡在省级审批环节。",
        progress="30",
        status="in_progress",
        submit="1",
    )
    assert wang.post(page["report_edit"], fixed).status_code == 302
    report.refresh_from_db()
    assert report.state == ReviewState.SUBMITTED and report.progress == 30

    # The office accepts; the task takes the report's status.
    response = office.post(page["report_review"], {"version": report.version, "decision": "accept"})
    assert response.status_code == 302
    report.refresh_from_db()
    task.refresh_from_db()
    assert report.state == ReviewState.ACCEPTED and report.reviewed_by == world.office
    assert task.status == report.status == "in_progress"

    # Nothing was overwritten: save, submit, return, save+submit, accept.
    versions = list(ReportVersion.objects.filter(report=report).order_by("number"))
    assert [(v.number, v.data["action"], v.state) for v in versions] == [
        (1, "save", "draft"),
        (2, "submit", "submitted"),
        (3, "return", "returned"),
        (4, "submit", "submitted"),
        (5, "accept", "accepted"),
    ]
    assert versions[0].data["evidence"] == ["开工现场.png"]
    assert versions[0].data["progress"] is None and versions[0].data["derived_progress"] == 27
    assert [tv["value"] for tv in versions[0].data["targets"] if tv["label"] == "年度完成投资"] == [
        "80"
    ]
    assert versions[2].data["review_comment"] == comment

    # The comparison of v2 and v4 shows the problems changed, the progress text did not.
    html = office.get(page["report_versions"], {"a": 2, "b": 4}).content.decode()
    changed = html.split('<tr class="changed">')
    assert any(t("Problems") in row and "省级审批" in row for row in changed[1:])
    assert not any(t("Progress made") in row.split("</th>")[0] for row in changed[1:])
    assert "一季度开工项目45个" in html


def test_people_without_the_right_get_403(client: Client, world: World) -> None:
    task, page = world.task("1"), urls(world)
    report = reports.save_report(
        task=task,
        period=world.q1,
        user=world.fgw,
        data=reports.ReportInput(progress_text="一季度完成投资80亿元。"),
        version=0,
        files=[upload("现场.png", png_bytes())],
    )
    evidence = Evidence.objects.get(report=report)
    download = reverse("reporting:evidence_download", args=[evidence.pk])

    # 孙浩 of 工信局 has nothing to do with task 1.
    sun = world.as_unit("工信局")
    for url in (page["report"], page["report_edit"], page["report_versions"], download):
        assert sun.get(url).status_code == 403, url
    assert sun.post(page["report_edit"], {"version": 1}).status_code == 403

    # 朱蕾 leads task 1: she reads the report and downloads its files, and changes nothing.
    zhu = world.as_leader("朱蕾")
    html = zhu.get(page["report"]).content.decode()
    assert "一季度完成投资80亿元" in html
    assert page["report_edit"] not in html and 'name="decision"' not in html
    assert zhu.get(page["report_edit"]).status_code == 403
    assert zhu.post(page["report_submit"], {"version": 1}).status_code == 403
    assert zhu.post(page["report_review"], {"version": 1, "decision": "accept"}).status_code == 403
    response = zhu.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png_bytes()
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''%E7%8E%B0%E5%9C%BA.png" in response["Content-Disposition"]
    event = AuditEvent.objects.get(action=AuditAction.DOWNLOAD)
    assert (event.user, event.task_id, event.object_repr) == (world.zhulei, task.pk, "现场.png")

    # The office reviews but does not write the unit's report.
    office = world.as_office(client)
    assert office.get(page["report_edit"]).status_code == 403


def test_a_late_submission_says_how_late(world: World) -> None:
    task = world.task("2")
    with time_machine.travel(datetime(2023, 4, 6, 9, 30, tzinfo=SHANGHAI), tick=False):
        report = reports.save_report(
            task=task,
            period=world.q1,
            user=world.fgw,
            data=reports.ReportInput(progress_text="电池箔项目设备安装中。"),
            version=0,
            submit=True,
        )
    assert world.q1.due_on.isoformat() == "2023-03-31"
    assert report.days_late == 6

    # Returned and resubmitted later, it keeps the lateness of its first submission.
    reports.return_report(report=report, user=world.office, comment="请补充设备到货情况。")
    with time_machine.travel(datetime(2023, 4, 20, 9, 0, tzinfo=SHANGHAI), tick=False):
        report = reports.submit_report(report=report, user=world.fgw)
    assert report.days_late == 6

    # On time: on the due date itself.
    with time_machine.travel(datetime(2023, 3, 31, 23, 50, tzinfo=SHANGHAI), tick=False):
        on_time = reports.save_report(
            task=world.task("3"),
            period=world.q1,
            user=world.fgw,
            data=reports.ReportInput(progress_text="策划储备项目210个。"),
            version=0,
            submit=True,
        )
    assert on_time.days_late == 0


def test_closed_periods_and_unopened_periods_take_no_report(client: Client, world: World) -> None:
    from duban.reporting.services.periods import close_period

    task = world.task("1")
    with pytest.raises(reports.NotEditable):
        reports.save_report(
            task=task,
            period=world.period("2023Q2"),
            user=world.fgw,
            data=reports.ReportInput(progress_text="…"),
            version=0,
        )
    draft = reports.save_report(
        task=task, period=world.q1, user=world.fgw, data=reports.ReportInput(), version=0
    )
    close_period(period=world.q1, user=world.office)
    wang = world.as_unit("发改委", client)
    response = wang.post(urls(world)["report_edit"], form_data(world, draft.version))
    assert response.status_code == 409
    assert Report.objects.get(pk=draft.pk).version == 1
    with pytest.raises(reports.NotEditable):
        reports.submit_report(report=draft, user=world.fgw)


def test_submitting_needs_the_progress_text_and_returning_a_comment(world: World) -> None:
    task = world.task("1")
    with pytest.raises(reports.ReportingError):
        reports.save_report(
            task=task,
            period=world.q1,
            user=world.fgw,
            data=reports.ReportInput(),
            version=0,
            submit=True,
        )
    assert not Report.objects.exists()
    report = reports.save_report(
        task=task,
        period=world.q1,
        user=world.fgw,
        data=reports.ReportInput(progress_text="进展顺利。"),
        version=0,
        submit=True,
    )
    with pytest.raises(reports.ReportingError):
        reports.return_report(report=report, user=world.office, comment="")
    with pytest.raises(PermissionDenied):
        reports.accept_report(report=report, user=world.fgw)
    with pytest.raises(PermissionDenied):
        reports.save_report(
            task=task, period=world.q1, user=world.gongxin, data=reports.ReportInput(), version=1
        )


def test_milestones_reached_and_the_audit_trail(client: Client, world: World) -> None:
    from datetime import date

    from duban.reporting.models import Milestone, Refinement

    task = world.task("1")
    refinement = Refinement.objects.create(task=task)
    first, second = (
        Milestone.objects.create(refinement=refinement, position=i, description=text, due_on=due)
        for i, (text, due) in enumerate(
            [
                ("完成一季度项目集中开工", date(2023, 3, 31)),
                ("完成年度投资过半", date(2023, 6, 30)),
            ],
            1,
        )
    )
    page = urls(world)
    wang = world.as_unit("发改委", client)
    html = wang.get(page["report_edit"]).content.decode()
    assert "完成一季度项目集中开工" in html and "完成年度投资过半" in html
    assert (
        wang.post(page["report_edit"], form_data(world, 0, milestones=[first.pk])).status_code
        == 302
    )
    report = Report.objects.get(task=task, period=world.q1)
    assert list(report.milestones_reached.all()) == [first]
    version = report.versions.get()
    assert version.data["milestones"] == [first.pk]
    assert version.data["milestone_labels"] == ["完成一季度项目集中开工"]
    assert second.pk not in version.data["milestones"]

    # Every change is in the task's history, with who made it.
    events = AuditEvent.objects.filter(task_id=task.pk, object_type="reporting.report")
    assert events.filter(action=AuditAction.CREATE, user=world.fgw).exists()
    assert AuditEvent.objects.filter(
        task_id=task.pk, object_type="reporting.reporttargetvalue", user=world.fgw
    ).exists()
