"""Copies in Traditional characters read as their Simplified originals (issue 12, first part).

The Traditional copies here are made from the Simplified texts with OpenCC's s2t; real copies
found on mirror sites join the corpus with their keys (docs/parsing.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from opencc import OpenCC

from duban.intake.blocks import Block
from duban.intake.errors import IntakeError
from duban.intake.parsing.parser import parse_blocks
from duban.intake.parsing.script import simplify
from duban.intake.pipeline import parse_upload
from tests.unit.parsing.helpers import codes, parse_text

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
CORPUS = FIXTURES / "corpus"
# 033 is a covering notice without its task list (tests/unit/parsing/test_corpus.py).
NOTICES = [
    FIXTURES / "seed" / "yanshi-2023-notice.txt",
    *sorted(p for p in CORPUS.glob("*.txt") if p.stem != "033"),
]


def _same_reading(simplified: dict, converted: dict) -> None:
    assert converted["document"] == simplified["document"]
    assert converted["areas"] == simplified["areas"]
    assert converted["tasks"] == simplified["tasks"]
    assert [w for w in converted["warnings"] if w["code"] != "traditional"] == simplified[
        "warnings"
    ]


@pytest.mark.parametrize("path", NOTICES, ids=lambda p: p.name)
def test_a_traditional_copy_gives_the_tasks_of_its_original(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    original = parse_upload(text.encode(), path.name).as_dict()
    traditional = OpenCC("s2t").convert(text)
    assert traditional != text
    copy = parse_upload(traditional.encode(), path.name).as_dict()
    _same_reading(original, copy)
    assert ("traditional", None) in codes(copy)


def test_a_traditional_covering_notice_is_still_no_task_list() -> None:
    text = OpenCC("s2t").convert((CORPUS / "033.txt").read_text(encoding="utf-8"))
    with pytest.raises(IntakeError) as refused:
        parse_upload(text.encode(), "033.txt")
    assert refused.value.code == "no_tasks"


def test_pinyin_readings_are_dropped_and_other_brackets_kept() -> None:
    result = parse_text(
        """
        關(guān)於(yú)印發2023年重點(diǎn)工作責任分解的通知
        1. 推進人工智能(AI)產業園和5G(5G)基站建設。牽頭單位：發改委（fagaiwei）
        2. 辦(ban4)好民生實事。牽頭單位：民政局
        """
    )
    assert result["document"]["title"] == "关于印发2023年重点工作责任分解的通知"
    assert [t["text"] for t in result["tasks"]] == [
        "推进人工智能(AI)产业园和5G(5G)基站建设。",
        "办好民生实事。",
    ]
    assert result["tasks"][1]["lead_units"] == ["民政局"]
    assert codes(result)[:2] == [("traditional", None), ("pinyin_readings", None)]
    assert result["warnings"][1]["message"].startswith("4 pinyin readings")


def test_readings_in_a_simplified_copy_are_dropped_without_conversion() -> None:
    result = parse_text("1. 办(bàn)好民生实事。牵头单位：民政局")
    assert result["tasks"][0]["text"] == "办好民生实事。"
    assert codes(result) == [("pinyin_readings", None)]


def test_a_simplified_notice_quoting_a_traditional_word_is_left_as_it_is() -> None:
    blocks = [
        Block.paragraph("关于印发重点工作责任分解的通知"),
        Block.paragraph("1. 建设“乾隆”文化街区和“後山”公园，推进文旅融合发展。牵头单位：文旅局"),
    ]
    simplified = simplify(blocks)
    assert not simplified.traditional
    assert [b.text for b in simplified.blocks] == [b.text for b in blocks]
    assert parse_blocks(blocks).as_dict()["warnings"] == []


def test_table_cells_are_converted_too() -> None:
    row = Block.row(["1", "推進營商環境優化", "發改委", "財政局"])
    converted = simplify([Block.paragraph("關於印發重點工作責任分解的通知"), row])
    assert converted.traditional
    assert converted.blocks[1].cells == ("1", "推进营商环境优化", "发改委", "财政局")
