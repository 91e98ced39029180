"""Ledgers in tables: real rows (Word, web, spreadsheet) and tables flattened into text."""

from duban.intake.blocks import Block
from duban.intake.parsing.parser import parse_blocks
from duban.intake.parsing.tables import align, column_role, header_roles
from tests.unit.parsing.helpers import parse_text, task_rows

HEADER = ["序号", "重点任务", "牵头领导", "牵头单位", "责任单位", "完成时限"]


def test_rows_with_a_header_become_tasks_with_merged_cells_resolved() -> None:
    blocks = [
        Block.paragraph("2024年重点工作任务台账"),
        Block.row(HEADER),
        Block.row(["一、稳增长"] * 6),  # a section row merged across the table
        Block.row(
            ["1", "新增规上企业50家。", "朱蕾", "工信局", "发改委、商务局", "2024年12月底前"]
        ),
        Block.row(["2", "引导投放信贷资金60亿元以上。", "朱蕾", "金融局", "", "2024年6月30日"]),
        Block.row(["二、惠民生"] * 6),
        Block.row(["3", "建成安置房390套。", "邱五德 申俊涛", "住建局", "各镇（街道）", "长期"]),
    ]
    result = parse_blocks(blocks).as_dict()
    assert task_rows(result) == [
        (1, ["朱蕾"], ["工信局"], ["发改委", "商务局"]),
        (2, ["朱蕾"], ["金融局"], []),
        (3, ["邱五德", "申俊涛"], ["住建局"], ["各镇（街道）"]),
    ]
    assert [t["deadline"] for t in result["tasks"]] == ["2024-12-31", "2024-06-30", None]
    assert result["areas"] == [{"number": 1, "title": "稳增长"}, {"number": 2, "title": "惠民生"}]
    assert [t["area"] for t in result["tasks"]] == [1, 1, 2]
    assert result["tasks"][0]["targets"][0]["value"] == 50


def test_a_target_column_is_kept_with_the_task() -> None:
    blocks = [
        Block.row(["序号", "工作任务", "目标要求", "责任单位"]),
        Block.row(["1", "推进老旧小区改造", "完成2300户以上", "★住建局、各街道"]),
    ]
    task = parse_blocks(blocks).as_dict()["tasks"][0]
    assert task["text"] == "推进老旧小区改造。完成2300户以上"
    assert (task["lead_units"], task["responsible_units"]) == (["住建局"], ["各街道"])
    assert [(t["value"], t["unit"], t["op"]) for t in task["targets"]] == [(2300, "户", ">=")]


def test_markdown_table_lines() -> None:
    result = parse_text(
        """
| 序号 | 重点任务 | 牵头单位 | 配合单位 |
|---|---|---|---|
| 1 | 新建停车场5座。 | 住建局 | 城管局、相关街道 |
| 2 | 新建公厕8座。 | 城管局 |  |
"""
    )
    assert task_rows(result) == [
        (1, [], ["住建局"], ["城管局", "相关街道"]),
        (2, [], ["城管局"], []),
    ]


def test_one_cell_per_line_table_keeps_row_spanned_leaders_and_explicit_blanks() -> None:
    result = parse_text(
        """
序号
|
重点工作
|
牵头领导
|
责任单位
|
1.新增企业5家。
|
王 刚
|
★工信局、统计局
|
2.新增项目3个。
|
★发改委
|
|
3.新增外资1亿美元。
|
|
★商务局
|
"""
    )
    assert task_rows(result) == [
        (1, ["王刚"], ["工信局"], ["统计局"]),
        (2, ["王刚"], ["发改委"], []),
        (3, [], ["商务局"], []),
    ]


def test_column_names_are_recognised_by_their_chinese_names() -> None:
    assert [column_role(n) for n in ["序号", "重点任务", "工作任务", "目标任务", "牵头领导"]] == [
        "number",
        "text",
        "text",
        "goal",
        "leaders",
    ]
    assert [
        column_role(n) for n in ["责任领导", "分管 领导", "牵头单位", "配合单位", "完成时限"]
    ] == [
        "leaders",
        "leaders",
        "lead",
        "responsible",
        "deadline",
    ]
    assert column_role("1-11月推进情况") == "other"
    assert column_role("城管局") is None
    assert header_roles(["序号", "说明"]) is None


def test_cells_are_aligned_to_columns_by_what_they_hold() -> None:
    roles = header_roles(["序号", "项目", "重点工作", "牵头领导", "责任单位"])
    assert roles is not None
    assert align(["2.新增项目3个。", "★发改委"], roles) == {2: "2.新增项目3个。", 4: "★发改委"}
    assert align(["3.新增外资。", "", "★商务局"], roles) == {2: "3.新增外资。", 3: "", 4: "★商务局"}


def test_a_task_over_two_rows_and_area_counts_in_section_rows() -> None:
    blocks = [
        Block.row(["序号", "工作任务", "牵头单位", "配合单位"]),
        Block.row(["一、稳增长（2项）"] * 4),
        Block.row(["1", "扩大有效投资。", "发改委", "财政局"]),
        Block.row(["1", "扩大有效投资。", "发改委", "统计局"]),  # merged number and text cells
        Block.row(["2", "稳定工业运行。", "工信局", ""]),
        Block.row(["", "", "", "各镇（街道）"]),  # the second row adds a unit only
    ]
    result = parse_blocks(blocks).as_dict()
    assert task_rows(result) == [
        (1, [], ["发改委"], ["财政局", "统计局"]),
        (2, [], ["工信局"], ["各镇（街道）"]),
    ]
    assert result["areas"] == [{"number": 1, "title": "稳增长"}]
    assert result["warnings"] == []


def test_rows_without_a_number_are_numbered_in_order() -> None:
    blocks = [
        Block.row(["重点任务", "牵头单位"]),
        Block.row(["扩大有效投资，完成固定资产投资100亿元。", "发改委"]),
        Block.row(["稳定工业运行，新增规上企业20家。", "工信局"]),
    ]
    result = parse_blocks(blocks).as_dict()
    assert task_rows(result) == [(1, [], ["发改委"], []), (2, [], ["工信局"], [])]
