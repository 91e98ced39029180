"""The workflows of special inspections, with keyword arguments and the acting user.

Views and commands call these; each asks the models' rule (``duban.core.permissions.can``) for
the acting user's right itself (``NotAllowed``: a console or job without a user may not either)
and refuses a step out of order with a message for people (``InspectionError``). Every change is
saved object by object, so the audit trail records it under the acting user.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any, TypeVar, cast

from django.db import transaction
from django.utils.translation import gettext as _

from duban.audit.context import acting_as, current
from duban.core import clock
from duban.core.files import CheckedFile, forget, save_upload
from duban.core.permissions import Action, can
from duban.directory.models import Unit
from duban.ledger.models import AssignmentRole, Plan, Task

from . import announcements
from .models import (
    Finding,
    Inspection,
    InspectionFile,
    InspectionState,
    InspectionTask,
    ItemState,
    RectificationItem,
    Severity,
)

MAX_TEXT = 5000
F = TypeVar("F", bound=Callable[..., Any])


def _acting(work: F) -> F:
    """Attribute every change the workflow makes to its ``user`` in the audit trail (a command
    has no request; a request keeps its address)."""

    @functools.wraps(work)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with acting_as(kwargs.get("user"), current().address):
            return work(*args, **kwargs)

    return cast(F, wrapper)


class InspectionError(ValueError):
    """A step refused; the message says why, for people."""


class NotAllowed(InspectionError):
    """The acting user may not take this step."""


def _text(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InspectionError(_("%(what)s cannot be empty.") % {"what": what})
    if len(value) > MAX_TEXT:
        raise InspectionError(
            _("%(what)s is longer than %(max)s characters.") % {"what": what, "max": MAX_TEXT}
        )
    return value


def _dates(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise InspectionError(_("An inspection cannot end before it starts."))


def _cover(inspection: Inspection, tasks: Iterable[Task]) -> None:
    wanted = {task.pk: task for task in tasks}
    if not wanted:
        raise InspectionError(_("Choose at least one task for the inspection."))
    if any(task.plan_id != inspection.plan_id for task in wanted.values()):
        raise InspectionError(_("An inspection covers tasks of its own plan only."))
    current = {row.task_id: row for row in inspection.covered.all()}
    kept = set(Finding.objects.filter(inspection=inspection).values_list("task_id", flat=True))
    for task_id, row in current.items():
        if task_id not in wanted:
            if task_id in kept:
                raise InspectionError(
                    _("Task %(number)s has findings and stays covered.")
                    % {"number": row.task.number}
                )
            row.delete()
    for task_id in wanted.keys() - current.keys():
        InspectionTask.objects.create(inspection=inspection, task_id=task_id)


@_acting
@transaction.atomic
def create_inspection(
    *,
    plan: Plan,
    topic: str,
    tasks: Sequence[Task],
    team: str = "",
    starts_on: date,
    ends_on: date,
    state: str = InspectionState.PLANNED,
    user: Any,
) -> Inspection:
    if not can(user, Action.MANAGE_LEDGER):
        raise NotAllowed(_("Only the supervision office may do this."))
    _dates(starts_on, ends_on)
    inspection = Inspection.objects.create(
        plan=plan,
        topic=_text(topic, _("The topic")),
        team=(team or "").strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        state=InspectionState(state),
        created_by=user,
    )
    _cover(inspection, tasks)
    return inspection


@_acting
@transaction.atomic
def update_inspection(
    *,
    inspection: Inspection,
    topic: str,
    tasks: Sequence[Task],
    team: str = "",
    starts_on: date,
    ends_on: date,
    state: str,
    user: Any,
) -> Inspection:
    if not can(user, Action.CHANGE, inspection):
        raise NotAllowed(_("Only the supervision office may do this."))
    _dates(starts_on, ends_on)
    inspection.topic = _text(topic, _("The topic"))
    inspection.team = (team or "").strip()
    inspection.starts_on, inspection.ends_on = starts_on, ends_on
    inspection.state = InspectionState(state)
    inspection.save()
    _cover(inspection, tasks)
    return inspection


def _with_files(work: Any) -> Any:
    """Run ``work(written)`` in a transaction; files written by a rolled-back change go."""
    written: list[str] = []
    try:
        with transaction.atomic():
            return work(written)
    except BaseException:
        forget(written)
        raise


@_acting
def record_finding(
    *,
    inspection: Inspection,
    task: Task,
    text: str,
    severity: str = Severity.GENERAL,
    found_on: date,
    files: Sequence[CheckedFile] = (),
    falsified: bool = False,
    user: Any,
) -> Finding:
    """Files are checked before (``duban.core.files.check_uploads``). ``falsified``: the team
    verified that the task's report was false (核实为虚报瞒报)."""
    if not can(user, Action.CHANGE, inspection):
        raise NotAllowed(_("Only the supervision office may do this."))
    if not inspection.covered.filter(task=task).exists():
        raise InspectionError(
            _("Task %(number)s is not covered by this inspection.") % {"number": task.number}
        )

    def work(written: list[str]) -> Finding:
        finding = Finding.objects.create(
            inspection=inspection,
            task=task,
            text=_text(text, _("The finding")),
            severity=Severity(severity),
            found_on=found_on,
            falsified=falsified,
            recorded_by=user,
        )
        for checked in files:
            written.append(save_upload(InspectionFile(finding=finding), checked, user=user))
        return finding

    finding: Finding = _with_files(work)
    return finding


