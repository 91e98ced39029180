"""PDF notices: page furniture dropped, wrapped lines joined back into paragraphs."""

from __future__ import annotations

from pathlib import Path

import pytest

from duban.intake.readers import read_file
from duban.intake.readers.pdf_layout import is_page_number, join_text
from tests.unit.readers.builders import PAGE_HEIGHT, PAGE_WIDTH, draw_pdf, text_width

LEFT = 72.0
HEADER = "偃政〔2023〕6号　重点工作责任分解"


def _top(line: int) -> float:
    return PAGE_HEIGHT - 100 - 20 * line


def _centred(text: str) -> float:
    return (PAGE_WIDTH - text_width(text)) / 2


def test_a_two_page_notice_reads_as_its_paragraphs(tmp_path: Path) -> None:
    title = "关于印发重点工作责任分解的通知"
    page_one = [
        (LEFT, PAGE_HEIGHT - 40, HEADER),
        (_centred(title), _top(0), title),
        (LEFT, _top(2), "　　为全面完成年度目标任务，现将重点工作分解如下，请认真贯彻"),
        (LEFT, _top(3), "落实，确保各项任务按期完成。"),
        (LEFT, _top(4), "1.新增规上工业企业五十家，力争全年工业增加值增长百分之七左右"),
        (LEFT, _top(5), "2.引导投放信贷资金六十亿元以上，支持实体经济发展壮大，推进产"),
        (_centred("— 1 —"), 40, "— 1 —"),
    ]
    page_two = [
        (LEFT, PAGE_HEIGHT - 40, HEADER),
        (LEFT, _top(0), "业升级，确保全年新增贷款规模保持稳定增长，为经济发展提供保障。"),
        (LEFT, _top(1), "牵头单位：区金融局"),
        (LEFT, _top(2), "　　第二段另起一行。"),
        (_centred("－2－"), 40, "－2－"),
    ]
    path = draw_pdf(tmp_path / "notice.pdf", [page_one, page_two])

    blocks = read_file(path)

    assert [(block.page, block.text) for block in blocks] == [
        (1, title),
        (1, "为全面完成年度目标任务，现将重点工作分解如下，请认真贯彻落实，确保各项任务按期完成。"),
        (1, "1.新增规上工业企业五十家，力争全年工业增加值增长百分之七左右"),
        (
            1,
            "2.引导投放信贷资金六十亿元以上，支持实体经济发展壮大，推进产"
            "业升级，确保全年新增贷款规模保持稳定增长，为经济发展提供保障。",
        ),
        (2, "牵头单位：区金融局"),
        (2, "第二段另起一行。"),
    ]
    assert all(not block.is_row for block in blocks)


def test_a_header_that_differs_only_in_its_digits_still_repeats(tmp_path: Path) -> None:
    pages = [
        [
            (LEFT, PAGE_HEIGHT - 40, f"重点工作责任分解 第{page}页"),
            (LEFT, _top(0), f"　　第{page}页的正文。"),
            (PAGE_WIDTH - 100, 30, f"{page}/3"),
        ]
        for page in (1, 2, 3)
    ]
    path = draw_pdf(tmp_path / "three.pdf", pages)

    assert [block.text for block in read_file(path)] == [
        "第1页的正文。",
        "第2页的正文。",
        "第3页的正文。",
    ]


@pytest.mark.parametrize(
    "text",
    ["— 1 —", "－1－", "- 1 -", "1", "第1页", "第 1 页 共 5 页", "1/5", "1 / 5", "-12-", "Page 3"],
)
def test_page_number_forms(text: str) -> None:
    assert is_page_number(text)


@pytest.mark.parametrize("text", ["1.新增", "2023年", "第一章", "共5项任务", "1、"])
def test_text_that_is_not_a_page_number(text: str) -> None:
    assert not is_page_number(text)


@pytest.mark.parametrize(
    ("head", "tail", "joined"),
    [
        ("推进产业", "升级", "推进产业升级"),
        ("GDP growth of", "6.5 percent", "GDP growth of 6.5 percent"),
        ("total 2023", "2025 plan", "total 2023 2025 plan"),
        ("well-", "known", "well-known"),
        ("增长", "6.5%", "增长6.5%"),
        ("增长6.5%", "以上", "增长6.5%以上"),
        ("细化分解为1", "0个方面", "细化分解为10个方面"),
        ("采用BI", "M技术", "采用BIM技术"),
    ],
)
def test_joining_wrapped_lines(head: str, tail: str, joined: str) -> None:
    assert join_text(head, tail) == joined
