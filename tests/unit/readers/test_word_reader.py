"""Word notices: numbered paragraphs and merged-cell tables, read in document order."""

from __future__ import annotations

import io
from pathlib import Path

from docx.document import Document as DocumentObject
from docx.oxml import parse_xml

from duban.intake.blocks import Block
from duban.intake.readers import read_bytes, read_file
from tests.unit.readers.builders import (
    W_NS,
    add_body_xml,
    add_numbering,
    new_document,
    numbered,
)


def _bytes(document: DocumentObject) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_paragraphs_and_a_merged_table_come_out_interleaved_in_order(tmp_path: Path) -> None:
    document = new_document()
    document.add_paragraph("关于印发2023年重点工作的通知")
    table = document.add_table(rows=4, cols=4)
    for cell, text in zip(
        table.rows[0].cells, ["序号", "重点任务", "牵头领导", "牵头单位"], strict=True
    ):
        cell.text = text
    table.cell(1, 0).text, table.cell(1, 1).text, table.cell(1, 3).text = (
        "1",
        "新增规上企业",
        "工信局",
    )
    table.cell(2, 0).text, table.cell(2, 1).text, table.cell(2, 3).text = (
        "2",
        "投放信贷资金",
        "金融局",
    )
    table.cell(1, 2).text = "朱蕾"
    table.cell(1, 2).merge(table.cell(2, 2))  # the leader cell spans both tasks
    table.cell(3, 0).merge(table.cell(3, 3)).text = "二、惠民生"  # gridSpan=4
    document.add_paragraph("以上任务请认真落实。")
    path = tmp_path / "notice.docx"
    document.save(str(path))

    blocks = read_file(path)

    assert blocks == [
        Block.paragraph("关于印发2023年重点工作的通知"),
        Block.row(["序号", "重点任务", "牵头领导", "牵头单位"]),
        Block.row(["1", "新增规上企业", "朱蕾", "工信局"]),
        Block.row(["2", "投放信贷资金", "朱蕾", "金融局"]),
        Block.row(["二、惠民生"] * 4),
        Block.paragraph("以上任务请认真落实。"),
    ]
    assert blocks[2].source == "table 1 row 2"


def test_word_list_numbering_is_rendered_into_the_text() -> None:
    document = new_document()
    add_numbering(
        document, 90, 90, ["chineseCounting|%1、", "chineseCounting|（%2）", "decimal|%3."]
    )
    add_body_xml(
        document,
        numbered("稳增长", 90, 0)
        + numbered("工业", 90, 1)
        + numbered("新增规上企业50家。", 90, 2)
        + numbered("技改投资增长10%。", 90, 2)
        + numbered("服务业", 90, 1)
        + numbered("社会消费品零售总额增长6%。", 90, 2)
        + numbered("惠民生", 90, 0)
        + numbered("教育", 90, 1),
    )

    texts = [block.text for block in read_bytes(_bytes(document), "n.docx")]

    assert texts == [
        "一、稳增长",
        "（一）工业",
        "1. 新增规上企业50家。",
        "2. 技改投资增长10%。",
        "（二）服务业",
        "1. 社会消费品零售总额增长6%。",  # restarted under the new (二)
        "二、惠民生",
        "（一）教育",
    ]


def test_numbering_counts_on_through_table_cells_and_past_eleven() -> None:
    document = new_document()
    add_numbering(document, 91, 91, ["chineseCounting|%1、"])
    add_body_xml(document, "".join(numbered(f"第{i}项", 91, 0) for i in range(1, 12)))

    texts = [block.text for block in read_bytes(_bytes(document), "n.docx")]

    assert texts[9:] == ["十、第10项", "十一、第11项"]


def test_soft_breaks_tabs_content_controls_and_revisions() -> None:
    document = new_document()
    document.sections[0].header.paragraphs[0].text = "页眉不属于正文"
    add_body_xml(
        document,
        "<w:p><w:r><w:t>牵头领导：朱蕾</w:t><w:br/><w:t>牵头单位：</w:t><w:tab/>"
        "<w:t>区发改委</w:t></w:r></w:p>"
        "<w:sdt><w:sdtPr><w:alias w:val='任务'/></w:sdtPr><w:sdtContent>"
        "<w:p><w:r><w:t>控件中的任务文字</w:t></w:r></w:p></w:sdtContent></w:sdt>"
        "<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>"
        "<w:p><w:r><w:t>单击或点击此处输入文字。</w:t></w:r></w:p></w:sdtContent></w:sdt>"
        "<w:p><w:r><w:t>责任单位：</w:t></w:r>"
        "<w:del w:id='1' w:author='a'><w:r><w:delText>旧单位</w:delText></w:r></w:del>"
        "<w:ins w:id='2' w:author='a'><w:r><w:t>新单位</w:t></w:r></w:ins></w:p>",
    )

    texts = [block.text for block in read_bytes(_bytes(document), "n.docx")]

    assert texts == ["牵头领导：朱蕾\n牵头单位： 区发改委", "控件中的任务文字", "责任单位：新单位"]


def test_a_nested_table_is_flattened_into_its_cell() -> None:
    document = new_document()
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "牵头单位"
    inner_cell = outer.cell(0, 1)
    inner_cell.text = "分工如下"
    inner = inner_cell.add_table(rows=2, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "发改委", "牵头"
    inner.cell(1, 0).text, inner.cell(1, 1).text = "财政局", "配合"

    blocks = read_bytes(_bytes(document), "n.docx")

    assert blocks == [Block.row(["牵头单位", "分工如下\n发改委 | 牵头\n财政局 | 配合"])]


def test_two_lists_sharing_a_definition_continue_unless_one_restarts() -> None:
    document = new_document()
    add_numbering(document, 92, 92, ["decimal|%1."])
    numbering = document.part.numbering_part.element
    numbering.append(parse_xml(f'<w:num {W_NS} w:numId="93"><w:abstractNumId w:val="92"/></w:num>'))
    numbering.append(
        parse_xml(
            f'<w:num {W_NS} w:numId="94"><w:abstractNumId w:val="92"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        )
    )
    add_body_xml(
        document,
        numbered("甲", 92, 0)
        + numbered("乙", 93, 0)
        + numbered("丙", 94, 0)
        + numbered("丁", 94, 0),
    )

    texts = [block.text for block in read_bytes(_bytes(document), "n.docx")]

    assert texts == ["1. 甲", "2. 乙", "1. 丙", "2. 丁"]


def test_numbering_inherited_from_a_paragraph_style() -> None:
    document = new_document()
    add_numbering(document, 95, 95, ["decimalEnclosedCircle|%1"])
    document.styles.element.append(
        parse_xml(
            f'<w:style {W_NS} w:type="paragraph" w:styleId="TaskList"><w:name w:val="Task List"/>'
            '<w:pPr><w:numPr><w:numId w:val="95"/></w:numPr></w:pPr></w:style>'
        )
    )
    add_body_xml(
        document,
        "<w:p><w:pPr><w:pStyle w:val='TaskList'/></w:pPr><w:r><w:t>第一项</w:t></w:r></w:p>"
        "<w:p><w:pPr><w:pStyle w:val='TaskList'/></w:pPr><w:r><w:t>第二项</w:t></w:r></w:p>",
    )

    texts = [block.text for block in read_bytes(_bytes(document), "n.docx")]

    assert texts == ["① 第一项", "② 第二项"]
