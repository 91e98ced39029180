"""Reports through the API, with a token, through the same service as the report page: a Q1
report submitted by 发改委's system reaches the office's review queue; drafts, versions, the
figure checks and the refusals are the page's, with Chinese messages; bad input changes nothing."""

from __future__ import annotations

from django.urls import reverse

from duban.accounts.models import TokenScope
from duban.audit.models import AuditAction, AuditEvent
from duban.reporting.models import Report, ReportVersion, ReviewState
from duban.reporting.services.periods import close_period
from duban.reporting.services.todo import Kind, querysets
from tests.support.api import as_token
from tests.support.reporting import target
from tests.support.world import World

PROGRESS = "一季度开工项目45个，完成投资80亿元。"


def _body(world: World, **changes: object) -> dict[str, object]:
    task = world.task("1")
    body: dict[str, object] = {
        "task": task.pk,
        "period": world.q1.pk,
        "status": "in_progress",
        "progress": 30,
        "progress_text": PROGRESS,
        "problems": "部分项目用地手续办理较慢。",
        "next_steps": "二季度加快用地审批。",
        "target_values": [{"target": target(task, "年度完成投资"), "value": "80"}],
    }
    body.update(changes)
    return body


def _update(world: World, version: int) -> dict[str, object]:
    body = _body(world, version=version)
    del body["task"], body["period"]
    return body


def test_a_q1_report_submitted_with_a_token_is_in_the_office_review_queue(world: World) -> None:
    api = as_token(world.fgw, TokenScope.READ_WRITE)
    response = api.post("reports/", _body(world, submit=True))
    assert response.status_code == 201, response.content
    report = response.json()
    assert report["state"] == "submitted" and report["state_label"] == "已提交"
    assert report["period_code"] == "2023Q1"
    stored = Report.objects.get(pk=report["id"])
    assert stored.submitted_by == world.fgw and stored.progress_text == PROGRESS
    assert stored.target_values.get().value == 80
    assert list(stored.versions.values_list("state", flat=True)) == [ReviewState.SUBMITTED]
    # The office's 待办: reports waiting for review, and the page that shows it.
    queue = querysets(world.office)[Kind.REPORTS_TO_REVIEW]
    assert list(queue) == [stored]
    page = world.as_office().get(reverse("reporting:todo")).content.decode()
    assert reverse("reporting:report", args=[stored.task_id, stored.period_id]) in page
    # The change is 王强's in the audit trail, as if made on the page.
    created = AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="reporting.report", object_id=str(stored.pk)
    ).get()
    assert created.user_id == world.fgw.pk


def test_a_draft_is_changed_with_its_version_then_submitted(world: World) -> None:
    api = as_token(world.fgw)
    draft = api.post("reports/", _body(world, progress_text="")).json()
    assert draft["state"] == "draft" and draft["version"] == 1
    # Submitting a draft without its progress text is refused, in Chinese, and changes nothing.
    refused = api.post(f"reports/{draft['id']}/submit/", {"version": 1})
    assert refused.status_code == 400 and "进展" in refused.json()["detail"]
    assert Report.objects.get(pk=draft["id"]).state == ReviewState.DRAFT
    changed = api.put(f"reports/{draft['id']}/", _update(world, 1))
    assert changed.status_code == 200 and changed.json()["version"] == 2
    stale = api.put(f"reports/{draft['id']}/", _update(world, 1))
    assert stale.status_code == 409 and "版本" in stale.json()["detail"]
    submitted = api.post(f"reports/{draft['id']}/submit/", {"version": 2})
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    assert ReportVersion.objects.filter(report_id=draft["id"]).count() == 3
    # A submitted report is read-only for its author.
    again = api.put(f"reports/{draft['id']}/", _update(world, 3))
    assert again.status_code == 400 and "不能再修改" in again.json()["detail"]
    assert Report.objects.get(pk=draft["id"]).version == 3


def test_a_second_report_for_the_same_period_is_a_conflict(world: World) -> None:
    api = as_token(world.fgw)
    first = api.post("reports/", _body(world)).json()
    second = api.post("reports/", _body(world))
    assert second.status_code == 409
    assert str(first["id"]) in second.json()["detail"]
    assert Report.objects.count() == 1


def test_only_the_lead_unit_writes_and_nothing_is_written_otherwise(world: World) -> None:
    # 缑氏镇 sees task 1 (through 各镇（街道）) but does not lead it; 工信局 does not see it.
    for unit, status in (("缑氏镇", 403), ("工信局", 403)):
        api = as_token(world.user_of_unit(unit))
        response = api.post("reports/", _body(world))
        assert response.status_code == status, unit
        assert response.json()["detail"]
    assert not Report.objects.exists()


def test_a_closed_period_is_refused_in_chinese(world: World) -> None:
    close_period(period=world.q1, user=None)
    response = as_token(world.fgw).post("reports/", _body(world))
    assert response.status_code == 400
    assert "2023Q1" in response.json()["detail"] and "未开放" in response.json()["detail"]
    assert not Report.objects.exists()


def test_malformed_fields_are_named_with_chinese_messages(world: World) -> None:
    response = as_token(world.fgw).post(
        "reports/", _body(world, progress=150, status="finished", colour="red")
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "请求有误，请按各项说明改正。"
    messages = {error["field"]: error["message"] for error in body["errors"]}
    assert messages["body.progress"] == "不能大于100。"
    assert messages["body.status"].startswith("须为以下之一：not_started、")
    assert messages["body.colour"] == "没有这个字段。"
    assert not Report.objects.exists()


def test_a_negative_figure_is_refused_with_the_target_named(world: World) -> None:
    task = world.task("1")
    values = [{"target": target(task, "年度完成投资"), "value": "-5"}]
    response = as_token(world.fgw).post("reports/", _body(world, target_values=values))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors and errors[0]["field"] == "body.target_values"
    assert "年度完成投资" in errors[0]["message"]
    assert not Report.objects.exists()


def test_a_unit_token_never_reads_another_units_report(world: World) -> None:
    """发改委 writes task 1's report; 工信局 (not on task 1) sees it in no list and gets 403 for it;
    缑氏镇 (on task 1 through 各镇（街道）) reads it, as on the pages."""
    report = as_token(world.fgw).post("reports/", _body(world, submit=True)).json()
    gongxin = as_token(world.gongxin, TokenScope.READ)
    listed = gongxin.get("reports/", {"limit": 200}).json()
    assert report["id"] not in [item["id"] for item in listed["items"]]
    assert gongxin.get(f"reports/{report['id']}/").status_code == 403
    assert gongxin.get("reports/", {"task": report["task"]}).json()["count"] == 0
    archive = as_token(world.archive, TokenScope.READ)
    assert archive.get("reports/").json()["count"] == 0
    assert archive.get(f"reports/{report['id']}/").status_code == 403
    goushi = as_token(world.goushi, TokenScope.READ)
    assert goushi.get(f"reports/{report['id']}/").json()["progress_text"] == PROGRESS
    assert as_token(world.fgw).get("reports/999999/").status_code == 404
