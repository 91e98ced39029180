"""The reports panel of the task page: what each person is offered for each period."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from duban.reporting.services import reports
from tests.support.world import World


def panel(client: Client, world: World, number: str = "1") -> str:
    html = client.get(reverse("ledger:task", args=[world.task(number).pk])).content.decode()
    start = html.index('id="reports"')
    return html[start : html.index("</section>", start)]


def test_each_person_sees_what_he_or_she_may_do(world: World) -> None:
    task, q1 = world.task("1"), world.q1
    edit = reverse("reporting:report_edit", args=[task.pk, q1.pk])
    view = reverse("reporting:report", args=[task.pk, q1.pk])
    contribute = reverse("reporting:contribution_edit", args=[task.pk, q1.pk])

    wang = panel(world.as_unit("发改委"), world)
    assert edit in wang and contribute not in wang
    assert wang.count("<tr data-period=") == 5

    report = reports.save_report(
        task=task,
        period=q1,
        user=world.fgw,
        data=reports.ReportInput(progress_text="进展。"),
        version=0,
        submit=True,
    )
    wang = panel(world.as_unit("发改委"), world)
    assert edit not in wang and view in wang  # submitted: read-only

    office = panel(world.as_office(), world)
    assert f"{view}#review" in office and edit not in office
    assert reverse("reporting:periods") in office

    zhao = panel(world.as_unit("缑氏镇"), world)
    assert contribute in zhao and edit not in zhao and f"{view}#review" not in zhao

    zhu = panel(world.as_leader("朱蕾"), world)
    assert view in zhu and edit not in zhu and contribute not in zhu and "#review" not in zhu
    assert report.state == "submitted"
