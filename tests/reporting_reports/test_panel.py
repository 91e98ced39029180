"""The reports panel of the task page: what each person is offered for each period."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from duban.reporting import reports

from .conftest import Story, signed_in


def panel(client: Client, story: Story, number: str = "1") -> str:
    html = client.get(reverse("ledger:task", args=[story.task(number).pk])).content.decode()
    start = html.index('id="reports"')
    return html[start : html.index("</section>", start)]


def test_each_person_sees_what_he_or_she_may_do(story: Story) -> None:
    task, q1 = story.task("1"), story.q1
    edit = reverse("reporting:report_edit", args=[task.pk, q1.pk])
    view = reverse("reporting:report", args=[task.pk, q1.pk])
    contribute = reverse("reporting:contribution_edit", args=[task.pk, q1.pk])

    wang = panel(signed_in(Client(), story.wangqiang), story)
    assert edit in wang and contribute not in wang
    assert wang.count("<tr data-period=") == 5

    report = reports.save_report(
        task=task,
        period=q1,
        user=story.wangqiang,
        data=reports.ReportInput(progress_text="进展。"),
        version=0,
        submit=True,
    )
    wang = panel(signed_in(Client(), story.wangqiang), story)
    assert edit not in wang and view in wang  # submitted: read-only

    office = panel(signed_in(Client(), story.liufang), story)
    assert f"{view}#review" in office and edit not in office
    assert reverse("reporting:periods") in office

    zhao = panel(signed_in(Client(), story.zhaomin), story)
    assert contribute in zhao and edit not in zhao and f"{view}#review" not in zhao

    zhu = panel(signed_in(Client(), story.zhulei), story)
    assert view in zhu and edit not in zhu and contribute not in zhu and "#review" not in zhu
    assert report.state == "submitted"
