"""The refinement workflow (细化任务台账): the lead unit drafts and submits, the office reviews.

States: draft → submitted → accepted, or submitted → returned (with the office's comment) →
resubmitted. A submitted or accepted refinement is read-only for the lead unit; the office can
reopen an accepted one (it goes back as returned, with a comment saying why).

Every workflow takes keyword arguments and the acting user, asks ``can`` first, and moves the
refinement forward with a compare-and-swap on ``Refinement.version``
(``UPDATE … WHERE version = x``): of two people working from the same version, the first wins
and the second gets ``StaleRefinement`` with nothing written. Because a queryset update does not
send signals, this module writes the refinement's own audit event; milestones, quarters and
slot units are saved one by one and audited by the signals.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.audit.context import acting_as, current
from duban.audit.models import AuditAction
from duban.audit.signals import record, snapshot
from duban.core import clock
from duban.core.permissions import Action, can
from duban.ledger.models import Task

from ..models import EDITABLE, Milestone, QuarterPlan, Refinement, ReviewState, SlotUnit
from . import announcements
from .refinement_rules import (
    PERCENT,
    QUARTERS,
    TARGETS,
    MilestoneInput,
    Problem,
    RefinementInput,
    check,
    named_units,
    open_assignments,
)

STALE_MESSAGE = gettext_lazy(
    "Someone else saved or submitted this refinement after you opened it. Your changes were "
    "not saved; they are shown below next to the latest version. Check them, then save again "
    "to replace the other version."
)


class RefinementError(Exception):
    """A workflow step was refused; ``str(error)`` says why, in the user's language."""


class NotAllowed(RefinementError):
    pass


class StaleRefinement(RefinementError):
    def __init__(self, current: Refinement | None = None) -> None:
        super().__init__(str(STALE_MESSAGE))
        self.current = current


class WrongState(RefinementError):
    pass


class InvalidRefinement(RefinementError):
    def __init__(self, errors: Sequence[Problem]) -> None:
        super().__init__("\n".join(problem.message for problem in errors))
        self.errors = list(errors)


@dataclass(frozen=True)
class Saved:
    refinement: Refinement
    warnings: list[Problem]


# --- Reading ----------------------------------------------------------------------------------


def refinement_of(task: Task) -> Refinement | None:
    return Refinement.objects.filter(task=task).first()


def input_from(task: Task, refinement: Refinement | None) -> RefinementInput:
    """What is saved, in the shape the checks and the edit form take."""
    slots = {a.pk: named_units(a) for a in open_assignments(task)}
    if refinement is None:
        return RefinementInput(slots=slots)
    milestones = [
        MilestoneInput(m.description, m.due_on, m.unit_id or 0, id=m.pk)
        for m in refinement.milestones.all()
    ]
    quarters = list(refinement.quarters.all())
    percents: list[int | None] = [None] * 4
    values: dict[int, list[Decimal | None]] = {t.pk: [None] * 4 for t in task.targets.all()}
    for row in quarters:
        if row.target_id is None:
            percents[row.quarter - 1] = row.expected_percent
        elif row.target_id in values:
            values[row.target_id][row.quarter - 1] = row.expected_value
    mode = TARGETS if any(row.target_id for row in quarters) else PERCENT
    return RefinementInput(milestones, mode, percents, dict(values), slots)


# --- Workflows --------------------------------------------------------------------------------


def save_refinement(
    *, task: Task, user: Any, version: int, data: RefinementInput, submit: bool = False
) -> Saved:
    """Save the lead unit's draft (``version`` is the one the form was opened with; 0 when
    there was no refinement yet); with ``submit``, check it is complete and submit it too."""
    if not can(user, Action.REFINE, task):
        raise NotAllowed(_("Only the lead unit's operator can refine this task."))
    problems = check(task, data, complete=submit)
    if problems.errors:
        raise InvalidRefinement(problems.errors)
    with _attributed(user), transaction.atomic():
        changes = _submission(user) if submit else {}
        refinement = _advance(task, version, EDITABLE, changes)
        _write_milestones(refinement, data.milestones)
        _write_quarters(refinement, task, data)
        _write_slots(task, data.slots)
        if submit:
            announcements.refinement_submitted(refinement)
    return Saved(refinement, problems.warnings)


def submit_refinement(*, task: Task, user: Any, version: int) -> Saved:
    """Submit the saved draft for review, once it is complete."""
    if not can(user, Action.REFINE, task):
        raise NotAllowed(_("Only the lead unit's operator can submit this refinement."))
    refinement = refinement_of(task)
    if refinement is None:
        raise WrongState(_("Write the refinement before submitting it."))
    problems = check(task, input_from(task, refinement), complete=True)
    if problems.errors:
        raise InvalidRefinement(problems.errors)
    with _attributed(user), transaction.atomic():
        refinement = _advance(task, version, EDITABLE, _submission(user))
        announcements.refinement_submitted(refinement)
    return Saved(refinement, problems.warnings)


def approve_refinement(*, task: Task, user: Any, version: int, comment: str = "") -> Refinement:
    """The office approves a submitted refinement; it becomes read-only."""
    return _review(task, user, version, ReviewState.SUBMITTED, ReviewState.ACCEPTED, comment)


def return_refinement(*, task: Task, user: Any, version: int, comment: str) -> Refinement:
    """The office returns a submitted refinement to the lead unit, saying what to fix."""
    required = _("Say what the lead unit should fix.")
    return _review(
        task, user, version, ReviewState.SUBMITTED, ReviewState.RETURNED, comment, required
    )


