"""Directory files (JSON) checked as a whole before anything is written.

``load_directory`` trusts its input and skips what it cannot place (a leader's unknown unit,
an alias some other unit already has). A file an office typed by hand must instead be refused
with every problem listed, so that it is fixed once and loaded once.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .models import Group, Unit, UnitKind
from .names import name_key
from .services import DirectoryError, check_name_free

DEMO_FILE = Path(__file__).resolve().parent.parent / "demo" / "data" / "yanshi-directory.json"
EXPANSIONS = ("towns_and_streets", "streets", "towns", None)


class DirectoryFileError(DirectoryError):
    """A directory file that cannot be loaded; the message says what to fix."""


def read_directory_file(path: Path) -> dict[str, Any]:
    """The data of a directory file, or DirectoryFileError naming every problem in it."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
        message = _("File not found: %(file)s. Check the path and try again.")
        raise DirectoryFileError(message % {"file": path}) from exc
    except UnicodeDecodeError as exc:
        message = _("%(file)s is not UTF-8 text. Save it as UTF-8 and try again.")
        raise DirectoryFileError(message % {"file": path}) from exc
    except OSError as exc:
        message = _("Cannot read %(file)s: %(error)s")
        raise DirectoryFileError(message % {"file": path, "error": exc.strerror}) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        message = _("%(file)s is not valid JSON: the error is at line %(line)s, column %(column)s.")
        params = {"file": path, "line": exc.lineno, "column": exc.colno}
        raise DirectoryFileError(message % params) from exc
    problems = check_directory_data(data)
    if problems:
        heading = _("%(file)s cannot be loaded; nothing was changed:") % {"file": path}
        raise DirectoryFileError("\n".join([heading, *(f"  - {p}" for p in problems)]))
    return data


def check_directory_data(data: Any) -> list[str]:
    """Every reason the data cannot be loaded as it stands (shape, names, leaders' units)."""
    if not isinstance(data, dict):
        message = _(
            "The file must hold one JSON object with the lists “units”, “groups”, “leaders”."
        )
        return [message]
    problems: list[str] = []
    for key in ("units", "groups", "leaders"):
        if not isinstance(data.get(key, []), list):
            problems.append(_("“%(key)s” must be a list.") % {"key": key})
    if problems:
        return problems
    problems += _check_shapes(data)
    return problems or _check_names(data)


def _text(value: Any, *, optional: bool = True) -> bool:
    """Text (non-blank unless ``optional``); ``optional`` also admits JSON null."""
    if value is None:
        return optional
    return isinstance(value, str) and (optional or bool(value.strip()))


def _check_shapes(data: dict[str, Any]) -> list[str]:
    problems = []
    for number, entry in enumerate(data.get("units", []), start=1):
        if not isinstance(entry, dict) or not _text(entry.get("name"), optional=False):
            problems.append(_("Unit %(number)s has no name.") % {"number": number})
            continue
        name = entry["name"]
        if entry.get("kind") not in (*UnitKind.values, None):
            message = _("Unit “%(name)s”: “%(value)s” is not a kind of unit (%(kinds)s).")
            kinds = ", ".join(UnitKind.values)
            problems.append(message % {"name": name, "value": entry["kind"], "kinds": kinds})
        if not all(_text(entry.get(field)) for field in ("full_name", "code")):
            problems.append(_("Unit “%(name)s”: full_name and code must be text.") % {"name": name})
        aliases = entry.get("aliases", [])
        if not isinstance(aliases, list) or not all(_text(a, optional=False) for a in aliases):
            problems.append(_("Unit “%(name)s”: aliases must be a list of names.") % {"name": name})
    for number, entry in enumerate(data.get("groups", []), start=1):
        if not isinstance(entry, dict) or not _text(entry.get("name"), optional=False):
            problems.append(_("Group %(number)s has no name.") % {"number": number})
        elif entry.get("expands_to") not in EXPANSIONS:
            message = _(
                "Group “%(name)s”: expands_to must be towns_and_streets, streets, towns or null."
            )
            problems.append(message % {"name": entry["name"]})
    for number, entry in enumerate(data.get("leaders", []), start=1):
        if not isinstance(entry, dict) or not _text(entry.get("name"), optional=False):
            problems.append(_("Leader %(number)s has no name.") % {"number": number})
            continue
        units = entry.get("units", [])
        if not _text(entry.get("title")) or not isinstance(units, list):
            message = _("Leader “%(name)s”: title must be text and units a list of unit names.")
            problems.append(message % {"name": entry["name"]})
    return problems


def _check_names(data: dict[str, Any]) -> list[str]:
    """One owner per compared name, in the file and against what the database already holds."""
    problems: list[str] = []
    seen: set[str] = set()
    units = {u.key: u for u in Unit.objects.all()}
    groups = {g.key: g for g in Group.objects.all()}

    def claim(name: str) -> None:
        if name_key(name) in seen:
            problems.append(_("“%(name)s” appears more than once in the file.") % {"name": name})
        seen.add(name_key(name))

    for entry in data.get("units", []):
        unit = units.get(name_key(entry["name"]))
        for name in [entry["name"], *entry.get("aliases", [])]:
            claim(name)
            _check_free(name, problems, unit=unit)
    for entry in data.get("groups", []):
        claim(entry["name"])
        _check_free(entry["name"], problems, group=groups.get(name_key(entry["name"])))
    known = {name_key(entry["name"]) for entry in data.get("units", [])} | set(units)
    for entry in data.get("leaders", []):
        for name in entry.get("units", []):
            if not isinstance(name, str) or name_key(name) not in known:
                message = _("Leader “%(leader)s”: “%(unit)s” is not the short name of a unit.")
                problems.append(message % {"leader": entry["name"], "unit": name})
    return problems


def _check_free(
    name: str, problems: list[str], *, unit: Unit | None = None, group: Group | None = None
) -> None:
    try:
        check_name_free(name, unit=unit, group=group)
    except DirectoryError as exc:
        problems.append(str(exc))
