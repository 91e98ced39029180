"""The words the crawl cannot judge: Chinese that is there but wrong, and what only a form's
answer shows.

- a task's history names fields by their labels, states by their names and people by their
  names, at local times to the minute;
- the audit trail names objects by their kind and results in Chinese;
- a pending extension waits for approval (待审批), it is not a message waiting to be sent;
- a circular has a 标题, a leader a 职务; a finding is dated 发现日期, a notice 成文日期;
- a period is 开放中, a rectification item 整改中 (not one word for both, nor the verb 打开);
- a password the rules refuse is refused in Chinese;
- and the English interface still works.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import translation

from duban.inspections.models import Inspection, ItemState
from duban.ledger.models import Task
from duban.notify.models import DeliveryState
from duban.reporting.models import PeriodState, Report, ReviewState
from duban.supervision.forms import CircularForm
from duban.supervision.models import ExtensionRequest, ExtensionState
from tests.support.crawl import offences, visible_text
from tests.support.demo import DemoYear

CN_MINUTE = r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}"


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def history(client: Client, task: Task) -> list[list[str]]:
    """The rows of the task's history panel, each as its cells' text."""
    page = client.get(reverse("ledger:task", args=[task.pk])).content.decode()
    rows = BeautifulSoup(page, "lxml").select("#history tbody tr")
    return [[" ".join(td.get_text().split()) for td in row.find_all("td")] for row in rows]


def test_a_tasks_history_reads_in_chinese(year: DemoYear) -> None:
    decided = ExtensionRequest.objects.get(state=ExtensionState.APPROVED)
    rows = history(signed_in("office"), decided.task)
    # The office's decision: the state by its names, the comment by its label, the person by
    # name, the time in local time to the minute.
    decision = next(r for r in rows if r[2].startswith("修改延期申请"))
    assert re.fullmatch(CN_MINUTE, decision[0]), decision
    assert decision[1] == "刘芳"
    assert "状态：待审批 → 已同意" in decision[3]
    assert "督查室意见：— → 同意延期，请抓紧推进。" in decision[3]
    assert re.search(f"审批时间：— → {CN_MINUTE}", decision[3])
    assert "审批人：— → 刘芳" in decision[3]
    # The request names the milestone and both dates as a document would.
    asked = next(r for r in rows if r[2].startswith("新建延期申请"))
    assert asked[1] == "王强"
    assert re.search(r"：2023年\d+月\d+日 → 2023年\d+月\d+日$", asked[2]), asked
    for row in rows:
        for cell in row:
            assert offences(cell) == [], row


def test_a_reviewed_report_names_its_reviewer_and_state(year: DemoYear) -> None:
    report = Report.objects.filter(state=ReviewState.RETURNED).first()
    assert report is not None, "the demo year has a returned report"
    rows = history(signed_in("office"), report.task)
    returned = [r for r in rows if "状态：已提交 → 已退回" in r[3]]
    assert returned, rows
    assert "审核人：— → 刘芳" in returned[0][3]


def test_the_audit_trail_names_objects_and_results_in_chinese(year: DemoYear) -> None:
    page = signed_in("shenji").get(reverse("audit:events")).content.decode()
    rows = BeautifulSoup(page, "lxml").select("tbody tr")
    cells = [[" ".join(td.get_text(" ").split()) for td in row.find_all("td")] for row in rows]
    assert cells and all(row[5] in ("成功", "失败") for row in cells)
    assert all(re.fullmatch(CN_MINUTE + r":\d{2}", row[0]) for row in cells)
    assert any(row[4].startswith("用户 · ") for row in cells)
    assert not any(re.search(r"\b[a-z]+\.[a-z]+\b", row[4]) for row in cells)  # no ledger.task


def test_a_pending_extension_waits_for_approval(year: DemoYear) -> None:
    pending = ExtensionRequest.objects.get(state=ExtensionState.PENDING)
    page = signed_in("office").get(reverse("ledger:task", args=[pending.task_id])).content
    badge = BeautifulSoup(page.decode(), "lxml").select_one(".badge.ext-pending")
    assert badge is not None and badge.get_text() == "待审批"
    with translation.override("zh-hans"):
        assert str(DeliveryState.PENDING.label) == "待发送"  # a message still to be sent


def test_open_is_a_state_of_each_thing_not_a_verb(year: DemoYear) -> None:
    with translation.override("zh-hans"):
        assert str(PeriodState.OPEN.label) == "开放中"
        assert str(ItemState.OPEN.label) == "整改中"
    with translation.override("en"):
        assert str(PeriodState.OPEN.label) == str(ItemState.OPEN.label) == "Open"


def test_titles_and_dates_are_named_for_what_they_are(year: DemoYear) -> None:
    office = signed_in("office")

    def labels(url: str) -> list[str]:
        page = office.get(url).content.decode()
        return [
            " ".join(el.get_text(" ").split())
            for el in BeautifulSoup(page, "lxml")(["label", "th", "dt"])
        ]

    assert "标题" in labels(reverse("supervision:circulars"))
    with translation.override("zh-hans"):
        assert str(CircularForm.base_fields["title"].label) == "标题"
    assert "职务" in labels(reverse("directory:leaders"))
    inspection = Inspection.objects.first()
    assert inspection is not None
    finding = labels(reverse("inspections:finding_new", args=[inspection.pk]))
    assert any(label.startswith("发现日期") for label in finding)
    assert not any("成文日期" in label for label in finding)
    task = Task.objects.get(number="1")
    assert "成文日期" in labels(reverse("ledger:task", args=[task.pk]))


def test_a_refused_password_is_refused_in_chinese(year: DemoYear) -> None:
    users = get_user_model().objects.count()
    response = signed_in("anquan").post(
        reverse("accounts:user_new"),
        {
            "username": "liuyang",
            "full_name": "刘洋",
            "role": "viewer",
            "password1": "1234567",
            "password2": "1234567",
        },
    )
    assert response.status_code == 200
    text = " ".join(visible_text(response.content.decode()))
    assert "密码太短，至少需要8个字符。" in text
    assert "这个密码太常见了。" in text and "密码只包含数字。" in text
    assert [o for piece in visible_text(response.content.decode()) for o in offences(piece)] == []
    assert get_user_model().objects.count() == users  # nothing was created


def test_the_english_interface_still_works(year: DemoYear) -> None:
    office = signed_in("office")
    office.post(reverse("set_language"), {"language": "en", "next": "/"})
    task = ExtensionRequest.objects.get(state=ExtensionState.APPROVED).task
    pages = {
        reverse("home"): "Ledger",
        reverse("ledger:tasks"): "Ledger",
        reverse("ledger:task", args=[task.pk]): "History",
        reverse("supervision:notices"): "Supervision",
        reverse("reporting:periods"): "Reporting periods",
        reverse("directory:leaders"): "Title",
    }
    for url, word in pages.items():
        response = office.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert '<html lang="en">' in page and word in page, url
    history_rows = history(office, task)
    assert any("State: Pending → Approved" in row[3] for row in history_rows), history_rows
    auditor = signed_in("shenji")
    auditor.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Succeeded" in auditor.get(reverse("audit:events")).content.decode()
