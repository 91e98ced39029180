"""The quarterly circular (通报): the draft from the record, the office's choices, issue, .docx."""

from __future__ import annotations

import io
import re
from datetime import date

import docx
import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from docx.oxml.ns import qn
from docx.shared import Mm

from duban.audit.models import AuditEvent
from duban.directory.models import Unit
from duban.reporting.services.reports import accept_report, save_report
from duban.supervision.models import Circular, CircularState
from duban.supervision.services import circulars
from tests.support.clock import at
from tests.support.reporting import q1_input
from tests.support.world import World

pytestmark = pytest.mark.django_db


def q1_situation(world: World) -> None:
    """发改委 submits task 1 (done) on 20 March, the office accepts; nothing on task 2."""
    with at(2023, 3, 20):
        report = save_report(
            task=world.task("1"),
            period=world.q1,
            user=world.fgw,
            data=q1_input(status="done", progress=100, problems=""),
            version=0,
            submit=True,
        )
        accept_report(report=report, user=world.office)


@pytest.fixture
def q1(world: World) -> World:
    q1_situation(world)
    return world


def test_situation_counts_and_lists(q1: World) -> None:
    with at(2023, 4, 10):
        found = circulars.situation(q1.q1)
    numbers = lambda lines: [line.task.number for line in lines]  # noqa: E731
    assert numbers(found.completed) == ["1"]
    assert "2" in numbers(found.not_submitted) and "1" not in numbers(found.not_submitted)
    assert "2" in numbers(found.lagging)
    line = next(x for x in found.lagging if x.task.number == "2")
    assert line.units == ["发改委"]
    assert line.colour == "red"
    assert any("2023年3月31日" in r for r in line.reasons)
    assert found.on_time == 1 and found.late == [] and found.returned == []
    assert found.total == len(found.completed) + len(found.on_pace) + len(found.lagging) + len(
        [x for x in found.lines if x not in found.completed + found.on_pace + found.lagging]
    )
    criticised = {s.unit.name: s.reasons for s in found.criticise}
    assert "发改委" in criticised
    assert any("第2项" in r and "未报送" in r for r in criticised["发改委"])
    assert "发改委" not in {s.unit.name for s in found.praise}


def test_before_the_due_date_nothing_is_missing(q1: World) -> None:
    with at(2023, 3, 25):
        found = circulars.situation(q1.q1)
    assert found.not_submitted == []


def test_lagging_report_problems_are_quoted(world: World) -> None:
    """Once accepted (only then: tests/circulars/test_circular_figures.py)."""
    with at(2023, 3, 20):
        report = save_report(
            task=world.task("2"),
            period=world.q1,
            user=world.fgw,
            data=q1_input(status="lagging", progress=5, problems="资金未到位。"),
            version=0,
            submit=True,
        )
        accept_report(report=report, user=world.office)
    with at(2023, 4, 10):
        found = circulars.situation(world.q1)
        body = circulars.generate_paragraphs(found, [], [], date(2023, 4, 25))
    line = next(x for x in found.lagging if x.task.number == "2")
    assert line.problems == "资金未到位。"
    assert any("资金未到位" in p["text"] and p["level"] == 3 for p in body)


def test_office_choices_are_kept(q1: World) -> None:
    praised = Unit.objects.get(name="工信局")
    criticised = Unit.objects.get(name="发改委")
    with at(2023, 4, 10):
        circular = circulars.create_draft(
            period=q1.q1, user=q1.office, praised=[praised], criticised=[criticised]
        )
    assert circular.title == "关于2023年第一季度重点工作推进情况的通报"
    assert list(circular.praised_units.all()) == [praised]
    assert list(circular.criticised_units.all()) == [criticised]
    texts = [p["text"] for p in circular.paragraphs]
    assert [p["text"] for p in circular.paragraphs if p["level"] == 1] == [
        "总体情况",
        "进展较好的单位",
        "存在的问题",
        "下步要求",
    ]
    assert any("工信局" in t and "表扬" in t for t in texts)
    assert any("发改委" in t and "批评" in t for t in texts)
    assert any("2023年4月25日" in t for t in texts)  # rectification deadline: 15 days
    assert AuditEvent.objects.filter(
        object_type="supervision.circular", object_id=str(circular.pk)
    ).exists()


