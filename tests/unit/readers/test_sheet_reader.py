"""Task ledgers kept in Excel, and the CSV files exported from them."""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile
from pathlib import Path

from openpyxl import Workbook

from duban.intake.blocks import Block
from duban.intake.readers import read_bytes, read_file


def test_a_ledger_with_title_header_merges_numbers_and_dates(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "台账"
    sheet["A1"] = "2023年重点工作任务台账"
    sheet.merge_cells("A1:E1")
    sheet.append(["序号", "重点任务", "牵头领导", "完成时限", "目标"])
    sheet.append([1, "新增规上企业50家", "朱蕾", dt.date(2023, 12, 31), 50.0])
    sheet.append([2.0, "引导投放信贷资金", None, dt.datetime(2023, 6, 30, 17, 30), 0.062])
    sheet["E4"].number_format = "0.0%"
    sheet.merge_cells("C3:C4")  # one leader for both tasks
    sheet.append([])
    sheet.append([None, "备注：每季度末报送进展。", None, None, None])
    sheet.append([3, 12.5, "", None, None])
    hidden = workbook.create_sheet("草稿")
    hidden["A1"] = "不应读出的草稿"
    hidden.sheet_state = "hidden"
    second = workbook.create_sheet("说明")
    second.append(["填表人", "张三"])
    path = tmp_path / "ledger.xlsx"
    workbook.save(path)

    blocks = read_file(path)

    assert blocks == [
        Block.paragraph("2023年重点工作任务台账"),
        Block.row(["序号", "重点任务", "牵头领导", "完成时限", "目标"]),
        Block.row(["1", "新增规上企业50家", "朱蕾", "2023-12-31", "50"]),
        Block.row(["2", "引导投放信贷资金", "朱蕾", "2023-06-30", "6.2%"]),
        Block.paragraph("备注：每季度末报送进展。"),
        Block.row(["3", "12.5"]),
        Block.row(["填表人", "张三"]),
    ]
    assert blocks[2].source == "台账!3"


def test_a_gbk_tab_separated_csv_from_chinese_windows_excel() -> None:
    text = (
        "2023年重点工作台账\r\n序号\t重点任务\t牵头单位\r\n"
        '1\t新增规上企业50家\t工信局\r\n2\t"投放信贷\t资金"\t金融局\r\n'
    )

    blocks = read_bytes(text.encode("gbk"), "ledger.csv")

    assert blocks == [
        Block.paragraph("2023年重点工作台账"),
        Block.row(["序号", "重点任务", "牵头单位"]),
        Block.row(["1", "新增规上企业50家", "工信局"]),
        Block.row(["2", "投放信贷\t资金", "金融局"]),
    ]


def test_a_utf8_bom_comma_csv_with_a_quoted_line_break() -> None:
    text = '\ufeff序号,任务,责任单位\n1,"新增,规上企业",发改委\n2,"第一行\n第二行",财政局,\n'

    blocks = read_bytes(text.encode("utf-8"), "ledger.csv")

    assert [block.cells for block in blocks] == [
        ("序号", "任务", "责任单位"),
        ("1", "新增,规上企业", "发改委"),
        ("2", "第一行\n第二行", "财政局"),
    ]


def test_a_semicolon_csv() -> None:
    blocks = read_bytes("序号;任务\n1;新增\n".encode(), "x.csv")

    assert [block.cells for block in blocks] == [("序号", "任务"), ("1", "新增")]


def test_an_xlsx_is_recognised_by_content_whatever_its_name() -> None:
    workbook = Workbook()
    workbook.active.append(["序号", "任务"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert read_bytes(buffer.getvalue(), "download") == [Block.row(["序号", "任务"])]


def test_a_stray_cell_and_a_whole_sheet_merge_do_not_blow_up_the_reader() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["序号", "任务"])
    sheet.append(["1", "新增规上企业"])
    sheet.merge_cells("D5:E6")
    sheet.cell(row=1_048_576, column=16_384).number_format = "0.00"  # Ctrl+End lands here
    buffer = io.BytesIO()
    workbook.save(buffer)
    # Someone then merged the rest of the sheet: written by hand, as openpyxl itself would
    # take minutes to create it.
    data = _replace_in_zip(
        buffer.getvalue(), "xl/worksheets/sheet1.xml", b"D5:E6", b"D5:XFD1048576"
    )

    started = time.monotonic()
    blocks = read_bytes(data, "ledger.xlsx")

    assert blocks == [Block.row(["序号", "任务"]), Block.row(["1", "新增规上企业"])]
    assert time.monotonic() - started < 10


def _replace_in_zip(data: bytes, name: str, old: bytes, new: bytes) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == name:
                assert old in content
                content = content.replace(old, new)
            target.writestr(info, content)
    return output.getvalue()
