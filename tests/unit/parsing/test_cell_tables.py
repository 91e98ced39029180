"""Tables saved one cell per line: the variants real notices use (docs/parsing.md).

Each test is a small table in one of the shapes found in published notices: the header row
one name per line, then the cells of each row one per line, empty cells dropped.
"""

from __future__ import annotations

from tests.unit.parsing.helpers import parse_text, task_rows


def test_rows_numbered_with_leader_section_headings_between() -> None:
    result = parse_text(
        """
        序号
        重点工作任务
        牵头单位
        配合单位
        完成时限
        （一）张三副市长（分管发展改革、财政工作）
        1
        加快建设智慧城市，建成数据中心。
        市大数据局
        市发改委、市财政局
        2022年12月底
        2
        推进老旧小区改造120个。
        市住建局
        各区政府
        2022年10月底
        （二）李四副市长（分管教育、卫生工作）
        3
        新建学校5所。
        市教育局
        市财政局
        2022年9月
        """
    )
    assert task_rows(result) == [
        (1, ["张三"], ["市大数据局"], ["市发改委", "市财政局"]),
        (2, ["张三"], ["市住建局"], ["各区政府"]),
        (3, ["李四"], ["市教育局"], ["市财政局"]),
    ]
    assert [t["deadline"] for t in result["tasks"]] == ["2022-12-31", "2022-10-31", "2022-09-30"]


def test_a_table_without_a_number_column_is_cut_into_rows_by_what_its_cells_hold() -> None:
    result = parse_text(
        """
        重点工作任务
        责任领导
        牵头单位
        配合单位
        加快建设智慧城市，建成数据中心。
        张三
        市大数据局
        市发改委、市财政局
        推进老旧小区改造120个。
        李四
        市住建局
        各区政府
        新建学校5所，新增学位3000个。
        王五
        市教育局
        """
    )
    assert task_rows(result) == [
        (1, ["张三"], ["市大数据局"], ["市发改委", "市财政局"]),
        (2, ["李四"], ["市住建局"], ["各区政府"]),
        # A cell a row lacks is the merged cell above it (a saved table drops both alike).
        (3, ["王五"], ["市教育局"], ["各区政府"]),
    ]
    assert [t["text"][:8] for t in result["tasks"]] == [
        "加快建设智慧城市",
        "推进老旧小区改造",
        "新建学校5所，新",
    ]


def test_two_leaders_on_two_lines_and_a_unit_list_over_three_lines_stay_in_their_cells() -> None:
    result = parse_text(
        """
        序号
        工作任务
        责任领导
        责任单位
        1
        加快建设智慧城市，建成数据中心。
        张三
        李四
        市大数据局
        2
        推进老旧小区改造120个。
        王五
        市住建局
        区城管局
        各街道办事处
        """
    )
    assert task_rows(result) == [
        (1, ["张三", "李四"], [], ["市大数据局"]),
        (2, ["王五"], [], ["市住建局", "区城管局", "各街道办事处"]),
    ]


def test_a_two_level_header_names_the_lead_and_the_other_units() -> None:
    result = parse_text(
        """
        序号
        工作任务
        责任单位
        牵头单位
        配合单位
        1
        加快建设智慧城市，建成数据中心。
        市大数据局
        市发改委、市财政局
        2
        推进老旧小区改造120个。
        市住建局
        各区政府
        """
    )
    assert task_rows(result) == [
        (1, [], ["市大数据局"], ["市发改委", "市财政局"]),
        (2, [], ["市住建局"], ["各区政府"]),
    ]


def test_a_two_column_table_and_placeholder_cells() -> None:
    result = parse_text(
        """
        主要任务
        责任单位
        加快建设智慧城市，建成数据中心。
        市大数据局、市发改委
        推进老旧小区改造120个。
        市住建局
        """
    )
    assert task_rows(result) == [
        (1, [], [], ["市大数据局", "市发改委"]),
        (2, [], [], ["市住建局"]),
    ]
    result = parse_text(
        """
        序号
        工作任务
        牵头单位
        配合单位
        1.
        加快建设智慧城市，建成数据中心。
        市大数据局
        /
        2.
        推进老旧小区改造120个。
        市住建局
        各区政府
        """
    )
    assert task_rows(result) == [
        (1, [], ["市大数据局"], []),
        (2, [], ["市住建局"], ["各区政府"]),
    ]


def test_a_long_list_of_units_is_still_a_unit_cell() -> None:
    units = "、".join(
        f"市{n}局"
        for n in [
            "财政",
            "商务",
            "住建",
            "交通",
            "水利",
            "农业",
            "文旅",
            "卫健",
            "应急",
            "城管",
            "统计",
            "审计",
            "民政",
            "司法",
        ]
    )
    result = parse_text(
        f"""
        序号
        工作任务
        牵头单位
        配合单位
        1
        加快建设智慧城市，建成数据中心。
        市大数据局
        {units}
        2
        推进老旧小区改造120个。
        市住建局
        各区政府
        """
    )
    assert len(units) > 60
    assert task_rows(result)[0] == (1, [], ["市大数据局"], units.split("、"))


