"""The one place that decides who may see or change what.

Every page, export, API call and command asks ``restrict_tasks`` (which tasks a user may see)
or ``can`` (may this user do this to that). Nothing else checks roles.

- The supervision office (督查室, role ``office``, and superusers) sees and manages everything.
- A viewer reads every task and changes nothing.
- A leader sees the tasks he or she leads (牵头领导), read-only.
- A unit operator sees the tasks that concern the unit: as lead unit, as responsible unit, or
  through a group that stands for it (a town is in 各镇（街道）). The lead unit's operator refines
  the task and writes its reports; a responsible unit's operator contributes.
- The system, security and audit administrators (三权分立) see no business data: the security
  administrator manages accounts, the audit administrator reads the audit trail.
- Staff status (Django's admin site) grants nothing here; an inactive account may do nothing.

Pages answer 403 for a task that exists but that the user may not see (and for a plan's notice
when none of its tasks is visible), 404 only for what does not exist at all: the issue asks for
403, and the tasks are printed in a public notice anyway. ``reads_ledger`` says whether a
user's role reads business data at all (the ledger's pages and exports; docs/accounts.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from duban.directory.models import Group, GroupExpansion, UnitKind
from duban.ledger.models import Assignment, AssignmentRole, Task, TaskLeader

from .models import Membership, Role


class Action(StrEnum):
    VIEW = "view"  # read a task and everything attached to it
    REFINE = "refine"  # edit and submit the task's refinement (lead unit)
    REPORT = "report"  # write and submit the task's report (lead unit)
    CONTRIBUTE = "contribute"  # submit a contribution to the report (responsible unit)
    REVIEW = "review"  # approve or return refinements and reports (office)
    DOWNLOAD = "download"  # download an evidence file or the original notice
    MANAGE_LEDGER = "manage_ledger"  # import notices, edit the directory, open periods, set status
    MANAGE_USERS = "manage_users"  # create, deactivate, reset and assign accounts
    READ_AUDIT = "read_audit"  # read the whole audit trail


@dataclass(frozen=True)
class Actor:
    """What the rule needs to know about a user, read once per request."""

    user_id: int | None
    active: bool
    role: str | None
    unit_id: int | None
    unit_kind: str | None
    leader_id: int | None
    superuser: bool
    unit_active: bool = True

    @property
    def is_office(self) -> bool:
        return self.active and (self.superuser or self.role == Role.OFFICE)


_ANONYMOUS = Actor(None, False, None, None, None, None, False)


def actor(user: Any) -> Actor:
    """Read afresh on every call: Django caches ``user.membership`` and its unit on the user
    object, so repeated calls cost no query, and a change of ``is_active`` or of the
    membership made on that object is seen at once (a cached Actor would hide it)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return _ANONYMOUS
    membership = _membership(user)
    unit = membership.unit if membership is not None else None
    return Actor(
        user_id=user.pk,
        active=bool(user.is_active),
        role=membership.role if membership is not None else None,
        unit_id=unit.pk if unit is not None else None,
        unit_kind=unit.kind if unit is not None else None,
        leader_id=membership.leader_id if membership is not None else None,
        superuser=bool(user.is_superuser),
        unit_active=bool(unit.active) if unit is not None else True,
    )


def _membership(user: Any) -> Membership | None:
    """The user's membership with its unit, in one query the first time, then from the cache
    Django keeps on the user object (``user.membership`` reads the same cache)."""
    relation = user._meta.get_field("membership")
    if not relation.is_cached(user):
        found = Membership.objects.select_related("unit").filter(user_id=user.pk).first()
        relation.set_cached_value(user, found)
    membership: Membership | None = relation.get_cached_value(user)
    return membership


def covering_groups(unit_id: int, unit_kind: str | None, unit_active: bool = True) -> Q:
    """Groups that stand for this unit: every town and street, the streets, the towns, members.

    As in ``Group.expansion_filter``, the groups of towns and streets cover active units only: a
    retired town is no longer in 各镇（街道）, here as on the ledger's unit filter.
    """
    condition = Q(expansion=GroupExpansion.MEMBERS, members=unit_id)
    if not unit_active:
        return condition
    if unit_kind in (UnitKind.TOWN, UnitKind.STREET):
        condition |= Q(expansion=GroupExpansion.TOWNSHIPS)
    if unit_kind == UnitKind.STREET:
        condition |= Q(expansion=GroupExpansion.STREETS)
    if unit_kind == UnitKind.TOWN:
        condition |= Q(expansion=GroupExpansion.TOWNS)
    return condition


