"""The quarterly 进展情况汇总表 of a period: what it gathers (the period's report as last
submitted, each task's light as of the due date or today), its three formats (styled .xlsx,
landscape .docx, PDF with embedded fonts: one PDF rendered), who may download it, and the PDF
download without WeasyPrint's system libraries."""

from __future__ import annotations

import io
import sys
from datetime import date

import docx
import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from docx.oxml.ns import qn

from duban.audit.models import AuditEvent
from duban.exports import pdf
from duban.ledger.models import Task
from duban.lights.services import lights_for
from duban.reporting.services.reports import return_report, save_report
from duban.reporting.services.summary import progress_summary
from tests.support.clock import at
from tests.support.pdf import assert_fonts_embedded, page_texts
from tests.support.reporting import q1_input
from tests.support.world import World

pytestmark = pytest.mark.django_db

SUBMITTED_TEXT = "一季度开工项目45个，完成投资80亿元。"


def submit_task_1(world: World) -> None:
    """发改委 submits task 1's Q1 report (40 %) on 20 March."""
    with at(2023, 3, 20):
        save_report(
            task=world.task("1"),
            period=world.q1,
            user=world.fgw,
            data=q1_input(progress=40),
            version=0,
            submit=True,
        )


def lights(tasks: list[Task], day: date) -> list[str]:
    found = lights_for(tasks, day)
    return [found[task.pk].label for task in tasks]


def url(world: World, fmt: str) -> str:
    return reverse("reporting:period_summary", args=[world.q1.pk, fmt])


def test_rows_say_what_the_period_report_said_and_the_light_as_of_the_due_date(
    world: World,
) -> None:
    submit_task_1(world)
    with at(2023, 4, 10):
        summary = progress_summary(world.q1, world.office)
    assert len(summary.rows) == 98
    assert summary.title == "2023年第1季度重点任务进展情况汇总表"
    assert "灯色截至：2023年3月31日" in summary.notes  # the due date came first
    assert "制表日期：2023年4月10日" in summary.notes
    first = summary.rows[0].cells
    assert first["number"] == "1" and first["leaders"] == "朱蕾"
    assert first["lead_units"] == "发改委"
    assert first["responsible_units"] == "投促中心、各镇（街道）"
    assert first["progress_text"] == SUBMITTED_TEXT
    assert first["problems"] == "部分项目用地手续办理较慢。"
    assert first["next_steps"] == "二季度加快用地审批，推动项目集中开工。"
    assert first["progress"] == "40%"
    assert first["light"] in {"绿灯", "黄灯", "红灯"}
    assert summary.rows[0].colour in {"green", "yellow", "red"}
    second = summary.rows[1].cells
    assert second["progress_text"] == "未报送" and second["progress"] == ""
    assert summary.headers["lead_units"] == "牵头单位"
    tasks = list(world.plan.tasks.order_by("position"))
    assert [row.cells["light"] for row in summary.rows] == lights(tasks, date(2023, 3, 31))

    with at(2023, 3, 25):  # in the middle of the round: today's lights
        early = progress_summary(world.q1, world.office)
    assert "灯色截至：2023年3月25日" in early.notes
    assert [row.cells["light"] for row in early.rows] == lights(tasks, date(2023, 3, 25))


def test_a_returned_report_being_rewritten_shows_what_was_submitted(world: World) -> None:
    submit_task_1(world)
    with at(2023, 3, 22):
        report = return_report(
            report=world.task("1").reports.get(), user=world.office, comment="补充数据"
        )
        save_report(
            task=world.task("1"),
            period=world.q1,
            user=world.fgw,
            data=q1_input(progress_text="尚未写完的新稿"),
            version=report.version,
        )
        summary = progress_summary(world.q1, world.office)
    assert summary.rows[0].cells["progress_text"] == SUBMITTED_TEXT
    assert summary.rows[0].cells["progress"] == "40%"


def test_a_unit_gets_the_tasks_it_may_see(world: World) -> None:
    summary = progress_summary(world.q1, world.gongxin)
    visible = Task.objects.restrict(world.gongxin).filter(plan=world.plan)
    assert 0 < len(summary.rows) == visible.count() < 98
    assert {row.cells["number"] for row in summary.rows} == {t.number for t in visible}