def test_pages_create_edit_issue(q1: World, client: Client) -> None:
    q1.as_office(client)
    with at(2023, 4, 10):
        page = client.get(reverse("supervision:circular_new") + f"?period={q1.q1.pk}")
        assert page.status_code == 200
        assert "发改委" in page.content.decode()
        fgw = Unit.objects.get(name="发改委")
        gxj = Unit.objects.get(name="工信局")
        response = client.post(
            reverse("supervision:circular_new"),
            {
                "period": q1.q1.pk,
                "praised": [gxj.pk],
                "criticised": [fgw.pk],
                "rectify_by": "2023-04-30",
            },
        )
        assert response.status_code == 302
        circular = Circular.objects.get()
        url = reverse("supervision:circular", args=[circular.pk])
        assert client.get(url).status_code == 200
        body = circulars.paragraphs_as_text(circular.paragraphs) + "\n补充一段。"
        response = client.post(
            url,
            {
                "title": circular.title,
                "recipients": circular.recipients,
                "cc": "区委办公室，区人大常委会办公室",
                "body": body,
                "praised": [gxj.pk],
                "criticised": [fgw.pk],
                "rectify_by": "2023-04-30",
            },
        )
        assert response.status_code == 302
        circular.refresh_from_db()
        assert circular.paragraphs[-1] == {"text": "补充一段。", "level": 0}
        assert circular.state == CircularState.DRAFT and circular.doc_number == ""
        response = client.post(reverse("supervision:circular_issue", args=[circular.pk]))
        assert response.status_code == 302
    circular.refresh_from_db()
    assert circular.state == CircularState.ISSUED
    assert re.fullmatch(r"偃督通〔2023〕[1-9]\d*号", circular.doc_number)
    assert circular.issued_by == q1.office and circular.issued_at is not None
    # read-only afterwards
    q1.as_office(client)
    response = client.post(url, {"title": "改", "recipients": "x", "body": "x"})
    assert response.status_code == 403
    with pytest.raises(circulars.CircularError):
        circulars.issue_circular(circular=circular, user=q1.office)
    with pytest.raises(circulars.CircularError):
        circulars.update_draft(
            circular=circular,
            data=circulars.CircularInput("t", "r", "", "x", [], []),
            user=q1.office,
        )
    page = client.get(url).content.decode()
    assert circular.doc_number in page and 'name="body"' not in page


def test_only_the_office(q1: World, client: Client) -> None:
    q1.as_unit("发改委", client)
    assert (
        client.get(reverse("supervision:circular_new") + f"?period={q1.q1.pk}").status_code == 403
    )
    response = client.post(
        reverse("supervision:circular_new"), {"period": q1.q1.pk, "rectify_by": "2023-04-30"}
    )
    assert response.status_code == 403
    with at(2023, 4, 10):
        circular = circulars.create_draft(period=q1.q1, user=q1.office)
    assert client.get(reverse("supervision:circular", args=[circular.pk])).status_code == 403
    assert client.post(reverse("supervision:circular_issue", args=[circular.pk])).status_code == 403
    assert (
        client.get(reverse("supervision:circular_document", args=[circular.pk])).status_code == 403
    )
    with pytest.raises(PermissionDenied):
        circulars.create_draft(period=q1.q1, user=q1.fgw)
    with pytest.raises(PermissionDenied):
        circulars.issue_circular(circular=circular, user=q1.fgw)
    circular.refresh_from_db()
    assert circular.state == CircularState.DRAFT
    # once issued, units that read the ledger may read it
    circulars.issue_circular(circular=circular, user=q1.office)
    q1.as_unit("发改委", client)
    assert client.get(reverse("supervision:circular", args=[circular.pk])).status_code == 200


def near(length: int | None, mm: float) -> bool:
    return length is not None and abs(length - Mm(mm)) <= Mm(0.5)


def test_document(q1: World, client: Client) -> None:
    fgw = Unit.objects.get(name="发改委")
    gxj = Unit.objects.get(name="工信局")
    with at(2023, 4, 10):
        circular = circulars.create_draft(
            period=q1.q1, user=q1.office, praised=[gxj], criticised=[fgw]
        )
        circulars.issue_circular(circular=circular, user=q1.office)
        q1.as_office(client)
        response = client.get(reverse("supervision:circular_document", args=[circular.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    document = docx.Document(io.BytesIO(response.content))
    section = document.sections[0]
    assert near(section.page_width, 210) and near(section.page_height, 297)
    assert near(section.top_margin, 37) and near(section.bottom_margin, 35)
    assert near(section.left_margin, 28) and near(section.right_margin, 26)
    texts = [p.text for p in document.paragraphs]
    assert "关于2023年第一季度重点工作推进情况的通报" in texts
    assert any(re.search(r"〔\d{4}〕[1-9]\d*号", t) for t in texts)
    assert "各镇（街道），区人民政府有关部门，各有关单位：" in texts
    assert "一、总体情况" in texts and "四、下步要求" in texts
    assert "2023年4月10日" in texts
    full = "\n".join(texts)
    assert "工信局" in full and "发改委" in full
    body = next(p for p in document.paragraphs if p.text.startswith("根据区政府"))
    for run in body.runs:
        assert run._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    footer = section.footer._element.xml
    assert "PAGE" in footer and "fldChar" in footer
    assert any(t.startswith("抄送：") and t.endswith("。") for t in texts)
