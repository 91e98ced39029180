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


def test_one_character_numbers_and_labelled_lines() -> None:
    # "⑴" and "⒈" are the one-character forms of "(1)" and "1." some word processors insert
    result = parse_text(
        """
        1.约束性指标。
        ⑴九年义务教育巩固率达到97%。
        责任单位：省教育厅。
        ⑵耕地保有量保持在6120万亩。
        责任单位：省国土资源厅。
        """
    )
    assert [(t["number"], t["responsible_units"]) for t in result["tasks"]] == [
        ("⑴", ["省教育厅"]),
        ("⑵", ["省国土资源厅"]),
    ]


def test_a_list_whose_copy_lost_some_numbers_keeps_every_item() -> None:
    # the labelled parenthesis closes each item, then "；"; the copy dropped ⑥ and ⑦
    result = parse_text(
        """
        8项进展偏慢的重点工作为：
        ④实现老街示范段开街（责任单位：市城市更新与发展中心）；
        ⑤全力推动规上企业发明专利全覆盖（责任单位：市市场监管局）；
        新增跨境电商产值10亿元以上（责任单位：市商务局）；
        新建高标准农田6700亩（责任单位：市农业农村水利局）。
        """
    )
    tasks = result["tasks"]
    assert [(t["number"], t["responsible_units"]) for t in tasks] == [
        ("④", ["市城市更新与发展中心"]),
        ("⑤", ["市市场监管局"]),
        ("⑥", ["市商务局"]),
        ("⑦", ["市农业农村水利局"]),
    ]
    # the numbers the parser gave are marked for the clerk to check
    assert [("number" in t["doubtful"]) for t in tasks] == [False, False, True, True]


def test_responsibility_in_shell_brackets_with_round_ones_inside() -> None:
    result = parse_text(
        """
        一、深入落实中央宏观政策，力争专项债份额稳中有升。〔省委金融办、省发展改革委等牵头，省（中）直有关单位按职责分工负责〕
        二、出台一批降低融资成本的举措。（省发展改革委牵头，省财政厅等按职责分工负责）
        """
    )
    assert task_rows(result) == [
        ("一", [], ["省委金融办", "省发展改革委等"], ["省（中）直有关单位"]),
        ("二", [], ["省发展改革委"], ["省财政厅等"]),
    ]


def test_a_unit_heading_with_its_count_gives_the_items_under_it_their_unit() -> None:
    # a circular's list of lagging items, grouped by unit; the first group lost its "(一)"
    # and a number glued to a text that opens with a figure ("212…": item 2, "12…")
    result = parse_text(
        """
        较慢或下降的事项具体如下：
        市发展改革委3
        1加快战新基地发展推进较慢。
        212完成投资低于序时进度。
        3提升生活性服务业品质无实质性进展。
        （二）市经济和信息化局（2项）
        1.规上工业增加值增速低于序时进度。
        2.龙头企业培育专项行动无实质性进展。
        """
    )
    assert [(t["number"], t["text"][:4], t["responsible_units"]) for t in result["tasks"]] == [
        (1, "加快战新", ["市发展改革委"]),
        (2, "12完成", ["市发展改革委"]),
        (3, "提升生活", ["市发展改革委"]),
        (1, "规上工业", ["市经济和信息化局"]),
        (2, "龙头企业", ["市经济和信息化局"]),
    ]
