"""Deciding which reader gets a file: content first, the file name only as a tie-breaker.

Uploads are routinely misnamed: a web page saved as ``.doc``, a ``.doc`` renamed ``.docx``,
an encrypted ``.xlsx`` (which is really an OLE2 container), a TSV export called ``.xls``. The
magic bytes decide wherever they can; only when the content has no signature (plain text,
CSV, HTML without a doctype) does the extension choose.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath
from typing import Literal

from duban.core import zipguard
from duban.intake.errors import IntakeError
from duban.intake.readers import ole, problems

Kind = Literal["text", "csv", "html", "pdf", "docx", "xlsx"]

LABELS: dict[Kind, str] = {
    "text": "TXT",
    "csv": "CSV",
    "html": "HTML",
    "pdf": "PDF",
    "docx": "Word (.docx)",
    "xlsx": "Excel (.xlsx)",
}

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_HTML_EXTS = frozenset({".html", ".htm", ".shtml", ".xhtml"})
_TEXT_EXTS = frozenset({".txt", ".md", ".markdown", ".text", ""})
_CSV_EXTS = frozenset({".csv", ".tsv"})
_DOCX_EXTS = frozenset({".docx", ".docm", ".dotx"})
_XLSX_EXTS = frozenset({".xlsx", ".xlsm", ".xltx"})
_DOC_EXTS = frozenset({".doc", ".wps", ".dot", ".wpt"})
_XLS_EXTS = frozenset({".xls", ".et", ".xlt", ".ett"})
_OTHER_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"{\\rtf", "RTF"),
    (b"\x1f\x8b", "GZIP"),
    (b"Rar!", "RAR"),
    (b"7z\xbc\xaf", "7Z"),
    (b"MIME-Version:", "MHT"),
)
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<meta", b"<body")


def extension(filename: str) -> str:
    return PurePath(filename).suffix.lower()


def detect(data: bytes, filename: str) -> Kind:
    """The reader for ``data``, or the ``IntakeError`` that explains why there is none."""
    ext = extension(filename)
    if data.startswith(ZIP_MAGIC):
        return _zip_kind(data, ext)
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(ole.MAGIC):
        raise _ole_problem(data, ext)
    if _looks_like_html(data):
        return "html"
    for magic, label in _OTHER_MAGIC:
        if data.startswith(magic):
            raise problems.unsupported_type(label)
    if ext in _DOCX_EXTS:
        raise problems.corrupt(LABELS["docx"])
    if ext in _XLSX_EXTS:
        raise problems.corrupt(LABELS["xlsx"])
    if ext == ".pdf":
        raise problems.corrupt(LABELS["pdf"])
    if ext in _XLS_EXTS:
        head = data[:4096]
        if b"\x00" not in head and b"\t" in head:
            return "csv"  # a tab-separated export that a web system named .xls
        raise problems.legacy_xls()
    if ext in _DOC_EXTS:
        raise problems.legacy_doc()
    if ext in _HTML_EXTS:
        return "html"
    if ext in _CSV_EXTS:
        return "csv"
    if ext in _TEXT_EXTS:
        return "text"
    raise problems.unsupported_type(ext)


def _looks_like_html(data: bytes) -> bool:
    head = data[:2048]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("ascii", errors="ignore")
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(_HTML_STARTS):
        return True
    return head.startswith((b"<?xml", b"<!--")) and b"<html" in head


def _zip_kind(data: bytes, ext: str) -> Kind:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            try:
                zipguard.check_archive(archive)  # before a single entry is inflated
            except zipguard.ZipBomb:
                raise problems.zip_bomb(_bomb_label(names, ext)) from None
            content_types = (
                archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
            )
    except IntakeError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, KeyError):
        if ext in _DOCX_EXTS | _XLSX_EXTS:
            raise problems.corrupt(_label_for_ext(ext, "ZIP")) from None
        raise problems.unsupported_type(ext or "ZIP") from None
    if "word/document.xml" in names or b"wordprocessingml.document.main" in content_types:
        return "docx"
    if "xl/workbook.xml" in names or b"spreadsheetml.sheet.main" in content_types:
        return "xlsx"
    if b"macroEnabled.main" in content_types and b"ms-word" in content_types:
        return "docx"
    if b"macroEnabled.main" in content_types and b"ms-excel" in content_types:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        raise problems.unsupported_type(".pptx")
    if "OFD.xml" in names:
        raise problems.unsupported_type("OFD")
    if ext in _DOCX_EXTS | _XLSX_EXTS:
        raise problems.corrupt(_label_for_ext(ext, "ZIP"))
    raise problems.unsupported_type(ext or "ZIP")


def _bomb_label(names: set[str], ext: str) -> str:
    if "xl/workbook.xml" in names or ext in _XLSX_EXTS:
        return LABELS["xlsx"]
    if "word/document.xml" in names or ext in _DOCX_EXTS:
        return LABELS["docx"]
    return "ZIP"


def _ole_problem(data: bytes, ext: str) -> IntakeError:
    try:
        names = ole.stream_names(data)
    except ole.OleFormatError:
        names = {"EncryptedPackage"} if "EncryptedPackage".encode("utf-16-le") in data else set()
    if "EncryptedPackage" in names:
        return problems.encrypted()
    if "WordDocument" in names:
        return problems.legacy_doc()
    if names & {"Workbook", "Book"}:
        return problems.legacy_xls()
    if "PowerPoint Document" in names:
        return problems.unsupported_type(".ppt")
    if ext in _XLS_EXTS | _XLSX_EXTS:
        return problems.legacy_xls()
    if ext in _DOC_EXTS | _DOCX_EXTS:
        return problems.legacy_doc()
    return problems.unsupported_type(ext or "OLE2")


def _label_for_ext(ext: str, default: str) -> str:
    if ext in _DOCX_EXTS:
        return LABELS["docx"]
    if ext in _XLSX_EXTS:
        return LABELS["xlsx"]
    return default