def lead_unit(task: Task) -> Unit | None:
    """The task's first lead unit named directly (a group cannot own an item)."""
    assignment = (
        task.assignments.filter(role=AssignmentRole.LEAD, unit__isnull=False)
        .select_related("unit")
        .order_by("position")
        .first()
    )
    return assignment.unit if assignment is not None else None


@_acting
@transaction.atomic
def raise_item(
    *,
    finding: Finding,
    text: str,
    deadline: date,
    unit: Unit | None = None,
    user: Any,
) -> RectificationItem:
    """A rectification item (整改事项); the owner unit defaults to the task's lead unit."""
    if not can(user, Action.CHANGE, finding):
        raise NotAllowed(_("Only the supervision office may do this."))
    unit = unit or lead_unit(finding.task)
    if unit is None:
        raise InspectionError(_("Choose the unit that must fix it: the task names no lead unit."))
    item = RectificationItem.objects.create(
        finding=finding,
        task_id=finding.task_id,
        text=_text(text, _("What must be fixed")),
        unit=unit,
        deadline=deadline,
        created_by=user,
    )
    announcements.item_raised(item)
    return item


def _locked(item: RectificationItem) -> RectificationItem:
    return RectificationItem.objects.select_for_update().select_related("task").get(pk=item.pk)


@_acting
def report_item(
    *,
    item: RectificationItem,
    text: str,
    files: Sequence[CheckedFile] = (),
    user: Any,
) -> RectificationItem:
    """The owner unit reports what it did (open or returned items), with evidence files."""
    if not can(user, Action.REPLY, item):
        raise NotAllowed(_("Only the unit that owns this item reports on it."))

    def work(written: list[str]) -> RectificationItem:
        current = _locked(item)
        if current.state not in (ItemState.OPEN, ItemState.RETURNED):
            raise InspectionError(
                _("This item is %(state)s: it cannot be reported again.")
                % {"state": current.get_state_display()}
            )
        current.report_text = _text(text, _("What was done"))
        current.state = ItemState.REPORTED
        current.reported_at = clock.now()
        current.reported_by = user
        current.save()
        for checked in files:
            written.append(save_upload(InspectionFile(item=current), checked, user=user))
        announcements.item_reported(current)
        return current

    reported: RectificationItem = _with_files(work)
    return reported


@_acting
@transaction.atomic
def verify_item(*, item: RectificationItem, comment: str = "", user: Any) -> RectificationItem:
    """The office accepts a report: verified, the reviewer recorded, ready to be closed."""
    current = _locked(item)
    if not can(user, Action.REVIEW, current):
        raise NotAllowed(_("Only the supervision office verifies rectification reports."))
    if current.state != ItemState.REPORTED:
        raise InspectionError(
            _("Only a reported item can be verified; this one is %(state)s.")
            % {"state": current.get_state_display()}
        )
    current.state = ItemState.VERIFIED
    current.verified_at = clock.now()
    current.verified_by = user
    current.review_comment = (comment or "").strip()
    current.save()
    announcements.item_verified(current)
    return current


@_acting
@transaction.atomic
def return_item(*, item: RectificationItem, reason: str, user: Any) -> RectificationItem:
    """退回整改: the office sends a reported (or verified, not yet closed) item back to its unit
    with the reason, which the unit sees on the item and in its list; the unit reports again."""
    current = _locked(item)
    if not can(user, Action.REVIEW, current):
        raise NotAllowed(_("Only the supervision office returns rectification reports."))
    if current.state not in (ItemState.REPORTED, ItemState.VERIFIED):
        raise InspectionError(
            _("Only a reported or verified item can be returned; this one is %(state)s.")
            % {"state": current.get_state_display()}
        )
    if not (reason or "").strip():
        raise InspectionError(_("Say why the report is returned: the unit needs the reason."))
    current.state = ItemState.RETURNED
    current.return_reason = _text(reason, _("The reason"))
    current.returned_at = clock.now()
    current.returned_by = user
    current.times_returned += 1
    current.review_comment = ""
    current.verified_at = None
    current.verified_by = None
    current.save()
    announcements.item_returned(current)
    return current


@_acting
@transaction.atomic
def close_item(*, item: RectificationItem, user: Any) -> RectificationItem:
    """销号: only a verified item, with evidence present and its reviewer recorded."""
    current = _locked(item)
    if not can(user, Action.REVIEW, current):
        raise NotAllowed(_("Only the supervision office closes rectification items."))
    if current.state == ItemState.CLOSED:
        raise InspectionError(_("This item is already closed."))
    if current.state != ItemState.VERIFIED or current.verified_by_id is None:
        raise InspectionError(
            _("The item cannot be closed: the office has not verified its rectification report.")
        )
    if not current.files.exists():
        raise InspectionError(
            _("The item cannot be closed: its rectification report has no evidence file.")
        )
    current.state = ItemState.CLOSED
    current.closed_at = clock.now()
    current.closed_by = user
    current.save()
    announcements.item_closed(current)
    return current
