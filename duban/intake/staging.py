"""An import waiting for a person to check it, kept outside the database.

Between the upload and the commit a clerk resolves names and corrects fields; none of that may
touch the database, so that an abandoned import leaves it exactly as it was. The file, the
parse and the clerk's choices live in ``DATA_DIR/imports/<token>/`` until commit or clean-up.

The parse is kept typed (a ``ParseResult``); it becomes JSON only here, on its way to and from
the disk (``ParseResult.to_json``/``from_json``). A structural edit (a task added, split, merged,
renumbered or deleted) replaces the parse: ``save_parse`` writes it to a new file and only then
the state that names it, so a crash half-way leaves the import as it was before the edit.
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
    revision: int = 0  # the parse file in use: parsed.json, then parsed-1.json, parsed-2.json…

    @property
    def folder(self) -> Path:
        return _root() / self.token

    @property
    def parse_path(self) -> Path:
        return _parse_path(self.folder, self.revision)

    def data(self) -> bytes:
        return (self.folder / "source").read_bytes()

    def save(self) -> None:
        state = {
            "owner_id": self.owner_id,
            "filename": self.filename,
            "choices": self.choices,
            "edits": self.edits,
            "created": self.created,
            "revision": self.revision,
        }
        _write_json(self.folder / "state.json", state)

    def save_parse(self) -> None:
        """Keep ``parsed`` (changed in structure) and the state together: the new parse goes to a
        file of its own, then the state naming it replaces the old one (the commit point); the
        old parse file goes last. On failure the files and this object are as they were."""
        old_path, old_revision = self.parse_path, self.revision
        self.revision += 1
        try:
            _write_json(self.parse_path, self.parsed.to_json())
            self.save()
        except BaseException:
            self.parse_path.unlink(missing_ok=True)
            self.revision = old_revision
            raise
        old_path.unlink(missing_ok=True)

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


def _parse_path(folder: Path, revision: int) -> Path:
    return folder / ("parsed.json" if revision == 0 else f"parsed-{revision}.json")


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
        revision = int(state.get("revision", 0))
        parsed = ParseResult.from_json(
            json.loads(_parse_path(folder, revision).read_text(encoding="utf-8"))
        )
        return StagedImport(
            token=token,
            owner_id=state["owner_id"],
            filename=state["filename"],
            parsed=parsed,
            choices=dict(state["choices"]),
            edits={str(k): _task_edits(v) for k, v in state["edits"].items()},
            created=state["created"],
            revision=revision,
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
