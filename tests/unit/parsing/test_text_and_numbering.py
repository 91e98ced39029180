"""Cleaning lines, splitting name lists and reading item numbers."""

import pytest

from duban.intake.parsing.numbering import cn_to_int, parse_numbering
from duban.intake.parsing.text import clean_line, split_leaders, split_units, squeeze


@pytest.mark.parametrize(
    ("line", "style", "label", "value", "rest"),
    [
        ("1. 树牢理念", "ar", "1", 1, "树牢理念"),
        ("12．加快建设", "ar", "12", 12, "加快建设"),
        ("3、推进改革", "ar", "3", 3, "推进改革"),
        ("一、围绕实体经济", "cn", "一", 1, "围绕实体经济"),
        ("十二、社会治理", "cn", "十二", 12, "社会治理"),
        ("（三）加强领导", "pcn", "（三）", 3, "加强领导"),
        ("(2)提高待遇", "par", "(2)", 2, "提高待遇"),
        ("第二部分 重点任务", "part", "第二部分", 2, "重点任务"),
        ("②完成验收", "circled", "②", 2, "完成验收"),
    ],
)
def test_numbering_styles(line: str, style: str, label: str, value: int, rest: str) -> None:
    numbering = parse_numbering(line)
    assert numbering is not None
    assert (numbering.style, numbering.label, numbering.value, numbering.rest) == (
        style,
        label,
        value,
        rest,
    )


@pytest.mark.parametrize(
    "line", ["2023年重点工作", "1.4万人次以上", "30 万平方米", "一是加强领导", "15"]
)
def test_figures_and_prose_are_not_numbering(line: str) -> None:
    assert parse_numbering(line) is None


def test_chinese_numerals() -> None:
    assert [
        cn_to_int(t) for t in ["一", "九", "十", "十一", "二十", "九十八", "一百零三", "两"]
    ] == [
        1,
        9,
        10,
        11,
        20,
        98,
        103,
        2,
    ]


def test_clean_line_drops_markdown_and_tags() -> None:
    assert clean_line("#### **四、围绕科技创新。**") == "四、围绕科技创新。"
    assert clean_line("PM<sub>2.5</sub>\u3000浓度") == "PM2.5 浓度"


def test_squeeze_keeps_spaces_only_between_latin_words() -> None:
    assert squeeze("总投资 863 亿元的 270 个项目") == "总投资863亿元的270个项目"
    assert squeeze("伊洛河综合治理 PPP （三期）") == "伊洛河综合治理PPP（三期）"
    assert squeeze("New Energy 项目") == "New Energy项目"


def test_leader_lists_with_justification_spaces() -> None:
    assert split_leaders("朱 蕾 薛超峰") == ["朱蕾", "薛超峰"]
    assert split_leaders("申俊涛、邱五德") == ["申俊涛", "邱五德"]
    assert split_leaders("王 嵘\n方 勇") == ["王嵘", "方勇"]
    assert split_leaders("李 良") == ["李良"]


def test_unit_lists_split_outside_brackets_and_lose_markers() -> None:
    assert split_units("工信局、住建局，各镇（街道）") == ["工信局", "住建局", "各镇（街道）"]
    assert split_units("市财政局(市国资委)、市委组织部") == ["市财政局(市国资委)", "市委组织部"]
    assert split_units("法 院；编 办") == ["法院", "编办"]
    assert split_units("★区发改委、统计局。") == ["区发改委", "统计局"]
    assert split_units("各县(市、区)政府") == ["各县(市、区)政府"]
