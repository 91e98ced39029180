"""Reading back the PDFs duban writes (pypdf): their text, page sizes and fonts."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader


@dataclass(frozen=True)
class PdfFont:
    name: str  # the BaseFont: ``ABCDEF+Noto-Serif-CJK-SC`` for an embedded subset
    subtype: str  # /Type0, /TrueType, …
    embedded: bool  # a FontFile, FontFile2 or FontFile3 in its descriptor

    @property
    def subset(self) -> bool:
        prefix, plus, _rest = self.name.lstrip("/").partition("+")
        return bool(plus) and len(prefix) == 6 and prefix.isalpha() and prefix.isupper()


def reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def _descriptor(font: Any) -> Any:
    if font.get("/Subtype") == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font.get("/FontDescriptor")
    return descriptor.get_object() if descriptor is not None else None


def _fonts_of(resources: Any, found: dict[str, PdfFont]) -> None:
    if resources is None:
        return
    resources = resources.get_object()
    for ref in (resources.get("/Font") or {}).values():
        font = ref.get_object()
        descriptor = _descriptor(font)
        embedded = descriptor is not None and any(
            key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
        )
        name = str(font.get("/BaseFont", "?"))
        found[name] = PdfFont(name, str(font.get("/Subtype")), embedded)
    for ref in (resources.get("/XObject") or {}).values():
        xobject = ref.get_object()
        if xobject.get("/Subtype") == "/Form":
            _fonts_of(xobject.get("/Resources"), found)


def fonts(data: bytes) -> list[PdfFont]:
    """Every font the document's pages (and their forms) use."""
    found: dict[str, PdfFont] = {}
    for page in reader(data).pages:
        _fonts_of(page.get("/Resources"), found)
    return list(found.values())


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in reader(data).pages]


def assert_fonts_embedded(data: bytes) -> None:
    """Every font embedded, as a subset (a CJK font and the Latin one beside it at least)."""
    found = fonts(data)
    assert found, "the PDF uses no font"
    assert all(font.embedded for font in found), [f for f in found if not f.embedded]
    assert all(font.subset for font in found), [f.name for f in found if not f.subset]
    assert any("CJK" in font.name or "duban-title" in font.name for font in found), found