def assigned(who: Actor, role: str | None = None) -> Exists:
    """Tasks on which the user's unit is assigned (directly, through a group, or named behind
    an open placeholder), as a filter condition on Task; ``role`` narrows it to lead or
    responsible. The 待办 queries use it too, so they cannot disagree with the rule."""
    assert who.unit_id is not None
    groups = Group.objects.filter(
        covering_groups(who.unit_id, who.unit_kind, who.unit_active)
    ).values("pk")
    # A unit the lead unit named behind an open placeholder (相关镇（街道） → 缑氏镇) is on the
    # task like any other unit of that assignment.
    assignments = Assignment.objects.filter(task=OuterRef("pk")).filter(
        Q(unit_id=who.unit_id) | Q(group__in=groups) | Q(slot_units__unit_id=who.unit_id)
    )
    if role is not None:
        assignments = assignments.filter(role=role)
    return Exists(assignments)


BUSINESS_ROLES = (Role.OFFICE, Role.VIEWER, Role.LEADER, Role.UNIT_OPERATOR)


def reads_ledger(user: Any) -> bool:
    """Does the user's role read business data at all (the ledger, its pages and exports)?

    True for the office, viewers, leaders and unit operators, even when they see no task yet;
    False for the system, security and audit administrators, users without a role, and anyone
    inactive or signed out. Pages use it to answer 403 rather than an empty ledger.
    """
    who = actor(user)
    return who.is_office or (who.active and who.role in BUSINESS_ROLES)


def restrict_tasks(user: Any, tasks: QuerySet[Task] | None = None) -> QuerySet[Task]:
    """The tasks ``user`` may see, as a filter on ``tasks`` (all tasks by default)."""
    tasks = Task.objects.all() if tasks is None else tasks
    who = actor(user)
    if not who.active:
        return tasks.none()
    if who.is_office or who.role == Role.VIEWER:
        return tasks
    if who.role == Role.LEADER and who.leader_id is not None:
        return tasks.filter(
            Exists(TaskLeader.objects.filter(task=OuterRef("pk"), leader_id=who.leader_id))
        )
    if who.role == Role.UNIT_OPERATOR and who.unit_id is not None:
        return tasks.filter(assigned(who))
    return tasks.none()


def unit_role_on(user: Any, task: Task) -> str | None:
    """``lead`` or ``responsible`` when the user's unit has that role on the task, else None."""
    who = actor(user)
    if not who.active or who.role != Role.UNIT_OPERATOR or who.unit_id is None:
        return None
    for role in (AssignmentRole.LEAD, AssignmentRole.RESPONSIBLE):
        if Task.objects.filter(pk=task.pk).filter(assigned(who, role)).exists():
            return str(role)
    return None


def can_see_task(user: Any, task: Task) -> bool:
    return restrict_tasks(user, Task.objects.filter(pk=task.pk)).exists()


def can(user: Any, action: Action, task: Task | None = None) -> bool:
    """May ``user`` do ``action`` (to ``task`` when the action concerns one)?"""
    who = actor(user)
    if not who.active:
        return False
    if action == Action.MANAGE_LEDGER or action == Action.REVIEW:
        return who.is_office
    if action == Action.MANAGE_USERS:
        return who.is_office or who.role == Role.SECURITY_ADMIN
    if action == Action.READ_AUDIT:
        return who.superuser or who.role == Role.AUDIT_ADMIN
    if task is None:
        return False
    if action in (Action.VIEW, Action.DOWNLOAD):
        return can_see_task(user, task)
    if action in (Action.REFINE, Action.REPORT):
        return unit_role_on(user, task) == AssignmentRole.LEAD
    if action == Action.CONTRIBUTE:
        return unit_role_on(user, task) == AssignmentRole.RESPONSIBLE
    return False
