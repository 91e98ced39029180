"""王强 and 陈静 both report for 发改委 and open the same draft; 王强 saves first. 陈静's save is
refused with the message, nothing of hers is written, and her text comes back to her."""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import translation

from duban.reporting.models import Report, ReportVersion
from duban.reporting.services import reports
from tests.support.world import World, signed_in

STALE = "Someone else saved this report after you; reload the page and make your changes again. Your text is below…"


def test_the_second_save_is_refused_and_nothing_is_lost(world: World) -> None:
    task = world.task("1")
    draft = reports.save_report(
        task=task,
        period=world.q1,
        user=world.fgw,
        data=reports.ReportInput(progress_text="初稿：一季度开工项目40个。"),
        version=0,
    )
    edit = reverse("reporting:report_edit", args=[task.pk, world.q1.pk])
    wang, chen = world.as_unit("发改委"), signed_in(Client(), world.chenjing)
    # Both open the form at version 1.
    assert 'name="version" value="1"' in wang.get(edit).content.decode()
    assert 'name="version" value="1"' in chen.get(edit).content.decode()

    base = {"version": 1, "status": "in_progress", "problems": "", "next_steps": ""}
    assert (
        wang.post(edit, {**base, "progress_text": "王强：一季度开工项目45个。"}).status_code == 302
    )
    response = chen.post(
        edit, {**base, "progress_text": "陈静：一季度完成投资80亿元。", "problems": "资金缺口"}
    )

    assert response.status_code == 409
    html = response.content.decode()
    with translation.override("zh-hans"):
        assert translation.gettext(STALE) in html
    assert "陈静：一季度完成投资80亿元。" in html and "资金缺口" in html  # her text, shown back
    assert 'name="version" value="2"' in html  # a fresh form, from what is saved now
    draft.refresh_from_db()
    assert draft.version == 2 and draft.progress_text == "王强：一季度开工项目45个。"
    assert ReportVersion.objects.filter(report=draft).count() == 2


def test_two_first_saves_create_one_report(world: World) -> None:
    task = world.task("1")
    reports.save_report(
        task=task, period=world.q1, user=world.fgw, data=reports.ReportInput(), version=0
    )
    with pytest.raises(reports.StaleReport) as refused:
        reports.save_report(
            task=task, period=world.q1, user=world.chenjing, data=reports.ReportInput(), version=0
        )
    assert refused.value.current is not None and refused.value.current.version == 1
    assert Report.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_saves_at_the_same_moment_are_serialised(world_committed: World) -> None:
    """Two threads save from version 1 at once: exactly one wins, the other is refused."""
    world = world_committed
    task = world.task("1")
    reports.save_report(
        task=task, period=world.q1, user=world.fgw, data=reports.ReportInput(), version=0
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(user: object, text: str) -> None:
        try:
            barrier.wait()
            reports.save_report(
                task=task,
                period=world.q1,
                user=user,
                data=reports.ReportInput(progress_text=text),
                version=1,
            )
            outcomes.append("saved")
        except reports.StaleReport:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(world.fgw, "王强")),
        threading.Thread(target=save, args=(world.chenjing, "陈静")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "saved"]
    report = Report.objects.get(task=task, period=world.q1)
    assert report.version == 2 and report.versions.count() == 2
