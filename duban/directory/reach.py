"""Which units a task's assignment reaches: the one definition, used by every app.

An assignment (a task's lead or responsible entry) names a unit, or a group that stands for
units (各镇（街道） = every active town and street; a members list), or an open placeholder
(相关镇（街道）) behind which the lead unit names units later ("slot units"). A unit is reached
by an assignment in exactly these three ways; the permission rule, the ledger's unit filter and
its counts, reminders and 待办 all ask this module, so they cannot disagree.

The conditions are written on the assignment's field names (``unit``, ``group``,
``slot_units``), so any model that has them, or a relation to one (``prefix``), can be
filtered without this module importing it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from .models import Group, GroupExpansion, Unit, UnitKind


@dataclass(frozen=True)
class UnitRef:
    """What reach needs of a unit: which it is, its kind, whether it is still active."""

    id: int
    kind: str | None
    active: bool = True

    @classmethod
    def of(cls, unit: Unit) -> UnitRef:
        return cls(unit.pk, unit.kind, unit.active)


def covering_groups(unit: UnitRef) -> Q:
    """Groups (as a filter on Group) that stand for this unit: 各镇（街道） for a town, etc.

    Mirrors ``Group.expansion_filter``: groups of towns and streets cover active units only, so
    a retired town is no longer in 各镇（街道）; a members list covers whom it lists. Open
    placeholders cover nobody by themselves (see ``reaching``).
    """
    condition = Q(expansion=GroupExpansion.MEMBERS, members=unit.id)
    if not unit.active:
        return condition
    if unit.kind in (UnitKind.TOWN, UnitKind.STREET):
        condition |= Q(expansion=GroupExpansion.TOWNSHIPS)
    if unit.kind == UnitKind.STREET:
        condition |= Q(expansion=GroupExpansion.STREETS)
    if unit.kind == UnitKind.TOWN:
        condition |= Q(expansion=GroupExpansion.TOWNS)
    return condition


def reaching(unit: UnitRef, *, prefix: str = "") -> Q:
    """Assignments (as a filter; ``prefix`` for a relation such as ``"assignments__"``) that
    reach ``unit``: by name, through a group standing for it, or named behind a placeholder."""
    named, grouped, behind = reaching_parts(unit, prefix=prefix)
    return named | grouped | behind


def reaching_parts(unit: UnitRef, *, prefix: str = "") -> tuple[Q, Q, Q]:
    """The three filters ``reaching`` joins: by name, through a group, behind a placeholder
    (apart, a database reads each through its own index)."""
    groups = Group.objects.filter(covering_groups(unit)).values("pk")
    return (
        Q(**{f"{prefix}unit_id": unit.id}),
        Q(**{f"{prefix}group__in": groups}),
        Q(**{f"{prefix}slot_units__unit_id": unit.id}),
    )


def units_of_group(group: Group) -> QuerySet[Unit]:
    """The units a group stands for (none for an open placeholder, whose units are per task)."""
    condition = group.expansion_filter()
    return Unit.objects.filter(condition) if condition is not None else Unit.objects.none()
