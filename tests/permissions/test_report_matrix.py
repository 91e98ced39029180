"""Who may do what to task 1's Q1 report, its evidence and its refinement, by URL.

One row per person, one column per action: the status code each gets. Anonymous visitors are
sent to sign in (302); 工信局 has nothing to do with task 1; 缑氏镇 is responsible through
各镇（街道）; 发改委 leads it; 朱蕾 is its leader; 刘芳 (``office``) is the office.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from duban.reporting.models import Report, ReviewState
from duban.reporting.services import reports
from tests.support.files import png_bytes, upload
from tests.support.world import World

ACTIONS = ("view", "edit", "download", "contribute", "refine", "submit", "review")
MATRIX = {
    #            view edit download contribute refine submit review
    "anonymous": (302, 302, 302, 302, 302, 302, 302),
    "gongxin": (403, 403, 403, 403, 403, 403, 403),  # 工信局: another unit
    "goushi": (200, 403, 200, 200, 403, 403, 403),  # 缑氏镇: responsible unit
    "fgw": (200, 200, 200, 403, 200, 302, 403),  # 发改委: lead unit
    "zhulei": (200, 403, 200, 403, 403, 403, 403),  # the leader
    "office": (200, 403, 200, 403, 403, 403, 302),  # the office
}


@pytest.mark.parametrize("person", list(MATRIX))
def test_report_permission_matrix(world: World, client: Client, person: str) -> None:
    task, q1 = world.task("1"), world.q1
    report = reports.save_report(
        task=task,
        period=q1,
        user=world.fgw,
        data=reports.ReportInput(progress_text="一季度开工项目45个。"),
        version=0,
        files=[upload("现场.png", png_bytes(), "image/png")],
    )
    evidence = report.evidence.get()
    world.as_user(None if person == "anonymous" else world.user(person), client)
    args = [task.pk, q1.pk]
    got = {
        "view": client.get(reverse("reporting:report", args=args)).status_code,
        "edit": client.get(reverse("reporting:report_edit", args=args)).status_code,
        "download": client.get(
            reverse("reporting:evidence_download", args=[evidence.pk])
        ).status_code,
        "contribute": client.get(reverse("reporting:contribution_edit", args=args)).status_code,
        "refine": client.get(reverse("reporting:refinement_edit", args=[task.pk])).status_code,
        "submit": client.post(
            reverse("reporting:report_submit", args=args), {"version": report.version}
        ).status_code,
    }
    report = Report.objects.get(pk=report.pk)
    if report.state == ReviewState.DRAFT:  # the review column needs a submitted report
        report = reports.submit_report(report=report, user=world.fgw, version=report.version)
    got["review"] = client.post(
        reverse("reporting:report_review", args=args),
        {"decision": "accept", "comment": "", "version": report.version},
    ).status_code
    assert tuple(got[action] for action in ACTIONS) == MATRIX[person]
    accepted = Report.objects.get(pk=report.pk).state == ReviewState.ACCEPTED
    assert accepted == (person == "office")
