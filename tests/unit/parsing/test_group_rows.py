"""Group headings inside task tables: a row of only a number and a short title ("2 | 提升城市
功能品质") heads the task rows under it; it is no task and takes no leader or unit from the row
above, while a short task row whose cells are all row-spanned from above still takes them."""

from typing import Any

from tests.unit.parsing.helpers import parse_text, task_rows

HEADER = ["序号", "重点工作", "牵头领导", "牵头单位", "配合单位"]


def pipe_table(rows: list[list[str]]) -> str:
    lines = [HEADER, ["---"] * len(HEADER), *rows]
    return "\n".join("| " + " | ".join(row) + " |" for row in lines)


def one_cell_per_line(rows: list[list[str]]) -> str:
    """A web table copied as text: each cell on its own line, then "|"; row-spanned cells and
    the empty cells of a heading row spanning the table are simply missing."""
    return "\n".join(f"{cell}\n|" for row in [HEADER, *rows] for cell in row)


def texts(result: dict[str, Any]) -> list[str]:
    return [t["text"] for t in result["tasks"]]


def test_group_rows_in_a_pipe_table_restarting_the_numbering() -> None:
    result = parse_text(
        pipe_table(
            [
                ["1", "稳住工业基本盘", "", "", ""],
                ["1", "新增规上工业企业20家。", "王刚", "工信局", "统计局"],
                ["2", "技改投资增长10%以上。", "王刚", "工信局", "发改委"],
                ["2", "提升城市功能品质", "", "", ""],
                ["1", "新建口袋公园8个。", "李强", "住建局", "各街道"],
                ["2", "改造老旧小区1200户。", "", "住建局", ""],
            ]
        )
    )
    assert task_rows(result) == [
        (1, ["王刚"], ["工信局"], ["统计局"]),
        (2, ["王刚"], ["工信局"], ["发改委"]),
        (1, ["李强"], ["住建局"], ["各街道"]),
        (2, [], ["住建局"], []),
    ]
    assert "提升城市功能品质" not in texts(result)
    assert result["areas"] == [
        {"number": 1, "title": "稳住工业基本盘"},
        {"number": 2, "title": "提升城市功能品质"},
    ]
    assert [t["area"] for t in result["tasks"]] == [1, 1, 2, 2]
    assert result["warnings"] == []  # numbering starts again per group: no repeat


def test_group_rows_in_a_one_cell_per_line_table_with_spanned_cells() -> None:
    """Tasks numbered through the whole table; the group numbers break that sequence."""
    result = parse_text(
        one_cell_per_line(
            [
                ["1", "稳住工业基本盘"],
                ["1.新增规上工业企业20家。", "王 刚", "工信局", "统计局"],
                ["2.技改投资增长10%以上。", "工信局", "发改委"],  # leader row-spanned
                ["2", "提升城市功能品质"],  # no leader or unit of task 2's
                ["3.新建口袋公园8个。", "李 强", "住建局", "各街道"],
                ["4.改造老旧小区1200户。", "住建局", "城管局"],  # leader row-spanned
            ]
        )
    )
    assert task_rows(result) == [
        (1, ["王刚"], ["工信局"], ["统计局"]),
        (2, ["王刚"], ["工信局"], ["发改委"]),
        (3, ["李强"], ["住建局"], ["各街道"]),
        (4, ["李强"], ["住建局"], ["城管局"]),
    ]
    assert [a["title"] for a in result["areas"]] == ["稳住工业基本盘", "提升城市功能品质"]
    assert [t["area"] for t in result["tasks"]] == [1, 1, 2, 2]


def test_a_short_task_row_with_every_cell_spanned_is_still_a_task() -> None:
    """Number and a short text only, like a heading, but it carries the task numbering on
    (3 after 2, then 4): the leader and units merged over it are its own."""
    rows = [
        ["一", "稳住工业基本盘"],  # Chinese numerals in the number column
        ["1", "新增规上工业企业20家。", "王 刚", "工信局", "统计局"],
        ["2", "推动企业智能化改造"],  # every cell but number and text spanned from task 1
        ["3", "技改投资增长10%以上。", "工信局", "发改委"],
        ["二", "提升城市功能品质"],
        ["4", "新建口袋公园8个。", "李 强", "住建局", "各街道"],
        ["5", "优化营商环境"],  # the last row, spanned from task 4
    ]
    result = parse_text(one_cell_per_line(rows))
    assert task_rows(result) == [
        (1, ["王刚"], ["工信局"], ["统计局"]),
        (2, ["王刚"], ["工信局"], ["统计局"]),
        (3, ["王刚"], ["工信局"], ["发改委"]),
        (4, ["李强"], ["住建局"], ["各街道"]),
        (5, ["李强"], ["住建局"], ["各街道"]),
    ]
    assert texts(result)[1] == "推动企业智能化改造"
    assert [a["title"] for a in result["areas"]] == ["稳住工业基本盘", "提升城市功能品质"]


def test_a_group_number_that_breaks_the_task_sequence_is_no_task() -> None:
    """Tasks 2, then "1 | 筑牢发展底座", then 3: the row's 1 breaks a sequence task 3 goes on
    with, so it heads task 3 and is no task."""
    result = parse_text(
        one_cell_per_line(
            [
                ["1.新增规上工业企业20家。", "王 刚", "工信局", "统计局"],
                ["2.技改投资增长10%以上。", "工信局", "发改委"],
                ["1", "筑牢发展底座"],
                ["3.新建口袋公园8个。", "李 强", "住建局", "各街道"],
            ]
        )
    )
    assert task_rows(result) == [
        (1, ["王刚"], ["工信局"], ["统计局"]),
        (2, ["王刚"], ["工信局"], ["发改委"]),
        (3, ["李强"], ["住建局"], ["各街道"]),
    ]
    assert "筑牢发展底座" not in texts(result)
