"""待办 of reporting: what waits for the signed-in user, read straight from the reporting models.

For a unit operator: reports to write (open periods × tasks the unit leads without a
submitted or accepted report), contributions requested (open periods × tasks the unit is
responsible for, by name or through a group, without a submitted or accepted contribution),
returned reports and refinements to fix, and refinements to write (lead tasks of the newest
plan whose refinement is missing or still a draft). For the office: refinements and reports
submitted and waiting for review. Everyone else has nothing to do here.

Everything is asked of the models' ``restrict``: the tasks the unit may report on and refine
(it leads them), those it contributes to (responsible, not lead), the refinements it may still
change, what the office may review. ``querysets(user)`` gives them by ``Kind`` (the reminders of
duban.notify read them too); ``SOURCE`` hands them to the 待办 registry (``duban.core.todo``,
registered in ``ReportingConfig.ready``), which builds the page and the navigation count.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from duban.core import clock
from duban.core.permissions import Action, actor
from duban.core.todo import Item, Source
from duban.ledger.models import Plan, Task

from ..models import Contribution, Period, PeriodState, Refinement, Report, ReviewState
from .periods import period_label

DONE = (ReviewState.SUBMITTED, ReviewState.ACCEPTED)


class Kind(StrEnum):
    REPORTS_TO_WRITE = "reports_to_write"
    CONTRIBUTIONS = "contributions"
    RETURNED_REPORTS = "returned_reports"
    RETURNED_REFINEMENTS = "returned_refinements"
    REFINEMENTS_TO_WRITE = "refinements_to_write"
    REFINEMENTS_TO_REVIEW = "refinements_to_review"
    REPORTS_TO_REVIEW = "reports_to_review"


TITLES = {
    Kind.REPORTS_TO_WRITE: _("Reports to write"),
    Kind.CONTRIBUTIONS: _("Contributions requested"),
    Kind.RETURNED_REPORTS: _("Returned reports to fix"),
    Kind.RETURNED_REFINEMENTS: _("Returned refinements to fix"),
    Kind.REFINEMENTS_TO_WRITE: _("Refinements to write"),
    Kind.REFINEMENTS_TO_REVIEW: _("Refinements waiting for review"),
    Kind.REPORTS_TO_REVIEW: _("Reports waiting for review"),
}


# --- Querysets, one per kind ------------------------------------------------------------------


def _with_open_periods(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """One row per (task, open period of its plan)."""
    return tasks.filter(plan__periods__state=PeriodState.OPEN).annotate(
        period_id=F("plan__periods__id"),
        period_code=F("plan__periods__code"),
        period_kind=F("plan__periods__kind"),
        period_quarter=F("plan__periods__quarter"),
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


# --- The 待办 source -------------------------------------------------------------------------


def _label(code: str, kind: str, quarter: int | None) -> str:
    """A period's words (2023年第1季度) from its annotated fields, without reading it again."""
    return period_label(Period(code=code, kind=kind, quarter=quarter))


def _comment(text: str) -> str:
    return gettext("Office's comment: %(comment)s") % {"comment": text} if text else ""


class ReportingSource(Source):
    name = "reporting"
    order = 20
    kinds: Mapping[str, Any] = {str(kind): title for kind, title in TITLES.items()}

    def querysets(self, user: Any) -> dict[str, QuerySet[Any]]:
        return {str(kind): queryset for kind, queryset in querysets(user).items()}

    def items(self, kind: str, queryset: QuerySet[Any]) -> list[Item]:
        if queryset.model is Task:
            return self._tasks(Kind(kind), queryset.select_related("plan"))
        if queryset.model is Report:
            return [
                Item(
                    title=r.task.text,
                    link=reverse("reporting:report", args=[r.task_id, r.period_id]),
                    task=r.task,
                    due_on=r.period.due_on,
                    note=_comment(r.review_comment) if kind == Kind.RETURNED_REPORTS else "",
                    period_label=period_label(r.period),
                    submitted_at=r.submitted_at,
                    key=r.period.code,
                )
                for r in queryset.select_related("task__plan", "period")
            ]
        reviewing = kind == Kind.REFINEMENTS_TO_REVIEW
        view = "reporting:refinement" if reviewing else "reporting:refinement_edit"
        return [
            Item(
                title=r.task.text,
                link=reverse(view, args=[r.task_id]),
                task=r.task,
                note=_comment(r.review_comment) if kind == Kind.RETURNED_REFINEMENTS else "",
                submitted_at=r.submitted_at,
            )
            for r in queryset.select_related("task__plan")
        ]

    @staticmethod
    def _tasks(kind: Kind, tasks: QuerySet[Any]) -> list[Item]:  # annotated by period
        if kind == Kind.REFINEMENTS_TO_WRITE:
            return [
                Item(title=t.text, link=reverse("reporting:refinement_edit", args=[t.pk]), task=t)
                for t in tasks
            ]
        writing = kind == Kind.REPORTS_TO_WRITE
        view = "reporting:report_edit" if writing else "reporting:contribution_edit"
        today = clock.today()
        return [
            Item(
                title=t.text,
                link=reverse(view, args=[t.pk, t.period_id]),
                task=t,
                due_on=t.due_on,
                period_label=_label(t.period_code, t.period_kind, t.period_quarter),
                overdue=t.due_on < today,
                key=t.period_code,
            )
            for t in tasks
        ]


SOURCE = ReportingSource()
