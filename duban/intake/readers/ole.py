"""Just enough of the OLE2 compound-file format to tell what an old Office file is.

Encrypted .docx/.xlsx files, legacy .doc/.xls and WPS .wps/.et files all share the OLE2
container, so the magic bytes alone cannot say which advice to give. The stream names in the
container's directory can: ``EncryptedPackage`` (an encrypted OOXML file), ``WordDocument``,
``Workbook``/``Book``, ``PowerPoint Document``. Reading the directory properly (rather than
searching the bytes for those names) avoids mistaking a document that merely mentions one.
"""

from __future__ import annotations

import struct

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END_OF_CHAIN = 0xFFFFFFFE
_MAX_REGULAR_SECTOR = 0xFFFFFFFA
_HEADER_DIFAT_ENTRIES = 109


class OleFormatError(ValueError):
    """The container's structure is broken; the caller decides what that means."""


def stream_names(data: bytes) -> set[str]:
    """Names of all storages and streams in the compound file's directory."""
    if len(data) < 512 or not data.startswith(MAGIC):
        raise OleFormatError("not an OLE2 compound file")
    sector_shift = struct.unpack_from("<H", data, 0x1E)[0]
    if sector_shift not in (9, 12):
        raise OleFormatError("bad sector size")
    size = 1 << sector_shift
    (first_dir,) = struct.unpack_from("<I", data, 0x30)
    first_difat, difat_count = struct.unpack_from("<II", data, 0x44)

    def sector(index: int) -> bytes:
        start = (index + 1) * size
        if index > _MAX_REGULAR_SECTOR or start >= len(data):
            raise OleFormatError("sector out of range")
        return data[start : start + size].ljust(size, b"\xff")

    fat_sectors = [
        s
        for s in struct.unpack_from(f"<{_HEADER_DIFAT_ENTRIES}I", data, 0x4C)
        if s <= _MAX_REGULAR_SECTOR
    ]
    per_sector = size // 4
    next_difat, seen = first_difat, 0
    while next_difat <= _MAX_REGULAR_SECTOR and seen < difat_count:
        entries = struct.unpack(f"<{per_sector}I", sector(next_difat))
        fat_sectors.extend(s for s in entries[:-1] if s <= _MAX_REGULAR_SECTOR)
        next_difat, seen = entries[-1], seen + 1
    fat: list[int] = []
    for index in fat_sectors:
        fat.extend(struct.unpack(f"<{per_sector}I", sector(index)))

    names: set[str] = set()
    visited: set[int] = set()
    current = first_dir
    while current != _END_OF_CHAIN:
        if current in visited or current >= len(fat) or current > _MAX_REGULAR_SECTOR:
            raise OleFormatError("broken directory chain")
        visited.add(current)
        chunk = sector(current)
        for offset in range(0, len(chunk) - 127, 128):
            entry = chunk[offset : offset + 128]
            name_len, kind = struct.unpack_from("<HB", entry, 0x40)
            if kind in (1, 2, 5) and 2 <= name_len <= 64:
                names.add(entry[: name_len - 2].decode("utf-16-le", errors="replace"))
        current = fat[current]
    return names
