"""From positioned PDF text lines to paragraphs: the part of PDF reading that is pure geometry.

A PDF has no paragraphs, only lines. Official notices are justified, so a line that runs to the
right edge of the text body is continued by the next one; a new paragraph starts indented (two
characters, per GB/T 9704) or with a number or a ``牵头单位：`` style label. Running headers,
footers and page numbers are removed first so that a sentence broken by a page break is joined
back together. Kept apart from pdfminer so it can be reasoned about (and tested) on its own.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from duban.intake.blocks import Block

BAND = 0.10  # top/bottom share of the page where running headers and footers live
PAGE_NUMBER_BAND = 0.15
REACH = 1.5  # character widths: how close to the right edge a line must end to continue
INDENT = 1.5  # character widths right of the left edge that mark a new (indented) paragraph
MAX_GAP = 2.0  # character heights of blank space between lines that always ends a paragraph
MIN_BODY_WIDTH = 12  # characters: narrower "bodies" are lists of short lines, never wrapped text

_DASH = r"[-‐‑‒–—―−－─━~～·•]"
_PAGE_NUMBER = re.compile(
    rf"^(?:{_DASH}*\s*\d{{1,4}}\s*{_DASH}*"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/、]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*[,，/、]?\s*第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?i:page)\s*\d{1,4}(?:\s*(?i:of)\s*\d{1,4})?)$"
)
_CN_NUM = "一二三四五六七八九十百零〇"
_STARTS_BLOCK = re.compile(
    rf"^(?:\d{{1,3}}\s*[.．、,，)）](?!\d)"
    rf"|[{_CN_NUM}]{{1,4}}\s*[、.．]"
    rf"|[（(]\s*[{_CN_NUM}\d]{{1,4}}\s*[）)]"
    rf"|第[{_CN_NUM}\d]{{1,4}}[章节条部分项]"
    r"|[①-⑳⑴-⒇⒈-⒛]"
    r"|[\u4e00-\u9fff（）()、/]{2,10}[：:])"
)


@dataclass(frozen=True)
class Line:
    """One visual line; ``top``/``bottom`` are PDF coordinates (y grows upwards)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int
    page_width: float
    page_height: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True)
class Edges:
    left: float
    right: float


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text.strip()))


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _in_band(line: Line, band: float) -> bool:
    return line.middle >= line.page_height * (1 - band) or line.middle <= line.page_height * band


def remove_furniture(pages: list[list[Line]]) -> list[list[Line]]:
    """Drop page numbers, and header/footer lines that repeat (digits aside) on many pages."""
    pages_with_key: dict[str, set[int]] = {}
    for index, lines in enumerate(pages):
        for line in lines:
            if _in_band(line, BAND):
                pages_with_key.setdefault(_furniture_key(line.text), set()).add(index)
    needed = max(2, math.ceil(0.4 * len(pages)))
    repeated = {key for key, found in pages_with_key.items() if len(found) >= needed}
    kept_pages: list[list[Line]] = []
    for lines in pages:
        kept: list[Line] = []
        for position, line in enumerate(lines):
            if _in_band(line, BAND) and _furniture_key(line.text) in repeated:
                continue
            at_edge = position in (0, len(lines) - 1) or _in_band(line, PAGE_NUMBER_BAND)
            if at_edge and is_page_number(line.text):
                continue
            kept.append(line)
        kept_pages.append(kept)
    return kept_pages


def _outermost(values: list[float], tolerance: float, *, rightmost: bool) -> float:
    """The outermost position that at least two lines share: one stray line does not count."""
    ordered = sorted(values, reverse=rightmost)
    for index, value in enumerate(ordered[:-1]):
        if abs(ordered[index + 1] - value) <= tolerance:
            return value
    return ordered[0]


def body_edges(lines: list[Line]) -> Edges:
    """Left and right edges of the text body: where unindented lines start, full lines end.

    Measured over every page of the same size together, because a single page may hold
    nothing but indented one-line entries and would mistake the indent for the margin.
    """
    em = sorted(line.size for line in lines)[len(lines) // 2]
    return Edges(
        left=_outermost([line.x0 for line in lines], em / 2, rightmost=False),
        right=_outermost([line.x1 for line in lines], em / 2, rightmost=True),
    )


def continues(
    upper: Line, lower: Line, upper_edges: Edges, lower_edges: Edges, *, same_page: bool
) -> bool:
    """Whether ``lower`` carries on the paragraph that ``upper`` belongs to."""
    if upper_edges.right - upper_edges.left < MIN_BODY_WIDTH * upper.size:
        return False  # too few full lines to tell where the text body ends
    if upper.x1 < upper_edges.right - REACH * upper.size:
        return False
    if lower.x0 >= lower_edges.left + INDENT * lower.size:
        return False
    if _STARTS_BLOCK.match(lower.text):
        return False
    return not (same_page and upper.bottom - lower.top > MAX_GAP * max(upper.size, lower.size))


def is_cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\uffef" or "\u3000" <= ch <= "\u303f"


_HEAD_WORD = re.compile(r"[A-Za-z0-9.,%]+$")
_TAIL_WORD = re.compile(r"^[A-Za-z0-9.,%]+")


def _latin_end(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in ",.;:!?)%")


def _inside_cjk(head: str, tail: str) -> bool:
    """A number or acronym that CJK line breaking cut in two (``分解为1`` / ``0个方面``)."""
    head_word, tail_word = _HEAD_WORD.search(head), _TAIL_WORD.match(tail)
    before = (head[: head_word.start()] if head_word else head).rstrip()
    after = (tail[tail_word.end() :] if tail_word else tail).lstrip()
    return bool(before and is_cjk(before[-1])) or bool(after and is_cjk(after[0]))


def join_text(head: str, tail: str) -> str:
    """CJK runs on with no space; Latin words and numbers keep one, unless hyphenated."""
    if not head or not tail or head.endswith("-"):
        return head + tail
    latin_pair = (
        _latin_end(head[-1]) and tail[0].isascii() and (tail[0].isalnum() or tail[0] == "(")
    )
    if latin_pair and not _inside_cjk(head, tail):
        return f"{head} {tail}"
    return head + tail


def paragraphs(pages: list[list[Line]]) -> list[Block]:
    """Blocks for the body lines of every page, lines joined into paragraphs across pages too."""
    pages = remove_furniture(pages)
    by_geometry: dict[tuple[int, int], list[Line]] = {}
    for line in (line for lines in pages for line in lines):
        by_geometry.setdefault(_geometry(line), []).append(line)
    edges = {key: body_edges(lines) for key, lines in by_geometry.items()}
    blocks: list[Block] = []
    text, start, previous = "", None, None
    for line in (line for lines in pages for line in lines):
        if previous and continues(
            previous,
            line,
            edges[_geometry(previous)],
            edges[_geometry(line)],
            same_page=previous.page == line.page,
        ):
            text = join_text(text, line.text)
        else:
            if start is not None:
                blocks.append(_paragraph(text, start))
            text, start = line.text, line
        previous = line
    if start is not None:
        blocks.append(_paragraph(text, start))
    return blocks


def _geometry(line: Line) -> tuple[int, int]:
    return round(line.page_width), round(line.page_height)


def _paragraph(text: str, start: Line) -> Block:
    return Block.paragraph(text, page=start.page, source=f"page {start.page}")
