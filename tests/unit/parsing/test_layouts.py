"""Layouts beyond the seed and the corpus, written the way other governments write them."""

from duban.intake.parsing.directory import NameDirectory
from tests.unit.parsing.helpers import codes, parse_text, task_rows

COUNTY = """
XX县人民政府关于印发2024年重点工作责任分工的通知
一、稳增长
1.地区生产总值增长6%。（牵头单位：县发改委；配合单位：县统计局、县财政局）
2.招商引资到位资金100亿元以上。（县商务局牵头，各乡镇配合）
3. 推进项目建设。
县住建局牵头，县自然资源局、各乡镇按职责分工负责。
二、惠民生
牵头领导：张三
4.新建学校3所。
牵头单位：县教育局
责任单位：县财政局、
县住建局
完成时限：2024年6月底前
5.完善医保。
（1）扩大覆盖；
（2）提高待遇。
牵头单位：县医保局
完成时限：长期坚持
"""


def test_inline_fields_prose_and_field_lines_in_one_notice() -> None:
    result = parse_text(COUNTY)
    assert task_rows(result) == [
        (1, [], ["县发改委"], ["县统计局", "县财政局"]),
        (2, [], ["县商务局"], ["各乡镇"]),
        (3, [], ["县住建局"], ["县自然资源局", "各乡镇"]),
        (4, ["张三"], ["县教育局"], ["县财政局", "县住建局"]),
        (5, ["张三"], ["县医保局"], []),
    ]
    texts = [t["text"] for t in result["tasks"]]
    assert texts[0] == "地区生产总值增长6%。"
    assert texts[4] == "完善医保。（1）扩大覆盖；（2）提高待遇。"


def test_leader_line_under_a_section_heading_applies_to_its_tasks() -> None:
    result = parse_text(COUNTY)
    assert [a["title"] for a in result["areas"]] == ["稳增长", "惠民生"]
    assert [t["area"] for t in result["tasks"]] == [1, 1, 1, 2, 2]


def test_deadlines_become_dates_or_a_warning() -> None:
    result = parse_text(COUNTY)
    assert [t["deadline"] for t in result["tasks"]] == [None, None, None, "2024-06-30", None]
    assert ("unclear_deadline", 5) in codes(result)


def test_star_marks_the_lead_unit_and_a_task_without_one_is_flagged() -> None:
    result = parse_text(
        """
三、创新驱动
（一）科技
1、建设实验室2个。
责任单位：★县科技局、县工信局
2、引进人才。
责任单位：县人社局、县科技局
"""
    )
    assert task_rows(result) == [
        (1, [], ["县科技局"], ["县工信局"]),
        (2, [], [], ["县人社局", "县科技局"]),
    ]
    assert codes(result) == [("no_lead_unit", 2)]


def test_first_listed_rule_stated_late_applies_to_the_whole_notice() -> None:
    result = parse_text(
        """
1.稳住工业。
责任单位：市经信局、市统计局
2.扩大投资。
责任单位：市发改委、市财政局（列第一位的为牵头单位）
"""
    )
    assert task_rows(result) == [
        (1, [], ["市经信局"], ["市统计局"]),
        (2, [], ["市发改委"], ["市财政局"]),
    ]


def test_justified_names_page_breaks_and_markup_are_undone() -> None:
    result = parse_text(
        """
#### **一、围绕改革增活力。**
1. 围绕打造营商环境，持续开展示范区
创建，降低PM<sub>2.5</sub>浓度。
牵头领导：朱 蕾 薛超峰
牵头单位：法 院、编 办
责任单位：工信局、住建局、城管局、

交通局，各镇（街道）
2023年5月4日
"""
    )
    task = result["tasks"][0]
    assert task["text"] == "围绕打造营商环境，持续开展示范区创建，降低PM2.5浓度。"
    assert task["lead_leaders"] == ["朱蕾", "薛超峰"]
    assert task["lead_units"] == ["法院", "编办"]
    assert task["responsible_units"] == ["工信局", "住建局", "城管局", "交通局", "各镇（街道）"]
    assert result["areas"] == [{"number": 1, "title": "围绕改革增活力"}]
    assert result["document"]["date"] == "2023-05-04"


def test_numbering_gaps_and_repeats_are_warned() -> None:
    result = parse_text(
        """
1.甲任务。
牵头单位：发改委
2.乙任务。
牵头单位：财政局
4.丙任务。
牵头单位：商务局
4.丁任务。
牵头单位：商务局
"""
    )
    assert codes(result) == [("numbering_gap", 4), ("numbering_repeat", 4)]


