"""The ledger as Excel: Wang Fang exports what she filtered and forwards it to the towns."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from django.test import Client
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from duban.exports.ledger_xlsx import COLUMNS, build_ledger_xlsx
from tests.support import factories
from tests.support.factories import Yanshi

HEADERS = [
    "序号",
    "方面",
    "重点任务",
    "目标要求",
    "牵头领导",
    "牵头单位",
    "责任单位",
    "完成时限",
    "状态",
    "灯色",
    "进度",
    "最新进展情况",
]


def sheet_of(content: bytes) -> Worksheet:
    return load_workbook(io.BytesIO(content)).active


def data_rows(sheet: Worksheet) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(min_row=3, values_only=True)]


def test_the_export_is_the_ledger_as_offices_keep_it(office_client: Client, yanshi: Yanshi) -> None:
    response = office_client.get("/ledger/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="ledger-2023.xlsx"; '
        f"filename*=UTF-8''{quote('2023年重点工作台账.xlsx')}"
    )
    sheet = sheet_of(response.content)
    # Title row: the plan's title across all columns.
    assert sheet["A1"].value == yanshi.plan.title
    assert "A1:L1" in {str(cells) for cells in sheet.merged_cells.ranges}
    assert sheet["A1"].font.bold
    # Header row: bold, filled, bordered.
    assert [cell.value for cell in sheet[2]] == HEADERS
    for cell in sheet[2]:
        assert cell.font.bold
        assert cell.fill.fill_type == "solid"
        assert cell.border.bottom.style == "thin"
    # The first task as the notice wrote it.
    rows = data_rows(sheet)
    assert len(rows) == 6
    assert rows[0][:9] == [
        1,
        "一、围绕实体经济扩投资，培育现代化偃师建设新动能工作",
        "清单化、台账化推进总投资863亿元的270个项目，年度完成投资294亿元。",
        "清单化、台账化推进总投资863亿元的270个项目；年度完成投资294亿元",  # no repeats
        "朱蕾",
        "发改委",
        "投促中心、各镇（街道）",
        "2023年12月31日",
        "推进中",
    ]
    assert rows[3][7] is None or rows[3][7] == ""  # old_town has no deadline
    assert rows[4][4:7] == ["张伟、朱蕾", "城管局、住建局", "城区三街道"]
    assert rows[1][8] == "滞后"
    # Every task has its light in words; no report yet: no progress, no 进展情况.
    assert {row[9] for row in rows} <= {"绿灯", "黄灯", "红灯", "暂无亮灯"}
    assert all(not row[10] and not row[11] for row in rows)


def test_the_sheet_reads_well_on_screen_and_on_paper(office_client: Client, yanshi: Yanshi) -> None:
    sheet = sheet_of(office_client.get("/ledger/export.xlsx").content)
    assert sheet.freeze_panes == "A3"  # title and header stay in view
    task_cell = sheet["C3"]
    assert task_cell.alignment.wrap_text
    assert task_cell.alignment.vertical == "top"
    assert task_cell.border.left.style == "thin"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEFGHIJKL"}
    assert widths["C"] == max(widths.values())  # 重点任务 is the wide column
    assert widths["A"] < 10
    assert sheet.row_dimensions[3].height and sheet.row_dimensions[3].height > 15
    # Printing: A4 landscape, one page wide, the header repeated on each page.
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4 == "9"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$2:$2"
    assert sheet.title == "台账"


def test_the_export_follows_the_filters_and_order_of_the_page(
    office_client: Client, yanshi: Yanshi
) -> None:
    town = yanshi.units["缑氏镇"].pk
    page = office_client.get("/ledger/", {"responsible": town, "sort": "-number", "page": 1})
    html = page.content.decode()
    export_url = f"/ledger/export.xlsx?responsible={town}&amp;sort=-number"
    assert f'href="{export_url}"' in html  # the button carries the filters, not the page

    response = office_client.get("/ledger/export.xlsx", {"responsible": town, "sort": "-number"})
    texts = [row[2] for row in data_rows(sheet_of(response.content))]
    assert texts == [yanshi.tasks["old_town"].text, yanshi.tasks["projects"].text]

    lagging = sheet_of(office_client.get("/ledger/export.xlsx", {"status": "lagging"}).content)
    assert [row[0] for row in data_rows(lagging)] == [2]


def test_the_export_has_every_page_of_the_list(office_client: Client, yanshi: Yanshi) -> None:
    factories.add_filler_tasks(yanshi, 60)
    sheet = sheet_of(office_client.get("/ledger/export.xlsx", {"page": 2}).content)
    assert len(data_rows(sheet)) == 66


def test_an_older_plan_is_exported_under_its_year(office_client: Client, yanshi: Yanshi) -> None:
    older = factories.make_plan(2022, title="2022年重点工作责任分解")
    factories.make_task(older, "完成农村道路改造。")
    response = office_client.get("/ledger/export.xlsx", {"plan": older.pk})
    assert quote("2022年重点工作台账.xlsx") in response["Content-Disposition"]
    assert sheet_of(response.content)["A1"].value == "2022年重点工作责任分解"


@pytest.mark.django_db
def test_there_is_nothing_to_export_without_a_plan(office_client: Client) -> None:
    assert office_client.get("/ledger/export.xlsx").status_code == 404


def test_the_workbook_builder_is_plain_python() -> None:
    """No Django needed: a title and rows in, bytes out; text never turns into formulas."""
    content = build_ledger_xlsx(
        "测试台账",
        [
            {"number": "1", "text": "=SUM(A1:A2) 不是公式", "status": "未启动"},
            ("（二）", "", "第二项\x0b任务", "", "", "", "", "", ""),
        ],
    )
    sheet = sheet_of(content)
    assert [cell.value for cell in sheet[2]] == [column.header for column in COLUMNS]
    assert sheet["C3"].value == "=SUM(A1:A2) 不是公式"
    assert sheet["C3"].data_type == "s"
    assert sheet["A4"].value == "（二）"
    assert sheet["C4"].value == "第二项任务"  # a control character Excel would reject
