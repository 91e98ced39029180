"""Responsibility written as labels, in parentheses and in prose."""

from duban.intake.parsing.fields import (
    parse_labelled,
    parse_prose_line,
    parse_units_prose,
    split_inline,
)


def test_labelled_pairs_on_one_line() -> None:
    fields = parse_labelled(
        "责任领导:杜新国、丁玲;牵头单位:区发改局、区农业农村局;责任单位:区统计局"
    )
    assert fields is not None
    assert (fields.leaders, fields.lead, fields.responsible) == (
        ["杜新国", "丁玲"],
        ["区发改局", "区农业农村局"],
        ["区统计局"],
    )


def test_province_style_division_of_labour() -> None:
    fields = parse_labelled("部门分工:省发展改革委牵头,各地、各部门配合。")
    assert fields is not None
    assert (fields.lead, fields.responsible) == (["省发展改革委"], ["各地", "各部门"])


def test_prose_variants() -> None:
    assert parse_units_prose("由市财政局、农业局负责落实", "responsible").responsible == [
        "市财政局",
        "农业局",
    ]
    fields = parse_units_prose("市人社局、市农业农村局分别牵头", "responsible")
    assert (fields.lead, fields.all_lead) == (["市人社局", "市农业农村局"], True)
    fields = parse_units_prose("县住建局牵头，县自然资源局按职责分工负责", "responsible")
    assert (fields.lead, fields.responsible) == (["县住建局"], ["县自然资源局"])


def test_notes_inside_a_unit_list_are_dropped() -> None:
    fields = parse_labelled(
        "责任单位:市发改委、市经信局(除标注“分别牵头”外,列第一位为牵头或汇总单位,下同)"
    )
    assert fields is not None
    assert fields.responsible == ["市发改委", "市经信局"]


def test_inline_fields_are_cut_from_the_task_text() -> None:
    text, fields = split_inline("地区生产总值增长8%以上。(责任领导:杜新国;牵头单位:区发改局)")
    assert text == "地区生产总值增长8%以上。"
    assert fields is not None and fields.lead == ["区发改局"]
    text, fields = split_inline("继续实施补贴,确保总金额高于上年。由市财政局、农业局负责落实。")
    assert text == "继续实施补贴,确保总金额高于上年。"
    assert fields is not None and fields.responsible == ["市财政局", "农业局"]


def test_text_in_parentheses_is_not_taken_for_fields() -> None:
    text, fields = split_inline("建设社区体育公园（含健身步道）。")
    assert (text, fields) == ("建设社区体育公园（含健身步道）。", None)
    assert parse_prose_line("各单位要加强领导，明确专人负责。") is None
