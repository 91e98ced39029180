"""Plain text and Markdown: text copied out of a PDF, a web page or a chat message.

Lines are kept as written (only trailing whitespace goes): markdown decorations, ``|`` table
syntax and stray ``<sub>`` tags carry meaning the parser decides about, not this reader.
"""

from __future__ import annotations

from itertools import compress

from duban.intake.blocks import Block
from duban.intake.readers.decoding import decode_text


def split_lines(text: str) -> list[str]:
    """Lines of ``text`` whatever the platform wrote; form feeds (page breaks) end lines too."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")


def read(data: bytes) -> list[Block]:
    # Blank lines are skipped in C (``compress`` over ``map(str.strip)``): a file of millions
    # of empty lines costs a fraction of a second, not the seconds a Python loop took.
    lines = split_lines(decode_text(data))
    return [
        Block.paragraph(line.rstrip(), source=f"line {number}")
        for number, line in compress(enumerate(lines, start=1), map(str.strip, lines))
    ]
