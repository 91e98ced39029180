"""Where each task was read, and how sure the parser is of it (docs/parsing.md, output shape)."""

from __future__ import annotations

import itertools
import json
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command

from duban.intake.blocks import Block
from duban.intake.parsing.assemble import level
from duban.intake.parsing.directory import NameDirectory
from duban.intake.parsing.parser import parse_blocks
from duban.intake.parsing.result import ParseResult
from duban.intake.pipeline import DEMO_DIRECTORY, load_directory, parse_file
from tests.unit.parsing.helpers import parse_text

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "seed" / "yanshi-2023-notice.txt"


def _task(result: dict[str, Any], number: int | str) -> dict[str, Any]:
    return next(t for t in result["tasks"] if t["number"] == number)


def _notice(*tasks: str) -> str:
    return "\n".join(
        ["关于印发2023年政府工作报告重点工作责任分解的通知", "一、扩大有效投资", *tasks]
    )


def test_a_clean_seed_task_is_confident_and_points_at_its_lines() -> None:
    result = parse_file(SEED).as_dict()
    first = _task(result, 1)
    assert (first["confidence"], first["doubtful"]) == (1.0, [])
    start, end = first["source"]
    assert result["lines"][start].startswith("1. 树牢“项目为王”理念")
    assert result["lines"][start + 1 : end + 1] == [
        "牵头领导：朱 蕾",
        "牵头单位：发改委",
        "责任单位：投促中心，各镇（街道）",
    ]
    # Task 3's unit list is continued on the next line: both lines are its source.
    third = _task(result, 3)
    assert result["lines"][third["source"][1]] == "交通局、乡村振兴局，各镇（街道）"
    # The last task ends before the signing date.
    last = result["tasks"][-1]
    assert result["lines"][last["source"][1]] == "责任单位：各镇（街道）"
    assert result["lines"][-1] == "2023年5月4日"
    # Without a directory nothing in the seed is doubtful; spans follow each other.
    assert all(t["doubtful"] == [] and t["confidence"] == 1.0 for t in result["tasks"])
    spans = [t["source"] for t in result["tasks"]]
    assert all(a[1] < b[0] for a, b in itertools.pairwise(spans))


def test_the_last_task_ends_before_the_signature_but_keeps_its_own_fields() -> None:
    result = parse_text(
        _notice(
            "1. 新开工亿元以上项目50个。",
            "牵头单位：区发改委",
            "2. 做好政务公开工作。",
            "牵头单位：区政府办公室",
            "区人民政府办公室",
            "2023年3月1日",
            "（此件公开发布）",
        )
    )
    last = _task(result, 2)
    assert result["lines"][last["source"][1]] == "牵头单位：区政府办公室"
    assert result["lines"][_task(result, 1)["source"][1]] == "牵头单位：区发改委"


def test_the_seed_typo_makes_only_its_task_doubtful_against_the_directory() -> None:
    result = parse_file(SEED, directory=load_directory(DEMO_DIRECTORY)).as_dict()
    doubtful = [(t["number"], t["doubtful"]) for t in result["tasks"] if t["doubtful"]]
    assert doubtful == [(17, ["responsible_units"])]
    assert level(_task(result, 17)["confidence"]) == "medium"


def test_a_cut_off_unit_is_doubtful_on_that_field() -> None:
    result = parse_text(
        _notice(
            "1. 新开工亿元以上项目50个。",
            "牵头单位：市",
            "责任单位：区发改委、区财政局",
            "2. 完成固定资产投资增长10%。",
            "牵头单位：区发改委",
            "责任单位：区统计局",
        )
    )
    cut, clean = _task(result, 1), _task(result, 2)
    assert cut["lead_units"] == ["市"] and cut["doubtful"] == ["lead_units"]
    assert level(cut["confidence"]) != "high"
    assert (clean["confidence"], clean["doubtful"]) == (1.0, [])