def test_a_table_whose_header_row_the_copy_lacks_is_read_from_what_its_cells_hold() -> None:
    result = parse_text(
        """
        附件
        1
        加快建设智慧城市，建成数据中心。
        张三
        市大数据局、市发改委
        2023年12月底
        2
        推进老旧小区改造120个。
        李四
        市住建局
        2023年10月底
        3
        新建学校5所。
        王五
        市教育局
        2023年9月
        """
    )
    assert task_rows(result) == [
        (1, ["张三"], [], ["市大数据局", "市发改委"]),
        (2, ["李四"], [], ["市住建局"]),
        (3, ["王五"], [], ["市教育局"]),
    ]
    assert [t["deadline"] for t in result["tasks"]] == ["2023-12-31", "2023-10-31", "2023-09-30"]


def test_numbered_lines_with_labelled_fields_are_no_headless_table() -> None:
    result = parse_text(
        """
        1
        加快建设智慧城市，建成数据中心。
        牵头单位：市大数据局
        2
        推进老旧小区改造120个。
        牵头单位：市住建局
        3
        新建学校5所。
        牵头单位：市教育局
        """
    )
    assert [t["lead_units"] for t in result["tasks"]] == [
        ["市大数据局"],
        ["市住建局"],
        ["市教育局"],
    ]


def test_unit_names_run_together_are_told_apart() -> None:
    result = parse_text(
        """
        1.加快建设智慧城市。（县大数据局县发改委县财政局）
        2.推进老旧小区改造。（县住建局）
        """
    )
    assert [t["responsible_units"] for t in result["tasks"]] == [
        ["县大数据局", "县发改委", "县财政局"],
        ["县住建局"],
    ]


def test_a_name_split_over_two_lines_and_a_note_under_a_column_name() -> None:
    result = parse_text(
        """
        序号
        目标任务
        市级牵头
        责任单位
        进度
        完成目标
        (%)
        1
        城镇新增就业26000人。
        市人力资源
        社会保障局
        32095
        123.4
        2
        城镇失业人员再就业4000人。
        4934
        123.4
        """
    )
    # the unit's two lines are one name; figures never fill the unit column, which the second
    # row takes from the merged cell above
    assert task_rows(result) == [
        (1, [], ["市人力资源社会保障局"], []),
        (2, [], ["市人力资源社会保障局"], []),
    ]


def test_a_row_a_line_table_with_empty_rows_a_detail_column_and_standing_deadlines() -> None:
    # '|' closes each cell, a line of '|' alone an empty row; "工作任务 | 细化分工": the task is
    # the detail where a row has it; "长期推进" names no date and takes none from the row above.
    result = parse_text(
        """
        2023年重点任务台账 |
        序号 | 工作任务 | 细化分工 | 责任处室 | 完成时限 | 备注 |
        1 | 做好疫情信息发布 | 围绕防控要点发布权威信息 | 应急处、疾控处 | 2023年8月前 |
        |
        2 | 扎实做好疫苗接种信息公开 | 疾控处 | 长期推进 |
        |
        3 | 预算决算公开 | 财务处 | 2023年2月公布预算,2023年8月公布决算 |
        |
        """
    )
    tasks = result["tasks"]
    assert [(t["number"], t["text"][:6]) for t in tasks] == [
        (1, "围绕防控要点"),
        (2, "扎实做好疫苗"),
        (3, "预算决算公开"),
    ]
    assert [t["responsible_units"] for t in tasks] == [["应急处", "疾控处"], ["疾控处"], ["财务处"]]
    assert [t["deadline"] for t in tasks] == ["2023-08-31", None, "2023-08-31"]


def test_a_group_column_spanning_rows_and_a_sentence_that_names_a_lead() -> None:
    # "一、… | 1.… | 办公室牵头，各科室配合 |" is a row, not a header (a column's name is no
    # sentence); the group column is no part of the task's text.
    result = parse_text(
        """
        工作任务 | 具体要求 | 责任部门 |
        一、做好财政信息公开。 | 1.积极推进预算公开。 | 财务科 |
        2.及时更新网站信息。 | 办公室 | |
        二、改进政策解读。 | 3.健全政策解读工作机制。 | 办公室牵头,各科室配合 |
        4.加强政策咨询服务。 | 各科室 | |
        """
    )
    assert [(t["number"], t["text"]) for t in result["tasks"]] == [
        (1, "积极推进预算公开。"),
        (2, "及时更新网站信息。"),
        (3, "健全政策解读工作机制。"),
        (4, "加强政策咨询服务。"),
    ]
    assert task_rows(result)[2:] == [(3, [], ["办公室"], ["各科室"]), (4, [], [], ["各科室"])]


