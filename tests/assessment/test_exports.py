"""The assessment's downloads: the result table as styled Excel (a sheet per ranking group), as a
GB/T 9704 Word document and PDF with a table, and a unit's score sheet with every item and its
source — each read back (openpyxl, python-docx, pypdf) and holding the scores; and who may
download what."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import docx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from duban.assessment.models import Assessment, UnitScore
from duban.assessment.services import compute, workflow
from duban.assessment.views import downloads
from duban.exports.pdf import PdfUnavailable
from duban.supervision.models import NoticeLevel
from tests.support import assessment as rec
from tests.support.world import World

D = dt.date


@pytest.fixture
def year(world: World, settings: Any) -> Assessment:
    """The world's year computed on 2024年1月15日 (a 督办 to 发改委, a late report of task 1)."""
    settings.DUBAN_TODAY = D(2024, 1, 15)
    rec.report(world.task("1"), world.q1, submitted=D(2023, 4, 6))
    rec.notice(
        world.task("2"),
        world.unit("发改委"),
        NoticeLevel.SUPERVISE,
        reply_due=D(2023, 5, 10),
        replied=D(2023, 5, 8),
    )
    return compute.compute(world.plan, world.office)


def score(name: str) -> UnitScore:
    return UnitScore.objects.select_related("unit").get(unit__name=name)


def test_the_result_table_as_excel_has_a_sheet_per_group(world: World, year: Assessment) -> None:
    response = world.as_office().get("/assessment/export/results.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "2023%E5%B9%B4%E5%BA%A6" in response["Content-Disposition"]  # 2023年度…
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["镇（街道）", "区直部门"]
    towns = book["镇（街道）"]
    assert towns["A1"].value == "2023年度重点任务责任目标考核结果（镇（街道））"
    assert "待公示" in towns["A2"].value and "考核方案第1版" in towns["A2"].value
    headers = [cell.value for cell in towns[3]]
    assert headers[:3] == ["名次", "单位", "得分"] and headers[-2:] == ["等次", "一票否决"]
    assert towns["A3"].font.b and towns.freeze_panes == "A4"
    rows = {row[1]: row for row in towns.iter_rows(min_row=4, values_only=True)}
    assert len(rows) == 13
    goushi = score("缑氏镇")
    line = rows["缑氏镇"]
    assert (line[0], Decimal(str(line[2]))) == (goushi.rank, goushi.score)
    # The parts add up to the score.
    assert sum(Decimal(str(v)) for v in line[3:9]) == goushi.score
    departments = {row[1]: row for row in book["区直部门"].iter_rows(min_row=4, values_only=True)}
    assert Decimal(str(departments["发改委"][2])) == score("发改委").score


def test_the_result_as_an_official_document(world: World, year: Assessment) -> None:
    response = world.as_office().get("/assessment/export/results.docx")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "2023年度重点任务责任目标考核结果（初算）" in text
    assert "镇（街道）考核结果" in text and "区直部门考核结果" in text
    tables = document.tables
    assert len(tables) == 2
    header = [cell.text for cell in tables[0].rows[0].cells]
    assert header == ["名次", "单位", "得分", "等次", "备注"]
    lines = {row.cells[1].text: [c.text for c in row.cells] for row in tables[0].rows[1:]}
    goushi = score("缑氏镇")
    assert lines["缑氏镇"][2] == f"{goushi.score:.2f}"
    assert lines["缑氏镇"][3] == goushi.get_grade_display()


def test_during_publicity_the_document_says_how_to_appeal(world: World, year: Assessment) -> None:
    workflow.open_publicity(world.office, year)
    response = world.as_leader("朱蕾").get("/assessment/export/results.docx")
    assert response.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "关于2023年度重点任务责任目标考核结果的公示" in text
    assert "公示期为2024年1月15日至2024年1月22日" in text


def test_the_result_as_pdf_holds_the_table(world: World, year: Assessment) -> None:
    response = world.as_office().get("/assessment/export/results.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "缑氏镇" in text and f"{score('缑氏镇').score:.2f}" in text
    fonts = {
        str(font.get_object().get("/BaseFont"))
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    assert fonts and all("+" in name for name in fonts)  # embedded subsets


def test_without_the_pdf_writer_the_page_says_what_to_install(
    world: World, year: Assessment, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unavailable(document: Any) -> bytes:
        raise PdfUnavailable("OSError: cannot load library 'pango'")

    monkeypatch.setattr(downloads.official_pdf, "write", unavailable)
    response = world.as_office().get("/assessment/export/results.pdf", follow=True)
    assert response.redirect_chain[-1][0] == f"/assessment/?plan={world.plan.pk}"
    assert "apt-get install" in response.content.decode()


def test_a_units_score_sheet_has_every_item_and_its_source(world: World, year: Assessment) -> None:
    fgw = score("发改委")
    response = world.as_office().get(f"/assessment/export/units/{fgw.unit_id}.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "发改委"
    assert "发改委得分明细" in sheet["A1"].value
    assert f"得分{fgw.score:.2f}" in sheet["A2"].value
    assert [c.value for c in sheet[3]] == [
        "序号",
        "考核内容",
        "事由",
        "计算分值",
        "调整后分值",
        "计入分值",
        "依据",
        "文号或任务",
        "链接",
    ]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    items, total = rows[:-1], rows[-1]
    assert len(items) == fgw.items.count()
    assert total[2] == "合计（即得分）" and Decimal(str(total[5])) == fgw.score
    assert sum(Decimal(str(row[5])) for row in items) == fgw.score
    supervised = next(row for row in items if row[6] == "督办通知")
    assert supervised[7].startswith("偃督〔2023〕")
    assert supervised[8].startswith("http://testserver/supervision/notices/")
    late = next(row for row in items if row[6] == "进展情况报送" and "第1项" in row[7])
    assert "2023年第1季度" in late[7]
    link_cell = next(c for c in sheet["I"][3:] if c.value)
    assert link_cell.hyperlink is not None


def test_who_downloads_what(world: World, year: Assessment) -> None:
    goushi, fgw = score("缑氏镇"), score("发改委")
    # Before publicity: the office only.
    for client in (world.as_leader("朱蕾"), world.as_unit("缑氏镇"), world.as_viewer()):
        assert client.get("/assessment/export/results.xlsx").status_code == 403
        assert client.get(f"/assessment/export/units/{goushi.unit_id}.xlsx").status_code == 403
    assert world.as_admin("audit").get("/assessment/export/results.xlsx").status_code == 403
    assert world.as_office().get("/assessment/export/results.odt").status_code == 404
    assert world.as_office().get("/assessment/export/units/999999.xlsx").status_code == 404
    workflow.open_publicity(world.office, year)
    # During publicity: leaders the table; a unit its own sheet (and only its line).
    assert world.as_leader("朱蕾").get("/assessment/export/results.xlsx").status_code == 200
    unit = world.as_unit("缑氏镇")
    assert unit.get(f"/assessment/export/units/{goushi.unit_id}.xlsx").status_code == 200
    assert unit.get(f"/assessment/export/units/{fgw.unit_id}.xlsx").status_code == 403
    own = load_workbook(io.BytesIO(unit.get("/assessment/export/results.xlsx").content))
    names = [row[1] for ws in own.worksheets for row in ws.iter_rows(min_row=4, values_only=True)]
    assert names == ["缑氏镇"]
