"""A task's page, a leader's and a unit's pages, the status form and the original notice."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.auth.models import AbstractUser
from django.core.files.base import ContentFile
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from duban.core.permissions import Action, can
from duban.ledger.models import TaskStatus
from tests.support import factories
from tests.support.factories import Yanshi


def test_the_task_page_shows_everything_the_notice_says(
    office_client: Client, yanshi: Yanshi
) -> None:
    task = yanshi.tasks["projects"]
    response = office_client.get(f"/ledger/tasks/{task.pk}/")
    assert response.status_code == 200
    assert response.context["nav"] == "ledger"
    page = response.content.decode()
    assert "第1项任务" in page
    assert "一、围绕实体经济扩投资" in page
    assert task.text in page
    # Targets: label, comparison, value, unit, where in the notice.
    assert "<td>年度完成投资</td>" in page
    assert '<td class="num">294</td>' in page
    assert "<td>亿元</td>" in page
    assert '<td class="muted">年度完成投资294亿元</td>' in page
    # Leaders and units link to their pages; the group shows whom it stands for.
    assert f'<a href="/ledger/leaders/{yanshi.leaders["朱蕾"].pk}/">朱蕾</a>' in page
    assert f'<a href="/ledger/units/{yanshi.units["发改委"].pk}/">发改委</a>' in page
    assert '<span class="group">各镇（街道）</span>' in page
    assert f'<a href="/ledger/units/{yanshi.units["邙岭镇"].pk}/">邙岭镇</a>' in page
    assert "2023年12月31日" in page
    assert '<span class="badge in_progress">推进中</span>' in page
    # The plan's document.
    assert "洛阳市偃师区人民政府关于印发政府工作报告2023年重点工作责任分解的通知" in page
    assert "偃政〔2023〕6号" in page
    assert "2023年5月4日" in page
    # No original file kept: no download link.
    assert f"/ledger/plans/{yanshi.plan.pk}/source" not in page


def test_comparisons_and_ranges_read_as_written(office_client: Client, yanshi: Yanshi) -> None:
    night = office_client.get(f"/ledger/tasks/{yanshi.tasks['night_market'].pk}/")
    assert '<td class="num">2—3</td>' in night.content.decode()
    assert '<td class="op">区间</td>' in night.content.decode()
    permits = office_client.get(f"/ledger/tasks/{yanshi.tasks['permits'].pk}/").content.decode()
    assert '<td class="op">≤</td>' in permits
    assert "2023年5月4日" in permits
    centre = office_client.get(f"/ledger/tasks/{yanshi.tasks['centre'].pk}/").content.decode()
    assert "通知未对该任务设定量化指标" in centre
    assert "（首阳山街道" not in centre  # member groups list only their members
    assert "首阳山街道</a>、<a" in centre


def test_an_unknown_task_is_not_found(office_client: Client, yanshi: Yanshi) -> None:
    assert office_client.get("/ledger/tasks/99999/").status_code == 404


def test_the_office_changes_a_tasks_status(
    client: Client, clerk_user: AbstractUser, yanshi: Yanshi
) -> None:
    """Wang Fang, a clerk of the office (role "office", not staff), marks a task lagging."""
    client.force_login(clerk_user)
    task = yanshi.tasks["old_town"]
    page = client.get(f"/ledger/tasks/{task.pk}/").content.decode()
    assert 'class="status-form"' in page
    assert "csrfmiddlewaretoken" in page

    response = client.post(f"/ledger/tasks/{task.pk}/", {"status": TaskStatus.LAGGING})
    assert response.status_code == 302
    assert response["Location"] == f"/ledger/tasks/{task.pk}/"
    task.refresh_from_db()
    assert task.status == TaskStatus.LAGGING
    page = client.get(response["Location"]).content.decode()
    assert "第4项任务的状态已改为“滞后”" in page


def test_a_status_outside_the_four_is_refused(office_client: Client, yanshi: Yanshi) -> None:
    task = yanshi.tasks["old_town"]
    response = office_client.post(f"/ledger/tasks/{task.pk}/", {"status": "cancelled"})
    assert response.status_code == 400
    task.refresh_from_db()
    assert task.status == TaskStatus.NOT_STARTED


def test_the_status_form_checks_the_csrf_token(yanshi: Yanshi, clerk_user: AbstractUser) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(clerk_user)
    task = yanshi.tasks["old_town"]
    assert strict.post(f"/ledger/tasks/{task.pk}/", {"status": "done"}).status_code == 403
    task.refresh_from_db()
    assert task.status == TaskStatus.NOT_STARTED


def test_a_unit_operator_reads_but_cannot_change_the_status(
    operator_client: Client, yanshi: Yanshi
) -> None:
    """Li Na reports for the housing bureau: she sees the status, without the form."""
    task = yanshi.tasks["old_town"]
    page = operator_client.get(f"/ledger/tasks/{task.pk}/").content.decode()
    assert '<span class="badge not_started">未启动</span>' in page
    assert 'class="status-form"' not in page

    response = operator_client.post(f"/ledger/tasks/{task.pk}/", {"status": TaskStatus.DONE})
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.status == TaskStatus.NOT_STARTED


def can_edit_ledger(user: AbstractUser) -> bool:
    return can(user, Action.MANAGE_LEDGER)


def test_who_may_edit_the_ledger(yanshi: Yanshi, office_user: AbstractUser) -> None:
    assert can_edit_ledger(office_user)  # the office's account
    # Staff status opens Django's admin site and nothing else: the role decides.
    assert not can_edit_ledger(factories.make_user("zhaolei", staff=True))
    assert can_edit_ledger(factories.make_user("wangfang", role="office"))
    assert not can_edit_ledger(factories.make_user("lina", role="unit_operator"))
    assert not can_edit_ledger(factories.make_user("chenjing", role="viewer"))
    assert not can_edit_ledger(factories.make_user("zhoujie", role="leader"))
    assert not can_edit_ledger(factories.make_user("nobody"))  # no membership yet
    inactive = factories.make_user("sunli", role="office")
    inactive.is_active = False
    assert not can_edit_ledger(inactive)


def test_a_leaders_page_lists_the_tasks_they_lead(office_client: Client, yanshi: Yanshi) -> None:
    zhu = yanshi.leaders["朱蕾"]
    response = office_client.get(f"/ledger/leaders/{zhu.pk}/")
    assert response.status_code == 200
    assert response.context["nav"] == "ledger"
    page = response.content.decode()
    assert "<h1>朱蕾</h1>" in page
    assert "副区长" in page
    assert f'<a href="/ledger/units/{yanshi.units["投促中心"].pk}/">投促中心</a>' in page
    tasks = [row.task for row in response.context["rows"]]
    assert tasks == [yanshi.tasks["projects"], yanshi.tasks["batteries"], yanshi.tasks["centre"]]
    assert "共3项任务" in page
    assert 'class="grid ledger-table"' in page  # the ledger's own table
    sorted_ = office_client.get(f"/ledger/leaders/{zhu.pk}/", {"sort": "-deadline"})
    assert sorted_.context["rows"][0].task == yanshi.tasks["projects"]
    assert office_client.get("/ledger/leaders/99999/").status_code == 404


def test_a_towns_page_shows_how_each_task_reaches_it(office_client: Client, yanshi: Yanshi) -> None:
    goushi = yanshi.units["缑氏镇"]
    response = office_client.get(f"/ledger/units/{goushi.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>缑氏镇</h1>" in page
    assert "偃师区缑氏镇" in page and "410307106" in page
    assert "所属统称" in page and "各镇（街道）" in page
    rows = {row.task.pk: row.assigned_as for row in response.context["rows"]}
    assert rows == {
        yanshi.tasks["projects"].pk: ["责任单位（通过“各镇（街道）”）"],
        yanshi.tasks["old_town"].pk: ["责任单位"],
    }
    assert "承担方式" in page
    assert "（牵头0项，责任2项）" in page


def test_a_departments_page_lists_what_it_leads_and_supports(
    office_client: Client, yanshi: Yanshi
) -> None:
    housing = yanshi.units["住建局"]
    response = office_client.get(f"/ledger/units/{housing.pk}/")
    page = response.content.decode()
    assert "偃师区住房和城乡建设局" in page
    assert "住房和城乡建设局" in page  # its other name
    assert f'<a href="/ledger/leaders/{yanshi.leaders["张伟"].pk}/">张伟</a>' in page
    rows = {row.task.pk: row.assigned_as for row in response.context["rows"]}
    assert rows == {
        yanshi.tasks["old_town"].pk: ["牵头单位"],
        yanshi.tasks["centre"].pk: ["牵头单位"],
        yanshi.tasks["permits"].pk: ["牵头单位"],
    }
    city = office_client.get(f"/ledger/units/{yanshi.units['城管局'].pk}/")
    assert {row.task.pk: row.assigned_as for row in city.context["rows"]} == {
        yanshi.tasks["old_town"].pk: ["责任单位"],
        yanshi.tasks["centre"].pk: ["牵头单位"],
    }
    assert "（牵头1项，责任1项）" in city.content.decode()
    assert office_client.get("/ledger/units/99999/").status_code == 404


def test_the_original_notice_is_downloaded_under_its_own_name(
    office_client: Client, yanshi: Yanshi, settings: SettingsWrapper, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    plan = yanshi.plan
    plan.source_name = "偃政〔2023〕6号 重点工作责任分解.docx"
    plan.source_file.save("notice.docx", ContentFile(b"PK\x03\x04 the notice"), save=True)

    response = office_client.get(f"/ledger/plans/{plan.pk}/source")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"PK\x03\x04 the notice"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="plan-')
    assert f"filename*=UTF-8''{quote(plan.source_name)}" in disposition
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    task_page = office_client.get(f"/ledger/tasks/{yanshi.tasks['projects'].pk}/")
    assert f'href="/ledger/plans/{plan.pk}/source"' in task_page.content.decode()


def test_an_ascii_file_name_is_kept_as_the_fallback(
    office_client: Client, yanshi: Yanshi, settings: SettingsWrapper, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    plan = yanshi.plan
    plan.source_name = "notice-2023.pdf"
    plan.source_file.save("n.pdf", ContentFile(b"%PDF-1.7"), save=True)
    response = office_client.get(f"/ledger/plans/{plan.pk}/source")
    assert response["Content-Disposition"] == (
        "attachment; filename=\"notice-2023.pdf\"; filename*=UTF-8''notice-2023.pdf"
    )


def test_without_an_original_file_there_is_nothing_to_download(
    office_client: Client, yanshi: Yanshi, settings: SettingsWrapper, tmp_path: Path
) -> None:
    assert office_client.get(f"/ledger/plans/{yanshi.plan.pk}/source").status_code == 404
    assert office_client.get("/ledger/plans/99999/source").status_code == 404
    # A file recorded but gone from the disk is not found either, not a server error.
    settings.MEDIA_ROOT = tmp_path
    yanshi.plan.source_file.name = "plans/2023/vanished.docx"
    yanshi.plan.save()
    assert office_client.get(f"/ledger/plans/{yanshi.plan.pk}/source").status_code == 404


@pytest.mark.django_db
def test_the_ledger_pages_need_a_signed_in_user(client: Client, yanshi: Yanshi) -> None:
    for url in (
        f"/ledger/tasks/{yanshi.tasks['projects'].pk}/",
        f"/ledger/leaders/{yanshi.leaders['朱蕾'].pk}/",
        f"/ledger/units/{yanshi.units['缑氏镇'].pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={quote(url)}"
    response = client.post(f"/ledger/tasks/{yanshi.tasks['projects'].pk}/", {"status": "done"})
    assert response.status_code == 302
    yanshi.tasks["projects"].refresh_from_db()
    assert yanshi.tasks["projects"].status == TaskStatus.IN_PROGRESS
