"""An official document (公文) as PDF in the GB/T 9704-2012 layout: the same ``OfficialDocument``
(duban.exports.official) that duban.exports.official_docx writes as .docx, rendered from the
template ``exports/official.html`` by WeasyPrint (duban.exports.pdf). It imports neither
python-docx nor WeasyPrint (that is loaded by the first PDF).

The layout follows the .docx: A4 with the 版心 156 × 225 mm (margins 37/35/28/26 mm), the red
发文机关标志 and the red separating line under the 发文字号, the title in 2号 方正小标宋简体, the
body in 3号 仿宋_GB2312 on lines of 28.95 pt, headings numbered 一、/（一）/1. in 黑体/楷体/仿宋,
tables (``Table``) bordered with their header row repeated on every page, the signature and
date, the 版记, and page numbers ``— 1 —`` (odd pages right, even pages left). Where the office's
fonts are not installed (a Debian server has none of them), Noto Serif CJK SC takes the place of
仿宋 and 宋体 (its bold for 小标宋) and Noto Sans CJK SC that of 黑体; the PDF embeds the subset
of the font used, so it prints the same everywhere.
"""

from __future__ import annotations

from typing import Any

from .official import OfficialDocument, Table, cn_date, mark_size, numbered
from .pdf import render_html, render_template


def _table(table: Table) -> dict[str, Any]:
    centered = set(table.centered_columns())
    return {
        "table": table,
        "shares": [f"{share * 100:.2f}" for share in table.fractions()],
        "rows": [
            [{"text": text, "center": index in centered} for index, text in enumerate(cells)]
            for cells in (table.cells(row) for row in table.rows)
        ],
    }


def context(doc: OfficialDocument) -> dict[str, Any]:
    """What ``exports/official.html`` shows, every line as the .docx writes it."""
    blocks: list[dict[str, Any]] = []
    for block, prefix in numbered(doc.paragraphs):
        if isinstance(block, Table):
            blocks.append(_table(block))
        else:
            level = block.level if block.level in (1, 2, 3) else 0
            blocks.append({"text": prefix + block.text, "level": level})
    mark = doc.agency_mark or f"{doc.issuer}文件"
    return {
        "mark": mark,
        "mark_size": f"{mark_size(mark):g}",
        "number": doc.doc_number,
        "title": doc.title,
        "recipients": "、".join(doc.recipients).rstrip("：:") + "：" if doc.recipients else "",
        "blocks": blocks,
        "issuer": doc.issuer,
        "date": cn_date(doc.date),
        "cc": "，".join(doc.cc).rstrip("。") + "。" if doc.cc else "",
        "printed_by": doc.printed_by or doc.issuer,
        "printed_on": cn_date(doc.printed_on or doc.date),
    }


def write(doc: OfficialDocument) -> bytes:
    """The document as PDF bytes; ``duban.exports.pdf.PdfUnavailable`` when PDFs cannot be
    made on this machine."""
    return render_html(render_template("exports/official.html", context(doc)))
