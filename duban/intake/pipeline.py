"""Read a file and parse it: the one entry point the CLI, the web upload and jobs share."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from duban.core.lazy import LazyModule

from .parsing.directory import NameDirectory
from .parsing.parser import parse_blocks
from .parsing.result import ParseResult
from .readers import DEFAULT_MAX_BYTES, problems, read_bytes
from .readers.sniff import ZIP_MAGIC

if TYPE_CHECKING:
    from . import template
else:
    # The Excel ledger template needs openpyxl: imported for the first .xlsx upload only, so
    # that `duban parse notice.txt` starts without it (duban/core/lazy.py).
    template = LazyModule("duban.intake.template")

DEMO_DIRECTORY = Path(__file__).resolve().parent.parent / "demo" / "data" / "yanshi-directory.json"


def parse_file(
    path: str | Path, *, directory: NameDirectory | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> ParseResult:
    """Parse a notice file. Raises IntakeError for unreadable input or a notice with no tasks."""
    file_path = Path(path)
    size = file_path.stat().st_size  # an oversized file is refused before any of it is read
    if size > max_bytes:
        raise problems.too_large(size, max_bytes)
    data = file_path.read_bytes()
    return parse_upload(data, file_path.name, directory=directory, max_bytes=max_bytes)


def parse_upload(
    data: bytes,
    filename: str,
    *,
    directory: NameDirectory | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ParseResult:
    """Parse an uploaded notice: a filled Excel ledger template (``template``) as it was typed,
    anything else with the parser. Raises IntakeError like ``parse_file``."""
    # Only a zip can be a filled template (read_template says so too, after importing openpyxl);
    # a larger file is refused by read_bytes.
    if len(data) <= max_bytes and data.startswith(ZIP_MAGIC):
        typed = template.read_template(data, filename, directory=directory)
        if typed is not None:
            return typed
    return parse_blocks(read_bytes(data, filename, max_bytes=max_bytes), directory=directory)


def load_directory(path: str | Path) -> NameDirectory:
    """Unit names from a directory file: JSON (``{"units": [{"name", "aliases"}]}`` or a list of
    names) or plain text with one name per line."""
    text = Path(path).read_text(encoding="utf-8-sig")
    names: list[str] = []
    if Path(path).suffix.lower() == ".json":
        data = json.loads(text)
        entries = data.get("units", []) + data.get("groups", []) if isinstance(data, dict) else data
        for entry in entries:
            if isinstance(entry, str):
                names.append(entry)
            else:
                names.append(entry["name"])
                names.extend(entry.get("aliases", []))
    else:
        names = [line.strip() for line in text.splitlines() if line.strip()]
    return NameDirectory(names)