def reopen_refinement(*, task: Task, user: Any, version: int, comment: str) -> Refinement:
    """The office reopens an approved refinement: it goes back to the lead unit as returned."""
    required = _("Say why the refinement is reopened.")
    return _review(
        task, user, version, ReviewState.ACCEPTED, ReviewState.RETURNED, comment, required
    )


def _review(
    task: Task,
    user: Any,
    version: int,
    expected: str,
    state: str,
    comment: str,
    required: str = "",
) -> Refinement:
    """Move a refinement from ``expected`` to ``state``; ``required``: the message refusing an
    empty comment, when one is needed."""
    if not can(user, Action.REVIEW, task):
        raise NotAllowed(_("Only the supervision office reviews refinements."))
    if required and not comment.strip():
        raise InvalidRefinement([Problem("comment", required)])
    changes = {
        "state": state,
        "review_comment": comment.strip(),
        "reviewed_at": clock.now(),
        "reviewed_by": user,
    }
    with _attributed(user), transaction.atomic():
        refinement = _advance(task, version, (expected,), changes)
        if state == ReviewState.RETURNED:  # returned, or reopened: the lead unit must act
            reopened = expected == ReviewState.ACCEPTED
            announcements.refinement_returned(refinement, reopened=reopened)
        return refinement


def _submission(user: Any) -> dict[str, Any]:
    return {"state": ReviewState.SUBMITTED, "submitted_at": clock.now(), "submitted_by": user}


# --- Writing ----------------------------------------------------------------------------------


@contextmanager
def _attributed(user: Any) -> Iterator[None]:
    """Outside a request (a command, a job), attribute the audit events to the acting user."""
    if current().user is None:
        with acting_as(user):
            yield
    else:
        yield


def _advance(
    task: Task, version: int, states: Sequence[str], changes: dict[str, Any]
) -> Refinement:
    """Move the refinement from ``version`` to the next one, or refuse: the optimistic lock."""
    if version == 0:  # the form was opened before anyone had saved a refinement
        if ReviewState.DRAFT not in states:
            raise WrongState(_("There is no refinement to review yet."))
        try:
            with transaction.atomic():
                refinement = Refinement(task=task, **changes)
                refinement.save()  # audited by the signals
        except IntegrityError:
            raise StaleRefinement(refinement_of(task)) from None
        return refinement
    current = Refinement.objects.select_for_update().filter(task=task).first()
    if current is None or current.version != version:
        raise StaleRefinement(current)
    if current.state not in states:
        raise WrongState(
            _("The refinement is %(state)s: this cannot be done now.")
            % {"state": current.get_state_display()}
        )
    before = snapshot(current)
    updated = Refinement.objects.filter(pk=current.pk, version=version, state__in=states).update(
        version=version + 1, **changes
    )
    if updated != 1:
        raise StaleRefinement(refinement_of(task))
    current.refresh_from_db()
    after = snapshot(current)
    if {k: v for k, v in before.items() if k != "version"} != {
        k: v for k, v in after.items() if k != "version"
    }:
        record(AuditAction.UPDATE, current, before=before, after=after, task_id=task.pk)
    return current


def _write_milestones(refinement: Refinement, milestones: Sequence[MilestoneInput]) -> None:
    existing = {m.pk: m for m in refinement.milestones.all()}
    kept: set[int] = set()
    for position, item in enumerate(milestones, 1):
        milestone = existing.get(item.id) if item.id is not None else None
        if milestone is None:
            milestone = Milestone(refinement=refinement)
        values = {
            "position": position,
            "description": item.description,
            "due_on": item.due_on,
            "unit_id": item.unit_id,
        }
        if milestone.pk is None or any(getattr(milestone, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(milestone, key, value)
            milestone.save()
        kept.add(milestone.pk)
    for pk, milestone in existing.items():
        if pk not in kept:
            milestone.delete()


def _write_quarters(refinement: Refinement, task: Task, data: RefinementInput) -> None:
    wanted: dict[tuple[int, int | None], int | Decimal] = {}
    if data.mode == TARGETS:
        for target in task.targets.all():
            values = data.target_values.get(target.pk, ())
            for quarter, expected in zip(QUARTERS, values, strict=False):
                if expected is not None:
                    wanted[(quarter, target.pk)] = expected
    else:
        for quarter, percent in zip(QUARTERS, data.percents, strict=False):
            if percent is not None:
                wanted[(quarter, None)] = percent
    for row in list(refinement.quarters.all()):
        key = (row.quarter, row.target_id)
        if key in wanted:
            _set_quarter(row, wanted.pop(key))
        else:
            row.delete()
    for (quarter, target_id), planned in wanted.items():
        _set_quarter(
            QuarterPlan(refinement=refinement, quarter=quarter, target_id=target_id), planned
        )


def _set_quarter(row: QuarterPlan, value: int | Decimal) -> None:
    if row.target_id is None:
        changed = row.expected_percent != value
        row.expected_percent = int(value)
    else:
        changed = row.expected_value is None or Decimal(row.expected_value) != Decimal(value)
        row.expected_value = Decimal(value)
    if changed or row.pk is None:
        row.save()


def _write_slots(task: Task, slots: Mapping[int, Sequence[int]]) -> None:
    for assignment in open_assignments(task):
        wanted = list(dict.fromkeys(slots.get(assignment.pk, ())))
        for slot in SlotUnit.objects.filter(assignment=assignment):
            if slot.unit_id in wanted:
                wanted.remove(slot.unit_id)
            else:
                slot.delete()
        for unit_id in wanted:
            SlotUnit.objects.create(assignment=assignment, unit_id=unit_id)
