"""PDF: text lines with their positions from pdfminer, then paragraphs by ``pdf_layout``.

Characters are re-assembled into line text here instead of using pdfminer's own spacing,
because justified Chinese text spreads glyphs apart and pdfminer would insert a space between
every stretched pair (``推 进 产 业``); a space is only kept between CJK glyphs when the gap is a
whole character wide, while Latin words keep their spaces as usual.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterator
from typing import Any

from pdfminer import pdftypes
from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTChar, LTContainer, LTPage, LTTextLineHorizontal
from pdfminer.pdfdocument import PDFEncryptionError

from duban.core import zipguard
from duban.intake.blocks import Block
from duban.intake.errors import IntakeError
from duban.intake.readers import problems
from duban.intake.readers.pdf_layout import Line, is_cjk, paragraphs

LABEL = "PDF"
LAPARAMS = LAParams(
    line_overlap=0.5, char_margin=3.0, word_margin=0.2, boxes_flow=None, all_texts=True
)
_UNMAPPED_GLYPH = re.compile(r"\(cid:\d+\)")


# pdfminer inflates every stream whole and keeps it: a few kilobytes of compressed zeros would
# take gigabytes. The streams are measured first, inflating in bounded steps, and a document
# that inflates past this is refused (the same bound as a Word or Excel package's).
MAX_INFLATED = zipguard.MAX_TOTAL
_STREAM_START = re.compile(rb"(?<!end)stream\r?\n")
_STEP = 1024 * 1024


def _inflated(data: bytes, limit: int = MAX_INFLATED) -> int:
    """How many bytes the document's Flate streams inflate to, counting no further than
    ``limit`` + 1; a stream that is not Flate (or is damaged) counts what it gave."""
    total = 0
    for match in _STREAM_START.finditer(data):
        end = data.find(b"endstream", match.end())
        pending = data[match.end() : end if end >= 0 else len(data)]
        inflater = zlib.decompressobj()
        try:
            while pending and total <= limit:
                total += len(inflater.decompress(pending, _STEP))
                pending = inflater.unconsumed_tail
        except zlib.error:
            continue
        if total > limit:
            break
    return total


def _decompress_corrupted(data: bytes) -> bytes:
    """pdfminer's fallback for a Flate stream with a bad checksum, in linear time (it added the
    output byte by byte to a growing string: minutes for a stream of a few megabytes). As there,
    the bytes before the damage are kept when the damage is in the last 3 bytes, the checksum."""
    pieces: list[bytes] = []
    inflater = zlib.decompressobj()
    step = 4096
    for start in range(0, len(data), step):
        before = inflater.copy()
        try:
            pieces.append(inflater.decompress(data[start : start + step]))
            continue
        except zlib.error:
            inflater = before
        for index in range(start, min(start + step, len(data))):  # find the damaged byte
            try:
                pieces.append(inflater.decompress(data[index : index + 1]))
            except zlib.error:
                if index < len(data) - 3:
                    raise
                return b"".join(pieces)
    return b"".join(pieces)


pdftypes.decompress_corrupted = _decompress_corrupted


def read(data: bytes) -> list[Block]:
    inflated = _inflated(data)
    if inflated > MAX_INFLATED:
        raise problems.zip_bomb(LABEL)
    pages: list[list[Line]] = []
    try:
        for number, layout in enumerate(
            extract_pages(io.BytesIO(data), laparams=LAPARAMS), start=1
        ):
            pages.append(_visual_lines(layout, number))
    except IntakeError:
        raise
    except PDFEncryptionError:
        raise problems.encrypted() from None
    except Exception:  # pdfminer signals damage with many unrelated exception types
        raise problems.corrupt(LABEL) from None
    if not pages:
        raise problems.corrupt(LABEL)
    blocks = paragraphs(pages)
    if not blocks:
        raise problems.scanned_pdf()
    return blocks


def _segment_text(line: LTTextLineHorizontal) -> tuple[str, float, float, float]:
    """Text of one pdfminer line, its typical character size, and where its ink starts and ends.

    Leading ideographic spaces count as indentation, so the ink position is what matters.
    """
    parts: list[str] = []
    sizes: list[float] = []
    inked: list[LTChar] = []
    previous: LTChar | None = None
    for char in line:
        if not isinstance(char, LTChar):
            continue
        text = _UNMAPPED_GLYPH.sub("", char.get_text())
        if not text:
            continue
        if previous is not None and parts and not text.isspace() and not parts[-1].isspace():
            gap = char.x0 - previous.x1
            cjk = is_cjk(parts[-1][-1]) or is_cjk(text[0])
            if gap > (1.0 if cjk else 0.25) * max(previous.size, char.size):
                parts.append(" ")
        parts.append(text)
        sizes.append(char.size)
        previous = char
        if not text.isspace():
            inked.append(char)
    joined = re.sub(r"\s+", " ", "".join(parts)).strip()
    if not inked:
        return "", 0.0, 0.0, 0.0
    return joined, sorted(sizes)[len(sizes) // 2], inked[0].x0, inked[-1].x1


def _segments(container: LTContainer[Any]) -> Iterator[LTTextLineHorizontal]:
    for item in container:
        if isinstance(item, LTTextLineHorizontal):
            yield item
        elif isinstance(item, LTContainer):
            yield from _segments(item)


def _visual_lines(page: LTPage, number: int) -> list[Line]:
    """Segments at the same height (table cells, a header and its page number) form one line."""
    width, height = page.width, page.height
    pieces: list[Line] = []
    for segment in _segments(page):
        text, size, x0, x1 = _segment_text(segment)
        if text:
            pieces.append(
                Line(text, x0, x1, segment.y1, segment.y0, size or 1.0, number, width, height)
            )
    pieces.sort(key=lambda piece: (-piece.top, piece.x0))
    groups: list[list[Line]] = []
    for piece in pieces:
        if groups:
            anchor = groups[-1][0]
            overlap = min(anchor.top, piece.top) - max(anchor.bottom, piece.bottom)
            if overlap >= 0.5 * min(anchor.top - anchor.bottom, piece.top - piece.bottom):
                groups[-1].append(piece)
                continue
        groups.append([piece])
    return [_merge(group) for group in groups]


def _merge(group: list[Line]) -> Line:
    group.sort(key=lambda piece: piece.x0)
    sizes = sorted(piece.size for piece in group)
    return Line(
        text=" ".join(piece.text for piece in group),
        x0=group[0].x0,
        x1=max(piece.x1 for piece in group),
        top=max(piece.top for piece in group),
        bottom=min(piece.bottom for piece in group),
        size=sizes[len(sizes) // 2],
        page=group[0].page,
        page_width=group[0].page_width,
        page_height=group[0].page_height,
    )
