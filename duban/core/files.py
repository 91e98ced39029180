"""The file store: every uploaded file duban keeps (evidence, notice replies, inspection files).

One path for all of them:

- **checking** (``check_upload``/``check_uploads``/``check_file``): only PDF, Word (.docx),
  Excel (.xlsx), JPEG and PNG, recognised by their content, never by their name alone
  (``%PDF-``, the JPEG and PNG signatures, a ZIP holding ``word/document.xml`` or
  ``xl/workbook.xml`` and no macros, that does not expand enormously: ``duban.core.zipguard``);
  the name's extension must agree with the content; at most ``DUBAN_MAX_UPLOAD_BYTES``. A
  refused file raises ``UploadRejected`` with a message naming the file, what is wrong and what
  to do.
- **saving** (``save_upload``): the row (a ``duban.core.stored.StoredFile``) keeps the original
  name, type, size, digest and uploader; the file goes to its model's folder under
  ``MEDIA_ROOT`` (inside ``DATA_DIR``, never served as static or media files) under a random
  name. ``forget`` deletes the files of a change that was rolled back.
- **serving** (``serve``): to whoever the caller has allowed, as an attachment under its
  original name (RFC 5987 ``filename*`` with an ASCII fallback), never sniffed or cached by the
  browser; ``file_served`` is sent so that the audit trail records the download.
- **removing** (``remove``): the row now, the file once the deletion is committed.
- **orphans** (``orphans``/``clean``, ``duban files clean [--delete]``, a dry run unless told
  to delete): files under ``MEDIA_ROOT`` that no row names, and rows whose file is gone.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import re
import time
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from django import forms
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.dispatch import Signal
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from . import zipguard
from .stored import StoredFile

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
ORPHAN_MIN_AGE = 3600  # seconds: a file younger than this may belong to a save still running

# Sent after a stored file is handed out (``sender``: its model; ``stored``, ``task_id``); the
# audit trail listens (duban.audit.signals), as the store sits below it.
file_served = Signal()


class UploadRejected(ValueError):
    """A file that is not stored; the message tells the user why, naming the file."""


@dataclass(frozen=True)
class CheckedFile:
    name: str
    data: bytes
    content_type: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


# --- Checking ---------------------------------------------------------------------------------


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


def _mb(size: int) -> str:
    """Megabytes with one decimal, rounded up: a file just over the limit reads as over it."""
    return f"{math.ceil(size * 10 / 2**20) / 10:.1f}".removesuffix(".0")


def _too_big(name: str, size: int, limit: int) -> UploadRejected:
    message = _(
        "“%(name)s” is larger than the %(limit)s MB allowed (%(size)s MB); make it smaller "
        "(compress the pictures or split the file) and attach it again."
    )
    return UploadRejected(message % {"name": name, "size": _mb(size), "limit": _mb(limit)})


def check_file(name: str, data: bytes, *, limit: int | None = None) -> CheckedFile:
    """The file if duban accepts it, else UploadRejected saying why."""
    name = _clean_name(name)
    limit = settings.DUBAN_MAX_UPLOAD_BYTES if limit is None else limit
    if len(data) > limit:
        raise _too_big(name, len(data), limit)
    if not data:
        message = _("“%(name)s” is empty; choose the right file and attach it again.")
        raise UploadRejected(message % {"name": name})
    expected = EXTENSIONS.get(PurePath(name).suffix.lower())
    if expected is None:
        message = _(
            "“%(name)s” cannot be attached: only PDF, Word (.docx), Excel (.xlsx), JPG and PNG "
            "files are accepted; save it in one of these formats and attach it again."
        )
        raise UploadRejected(message % {"name": name})
    found = sniff(data)
    if found is None:
        message = _(
            "“%(name)s” is not really a %(kind)s file (its content is of another kind) and was "
            "not attached; save it again as a %(kind)s file and attach that."
        )
        raise UploadRejected(message % {"name": name, "kind": KIND_NAMES[expected]})
    if found != expected:
        message = _(
            "“%(name)s” holds a %(found)s file but is named like a %(kind)s file; rename it and "
            "attach it again."
        )
        raise UploadRejected(
            message % {"name": name, "found": KIND_NAMES[found], "kind": KIND_NAMES[expected]}
        )
    if found in (DOCX, XLSX):
        try:
            zipguard.check_bytes(data)
        except zipguard.ZipBomb:
            message = _(
                "“%(name)s” was not attached: opened, it would expand to far more than its size "
                "(a “zip bomb”, or a damaged file). Save it again from Word or Excel and attach "
                "the new copy."
            )
            raise UploadRejected(message % {"name": name}) from None
    return CheckedFile(name=name, data=data, content_type=found)


def check_upload(uploaded: Any) -> CheckedFile:
    """One uploaded file (Django's ``UploadedFile``) checked; a file over the limit is refused
    before it is read."""
    limit = settings.DUBAN_MAX_UPLOAD_BYTES
    if uploaded.size is not None and uploaded.size > limit:
        raise _too_big(_clean_name(uploaded.name or ""), uploaded.size, limit)
    return check_file(uploaded.name or "", uploaded.read(limit + 1), limit=limit)


def check_uploads(uploads: Iterable[Any]) -> list[CheckedFile]:
    """Every uploaded file checked; one bad file refuses them all (UploadRejected)."""
    return [check_upload(uploaded) for uploaded in uploads]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the service checks them (``check_uploads``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


# --- Saving and removing ----------------------------------------------------------------------


def save_upload(record: StoredFile, checked: CheckedFile, *, user: Any = None) -> str:
    """Fill ``record`` (its owner already set) from the checked file, write the file under a
    random name in the record's folder, save the row; the stored name.

    The caller collects the names it writes in a transaction and ``forget``s them if it fails.
    """
    record.original_name = checked.name
    record.content_type = checked.content_type
    record.size = len(checked.data)
    record.sha256 = checked.sha256
    record.uploaded_by = user if getattr(user, "is_authenticated", False) else None
    suffix = PurePath(checked.name).suffix.lower()
    record.file.save(f"{uuid.uuid4().hex}{suffix}", ContentFile(checked.data), save=False)
    record.save()
    return str(record.file.name)


def remove(record: StoredFile) -> None:
    """Delete the row, and its file once the deletion is committed (a rolled-back deletion
    keeps the file)."""
    name, storage = record.file.name, record.file.storage
    record.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def forget(names: Iterable[str]) -> None:
    """Delete files written by a change that was then rolled back."""
    for name in names:
        default_storage.delete(name)


# --- Serving ----------------------------------------------------------------------------------

_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._-]+")


def attachment_header(filename: str, fallback: str) -> str:
    """``Content-Disposition`` for a download named ``filename`` (RFC 6266 and 5987)."""
    plain = _UNSAFE_ASCII.sub("-", fallback).strip("-") or "download"
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"


def serve(stored: StoredFile, *, task_id: int | None, fallback_stem: str) -> FileResponse:
    """The response for a stored file, under its original name; the caller has already decided
    that the user may read it. A file gone from the disk is a 404."""
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("This file is no longer stored.")) from None
    file_served.send(sender=type(stored), stored=stored, task_id=task_id)
    response = FileResponse(handle, content_type=stored.content_type)
    suffix = stored.original_name.rsplit(".", 1)[-1].lower()
    response["Content-Disposition"] = attachment_header(
        stored.original_name, f"{fallback_stem}-{stored.pk}.{suffix}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Orphans ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MissingFile:
    """A row whose file is not on the disk."""

    model: str  # app_label.model
    pk: Any
    name: str


@dataclass
class Orphans:
    files: list[str] = field(default_factory=list)  # stored names no row holds
    missing: list[MissingFile] = field(default_factory=list)


def _file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    return [
        (model, found)
        for model in apps.get_models()
        for found in model._meta.concrete_fields
        if isinstance(found, models.FileField)
    ]


def _root() -> Path:
    return Path(getattr(default_storage, "location", settings.MEDIA_ROOT))


def orphans(*, min_age: float = ORPHAN_MIN_AGE) -> Orphans:
    """Files under the upload root that no row names (older than ``min_age`` seconds, so that a
    save still running is left alone), and rows whose file is missing."""
    found = Orphans()
    named: set[str] = set()
    for model, file_field in _file_fields():
        rows = model._base_manager.exclude(**{file_field.name: ""})
        for pk, name in rows.values_list("pk", file_field.name).order_by("pk"):
            named.add(name)
            if not file_field.storage.exists(name):
                found.missing.append(MissingFile(model._meta.label_lower, pk, name))
    root = _root()
    if not root.is_dir():
        return found
    newest = time.time() - min_age
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        name = path.relative_to(root).as_posix()
        if name not in named and path.stat().st_mtime <= newest:
            found.files.append(name)
    return found


def clean(*, dry_run: bool = True, min_age: float = ORPHAN_MIN_AGE) -> Orphans:
    """Find the orphans and, unless ``dry_run``, delete the orphan files (and folders left
    empty). Rows whose file is missing are only reported: they are the record of an upload."""
    found = orphans(min_age=min_age)
    if dry_run:
        return found
    root = _root()
    for name in found.files:
        default_storage.delete(name)
        folder = (root / name).parent
        while folder != root and folder.is_relative_to(root):
            try:
                os.rmdir(folder)  # only when empty
            except OSError:
                break
            folder = folder.parent
    return found
