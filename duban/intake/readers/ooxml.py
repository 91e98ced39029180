"""Opening an OOXML (.docx) package by its relationships, with the safety checks uploads need.

The main part is found through ``_rels/.rels`` rather than assumed to be ``word/document.xml``,
because generators other than Word (WPS, online editors, converters) name parts freely.
"""

from __future__ import annotations

import io
import posixpath
import zipfile

from lxml import etree

from duban.core import zipguard
from duban.intake.readers import problems

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
MAX_PART_BYTES = 200 * 1024 * 1024  # unpacked; a 20 MB upload that inflates past this is a zip bomb


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


W_VAL = w("val")

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True
)


class Package:
    """The parts of one package that a reader asks for, read lazily and size-checked."""

    def __init__(self, data: bytes) -> None:
        self._zip = zipfile.ZipFile(io.BytesIO(data))
        self._names = set(self._zip.namelist())
        try:
            zipguard.check_archive(self._zip)
        except zipguard.ZipBomb:
            raise problems.zip_bomb("Word (.docx)") from None

    def xml(self, name: str) -> etree._Element | None:
        if name not in self._names:
            return None
        info = self._zip.getinfo(name)
        if info.file_size > MAX_PART_BYTES:
            raise problems.too_large(info.file_size, MAX_PART_BYTES)
        return etree.fromstring(self._zip.read(name), _PARSER)

    def relationships(self, part: str) -> dict[str, str]:
        """Relationship type suffix (``officeDocument``, ``numbering``) -> absolute part name."""
        folder, base = posixpath.split(part)
        rels = self.xml(posixpath.join(folder, "_rels", f"{base}.rels"))
        found: dict[str, str] = {}
        if rels is None:
            return found
        for rel in rels.iter(f"{_REL_NS}Relationship"):
            target, kind = rel.get("Target", ""), rel.get("Type", "").rsplit("/", 1)[-1]
            if rel.get("TargetMode") == "External" or not target or kind in found:
                continue
            if target.startswith("/"):
                found[kind] = target.lstrip("/")
            else:
                found[kind] = posixpath.normpath(posixpath.join(folder, target))
        return found

    def main_part(self, default: str) -> str:
        return self.relationships("").get("officeDocument", default)