def test_a_level_set_apart_from_its_unit_by_a_space_is_one_name() -> None:
    result = parse_text(
        """
        1.严格管控地方政府债务。
        责任单位：市 财政局
        2.强化县城综合承载能力。
        牵头单位：市 城镇化服务中心
        责任单位：市 住建局、资源规划局
        """
    )
    assert task_rows(result) == [
        (1, [], [], ["市财政局"]),
        (2, [], ["市城镇化服务中心"], ["市住建局", "资源规划局"]),
    ]


def test_figures_beside_the_rows_are_no_row_numbers_and_groups_open_the_rows_below() -> None:
    # A progress table: the group column is merged over its rows, so its cell comes before the
    # first row's number and, for the next group, after the last cell of the row above;
    # figures ("70", "1") are not row numbers when the number expected comes next.
    result = parse_text(
        """
        工程名称
        序号
        项目内容
        目标任务
        牵头单位
        进度
        完成比例(%)
        备注
        就业促进工程
        1
        城镇新增就业(人)
        26000
        市人社局
        19456
        74.8
        达到进度
        2
        劳务品牌培训(人)
        2425
        1698
        70
        达到进度
        3
        家禽出栏(万只)
        1
        市农业农村局
        1
        100
        超额完成
        扶贫解困工程
        4
        农村危房改造(户)
        300
        市住建局
        210
        70
        达到进度
        """
    )
    assert task_rows(result) == [
        (1, [], ["市人社局"], []),
        (2, [], ["市人社局"], []),
        (3, [], ["市农业农村局"], []),
        (4, [], ["市住建局"], []),
    ]
    texts = [t["text"][:6] for t in result["tasks"]]
    assert texts == ["城镇新增就业", "劳务品牌培训", "家禽出栏(万", "农村危房改造"]


def test_an_indicator_table_with_a_scoring_column_and_measures() -> None:
    # "评分部门" names who scores the indicator, not who does it; "万亩" is a unit of measure.
    result = parse_text(
        """
        考核项目
        序号
        考核指标
        考核内容
        单位
        年度目标
        责任部门
        评分部门
        农业高质高效
        1
        确保粮食供给
        粮食播种面积
        万亩
        0.07
        县农业农村局
        市农业农村局
        2
        建设美丽牧场
        0
        县农业农村局
        县畜牧站
        市农业农村局
        """
    )
    assert [t["text"][:6] for t in result["tasks"]] == ["粮食播种面积", "建设美丽牧场"]
    assert [t["responsible_units"] for t in result["tasks"]] == [
        ["县农业农村局"],
        ["县农业农村局", "县畜牧站"],
    ]


def test_an_indicator_name_broken_over_two_lines_is_one_cell() -> None:
    result = parse_text(
        """
        类别
        指标名称
        年度目标
        完成情况
        责任部门
        高质量发展
        1、地区生产总值增长率
        6%
        9.8%
        区发改委
        2、四大重点产业占区级税收
        比重
        提升4个
        提升3.89个
        区科委
        区商务委
        3、新认定高新技术企业
        30家
        年度指标
        区科委
        高品质生活
        4、城乡登记失业人数
        控制在1万人内
        7919人
        区人社局
        """
    )
    assert [t["text"] for t in result["tasks"]][1].startswith("四大重点产业占区级税收比重")
    assert [t["responsible_units"] for t in result["tasks"]] == [
        ["区发改委"],
        ["区科委", "区商务委"],
        ["区科委"],
        ["区人社局"],
    ]


def test_a_placeholder_in_the_last_column_is_empty_on_purpose() -> None:
    # "/" under 协同单位: no co-operating unit, not the units of the row above (merged cells)
    result = parse_text(
        """
        序号
        事项名称
        项目内容
        牵头单位
        协同单位
        1
        新建一批中小学校
        实施新建中小学校5家。
        区教体局
        东孝街道
        孝顺镇
        2
        清廉阳光厨房建设
        对28所中小学校食堂安装数字化验收平台。
        区教体局
        /
        3
        基层消防力量建设
        对乡镇专职消防队、村志愿队、社区微型消防站灭火救援装备提档升级。
        区消防救援大队
        各乡镇(街道)
        """
    )
    assert task_rows(result) == [
        (1, [], ["区教体局"], ["东孝街道", "孝顺镇"]),
        (2, [], ["区教体局"], []),
        (3, [], ["区消防救援大队"], ["各乡镇(街道)"]),
    ]
