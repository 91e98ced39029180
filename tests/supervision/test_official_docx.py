"""The 督办通知 in the GB/T 9704-2012 layout, read back with python-docx."""

from __future__ import annotations

import io
import re
from datetime import date

import docx
import pytest
from django.test import Client
from django.urls import reverse
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from duban.exports.official import OfficialDocument, Para, cn_number, numbered
from duban.exports.official_docx import write
from duban.supervision.models import NoticeLevel
from duban.supervision.services import notices as services
from tests.support.world import World

SAMPLE = OfficialDocument(
    title="关于对第1项重点任务进行督办的通知",
    doc_number="偃督办〔2023〕3号",
    recipients=["区发改委"],
    paragraphs=[
        Para("根据工作安排，现就有关事项通知如下。"),
        Para("存在问题", 1),
        Para("项目推进", 2),
        Para("开工率偏低", 3),
        Para("工作要求", 1),
        Para("限期整改。"),
    ],
    issuer="洛阳市偃师区人民政府督查室",
    date=date(2023, 5, 4),
    cc=["区政府办公室", "朱蕾同志"],
    printed_by="洛阳市偃师区人民政府督查室",
    printed_on=date(2023, 5, 4),
)


def opened(data: bytes) -> DocumentObject:
    return docx.Document(io.BytesIO(data))


def east_asia(run: object) -> str | None:
    fonts = run._r.rPr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def paragraph(document: DocumentObject, text: str) -> object:
    return next(p for p in document.paragraphs if p.text == text)


def near(length: int | None, mm: float) -> bool:
    return length is not None and abs(length - Mm(mm)) <= Mm(0.5)


def test_page_and_margins() -> None:
    section = opened(write(SAMPLE)).sections[0]
    assert near(section.page_width, 210) and near(section.page_height, 297)
    assert near(section.top_margin, 37)
    assert near(section.bottom_margin, 35)
    assert near(section.left_margin, 28)
    assert near(section.right_margin, 26)


def test_fonts_and_line_spacing() -> None:
    document = opened(write(SAMPLE))
    body = paragraph(document, "根据工作安排，现就有关事项通知如下。")
    for run in body.runs:  # type: ignore[attr-defined]
        assert east_asia(run) == "仿宋_GB2312"
        fonts = run._r.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) == "仿宋_GB2312"
        assert run.font.size == Pt(16)
    assert body.paragraph_format.line_spacing == Pt(28.95)  # type: ignore[attr-defined]
    title = paragraph(document, SAMPLE.title)
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER  # type: ignore[attr-defined]
    [run] = title.runs  # type: ignore[attr-defined]
    assert east_asia(run) == "方正小标宋简体"
    assert run.font.size == Pt(22)
    assert east_asia(paragraph(document, "一、存在问题").runs[0]) == "黑体"  # type: ignore[attr-defined]
    assert east_asia(paragraph(document, "（一）项目推进").runs[0]) == "楷体_GB2312"  # type: ignore[attr-defined]
    assert east_asia(paragraph(document, "1.开工率偏低").runs[0]) == "仿宋_GB2312"  # type: ignore[attr-defined]
    assert paragraph(document, "二、工作要求")


def test_header_recipients_date_and_imprint() -> None:
    document = opened(write(SAMPLE))
    texts = [p.text for p in document.paragraphs]
    number = paragraph(document, "偃督办〔2023〕3号")
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER  # type: ignore[attr-defined]
    assert re.search(r"〔\d{4}〕[1-9]\d*号", number.text)  # type: ignore[attr-defined]
    assert texts.index("偃督办〔2023〕3号") < texts.index(SAMPLE.title)
    assert "区发改委：" in texts
    when = paragraph(document, "2023年5月4日")
    assert when.alignment == WD_ALIGN_PARAGRAPH.RIGHT  # type: ignore[attr-defined]
    cc = next(t for t in texts if t.startswith("抄送："))
    assert cc == "抄送：区政府办公室，朱蕾同志。"
    printed = texts[-1]
    assert printed.startswith("洛阳市偃师区人民政府督查室") and printed.endswith("2023年5月4日印发")
    assert texts.index("2023年5月4日") < texts.index(cc)
    # the imprint is ruled: borders on its paragraphs
    last = document.paragraphs[-1]._p
    assert last.pPr.find(qn("w:pBdr")) is not None


def test_footer_page_numbers_odd_and_even() -> None:
    document = opened(write(SAMPLE))
    assert document.settings.odd_and_even_pages_header_footer is True
    section = document.sections[0]
    odd = section.footer.paragraphs[0]
    even = section.even_page_footer.paragraphs[0]
    for footer in (odd, even):
        xml = footer._p.xml
        assert "PAGE" in "".join(t.text or "" for t in footer._p.iter(qn("w:instrText")))
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        assert footer.text.startswith("— ") and footer.text.endswith(" —")
        assert all(run.font.size == Pt(14) for run in footer.runs if run.text)
        assert east_asia(footer.runs[0]) == "宋体"
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert even.alignment == WD_ALIGN_PARAGRAPH.LEFT


def test_numbering() -> None:
    assert cn_number(1) == "一" and cn_number(10) == "十" and cn_number(12) == "十二"
    assert cn_number(21) == "二十一"
    prefixes = [prefix for _p, prefix in numbered(SAMPLE.paragraphs)]
    assert prefixes == ["", "一、", "（一）", "1.", "二、", ""]


@pytest.mark.usefixtures("may_4")
def test_notice_document_download(client: Client, world: World) -> None:
    task = world.task("1")
    notice = services.issue_notice(
        task=task,
        data=services.NoticeInput(
            level=NoticeLevel.SUPERVISE,
            problem="项目开工率偏低。",
            requirement="5月底前开工项目达到60个。",
            reply_due=date(2023, 5, 15),
        ),
        user=world.office,
    )
    world.as_unit("发改委", client)
    response = client.get(reverse("supervision:notice_document", args=[notice.pk]))
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    document = opened(response.content)
    texts = [p.text for p in document.paragraphs]
    assert "偃督办〔2023〕1号" in texts
    assert "关于对第1项重点任务进行督办的通知" in texts
    assert "发改委：" in texts
    assert "2023年5月4日" in texts
    whole = "\n".join(texts)
    assert "项目开工率偏低。" in whole and "5月底前开工项目达到60个。" in whole
    assert "请于2023年5月15日前" in whole
    assert any(t.startswith("抄送：") and t.endswith("。") for t in texts)
    assert near(document.sections[0].top_margin, 37)
    world.as_unit("工信局", client)
    assert client.get(reverse("supervision:notice_document", args=[notice.pk])).status_code == 403