def test_xlsx_is_styled_for_excel_and_wps(world: World, client: Client) -> None:
    submit_task_1(world)
    with at(2023, 4, 10):
        response = world.as_office(client).get(url(world, "xlsx"))
    assert response.status_code == 200
    assert "filename*=UTF-8''2023" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "2023年第1季度重点任务进展情况汇总表"
    header = [cell.value for cell in sheet[3]]
    assert header == [
        "序号", "重点任务", "牵头领导", "牵头单位", "责任单位",
        "进展情况", "存在问题", "下步打算", "进度", "灯色",
    ]  # fmt: skip
    for cell in sheet[3]:
        assert cell.font.b and cell.font.name == "宋体"
        assert cell.border.left.style == cell.border.bottom.style == "thin"
    task_1 = [cell.value for cell in sheet[4]]
    assert task_1[0] == 1 and task_1[3] == "发改委" and task_1[5] == SUBMITTED_TEXT
    assert sheet["F4"].alignment.wrap_text and sheet["F4"].border.right.style == "thin"
    assert sheet.max_row == 3 + 98
    assert sheet.freeze_panes == "C4"
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert AuditEvent.objects.filter(action="export", object_id=str(world.q1.pk)).exists()


def test_docx_is_a_landscape_table_with_a_repeated_header(world: World, client: Client) -> None:
    submit_task_1(world)
    with at(2023, 4, 10):
        response = world.as_office(client).get(url(world, "docx"))
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape
    [table] = document.tables
    assert len(table.rows) == 1 + 98
    assert table.rows[0].cells[3].text == "牵头单位"
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [c.text for c in table.rows[1].cells][:6] == [
        "1",
        world.task("1").text,
        "朱蕾",
        "发改委",
        "投促中心、各镇（街道）",
        SUBMITTED_TEXT,
    ]
    assert document.paragraphs[0].text == "2023年第1季度重点任务进展情况汇总表"


def test_pdf_reads_back_with_embedded_fonts_and_the_header_on_every_page(
    world: World, client: Client
) -> None:
    submit_task_1(world)
    with at(2023, 4, 10):
        response = world.as_office(client).get(url(world, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    data = response.content
    assert_fonts_embedded(data)
    pages = page_texts(data)
    assert len(pages) > 5  # 98 tasks on landscape A4
    first = pages[0].replace("\n", "")
    assert "2023年第1季度重点任务进展情况汇总表" in first
    row_1 = first[first.index("树牢") :]  # task 1's row: its text, then its lead unit
    assert row_1.index("发改委") < row_1.index("投促中心")
    assert SUBMITTED_TEXT in first
    assert all("牵头单位" in page for page in pages)  # the header row repeats
    assert "— 2 —" in pages[1]


def test_people_who_cannot_see_the_period_are_refused(world: World, client: Client) -> None:
    for fmt in ("xlsx", "docx", "pdf"):
        assert Client().get(url(world, fmt)).status_code == 302  # sign in first
        assert world.as_admin("system", Client()).get(url(world, fmt)).status_code == 403
        archive = Client()
        archive.force_login(world.archive)  # 档案馆: a unit on no task
        assert archive.get(url(world, fmt)).status_code == 403
    office = world.as_office(client)
    assert office.get(url(world, "csv")).status_code == 404
    missing = reverse("reporting:period_summary", args=[999999, "xlsx"])
    assert office.get(missing).status_code == 404


def test_the_period_page_offers_the_three_downloads(world: World, client: Client) -> None:
    page = world.as_unit("工信局", client).get(
        reverse("reporting:period_reports", args=[world.q1.pk])
    )
    body = page.content.decode()
    for fmt in ("xlsx", "docx", "pdf"):
        assert url(world, fmt) in body
    assert "进展情况汇总表" in body


@pytest.fixture
def without_weasyprint(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """As on a server without WeasyPrint (an ImportError, as without Pango an OSError)."""
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    pdf._weasyprint.cache_clear()
    yield
    pdf._weasyprint.cache_clear()


@pytest.mark.usefixtures("without_weasyprint")
def test_without_the_pdf_library_the_download_says_what_to_install(
    world: World, client: Client
) -> None:
    assert not pdf.available()
    [warning] = pdf.pdf_check()
    assert warning.id == "duban.W002" and "libpango-1.0-0" in warning.msg
    office = world.as_office(client)
    response = office.get(url(world, "pdf"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("reporting:period_reports", args=[world.q1.pk])
    body = response.content.decode()
    assert "本服务器暂时无法生成PDF文档" in body
    assert "apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk" in body
    assert office.get(url(world, "xlsx")).status_code == 200  # the rest still works
