"""Directory workflows: resolving the names a notice uses, loading a directory file."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

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


class DirectoryError(ValueError):
    """A change the directory refuses; the message is translated, ready to show a clerk."""


class NameTaken(DirectoryError):
    """A name already used by another unit, alias or group.

    Names are compared by ``name_key``: a second 各镇(街道) next to 各镇（街道） would make every
    notice that names it ambiguous, so the directory keeps one owner per compared name.
    """


def clean_name(name: str) -> str:
    """A name as stored: trimmed, inner runs of whitespace collapsed; never empty."""
    cleaned = " ".join(name.split())
    if not name_key(cleaned):
        raise DirectoryError(_("A name cannot be empty."))
    return cleaned


def check_name_free(name: str, *, unit: Unit | None = None, group: Group | None = None) -> None:
    """Raise NameTaken unless ``name`` is free for ``unit`` (or ``group``) to use.

    The unit's own name and aliases, or the group's own name, do not count as taken.
    """
    key = name_key(name)
    units = Unit.objects.filter(key=key)
    aliases = UnitAlias.objects.filter(key=key).select_related("unit")
    groups = Group.objects.filter(key=key)
    if unit is not None and unit.pk is not None:
        units = units.exclude(pk=unit.pk)
        aliases = aliases.exclude(unit=unit)
    if group is not None and group.pk is not None:
        groups = groups.exclude(pk=group.pk)
    if (other := units.first()) is not None:
        message = _("“%(name)s” is already the name of the unit “%(owner)s”.")
        owner = stored = other.name
    elif (alias := aliases.first()) is not None:
        message = _("“%(name)s” is already an alias of the unit “%(owner)s”.")
        owner, stored = alias.unit.name, alias.name
    elif (other_group := groups.first()) is not None:
        message = _("“%(name)s” is already the name of the group “%(owner)s”.")
        owner = stored = other_group.name
    else:
        return
    text = message % {"name": name, "owner": owner}
    if stored != name:  # 各镇(街道) against 各镇（街道）: say why they clash
        text += " " + _(
            "Names that differ only in spaces or in full-width and half-width characters "
            "count as the same name."
        )
    raise NameTaken(text)


@transaction.atomic
def create_unit(
    name: str, kind: str = UnitKind.DEPARTMENT, full_name: str = "", *, code: str = ""
) -> Unit:
    """A new unit, refused (NameTaken) if any unit, alias or group already answers to its name."""
    name = clean_name(name)
    if kind not in UnitKind.values:
        raise DirectoryError(_("“%(kind)s” is not a kind of unit.") % {"kind": kind})
    check_name_free(name)
    return Unit.objects.create(name=name, kind=kind, full_name=full_name.strip(), code=code.strip())


@transaction.atomic
def add_alias(unit: Unit, name: str) -> UnitAlias:
    """Another name for ``unit``; adding an alias it already has returns that alias."""
    name = clean_name(name)
    key = name_key(name)
    if key == unit.key:
        raise NameTaken(
            _("“%(name)s” is already the name of the unit “%(owner)s”.")
            % {"name": name, "owner": unit.name}
        )
    existing = unit.aliases.filter(key=key).first()
    if existing is not None:
        return existing
    check_name_free(name, unit=unit)
    return UnitAlias.objects.create(unit=unit, name=name)


def remember_alias(unit: Unit, name: str) -> UnitAlias | None:
    """Keep ``name``, which a person resolved to ``unit`` (缙氏镇 → 缑氏镇 in an import), as an
    alias of the unit, so that the next notice that writes it resolves by itself.

    Nothing is added (None) when the name already answers to something in the directory (this
    unit's or another unit's name or alias, a group) or is no name at all; the new alias is
    audited like every directory change.
    """
    try:
        name = clean_name(name)
    except DirectoryError:
        return None
    key = name_key(name)
    if len(name) > UnitAlias._meta.get_field("name").max_length:  # type: ignore[operator]
        return None
    taken = (
        Unit.objects.filter(key=key).exists()
        or UnitAlias.objects.filter(key=key).exists()
        or Group.objects.filter(key=key).exists()
    )
    if taken:
        return None
    return UnitAlias.objects.create(unit=unit, name=name)


def by_kind(units: models.QuerySet[Unit]) -> models.QuerySet[Unit]:
    """Departments first, as UnitKind lists them; towns and streets in division-code order."""
    rank = models.Case(
        *(models.When(kind=kind, then=index) for index, kind in enumerate(UnitKind.values)),
        default=len(UnitKind.values),
    )
    return units.order_by(rank, "code", "name")


def find_units(text: str = "", kind: str = "") -> models.QuerySet[Unit]:
    """Units whose name, full name or an alias contains ``text`` (compared as names are)."""
    units = by_kind(Unit.objects.all())
    if kind:
        units = units.filter(kind=kind)
    text = text.strip()
    if text:
        key = name_key(text)
        units = units.filter(
            Q(name__icontains=text)
            | Q(full_name__icontains=text)
            | Q(aliases__name__icontains=text)
            | Q(key__contains=key)
            | Q(aliases__key__contains=key)
        ).distinct()
    return units
