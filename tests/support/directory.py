"""Helpers to post the directory forms as a browser would."""

from __future__ import annotations

from typing import Any

from duban.directory.models import Unit


def unit_form(
    unit: Unit | None = None,
    *,
    remove: tuple[str, ...] = (),
    new_aliases: tuple[str, ...] = (),
    **fields: Any,
) -> dict[str, Any]:
    """The unit page's POST: its fields, its current aliases (some ticked to remove), new ones."""
    data: dict[str, Any] = {"name": "", "full_name": "", "kind": "department", "code": ""}
    data["active"] = "on"
    if unit is not None:
        data.update(name=unit.name, full_name=unit.full_name, kind=unit.kind, code=unit.code)
    data.update(fields)
    if data["active"] is False:
        del data["active"]
    existing = list(unit.aliases.all()) if unit is not None else []
    rows = [(alias.pk, alias.name, alias.name in remove) for alias in existing]
    rows += [(None, name, False) for name in new_aliases]
    data.update(
        {
            "aliases-TOTAL_FORMS": str(len(rows)),
            "aliases-INITIAL_FORMS": str(len(existing)),
            "aliases-MIN_NUM_FORMS": "0",
            "aliases-MAX_NUM_FORMS": "1000",
        }
    )
    for index, (pk, name, delete) in enumerate(rows):
        data[f"aliases-{index}-name"] = name
        data[f"aliases-{index}-id"] = str(pk or "")
        data[f"aliases-{index}-unit"] = str(unit.pk) if unit is not None else ""
        if delete:
            data[f"aliases-{index}-DELETE"] = "on"
    return data
