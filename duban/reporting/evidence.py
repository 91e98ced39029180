"""Evidence files: what is accepted, how it is stored, how it is handed out.

Only PDF, Word (.docx), Excel (.xlsx), JPEG and PNG are accepted, recognised by their
content, never by their name alone: ``%PDF-``, the JPEG and PNG signatures, and a ZIP holding
``word/document.xml`` or ``xl/workbook.xml`` (without macros). The name's extension must agree
with the content. Files larger than ``DUBAN_MAX_UPLOAD_BYTES`` are refused. Accepted files go to
``MEDIA_ROOT/evidence/<year>/<month>/`` under a random name (``MEDIA_ROOT`` is under
``DATA_DIR``, never served as static files and without a URL); the original name is kept in the
database and given back only by the download view, which checks ``Action.DOWNLOAD``.
"""

from __future__ import annotations

import hashlib
import io
import math
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Contribution, Evidence, Report

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JPEG = "image/jpeg"
PNG = "image/png"

EXTENSIONS = {
    ".pdf": PDF,
    ".docx": DOCX,
    ".xlsx": XLSX,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".png": PNG,
}
KIND_NAMES = {PDF: "PDF", DOCX: "Word (.docx)", XLSX: "Excel (.xlsx)", JPEG: "JPEG", PNG: "PNG"}
ACCEPT = ",".join(EXTENSIONS)  # the file input's accept attribute
MAX_NAME = 255


class EvidenceRejected(ValueError):
    """A file that is not stored; the message tells the user why, naming the file."""


@dataclass(frozen=True)
class CheckedFile:
    name: str
    data: bytes
    content_type: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def sniff(data: bytes) -> str | None:
    """The accepted type the content is, or None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            return None  # macros: a .docm or .xlsm in disguise
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
    return None


def _clean_name(name: str) -> str:
    """The name as the user's computer gave it, without any folder, trimmed to fit."""
    base = PurePath(name.replace("\\", "/")).name.strip() or "file"
    if len(base) > MAX_NAME:
        suffix = PurePath(base).suffix[:16]
        base = base[: MAX_NAME - len(suffix)] + suffix
    return base


def _too_big(name: str, size: int, limit: int) -> EvidenceRejected:
    message = _("“%(name)s” is larger than the %(limit)s MB allowed (%(size)s MB).")
    return EvidenceRejected(message % {"name": name, "size": _mb(size), "limit": _mb(limit)})


def _mb(size: int) -> str:
    """Megabytes with one decimal, rounded up: a file just over the limit reads as over it."""
    return f"{math.ceil(size * 10 / 2**20) / 10:.1f}".removesuffix(".0")


def check_file(name: str, data: bytes, *, limit: int | None = None) -> CheckedFile:
    """The file if duban accepts it as evidence, else EvidenceRejected saying why."""
    name = _clean_name(name)
    limit = settings.DUBAN_MAX_UPLOAD_BYTES if limit is None else limit
    if len(data) > limit:
        raise _too_big(name, len(data), limit)
    if not data:
        raise EvidenceRejected(_("“%(name)s” is empty.") % {"name": name})
    expected = EXTENSIONS.get(PurePath(name).suffix.lower())
    if expected is None:
        message = _(
            "“%(name)s” cannot be attached: only PDF, Word (.docx), Excel (.xlsx), JPG and PNG "
            "files are accepted."
        )
        raise EvidenceRejected(message % {"name": name})
    found = sniff(data)
    if found is None:
        message = _(
            "“%(name)s” is not really a %(kind)s file (its content is of another kind) and was "
            "not attached."
        )
        raise EvidenceRejected(message % {"name": name, "kind": KIND_NAMES[expected]})
    if found != expected:
        message = _(
            "“%(name)s” holds a %(found)s file but is named like a %(kind)s file; rename it and "
            "attach it again."
        )
        raise EvidenceRejected(
            message % {"name": name, "found": KIND_NAMES[found], "kind": KIND_NAMES[expected]}
        )
    return CheckedFile(name=name, data=data, content_type=found)


def read_uploads(files: Iterable[Any]) -> list[CheckedFile]:
    """Check every uploaded file; one bad file refuses them all (EvidenceRejected)."""
    limit = settings.DUBAN_MAX_UPLOAD_BYTES
    checked = []
    for upload in files:
        if upload.size is not None and upload.size > limit:  # refused before it is read
            raise _too_big(_clean_name(upload.name or ""), upload.size, limit)
        checked.append(check_file(upload.name or "", upload.read(limit + 1), limit=limit))
    return checked


def store(
    checked: CheckedFile,
    *,
    user: Any,
    report: Report | None = None,
    contribution: Contribution | None = None,
) -> Evidence:
    """Write the file under a random name and record it with its original name."""
    evidence = Evidence(
        report=report,
        contribution=contribution,
        original_name=checked.name,
        content_type=checked.content_type,
        size=len(checked.data),
        sha256=checked.sha256,
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
    )
    suffix = PurePath(checked.name).suffix.lower()
    evidence.file.save(f"{uuid.uuid4().hex}{suffix}", ContentFile(checked.data), save=False)
    evidence.save()
    return evidence


def discard(evidence: Evidence) -> None:
    """Delete the record, and its file once the deletion is committed (a file removed from a
    draft before submission; earlier versions still name it)."""
    name = evidence.file.name
    storage = evidence.file.storage
    evidence.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def forget(names: Iterable[str]) -> None:
    """Delete files written by a change that was then rolled back."""
    for name in names:
        default_storage.delete(name)


def task_of(evidence: Evidence) -> Any:
    owner = evidence.report if evidence.report_id else evidence.contribution
    assert owner is not None
    return owner.task
