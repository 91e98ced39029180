"""The office's official documents with a table (the assessment result needs one): the Table
block in the .docx, and the same document as PDF in the GB/T 9704 layout (one PDF rendered)."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest
from docx.oxml.ns import qn

from duban.exports import official_docx, official_pdf
from duban.exports.official import OfficialDocument, Para, Table, numbered
from tests.support.pdf import assert_fonts_embedded, page_texts, reader

RESULT = Table(
    headers=["序号", "单位", "得分", "等次"],
    rows=[["1", "缑氏镇", "96.5", "优秀"], ["2", "发改委", "88", "良好"], ["3", "工信局"]],
    widths=[1, 4, 2, 2],
    caption="2023年度重点任务责任目标考核结果",
)
DOCUMENT = OfficialDocument(
    title="关于2023年度重点任务责任目标考核结果的通报",
    doc_number="偃督办〔2024〕2号",
    recipients=["各镇（街道）", "区人民政府有关部门"],
    paragraphs=[
        Para("根据年度考核办法，现将考核结果通报如下。"),
        Para("考核结果", 1),
        RESULT,
        Para("工作要求", 1),
        Para("各单位要对照问题抓好整改。"),
    ],
    issuer="洛阳市偃师区人民政府督查室",
    date=date(2024, 1, 20),
    cc=["区委办公室", "朱蕾同志"],
)


def test_headings_count_around_a_table() -> None:
    prefixes = [prefix for _block, prefix in numbered(DOCUMENT.paragraphs)]
    assert prefixes == ["", "一、", "", "二、", ""]
    assert RESULT.cells(RESULT.rows[2]) == ["3", "工信局", "", ""]  # padded to the header
    assert RESULT.fractions() == pytest.approx([1 / 9, 4 / 9, 2 / 9, 2 / 9])
    assert Table(["a", "b"], [], widths=[1]).fractions() == [0.5, 0.5]  # wrong widths: equal


def test_docx_table_is_a_bordered_word_table_in_fangsong() -> None:
    document = docx.Document(io.BytesIO(official_docx.write(DOCUMENT)))
    [table] = document.tables
    assert [cell.text for cell in table.rows[0].cells] == RESULT.headers
    assert [cell.text for cell in table.rows[1].cells] == ["1", "缑氏镇", "96.5", "优秀"]
    assert len(table.rows) == 4
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders is not None
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        assert borders.find(qn(f"w:{side}")).get(qn("w:val")) == "single"
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated header row
    run = table.rows[1].cells[1].paragraphs[0].runs[0]
    assert run._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    widths = [cell.width / table.rows[1].cells[0].width for cell in table.rows[1].cells]
    assert widths == pytest.approx([1, 4, 2, 2], rel=0.01)
    texts = [p.text for p in document.paragraphs]
    assert texts.index(RESULT.caption) < texts.index("二、工作要求")
    body = document.element.body
    order = [child.tag.rsplit("}", 1)[1] for child in body.iterchildren()]
    assert "tbl" in order  # the table sits in the body between the paragraphs


def test_pdf_in_the_gbt_9704_layout_with_embedded_fonts() -> None:
    data = official_pdf.write(DOCUMENT)
    assert data.startswith(b"%PDF-")
    assert_fonts_embedded(data)
    document = reader(data)
    box = document.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 portrait
    text = "\n".join(page_texts(data)).replace("\n", "")  # lines as they wrapped, joined
    for expected in (
        "洛阳市偃师区人民政府督查室文件",
        "偃督办〔2024〕2号",
        DOCUMENT.title,
        "各镇（街道）、区人民政府有关部门：",
        "一、考核结果",
        "二、工作要求",
        RESULT.caption,
        "缑氏镇",
        "96.5",
        "2024年1月20日",
        "抄送：区委办公室，朱蕾同志。",
        "2024年1月20日印发",
        "— 1 —",
    ):
        assert expected in text, expected
    assert text.index("一、考核结果") < text.index("缑氏镇") < text.index("二、工作要求")
    context = official_pdf.context(DOCUMENT)
    assert float(context["mark_size"]) < 36  # fifteen characters fit on one line of the 版心
