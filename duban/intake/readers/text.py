"""Plain text and Markdown: text copied out of a PDF, a web page or a chat message.

Lines are kept as written (only trailing whitespace goes): markdown decorations, ``|`` table
syntax and stray ``<sub>`` tags carry meaning the parser decides about, not this reader.
"""

from __future__ import annotations

from duban.intake.blocks import Block
from duban.intake.readers.decoding import decode_text


def split_lines(text: str) -> list[str]:
    """Lines of ``text`` whatever the platform wrote; form feeds (page breaks) end lines too."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")


def read(data: bytes) -> list[Block]:
    blocks: list[Block] = []
    for number, line in enumerate(split_lines(decode_text(data)), start=1):
        line = line.rstrip()
        if line.strip():
            blocks.append(Block.paragraph(line, source=f"line {number}"))
    return blocks
