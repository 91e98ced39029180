"""An import waiting for a person to check it, kept outside the database.

Between the upload and the commit a clerk resolves names and corrects fields; none of that may
touch the database, so that an abandoned import leaves it exactly as it was. The file, the
parse and the clerk's choices live in ``DATA_DIR/imports/<token>/`` until commit or clean-up.
"""

from __future__ import annotations

import json
import secrets
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

STALE_SECONDS = 7 * 24 * 3600


class StagedImportMissing(Exception):
    """The token names no staged import of this user (expired, committed or someone else's)."""


def _root() -> Path:
    return Path(settings.DATA_DIR) / "imports"


@dataclass
class StagedImport:
    token: str
    owner_id: int | None
    filename: str
    parsed: dict[str, Any]
    choices: dict[str, str] = field(
        default_factory=dict
    )  # unit name → "unit:ID" | "group:ID" | "new:KIND"
    edits: dict[str, dict[str, Any]] = field(default_factory=dict)  # task index → field → value
    created: float = field(default_factory=time.time)

    @property
    def folder(self) -> Path:
        return _root() / self.token

    def data(self) -> bytes:
        return (self.folder / "source").read_bytes()

    def save(self) -> None:
        state = {
            "owner_id": self.owner_id,
            "filename": self.filename,
            "choices": self.choices,
            "edits": self.edits,
            "created": self.created,
        }
        _write_json(self.folder / "state.json", state)

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _write_json(path: Path, data: Any) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    temporary.replace(path)  # atomic: a reader never sees half a file


def stage(
    *, data: bytes, filename: str, parsed: dict[str, Any], owner_id: int | None
) -> StagedImport:
    clean_stale()
    token = secrets.token_urlsafe(16)
    staged = StagedImport(token=token, owner_id=owner_id, filename=filename, parsed=parsed)
    staged.folder.mkdir(parents=True, mode=0o700)
    (staged.folder / "source").write_bytes(data)
    _write_json(staged.folder / "parsed.json", parsed)
    staged.save()
    return staged


def load(token: str, owner_id: int | None) -> StagedImport:
    if not token.replace("-", "").replace("_", "").isalnum():
        raise StagedImportMissing(token)
    folder = _root() / token
    try:
        state = json.loads((folder / "state.json").read_text(encoding="utf-8"))
        parsed = json.loads((folder / "parsed.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StagedImportMissing(token) from exc
    if state["owner_id"] != owner_id:
        raise StagedImportMissing(token)
    return StagedImport(
        token=token,
        owner_id=state["owner_id"],
        filename=state["filename"],
        parsed=parsed,
        choices=state["choices"],
        edits=state["edits"],
        created=state["created"],
    )


def clean_stale(now: float | None = None) -> int:
    """Remove imports nobody finished within a week."""
    root = _root()
    if not root.exists():
        return 0
    limit = (now or time.time()) - STALE_SECONDS
    removed = 0
    for folder in root.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed
