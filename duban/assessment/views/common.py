"""What the assessment pages share: the plan asked for, the page frame, the year's facts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from duban.core import clock
from duban.core.formatting import format_cn_date
from duban.core.permissions import Action
from duban.ledger.models import Plan

from ..models import Appeal, AppealState, Assessment, AssessmentState, Component, Group, UnitScore


def page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context.setdefault("nav", "assessment")
    context.setdefault("max_upload_mb", settings.DUBAN_MAX_UPLOAD_BYTES // 2**20)
    return render(request, f"assessment/{template}", context, status=status)


def plans_for(user: Any) -> list[Plan]:
    return list(Plan.objects.restrict(user, Action.VIEW).order_by("-year", "-pk"))


def chosen_plan(request: HttpRequest) -> tuple[Plan, list[Plan]]:
    """The plan asked for (``?plan=``), else the newest the person sees; 404 for none."""
    plans = plans_for(request.user)
    wanted = request.GET.get("plan") or request.POST.get("plan") or ""
    if wanted:
        plan = next((p for p in plans if str(p.pk) == wanted.strip()), None)
        if plan is None:
            raise Http404(_("There is no such plan."))
        return plan, plans
    if not plans:
        raise Http404(_("There is no plan yet: import a notice first."))
    return plans[0], plans


def state_label(assessment: Assessment | None) -> str:
    if assessment is None:
        return _("Not computed yet")
    return str(assessment.get_state_display())


def state_key(assessment: Assessment | None) -> str:
    """For the page's badge class and for tests: none, draft, publicity, published."""
    return "none" if assessment is None else assessment.state


def pending_appeals(assessment: Assessment) -> int:
    return Appeal.objects.filter(
        item__score__assessment=assessment, state=AppealState.PENDING
    ).count()


def publicity_over(assessment: Assessment) -> bool:
    """The publicity period has run its course (the day after its last day has come)."""
    until = assessment.publicity_until
    return until is not None and clock.today() > until


def publish_blockers(assessment: Assessment) -> list[str]:
    """Why the year cannot be published yet, in words ([] when it can)."""
    if assessment.state != AssessmentState.PUBLICITY:
        return []
    found = []
    pending = pending_appeals(assessment)
    if pending:
        found.append(
            ngettext(
                "%(count)s appeal still waits for a decision.",
                "%(count)s appeals still wait for a decision.",
                pending,
            )
            % {"count": pending}
        )
    if not publicity_over(assessment) and assessment.publicity_until is not None:
        found.append(
            _("Publicity runs until %(date)s; the result can be published after that day.")
            % {"date": format_cn_date(assessment.publicity_until)}
        )
    return found


@dataclass(frozen=True)
class GroupTable:
    group: str
    label: str
    scores: list[UnitScore]


def by_group(scores: list[UnitScore]) -> list[GroupTable]:
    """The scores in their ranking groups: towns and streets first, then departments."""
    return [
        GroupTable(value, str(label), [s for s in scores if s.group == value])
        for value, label in Group.choices
        if any(s.group == value for s in scores)
    ]


@dataclass(frozen=True)
class Subtotal:
    component: str
    label: str
    points: Decimal


def subtotals(score: UnitScore) -> list[Subtotal]:
    """A unit's points per component (任务完成, 序时进度, …, 加分, 扣分): they add up to its
    score, as its items do."""
    totals: dict[str, Decimal] = {}
    for item in score.items.all():
        totals[item.component] = totals.get(item.component, Decimal(0)) + item.final_points
    return [
        Subtotal(value, str(label), totals[value])
        for value, label in Component.choices
        if value in totals
    ]
