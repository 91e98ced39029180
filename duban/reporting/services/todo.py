"""待办: what is waiting for the signed-in user, read straight from the reporting models.

For a unit operator: reports to write (open periods × tasks the unit leads without a
submitted or accepted report), contributions requested (open periods × tasks the unit is
responsible for, by name or through a group, without a submitted or accepted contribution),
returned reports and refinements to fix, and refinements to write (lead tasks of the newest
plan whose refinement is missing or still a draft). For the office: refinements and reports
submitted and waiting for review. Everyone else has nothing to do here.

Everything is asked of the models' ``restrict``: the tasks the unit may report on and refine
(it leads them), those it contributes to (responsible, not lead), the refinements it may still
change, what the office may review. The counts of the navigation bar come from the same
querysets, all counted in one query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import (
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from duban.core.permissions import Action, actor
from duban.ledger.models import Plan, Task

from ..models import Contribution, PeriodState, Refinement, Report, ReviewState

DONE = (ReviewState.SUBMITTED, ReviewState.ACCEPTED)


class Kind(StrEnum):
    REPORTS_TO_WRITE = "reports_to_write"
    CONTRIBUTIONS = "contributions"
    RETURNED_REPORTS = "returned_reports"
    RETURNED_REFINEMENTS = "returned_refinements"
    REFINEMENTS_TO_WRITE = "refinements_to_write"
    REFINEMENTS_TO_REVIEW = "refinements_to_review"
    REPORTS_TO_REVIEW = "reports_to_review"


REFINEMENT_KINDS = (
    Kind.RETURNED_REFINEMENTS,
    Kind.REFINEMENTS_TO_WRITE,
    Kind.REFINEMENTS_TO_REVIEW,
)
TITLES = {
    Kind.REPORTS_TO_WRITE: _("Reports to write"),
    Kind.CONTRIBUTIONS: _("Contributions requested"),
    Kind.RETURNED_REPORTS: _("Returned reports to fix"),
    Kind.RETURNED_REFINEMENTS: _("Returned refinements to fix"),
    Kind.REFINEMENTS_TO_WRITE: _("Refinements to write"),
    Kind.REFINEMENTS_TO_REVIEW: _("Refinements waiting for review"),
    Kind.REPORTS_TO_REVIEW: _("Reports waiting for review"),
}


@dataclass(frozen=True)
class Item:
    task: Task
    period_code: str = ""
    due_on: date | None = None
    submitted_at: Any = None
    comment: str = ""


@dataclass(frozen=True)
class Section:
    kind: Kind
    items: list[Item]

    @property
    def title(self) -> str:
        return str(TITLES[self.kind])

    @property
    def by_period(self) -> bool:
        """Items of a reporting period (reports, contributions), not refinements."""
        return self.kind not in REFINEMENT_KINDS


@dataclass
class Todo:
    sections: list[Section] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(section.items) for section in self.sections)


# --- Querysets, one per kind ------------------------------------------------------------------


def _with_open_periods(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """One row per (task, open period of its plan)."""
    return tasks.filter(plan__periods__state=PeriodState.OPEN).annotate(
        period_id=F("plan__periods__id"),
        period_code=F("plan__periods__code"),
        due_on=F("plan__periods__due_on"),
    )


def querysets(user: Any) -> dict[Kind, QuerySet[Any]]:
    """The user's to-do items of each kind, unevaluated (empty for who has nothing to do)."""
    who = actor(user)
    found: dict[Kind, QuerySet[Any]] = {}
    if not who.active:
        return found
    if who.manages:  # the office reviews
        found[Kind.REFINEMENTS_TO_REVIEW] = (
            Refinement.objects.restrict(user, Action.REVIEW)
            .filter(state=ReviewState.SUBMITTED)
            .order_by("submitted_at", "pk")
        )
        found[Kind.REPORTS_TO_REVIEW] = (
            Report.objects.restrict(user, Action.REVIEW)
            .filter(state=ReviewState.SUBMITTED)
            .order_by("submitted_at", "pk")
        )
    if who.unit_id is None:  # only a unit writes reports, refinements and contributions
        return found
    lead = Task.objects.restrict(user, Action.REPORT)
    responsible = Task.objects.restrict(user, Action.CONTRIBUTE)
    written = Report.objects.filter(
        task=OuterRef("pk"), period=OuterRef("period_id"), state__in=(*DONE, ReviewState.RETURNED)
    )
    found[Kind.REPORTS_TO_WRITE] = (
        _with_open_periods(lead).exclude(Exists(written)).order_by("due_on", "plan", "position")
    )
    contributed = Contribution.objects.filter(
        task=OuterRef("pk"), period=OuterRef("period_id"), unit_id=who.unit_id, state__in=DONE
    )
    found[Kind.CONTRIBUTIONS] = (
        _with_open_periods(responsible)
        .exclude(Exists(contributed))
        .order_by("due_on", "plan", "position")
    )
    found[Kind.RETURNED_REPORTS] = Report.objects.filter(
        state=ReviewState.RETURNED, task__in=lead.values("pk")
    ).order_by("period__due_on", "task__position")
    found[Kind.RETURNED_REFINEMENTS] = (
        Refinement.objects.restrict(user, Action.CHANGE)
        .filter(state=ReviewState.RETURNED)
        .order_by("task__plan", "task__position")
    )
    newest = Plan.objects.order_by("-year", "-pk").values("pk")[:1]
    found[Kind.REFINEMENTS_TO_WRITE] = (
        Task.objects.restrict(user, Action.REFINE)
        .filter(plan=Subquery(newest))
        .filter(Q(refinement__isnull=True) | Q(refinement__state=ReviewState.DRAFT))
        .order_by("position")
    )
    return found


# --- The page and the count -------------------------------------------------------------------


def todo_for(user: Any) -> Todo:
    """Every item, each kind in one query (the empty kinds are left out)."""
    todo = Todo()
    for kind, queryset in querysets(user).items():
        items = _items(kind, queryset)
        if items:
            todo.sections.append(Section(kind, items))
    return todo


def _items(kind: Kind, queryset: QuerySet[Any]) -> list[Item]:
    if queryset.model is Task:
        tasks = queryset.select_related("plan")
        return [Item(t, getattr(t, "period_code", ""), getattr(t, "due_on", None)) for t in tasks]
    if queryset.model is Report:
        reports = queryset.select_related("task__plan", "period")
        return [
            Item(r.task, r.period.code, r.period.due_on, r.submitted_at, r.review_comment)
            for r in reports
        ]
    refinements = queryset.select_related("task__plan")
    return [Item(r.task, "", None, r.submitted_at, r.review_comment) for r in refinements]


def count_for(user: Any) -> int:
    """How many items are waiting, in one query whatever the user (none when nothing can be)."""
    found = querysets(user)
    if not found:
        return 0
    counts = {
        kind.value: Coalesce(
            Subquery(
                queryset.order_by().values(
                    n=Func(F("pk"), function="COUNT", output_field=IntegerField())
                )
            ),
            Value(0),
        )
        for kind, queryset in found.items()
    }
    row = get_user_model().objects.filter(pk=user.pk).values(**counts).first()
    return sum(row.values()) if row else 0
