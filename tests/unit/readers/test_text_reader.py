"""Text copied out of a notice arrives in whatever encoding the office's computer used."""

from __future__ import annotations

import codecs

import pytest

from duban.intake.blocks import Block
from duban.intake.readers import read_bytes

NOTICE = "偃师区人民政府关于印发\r\n\r\n1.新增规上企业50家。  \r\n牵头单位：区工信局\n"
LINES = ["偃师区人民政府关于印发", "1.新增规上企业50家。", "牵头单位：区工信局"]


@pytest.mark.parametrize(
    "encoded",
    [
        pytest.param(NOTICE.encode("gb18030"), id="gb18030"),
        pytest.param(NOTICE.encode("gbk"), id="gbk"),
        pytest.param(codecs.BOM_UTF8 + NOTICE.encode("utf-8"), id="utf-8-bom"),
        pytest.param(NOTICE.encode("utf-16"), id="utf-16-bom"),
        pytest.param(codecs.BOM_UTF16_BE + NOTICE.encode("utf-16-be"), id="utf-16-be-bom"),
        pytest.param(NOTICE.encode("utf-8"), id="utf-8"),
    ],
)
def test_every_common_encoding_gives_the_same_lines(encoded: bytes) -> None:
    blocks = read_bytes(encoded, "notice.txt")

    assert [b.text for b in blocks] == LINES
    assert all(not b.is_row for b in blocks)


def test_a_gb18030_only_character_survives() -> None:
    text = "㐀字在GBK里没有，在GB18030里有。"
    assert read_bytes(text.encode("gb18030"), "a.txt") == [Block.paragraph(text)]


def test_lines_keep_their_content_and_lose_only_trailing_whitespace() -> None:
    text = "## 一、稳增长\r| 1 | 任务 |\n　　<sub>2</sub>新增 \t\n\n   \n"

    blocks = read_bytes(text.encode("utf-8"), "notes.md")

    assert [b.text for b in blocks] == ["## 一、稳增长", "| 1 | 任务 |", "　　<sub>2</sub>新增"]
    assert [b.source for b in blocks] == ["line 1", "line 2", "line 3"]


def test_a_file_without_extension_is_read_as_text() -> None:
    assert read_bytes("任务一".encode(), "README") == [Block.paragraph("任务一")]
