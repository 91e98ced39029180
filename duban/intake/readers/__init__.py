"""Document readers: any published form of a notice in, one stream of blocks out.

Each format is a module with the same small interface, ``read(data: bytes) -> list[Block]``
(like healthchecks' integrations), so adding a format means adding a module and a line in
``READERS``. Everything a reader cannot use surfaces as an ``IntakeError`` with a stable code;
no library exception reaches the caller.

Usage::

    from duban.intake.readers import read_file
    blocks = read_file("notice.pdf")
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from duban.core.lazy import LazyModule
from duban.intake.blocks import Block
from duban.intake.errors import IntakeError
from duban.intake.readers import problems, text
from duban.intake.readers.sniff import LABELS, Kind, detect

if TYPE_CHECKING:
    from duban.intake.readers import html, pdf, sheet, word
else:
    # Each needs a large library (lxml, pdfminer.six, openpyxl): imported when a file of its
    # kind is first read, not whenever the readers are (duban/core/lazy.py).
    html = LazyModule("duban.intake.readers.html")
    pdf = LazyModule("duban.intake.readers.pdf")
    sheet = LazyModule("duban.intake.readers.sheet")
    word = LazyModule("duban.intake.readers.word")

__all__ = ["DEFAULT_MAX_BYTES", "READERS", "read_bytes", "read_file"]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

# The lambdas look the reader up at call time, which is what keeps its module unimported.
READERS: dict[Kind, Callable[[bytes], list[Block]]] = {
    "text": text.read,
    "csv": lambda data: sheet.read_csv(data),
    "html": lambda data: html.read(data),
    "pdf": lambda data: pdf.read(data),
    "docx": lambda data: word.read(data),
    "xlsx": lambda data: sheet.read(data),
}


def read_bytes(data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Block]:
    """Blocks of the document in ``data``; ``filename`` only breaks ties the content leaves open."""
    if len(data) > max_bytes:
        raise problems.too_large(len(data), max_bytes)
    if not data:
        raise problems.empty()
    kind = detect(data, filename)
    try:
        blocks = READERS[kind](data)
    except IntakeError:
        raise
    # A reader bug or a library surprise: to the user, the file is still unreadable.
    except Exception as exc:
        raise problems.corrupt(LABELS[kind]) from exc
    if not blocks:
        raise problems.empty()
    return blocks


def read_file(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Block]:
    """Like ``read_bytes``, but refuses an oversized file before reading any of it.

    A missing or unreadable path is the caller's mistake, not the document's, so ``OSError``
    propagates unchanged.
    """
    file_path = Path(path)
    size = file_path.stat().st_size
    if size > max_bytes:
        raise problems.too_large(size, max_bytes)
    with file_path.open("rb") as handle:
        data = handle.read(max_bytes + 1)
    return read_bytes(data, file_path.name, max_bytes=max_bytes)
