"""The layout families of issue 12, each in a small example written after real notices.

The real notices of each family are in tests/fixtures/corpus (test_corpus_halves.py); these
examples pin the rules down one family at a time, including the forms the stored copies of
published notices did not happen to show (the leader's sentence on the next line).
"""

from __future__ import annotations

from tests.unit.parsing.helpers import parse_text, task_rows


def test_responsibility_sentence_on_the_next_line_names_leader_lead_and_others() -> None:
    result = parse_text(
        """
        二、重点工作
        1．加快建设智慧城市。
        由张三副市长负责，市大数据局牵头，相关部门配合，2023年底前完成。
        2．推进老旧小区改造120个。
        由李四副市长负责，市住建局牵头，各区政府配合，2023年9月底前完成。
        3．新建学校5所。
        由王五副市长负责，市教育局牵头，市财政局、市自然资源局配合。
        """
    )
    assert task_rows(result) == [
        (1, ["张三"], ["市大数据局"], ["相关部门"]),
        (2, ["李四"], ["市住建局"], ["各区政府"]),
        (3, ["王五"], ["市教育局"], ["市财政局", "市自然资源局"]),
    ]
    assert [t["deadline"] for t in result["tasks"]] == ["2023-12-31", "2023-09-30", None]
    assert result["tasks"][0]["text"] == "加快建设智慧城市。"


def test_the_same_sentence_closing_the_task_paragraph() -> None:
    result = parse_text(
        """
        一、重点
        1.加快建设智慧城市。由张三副市长负责，市大数据局牵头，相关部门配合。
        2.推进老旧小区改造。由李四副市长负责，市住建局牵头。
        """
    )
    assert task_rows(result) == [
        (1, ["张三"], ["市大数据局"], ["相关部门"]),
        (2, ["李四"], ["市住建局"], []),
    ]


def test_news_reprint_with_odd_number_punctuation_and_leader_and_unit_sentences() -> None:
    result = parse_text(
        """
        市政府确定了2020年11个方面项重点工作
        1﹒地区生产总值增长6%左右。
        牵头负责领导：张三。牵头责任单位：市发改委。
        2﹒一般公共预算收入增长5%。
        牵头负责领导：李四。牵头责任单位：市财政局。协同责任单位：市税务局。
        3﹒城镇新增就业1.2万人。
        牵头负责领导：王五。牵头责任单位：市人社局。
        """
    )
    assert task_rows(result) == [
        (1, ["张三"], ["市发改委"], []),
        (2, ["李四"], ["市财政局"], ["市税务局"]),
        (3, ["王五"], ["市人社局"], []),
    ]
    # The count whose figure the reprint dropped declares nothing.
    assert result["document"]["declared_tasks"] is None


def test_state_council_style_trailing_parenthesis() -> None:
    result = parse_text(
        """
        一、着力稳定宏观经济大盘
        （一）实施积极的财政政策。
        1.今年赤字率拟按2.8%左右安排。（财政部牵头，各有关部门按职责分工负责）
        2.新增减税降费2.5万亿元。（财政部、税务总局牵头，各有关部门按职责分工负责）
        3.扩大有效投资。（国家发展改革委、财政部按职责分工负责）
        """
    )
    assert task_rows(result) == [
        (1, [], ["财政部"], ["各有关部门"]),
        (2, [], ["财政部", "税务总局"], ["各有关部门"]),
        (3, [], [], ["国家发展改革委", "财政部"]),
    ]


def test_flattened_table_with_justified_header_words() -> None:
    result = parse_text(
        """
        序号 工 作 任 务 牵头负责部门
        1 地区生产总值增长7%左右 市发改委
        2 规模以上工业增加值增长8% 市工信局
        3 社会消费品零售总额增长9% 市商务局
        """
    )
    assert task_rows(result) == [
        (1, [], ["市发改委"], []),
        (2, [], ["市工信局"], []),
        (3, [], ["市商务局"], []),
    ]
