"""Contributions: what each responsible unit gives the lead unit for a task's report.

A responsible unit's operator (``Action.CONTRIBUTE``) writes the unit's contribution for an
open period (text, figures, evidence files) and submits it; it is then read-only. The lead
unit's report page lists every responsible unit — a group such as 各镇（街道） stands for its
towns and streets, an open slot such as 相关镇（街道） for the units the lead unit named
behind it — with its contribution or the fact that it has not contributed yet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from duban.core import clock
from duban.core import files as stored_files
from duban.core.permissions import Action, actor, check
from duban.directory.models import Unit
from duban.ledger.models import Assignment, AssignmentRole, Task
from duban.ledger.queries import Directory

from ..models import Contribution, Evidence, Period, PeriodState, ReviewState, SlotUnit
from .reports import MAX_TEXT, NotEditable, ReportingError


class StaleContribution(ReportingError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else saved this contribution after you; reload the page and make your "
                "changes again. Your text is below…"
            )
        )


@dataclass
class ContributorRow:
    unit: Unit
    via: str  # the group the unit is named through, or ""
    contribution: Contribution | None

    @property
    def submitted(self) -> bool:
        return self.contribution is not None and self.contribution.state == ReviewState.SUBMITTED


def expected_contributors(task: Task, directory: Directory | None = None) -> list[tuple[Unit, str]]:
    """(unit, via group) of every unit responsible for the task, lead units left out."""
    directory = directory or Directory.load()
    assignments = list(Assignment.objects.filter(task=task).select_related("unit", "group"))
    slots: dict[int, list[Unit]] = defaultdict(list)
    for slot in SlotUnit.objects.filter(assignment__task=task).select_related("unit"):
        slots[slot.assignment_id].append(slot.unit)
    leads = {a.unit_id for a in assignments if a.role == AssignmentRole.LEAD and a.unit_id}
    found: dict[int, tuple[Unit, str]] = {}
    for assignment in assignments:
        if assignment.role != AssignmentRole.RESPONSIBLE:
            continue
        if assignment.unit is not None:
            units, via = [assignment.unit], ""
        elif assignment.group is not None and assignment.group.is_open:
            units, via = slots[assignment.pk], assignment.group.name
        elif assignment.group is not None:
            units, via = directory.expansion(assignment.group.pk), assignment.group.name
        else:
            continue
        for unit in units:
            if unit.pk not in leads:
                found.setdefault(unit.pk, (unit, via))
    return list(found.values())


def contribution_status(
    task: Task, period: Period, directory: Directory | None = None
) -> list[ContributorRow]:
    """Every responsible unit with its contribution (None when it has not written one)."""
    given = {
        c.unit_id: c
        for c in Contribution.objects.filter(task=task, period=period)
        .select_related("unit", "submitted_by")
        .prefetch_related("evidence")
    }
    rows = [
        ContributorRow(unit, via, given.pop(unit.pk, None))
        for unit, via in expected_contributors(task, directory)
    ]
    rows += [ContributorRow(c.unit, "", c) for c in given.values()]  # named later, say
    return rows


def contribution_for(task: Task, period: Period, unit_id: int | None) -> Contribution | None:
    if unit_id is None:
        return None
    return Contribution.objects.filter(task=task, period=period, unit_id=unit_id).first()


def save_contribution(
    *,
    task: Task,
    period: Period,
    user: Any,
    text: str,
    figures: str,
    version: int | None,
    files: Iterable[Any] = (),
    remove_evidence: Collection[int] = (),
    submit: bool = False,
    unit: Unit | None = None,
) -> Contribution:
    """Write the user's unit's contribution (``unit`` for the console), optionally submit it."""
    check(user, Action.CONTRIBUTE, task)
    unit_id = unit.pk if unit is not None else actor(user).unit_id
    if unit_id is None:
        raise ReportingError(_("A contribution is written for a unit."))
    text, figures = text.strip(), figures.strip()
    if len(text) > MAX_TEXT or len(figures) > MAX_TEXT:
        raise ReportingError(
            _("A text may hold at most %(limit)s characters.") % {"limit": MAX_TEXT}
        )
    if submit and not (text or figures):
        raise ReportingError(_("Write what the unit did before submitting the contribution."))
    checked = stored_files.check_uploads(files)
    stored: list[str] = []
    try:
        with transaction.atomic():
            period = Period.objects.get(pk=period.pk)
            contribution = (
                Contribution.objects.select_for_update()
                .filter(task=task, period=period, unit_id=unit_id)
                .first()
            )
            if version is not None and (contribution.version if contribution else 0) != version:
                raise StaleContribution()
            _check_writable(period, contribution)
            if contribution is None:
                contribution = Contribution(task=task, period=period, unit_id=unit_id)
            else:
                contribution.version += 1
            contribution.text, contribution.figures = text, figures
            if submit:
                contribution.state = ReviewState.SUBMITTED
                contribution.submitted_at = clock.now()
                contribution.submitted_by = (
                    user if getattr(user, "is_authenticated", False) else None
                )
            contribution.save()
            for item in contribution.evidence.filter(pk__in=remove_evidence):
                stored_files.remove(item)
            for upload in checked:
                item = Evidence(contribution=contribution)
                stored.append(stored_files.save_upload(item, upload, user=user))
    except IntegrityError as exc:
        stored_files.forget(stored)
        raise StaleContribution() from exc
    except BaseException:
        stored_files.forget(stored)
        raise
    return contribution


def _check_writable(period: Period, contribution: Contribution | None) -> None:
    if period.state != PeriodState.OPEN:
        message = _("Period %(code)s is not open: contributions cannot be written or submitted.")
        raise NotEditable(message % {"code": period.code})
    if contribution is not None and contribution.state != ReviewState.DRAFT:
        raise NotEditable(_("This contribution has been submitted and can no longer be changed."))