def test_declared_counts_are_checked() -> None:
    result = parse_text(
        """
现将重点工作分解为2个方面3个具体任务。
一、甲方面
1.甲任务。
牵头单位：发改委
二、乙方面
2.乙任务。
牵头单位：财政局
"""
    )
    assert (result["document"]["declared_areas"], result["document"]["declared_tasks"]) == (2, 3)
    assert ("declared_tasks", None) in codes(result)
    assert ("declared_areas", None) not in codes(result)


def test_unknown_unit_offers_the_closest_known_names() -> None:
    directory = NameDirectory(["缑氏镇", "商务局", "发改委"])
    result = parse_text(
        """
1.建设示范村。
牵头单位：商务局
责任单位：缙氏镇，相关镇（街道）
""",
        directory=directory,
    )
    warning = next(w for w in result["warnings"] if w["code"] == "unknown_unit")
    assert warning["task"] == 1
    assert "缙氏镇" in warning["message"] and "缑氏镇" in warning["message"]
    assert len([w for w in result["warnings"] if w["code"].startswith("unknown")]) == 1


def test_numbered_paragraphs_of_a_requirements_section_are_not_tasks() -> None:
    result = parse_text(
        """
一、重点任务
1.甲任务。
牵头单位：发改委
2.乙任务。
牵头单位：财政局
二、工作要求
（一）加强组织领导。各单位要高度重视。
（二）强化督查考核。
"""
    )
    assert [t["number"] for t in result["tasks"]] == [1, 2]
    assert [a["title"] for a in result["areas"]] == ["重点任务"]


def test_fields_on_the_task_line_titles_lead_notes_and_inline_deadlines() -> None:
    result = parse_text(
        """
1.
建设智慧城市平台。牵头单位：大数据局　责任单位：财政局（牵头）、工信局
2.建成社区食堂10个（2024年9月底前）。
责任领导：李明副县长
责任单位：民政局（牵头）、各乡镇
"""
    )
    assert task_rows(result) == [
        (1, [], ["大数据局", "财政局"], ["工信局"]),
        (2, ["李明"], ["民政局"], ["各乡镇"]),
    ]
    assert [t["text"] for t in result["tasks"]] == ["建设智慧城市平台。", "建成社区食堂10个。"]
    assert [t["deadline"] for t in result["tasks"]] == [None, "2024-09-30"]


def test_trailing_prose_sentence_and_titles_around_leader_names() -> None:
    result = parse_text(
        """
（五）完善社会保障体系，扩大参保覆盖面。由区人社局牵头，区民政局、区医保局配合。
牵头领导：副区长王强
（六）加强养老服务。区民政局牵头，各街道参与。
牵头领导：李华同志
"""
    )
    assert task_rows(result) == [
        ("（五）", ["王强"], ["区人社局"], ["区民政局", "区医保局"]),
        ("（六）", ["李华"], ["区民政局"], ["各街道"]),
    ]
    assert result["tasks"][0]["text"] == "完善社会保障体系，扩大参保覆盖面。"


def test_state_council_style_parenthesis_with_a_deadline_after_the_units() -> None:
    result = parse_text(
        """
1.深化“放管服”改革，优化营商环境。（市发展改革委牵头，市财政局、市市场监管局等按职责分工负责，2024年6月底前完成）
2.推进城市更新。（市住建局、市自然资源局按职责分工负责，年内持续推进）
"""
    )
    assert task_rows(result) == [
        (1, [], ["市发展改革委"], ["市财政局", "市市场监管局等"]),
        (2, [], [], ["市住建局", "市自然资源局"]),
    ]
    assert [t["deadline"] for t in result["tasks"]] == ["2024-06-30", None]  # no year for 年内
    assert [t["text"] for t in result["tasks"]] == [
        "深化“放管服”改革，优化营商环境。",
        "推进城市更新。",
    ]


def test_tables_pasted_with_tabs_or_flattened_with_spaces() -> None:
    tabs = parse_text(
        "序号\t重点工作\t牵头领导\t牵头单位\t责任单位\n"
        "1\t新增规上企业50家。\t张 伟\t工信局\t发改委、统计局\n"
        "2\t新建公园5个。\t\t城管局\t\n"
    )
    spaces = parse_text(
        """
附件 任务分解表 序号 工作任务 牵头领导 牵头单位 完成时限
1 新增规上企业50家。 张伟 工信局 2024年12月底前
2 新建公园5个。 城管局 2024年6月底前
"""
    )
    assert task_rows(tabs) == [
        (1, ["张伟"], ["工信局"], ["发改委", "统计局"]),
        (2, [], ["城管局"], []),
    ]
    assert task_rows(spaces) == [(1, ["张伟"], ["工信局"], []), (2, [], ["城管局"], [])]
    assert [t["deadline"] for t in spaces["tasks"]] == ["2024-12-31", "2024-06-30"]
    assert [t["text"] for t in spaces["tasks"]] == ["新增规上企业50家。", "新建公园5个。"]
