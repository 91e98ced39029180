"""The seed notice in every format an office receives reads to the same tasks.

Each test builds the file the way it would be published (an official PDF, a Word file with
automatic list numbers, a web page inside a site's navigation, a spreadsheet ledger with
merged cells, a GBK text) and checks the parse against the seed's answer key.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Alignment

from duban.intake.pipeline import parse_file
from tests.support.keys import norm, seed_differences
from tests.unit.readers.builders import (
    add_body_xml,
    add_numbering,
    new_document,
    numbered,
    typeset_notice,
)

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "seed"
KEY: dict[str, Any] = json.loads((SEED / "expected.json").read_text(encoding="utf-8"))
PARAGRAPHS = [
    re.sub(r"^#+\s*", "", line).strip()
    for line in (SEED / "yanshi-2023-notice.txt").read_text(encoding="utf-8").splitlines()
    if line.strip()
]


def test_official_pdf(tmp_path: Path) -> None:
    path = typeset_notice(tmp_path / "notice.pdf", PARAGRAPHS)
    assert seed_differences(parse_file(path).as_dict(), KEY) == []


def test_word_file_numbered_by_word_lists(tmp_path: Path) -> None:
    document = new_document()
    add_numbering(document, 10, 10, ["chineseCounting|%1、"])
    add_numbering(document, 11, 11, ["decimal|%1."])
    xml = []
    for paragraph in PARAGRAPHS:
        paragraph = re.sub(r"^\*\*(.*)\*\*$", r"\1", paragraph)
        heading = re.match(r"^[一二三四五六七八九十]+、(.*)$", paragraph)
        task = re.match(r"^\d+\.\s*(.*)$", paragraph)
        if heading:
            xml.append(numbered(_escape(heading.group(1)), 10, 0))
        elif task:
            xml.append(numbered(_escape(task.group(1)), 11, 0))
        else:
            xml.append(f"<w:p><w:r><w:t>{_escape(paragraph)}</w:t></w:r></w:p>")
    add_body_xml(document, "".join(xml))
    path = tmp_path / "notice.docx"
    document.save(str(path))
    assert seed_differences(parse_file(path).as_dict(), KEY) == []


def test_web_page_inside_site_navigation(tmp_path: Path) -> None:
    body = "".join(f"<p>{_escape(p)}</p>" for p in PARAGRAPHS)
    page = (
        "<html><head><meta charset='gbk'><title>偃师区人民政府网</title></head><body>"
        "<div class='header'><ul class='nav'><li><a href='/'>首页</a></li>"
        "<li><a href='/zwgk'>政务公开</a></li><li><a href='/1'>1. 通知公告</a></li></ul></div>"
        "<div class='breadcrumb'>当前位置：首页 > 政务公开 > 通知公告</div>"
        f"<div id='zoom' class='content'>{body}</div>"
        "<div class='footer'>主办：洛阳市偃师区人民政府办公室 备案号：豫ICP备12345678号</div>"
        "</body></html>"
    )
    path = tmp_path / "notice.html"
    path.write_bytes(page.encode("gb18030"))
    assert seed_differences(parse_file(path).as_dict(), KEY) == []


def test_gbk_text(tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    path.write_bytes(
        (SEED / "yanshi-2023-notice.txt").read_text(encoding="utf-8").encode("gb18030")
    )
    assert seed_differences(parse_file(path).as_dict(), KEY) == []


def test_spreadsheet_ledger_with_merged_cells(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["偃师区2023年政府工作报告重点工作任务台账"])
    sheet.merge_cells("A1:F1")
    sheet.append(["序号", "重点任务", "牵头领导", "牵头单位", "责任单位", "完成时限"])
    titles = {a["number"]: a["title"] for a in KEY["areas"]}
    area = None
    for task in KEY["tasks"]:
        if task["area"] != area:
            area = task["area"]
            sheet.append([f"{'一二三四五六七八九十'[area - 1]}、{titles[area]}"])
            sheet.merge_cells(
                start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=6
            )
        sheet.append(
            [
                task["number"],
                task["text"],
                "、".join(task["lead_leaders"]),
                "、".join(task["lead_units"]),
                "、".join(task["responsible_units"]),
                "2023年12月31日",
            ]
        )
        sheet.cell(sheet.max_row, 2).alignment = Alignment(wrap_text=True)
    # The same leader on consecutive rows, merged as offices do.
    sheet.merge_cells("C4:C6")
    path = tmp_path / "ledger.xlsx"
    book.save(str(path))
    parsed = parse_file(path).as_dict()
    got = [
        (
            t["number"],
            t["area"],
            norm(t["text"]),
            t["lead_leaders"],
            t["lead_units"],
            t["responsible_units"],
        )
        for t in parsed["tasks"]
    ]
    want = [
        (
            t["number"],
            t["area"],
            norm(t["text"]),
            norm(t["lead_leaders"]),
            norm(t["lead_units"]),
            norm(t["responsible_units"]),
        )
        for t in KEY["tasks"]
    ]
    assert [(g[0], g[1], g[2], norm(g[3]), norm(g[4]), norm(g[5])) for g in got] == want
    assert {t["deadline"] for t in parsed["tasks"]} == {"2023-12-31"}
    assert [a["title"] for a in parsed["areas"]] == [a["title"] for a in KEY["areas"]]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
