"""Who sees and does what in special inspections, built only on duban.accounts.permissions.

- The office (``Action.MANAGE_LEDGER``) plans inspections, records findings, raises items;
  it verifies and closes them (``Action.REVIEW``).
- A unit sees the rectification items it owns (even on a task it does not otherwise see: the
  office gave it the item) and the findings on tasks it can see; its operators report on its
  items.
- Accounts without a unit that read the ledger (viewers, leaders) see the findings and items of
  the tasks they see, read-only. The administrators of 三权分立 see nothing (403).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from duban.accounts.permissions import Action, actor, can, reads_ledger, restrict_tasks
from duban.ledger.models import Task

from .models import Finding, Inspection, RectificationItem


def manages(user: Any) -> bool:
    return can(user, Action.MANAGE_LEDGER)


def reviews(user: Any, task: Task | None = None) -> bool:
    return can(user, Action.REVIEW, task)


def opens_inspections(user: Any) -> bool:
    """May the user open the inspection pages at all (the office and the units: nav link)."""
    who = actor(user)
    return reads_ledger(user) and (who.is_office or who.unit_id is not None)


def visible_items(user: Any, items: QuerySet[RectificationItem] | None = None) -> QuerySet:
    items = RectificationItem.objects.all() if items is None else items
    who = actor(user)
    if not reads_ledger(user):
        return items.none()
    if who.is_office:
        return items
    if who.unit_id is not None:
        return items.filter(unit_id=who.unit_id)
    return items.filter(task__in=restrict_tasks(user).values("pk"))


def may_see_item(user: Any, item: RectificationItem) -> bool:
    who = actor(user)
    if not reads_ledger(user):
        return False
    if who.is_office:
        return True
    if who.unit_id is not None:
        return item.unit_id == who.unit_id
    return can(user, Action.VIEW, item.task)


def owns(user: Any, item: RectificationItem) -> bool:
    """Is the user an operator of the item's owner unit (who writes its report)?"""
    who = actor(user)
    return (
        reads_ledger(user)
        and not who.is_office
        and who.unit_id is not None
        and who.unit_id == item.unit_id
    )


def visible_findings(user: Any, findings: QuerySet[Finding] | None = None) -> QuerySet:
    findings = Finding.objects.all() if findings is None else findings
    if not reads_ledger(user):
        return findings.none()
    if actor(user).is_office:
        return findings
    return findings.filter(task__in=restrict_tasks(user).values("pk"))


def visible_inspections(user: Any) -> QuerySet[Inspection]:
    """The office's all; others' those covering a task they see or holding an item they own."""
    inspections = Inspection.objects.all()
    if not reads_ledger(user):
        return inspections.none()
    if actor(user).is_office:
        return inspections
    tasks = restrict_tasks(user).values("pk")
    items = visible_items(user).values("finding__inspection_id")
    return inspections.filter(Q(covered__task__in=tasks) | Q(pk__in=items)).distinct()