def test_names_worded_like_sentences_and_leaders_unlike_names_are_doubtful() -> None:
    result = parse_text(
        _notice(
            "1. 新开工亿元以上项目50个。",
            "牵头领导：区政府分管领导同志",
            "牵头单位：区发改委",
            "责任单位：各镇要加强项目谋划并确保按期开工建设的相关单位和部门",
        )
    )
    task = _task(result, 1)
    assert task["doubtful"] == ["lead_leaders", "responsible_units"]
    assert task["confidence"] == 0.42  # 0.7 (a leader unlike a name) x 0.6 (a sentence)
    assert level(task["confidence"]) == "low"


def test_no_lead_unit_is_low_and_an_inferred_one_only_noted() -> None:
    missing = _task(parse_text(_notice("1. 新开工亿元以上项目50个。", "牵头领导：张伟")), 1)
    assert missing["doubtful"] == ["lead_units"] and level(missing["confidence"]) == "low"
    inferred = parse_text(
        _notice(
            "1. 新开工亿元以上项目50个。",
            "责任单位：区发改委、区财政局（列第一位的为牵头单位）",
        )
    )
    task = _task(inferred, 1)
    assert task["lead_units"] == ["区发改委"]
    assert task["doubtful"] == ["lead_units"] and level(task["confidence"]) == "high"


def test_a_text_too_short_or_holding_a_label_is_doubtful() -> None:
    result = parse_text(
        _notice(
            "1. 招商。",
            "牵头单位：区商务局",
            "2. 推进产业园建设牵头单位：区工信局",
            "牵头单位：区工信局",
        )
    )
    assert _task(result, 1)["doubtful"] == ["text"]
    assert "text" in _task(result, 2)["doubtful"]


def test_numbering_that_jumps_marks_the_number_of_that_task_only() -> None:
    result = parse_text(
        _notice(
            "1. 新开工亿元以上项目50个。",
            "牵头单位：区发改委",
            "3. 完成固定资产投资增长10%。",
            "牵头单位：区发改委",
        )
    )
    assert _task(result, 1)["doubtful"] == []
    assert _task(result, 3)["doubtful"] == ["number"]


def test_unknown_names_are_doubtful_where_they_stand() -> None:
    directory = NameDirectory(["区发改委", "区财政局"])
    result = parse_text(
        _notice(
            "1. 新开工亿元以上项目50个。",
            "牵头单位：区发改委",
            "责任单位：区财正局",
        ),
        directory=directory,
    )
    assert _task(result, 1)["doubtful"] == ["responsible_units"]


def test_table_rows_are_lines_with_their_cells_joined() -> None:
    blocks = [
        Block.paragraph("关于印发2023年政府工作报告重点工作责任分解的通知"),
        Block.row(["序号", "工作任务", "牵头单位", "责任单位"]),
        Block.row(["1", "新开工亿元以上项目50个。", "区发改委", "区财政局"]),
        Block.row(["2", "完成固定资产投资增长10%。", "区发改委", "区统计局"]),
    ]
    result = parse_blocks(blocks)
    assert result.lines[2] == "1 | 新开工亿元以上项目50个。 | 区发改委 | 区财政局"
    assert [t.get("source") for t in result.tasks] == [[2, 2], [3, 3]]


def test_the_new_keys_survive_the_json_round_trip_and_old_parses_still_load() -> None:
    parsed = parse_file(SEED, directory=load_directory(DEMO_DIRECTORY))
    again = ParseResult.from_json(json.loads(json.dumps(parsed.to_json(), ensure_ascii=False)))
    assert again == parsed and again.lines == parsed.lines
    old = parsed.to_json()
    del old["lines"]
    for task in old["tasks"]:
        del task["source"], task["confidence"], task["doubtful"]
    loaded = ParseResult.from_json(old)
    assert loaded.lines == []
    assert (loaded.tasks[16]["source"], loaded.tasks[16]["confidence"]) == (None, 1.0)
    assert loaded.tasks[16]["doubtful"] == []


def test_duban_parse_json_carries_lines_source_and_confidence() -> None:
    out = StringIO()
    call_command("parse", str(SEED), "--json", "--directory", "demo", stdout=out)
    data = json.loads(out.getvalue())
    assert data["lines"][data["tasks"][0]["source"][0]].startswith("1. 树牢")
    task = data["tasks"][16]
    assert (task["confidence"], task["doubtful"]) == (0.7, ["responsible_units"])
