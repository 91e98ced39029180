"""What a person may see of a year's assessment (the pages, the exports and the cockpit).

The office sees a year from its first computation (a draft); leaders, viewers and units once
publicity has opened — the units their own score only (each model's ``permitted``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from duban.core.permissions import Action, can
from duban.ledger.models import Plan

from ..models import VISIBLE_STATES, Assessment, ScoreItem, UnitScore


def visible_assessment(plan: Plan, user: Any) -> Assessment | None:
    """The plan's assessment if the person may see its scores: the office always, everyone else
    who sees the plan once publicity has opened; None otherwise (or when there is none)."""
    found = (
        Assessment.objects.restrict(user, Action.VIEW)
        .filter(plan=plan)
        .select_related("scheme", "plan")
        .first()
    )
    if found is None:
        return None
    if found.state in VISIBLE_STATES or can(user, Action.CHANGE, found):
        return found
    return None


def scores_for(assessment: Assessment, user: Any) -> list[UnitScore]:
    """The scores the person may see, by group then rank, with unit and items prefetched."""
    items = ScoreItem.objects.select_related("task").order_by("position", "pk")
    return list(
        UnitScore.objects.restrict(user, Action.VIEW)
        .filter(assessment=assessment)
        .select_related("unit", "assessment")
        .prefetch_related(Prefetch("items", queryset=items))
        .order_by("group", "rank", "unit__name")
    )


def current_scores(plan: Plan, user: Any) -> list[UnitScore]:
    """For the cockpit: the scores of the plan's year the person may see ([] before any)."""
    assessment = visible_assessment(plan, user)
    if assessment is None:
        return []
    return scores_for(assessment, user)
