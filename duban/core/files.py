"""Handing stored files to the people allowed to read them: evidence, replies, photos.

Every app that keeps uploaded files (reports, supervision notices, inspections) checks its own
permission, then answers through ``send_stored_file``: one audited download, a Chinese name in
RFC 5987 ``filename*`` with an ASCII fallback, never sniffed or cached by the browser.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from duban.audit.models import AuditAction
from duban.audit.signals import record

_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._-]+")


def attachment_header(filename: str, fallback: str) -> str:
    """``Content-Disposition`` for a download named ``filename`` (RFC 6266 and 5987)."""
    plain = _UNSAFE_ASCII.sub("-", fallback).strip("-") or "download"
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"


def send_stored_file(stored: Any, *, task_id: int | None, fallback_stem: str) -> FileResponse:
    """The response for a stored file (``file``, ``original_name``, ``content_type``), audited.

    The caller has already decided that the user may read it.
    """
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("This file is no longer stored.")) from None
    record(AuditAction.DOWNLOAD, stored, task_id=task_id)
    response = FileResponse(handle, content_type=stored.content_type)
    suffix = stored.original_name.rsplit(".", 1)[-1].lower()
    response["Content-Disposition"] = attachment_header(
        stored.original_name, f"{fallback_stem}-{stored.pk}.{suffix}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
