"""Word (.docx): body paragraphs and table rows, interleaved exactly as the document has them.

Notices mix both: a covering letter in paragraphs, then the task list either as numbered
paragraphs or as a table whose leader and unit columns are vertically merged across the tasks
they cover. Merged cells are resolved here so the parser sees the leader on every task row.
Headers, footers, comments, footnotes and deleted revisions are not the notice's content and
are left out; inserted revisions are kept because they are what the document now says.
"""

from __future__ import annotations

import zipfile

from lxml import etree

from duban.intake.blocks import Block
from duban.intake.readers import problems
from duban.intake.readers.ooxml import W_VAL, Package, w
from duban.intake.readers.word_numbering import Numbering

LABEL = "Word (.docx)"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_MC_ALTERNATE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"
_P, _TBL, _TR, _TC, _T, _R = w("p"), w("tbl"), w("tr"), w("tc"), w("t"), w("r")
_SDT = w("sdt")
_CONTAINERS = frozenset({_SDT, w("customXml"), w("smartTag")})
_TEXTLESS = (
    "pPr", "rPr", "del", "moveFrom", "delText", "instrText", "sdtPr", "drawing", "pict", "object",
    "footnoteReference", "endnoteReference", "commentReference", "fldData",
)  # fmt: skip
_SKIP_IN_TEXT = frozenset([w(tag) for tag in _TEXTLESS] + [_MC_ALTERNATE])
_LINE_BREAKS = frozenset({w("br"), w("cr")})
_SPACES = frozenset({w("tab"), w("ptab")})
_CJK_LABEL_ENDINGS = tuple("、，．。）)】」：:")
_FALSEY = ("0", "false", "off")


def read(data: bytes) -> list[Block]:
    try:
        package = Package(data)
        main = package.main_part("word/document.xml")
        document = package.xml(main)
        rels = package.relationships(main)
        numbering_part = rels.get("numbering")
        styles_part = rels.get("styles")
        numbering = Numbering(
            package.xml(numbering_part) if numbering_part else None,
            package.xml(styles_part) if styles_part else None,
        )
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, etree.LxmlError):
        raise problems.corrupt(LABEL) from None
    body = document.find(w("body")) if document is not None else None
    if body is None:
        raise problems.corrupt(LABEL)
    walker = _Walker(numbering)
    walker.walk(body)
    return walker.blocks


def _is_on(element: etree._Element | None) -> bool:
    return element is not None and element.get(W_VAL, "true") not in _FALSEY


def _placeholder(sdt: etree._Element) -> bool:
    """A content control still showing its prompt ("单击此处输入文字"), not the author's text."""
    props = sdt.find(w("sdtPr"))
    return props is not None and _is_on(props.find(w("showingPlcHdr")))


def _run_hidden(run: etree._Element) -> bool:
    rpr = run.find(w("rPr"))
    return rpr is not None and _is_on(rpr.find(w("vanish")))


def _collect(element: etree._Element, parts: list[str]) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP_IN_TEXT:
            continue
        if tag == _T:
            parts.append(child.text or "")
        elif tag in _SPACES:
            parts.append(" ")
        elif tag in _LINE_BREAKS:
            parts.append("\n")
        elif tag == w("noBreakHyphen"):
            parts.append("-")
        elif (tag == _R and _run_hidden(child)) or (tag == _SDT and _placeholder(child)):
            continue
        else:
            _collect(child, parts)


def paragraph_text(paragraph: etree._Element) -> str:
    """The visible text; soft breaks are ``\\n``, every line stripped, blank lines dropped."""
    parts: list[str] = []
    _collect(paragraph, parts)
    lines = (line.strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def with_label(label: str, text: str) -> str:
    """Word separates label and text by a tab; Chinese labels end in punctuation and need none."""
    if not label:
        return text
    return label + text if label.endswith(_CJK_LABEL_ENDINGS) else f"{label} {text}"


def _text_boxes(paragraph: etree._Element) -> list[etree._Element]:
    """Text boxes anchored in this paragraph, each once (Word also stores a VML fallback copy)."""
    boxes = []
    for box in paragraph.iter(w("txbxContent")):
        parent = box.getparent()
        while (
            parent is not None and parent is not paragraph and parent.tag not in (_P, _MC_FALLBACK)
        ):
            parent = parent.getparent()
        if parent is paragraph:
            boxes.append(box)
    return boxes


class _Walker:
    def __init__(self, numbering: Numbering) -> None:
        self.numbering = numbering
        self.blocks: list[Block] = []
        self._paragraphs = 0
        self._tables = 0

    def walk(self, parent: etree._Element) -> None:
        for child in parent:
            if child.tag == _P:
                self._paragraph(child)
            elif child.tag == _TBL:
                self._table(child)
            elif child.tag in _CONTAINERS and not _placeholder(child):
                content = child.find(w("sdtContent"))
                self.walk(child if content is None else content)

    def _paragraph(self, paragraph: etree._Element) -> None:
        label = self.numbering.label(paragraph)
        text = paragraph_text(paragraph)
        self._paragraphs += 1
        if text:
            self.blocks.append(
                Block.paragraph(with_label(label, text), source=f"paragraph {self._paragraphs}")
            )
        for box in _text_boxes(paragraph):
            self.walk(box)

    def _table(self, table: etree._Element) -> None:
        self._tables += 1
        number = self._tables
        for index, cells in enumerate(self.table_rows(table), start=1):
            if any(cells):
                self.blocks.append(Block.row(cells, source=f"table {number} row {index}"))

    def table_rows(self, table: etree._Element) -> list[list[str]]:
        """One value per grid column in every row: spans repeated, vertical merges carried down."""
        rows: list[list[str]] = []
        above: dict[int, str] = {}
        for tr in _children(table, _TR):
            trpr = tr.find(w("trPr"))
            if trpr is not None and trpr.find(w("del")) is not None:
                continue
            values: list[str] = [""] * _grid_count(trpr, "gridBefore")
            for tc in _children(tr, _TC):
                tcpr = tc.find(w("tcPr"))
                span = max(1, _grid_count(tcpr, "gridSpan"))
                vmerge = tcpr.find(w("vMerge")) if tcpr is not None else None
                hmerge = tcpr.find(w("hMerge")) if tcpr is not None else None
                if vmerge is not None and vmerge.get(W_VAL, "continue") != "restart":
                    text = above.get(len(values), "")
                elif hmerge is not None and hmerge.get(W_VAL, "continue") != "restart" and values:
                    text = values[-1]
                else:
                    text = self._cell_text(tc)
                for _ in range(span):
                    above[len(values)] = text
                    values.append(text)
            values.extend([""] * _grid_count(trpr, "gridAfter"))
            rows.append(values)
        return rows

    def _cell_text(self, cell: etree._Element) -> str:
        inner = _Walker(self.numbering)
        inner.walk(cell)
        return "\n".join(block.text for block in inner.blocks)


def _children(parent: etree._Element, tag: str) -> list[etree._Element]:
    """Rows of a table or cells of a row, looking through content controls wrapped around them."""
    found: list[etree._Element] = []
    for child in parent:
        if child.tag == tag:
            found.append(child)
        elif child.tag in _CONTAINERS:
            content = child.find(w("sdtContent"))
            found.extend(_children(child if content is None else content, tag))
    return found


def _grid_count(props: etree._Element | None, tag: str) -> int:
    element = props.find(w(tag)) if props is not None else None
    try:
        return min(int(element.get(W_VAL, "0")), 1000) if element is not None else 0
    except ValueError:
        return 0
