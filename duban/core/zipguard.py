"""Refusing a ZIP package (Word .docx, Excel .xlsx) that would expand enormously when opened.

A "zip bomb" is a small file whose entries inflate to gigabytes: uploaded as evidence it would
fill the disk of whoever opens it, read as a notice it would exhaust the server's memory. The
sizes an entry declares bound what ``zipfile`` will ever inflate from it (it stops at the
declared size and fails the CRC), so checking them before anything is inflated is enough:

- at most ``MAX_ENTRIES`` entries;
- at most ``MAX_TOTAL`` bytes unpacked, all entries together;
- no entry larger than ``GRACE`` bytes that expands more than ``MAX_RATIO`` times (XML
  compresses 5–30 times; a block of zeros 1000 times).

Pure: no Django, so the upload check (duban.core.files) and the notice readers
(duban.intake.readers) share it.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

MAX_ENTRIES = 10_000
MAX_TOTAL = 100 * 1024 * 1024
MAX_RATIO = 100
GRACE = 1024 * 1024


class ZipBomb(ValueError):
    """The package would expand beyond the limits; ``unpacked`` is what it declares."""

    def __init__(self, reason: str, unpacked: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.unpacked = unpacked


@dataclass(frozen=True)
class Limits:
    entries: int = MAX_ENTRIES
    total: int = MAX_TOTAL
    ratio: int = MAX_RATIO
    grace: int = GRACE


def check_archive(archive: zipfile.ZipFile, limits: Limits = Limits()) -> int:
    """The unpacked size of the package, or ZipBomb when it is beyond ``limits``."""
    infos = archive.infolist()
    total = sum(info.file_size for info in infos)
    if len(infos) > limits.entries:
        raise ZipBomb(f"{len(infos)} entries", total)
    if total > limits.total:
        raise ZipBomb(f"{total} bytes unpacked", total)
    for info in infos:
        if info.file_size > limits.grace and (
            info.file_size > limits.ratio * max(info.compress_size, 1)
        ):
            raise ZipBomb(f"{info.filename} expands {info.file_size} / {info.compress_size}", total)
    return total


def check_bytes(data: bytes, limits: Limits = Limits()) -> int:
    """Like ``check_archive`` for the package in ``data``; zipfile.BadZipFile if it is none."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return check_archive(archive, limits)
