"""An import waiting for a person to check it, kept outside the database.

Between the upload and the commit a clerk resolves names and corrects fields; none of that may
touch the database, so that an abandoned import leaves it exactly as it was. The file, the
parse and the clerk's choices live in ``DATA_DIR/imports/<token>/`` until commit or clean-up.

The parse is kept typed (a ``ParseResult``); it becomes JSON only here, on its way to and from
the disk (``ParseResult.to_json``/``from_json``).
"""

from __future__ import annotations

import json
import secrets
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict

from django.conf import settings

from .parsing.result import ParseResult

STALE_SECONDS = 7 * 24 * 3600


class StagedImportMissing(Exception):
    """The token names no staged import of this user (expired, committed or someone else's)."""


def _root() -> Path:
    return Path(settings.DATA_DIR) / "imports"


class TaskEdits(TypedDict, total=False):
    """A person's corrections to one task of the parse (the fields they changed)."""

    text: str
    lead_leaders: list[str]
    lead_units: list[str]
    responsible_units: list[str]
    deadline: str | None


def _task_edits(data: Any) -> TaskEdits:
    """Corrections as ``StagedImport.save`` wrote them (only the fields a person changed)."""
    edits: TaskEdits = {}
    if "text" in data:
        edits["text"] = str(data["text"])
    if "lead_leaders" in data:
        edits["lead_leaders"] = [str(n) for n in data["lead_leaders"]]
    if "lead_units" in data:
        edits["lead_units"] = [str(n) for n in data["lead_units"]]
    if "responsible_units" in data:
        edits["responsible_units"] = [str(n) for n in data["responsible_units"]]
    if "deadline" in data:
        edits["deadline"] = None if data["deadline"] is None else str(data["deadline"])
    return edits


@dataclass
class StagedImport:
    token: str
    owner_id: int | None
    filename: str
    parsed: ParseResult
    choices: dict[str, str] = field(
        default_factory=dict
    )  # unit name → "unit:ID" | "group:ID" | "new:KIND"
    edits: dict[str, TaskEdits] = field(default_factory=dict)  # task index → corrections
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
    try:
        temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    except OSError:  # a full disk: no half-written file stays behind
        temporary.unlink(missing_ok=True)
        raise
    temporary.replace(path)  # atomic: a reader never sees half a file


def stage(*, data: bytes, filename: str, parsed: ParseResult, owner_id: int | None) -> StagedImport:
    clean_stale()
    token = secrets.token_urlsafe(16)
    staged = StagedImport(token=token, owner_id=owner_id, filename=filename, parsed=parsed)
    staged.folder.mkdir(parents=True, mode=0o700)
    try:
        (staged.folder / "source").write_bytes(data)
        _write_json(staged.folder / "parsed.json", parsed.to_json())
        staged.save()
    except BaseException:  # a full disk: no half-staged import stays behind
        staged.discard()
        raise
    return staged


def load(token: str, owner_id: int | None) -> StagedImport:
    if not token.replace("-", "").replace("_", "").isalnum():
        raise StagedImportMissing(token)
    folder = _root() / token
    try:
        state = json.loads((folder / "state.json").read_text(encoding="utf-8"))
        if state["owner_id"] != owner_id:
            raise StagedImportMissing(token)
        parsed = ParseResult.from_json(
            json.loads((folder / "parsed.json").read_text(encoding="utf-8"))
        )
        return StagedImport(
            token=token,
            owner_id=state["owner_id"],
            filename=state["filename"],
            parsed=parsed,
            choices=dict(state["choices"]),
            edits={str(k): _task_edits(v) for k, v in state["edits"].items()},
            created=state["created"],
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise StagedImportMissing(token) from exc


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
