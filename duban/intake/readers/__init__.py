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

from duban.intake.blocks import Block
from duban.intake.errors import IntakeError
from duban.intake.readers import html, pdf, problems, sheet, text, word
from duban.intake.readers.sniff import LABELS, Kind, detect

__all__ = ["DEFAULT_MAX_BYTES", "READERS", "read_bytes", "read_file"]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

READERS: dict[Kind, Callable[[bytes], list[Block]]] = {
    "text": text.read,
    "csv": sheet.read_csv,
    "html": html.read,
    "pdf": pdf.read,
    "docx": word.read,
    "xlsx": sheet.read,
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
