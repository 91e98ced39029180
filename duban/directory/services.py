"""Directory workflows: resolving the names a notice uses, loading a directory file."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from .models import Group, GroupExpansion, Leader, Unit, UnitAlias, UnitKind
from .names import name_key


@dataclass(frozen=True)
class Resolution:
    """What a name in a notice refers to: a unit, a group, or nothing known yet."""

    name: str
    unit_id: int | None = None
    group_id: int | None = None
    via_alias: bool = False
    candidates: tuple[tuple[int, str], ...] = ()

    @property
    def resolved(self) -> bool:
        return self.unit_id is not None or self.group_id is not None


@dataclass
class DirectoryIndex:
    """The whole directory in memory, so that resolving a notice's names costs three queries."""

    units: dict[str, Unit] = field(default_factory=dict)  # key → unit (names and aliases)
    aliases: set[str] = field(default_factory=set)
    groups: dict[str, Group] = field(default_factory=dict)
    unit_names: dict[int, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> DirectoryIndex:
        index = cls()
        for unit in Unit.objects.all():
            index.units[unit.key] = unit
            index.unit_names[unit.pk] = unit.name
        for alias in UnitAlias.objects.select_related("unit"):
            index.units.setdefault(alias.key, alias.unit)
            index.aliases.add(alias.key)
        for group in Group.objects.all():
            index.groups[group.key] = group
        return index

    def resolve(self, name: str) -> Resolution:
        key = name_key(name)
        if key in self.groups:
            return Resolution(name, group_id=self.groups[key].pk)
        if key in self.units:
            return Resolution(name, unit_id=self.units[key].pk, via_alias=key in self.aliases)
        return Resolution(name, candidates=tuple(self.candidates(name)))

    def candidates(self, name: str, limit: int = 3) -> list[tuple[int, str]]:
        """The closest units by name or alias (缙氏镇 → 缑氏镇), best first."""
        key = name_key(name)
        matches = difflib.get_close_matches(key, list(self.units), n=limit * 2, cutoff=0.5)
        found: list[tuple[int, str]] = []
        for match in matches:
            unit = self.units[match]
            if all(unit.pk != pk for pk, _ in found):
                found.append((unit.pk, unit.name))
        return found[:limit]


@transaction.atomic
def load_directory(data: dict[str, Any]) -> dict[str, int]:
    """Create or update units, aliases, groups and leaders from a directory file's data.

    Idempotent: loading the same data twice changes nothing the second time.
    """
    counts = {"units": 0, "aliases": 0, "groups": 0, "leaders": 0}
    for entry in data.get("units", []):
        unit, created = Unit.objects.get_or_create(
            key=name_key(entry["name"]),
            defaults={
                "name": entry["name"],
                "full_name": entry.get("full_name") or "",
                "kind": entry.get("kind") or UnitKind.DEPARTMENT,
                "code": entry.get("code") or "",
            },
        )
        counts["units"] += created
        for alias in entry.get("aliases", []):
            _alias, created = UnitAlias.objects.get_or_create(
                key=name_key(alias), defaults={"unit": unit, "name": alias}
            )
            counts["aliases"] += created
    for entry in data.get("groups", []):
        expansion = {
            "towns_and_streets": GroupExpansion.TOWNSHIPS,
            "streets": GroupExpansion.STREETS,
            "towns": GroupExpansion.TOWNS,
        }.get(entry.get("expands_to") or "", GroupExpansion.OPEN)
        _group, created = Group.objects.get_or_create(
            key=name_key(entry["name"]), defaults={"name": entry["name"], "expansion": expansion}
        )
        counts["groups"] += created
    for entry in data.get("leaders", []):
        leader, created = Leader.objects.get_or_create(
            name=entry["name"], defaults={"title": entry.get("title") or ""}
        )
        counts["leaders"] += created
        units = Unit.objects.filter(key__in=[name_key(n) for n in entry.get("units", [])])
        leader.units.add(*units)
    return counts
