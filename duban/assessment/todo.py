"""待办 of the year-end assessment, registered with duban.core.todo in
``AssessmentConfig.ready``.

For the office (``restrict(user, REVIEW)`` / ``CHANGE``):

- the appeals (申诉) waiting for a decision;
- a year whose publicity is over with no appeal waiting: 公示期已满，可以发布.

For a unit's operators:

- their unit's score in publicity, until its last day: 考核结果公示中，请核对本单位得分, with the
  deadline (``UnitScore … restrict(user, VIEW)``, their own unit's);
- their appeals the office decided in the last ``RECENT_DAYS`` days: information, with the
  decision and the reply.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.core import clock
from duban.core.formatting import format_cn_date, shorten
from duban.core.permissions import Action, actor
from duban.core.todo import Item, Source

from .models import Appeal, AppealState, Assessment, AssessmentState, UnitScore

RECENT_DAYS = 14  # how long a unit sees the office's decision on its appeal

APPEALS_TO_DECIDE = "assessment_appeals_to_decide"
READY_TO_PUBLISH = "assessment_ready_to_publish"
SCORES_IN_PUBLICITY = "assessment_scores_in_publicity"
APPEALS_DECIDED = "assessment_appeals_decided"

TITLES = {
    APPEALS_TO_DECIDE: gettext_lazy("Assessment appeals to decide"),
    READY_TO_PUBLISH: gettext_lazy("Assessment results to publish"),
    SCORES_IN_PUBLICITY: gettext_lazy("Assessment results in publicity"),
    APPEALS_DECIDED: gettext_lazy("Assessment appeals decided"),
}


def _unit_link(unit_id: int, plan_id: int) -> str:
    return f"{reverse('assessment:unit', args=[unit_id])}?plan={plan_id}"


def _decision(appeal: Appeal) -> str:
    if appeal.state == AppealState.UPHELD:
        said = _("Upheld: the item now counts %(points)s points.") % {
            "points": appeal.points_after if appeal.points_after is not None else "0.00"
        }
    else:
        said = _("Not upheld.")
    if appeal.reply:
        said += _("Office's reply: %(reply)s") % {"reply": shorten(appeal.reply, 200)}
    return said


class AssessmentSource(Source):
    name = "assessment"
    order = 40
    kinds = TITLES
    informational = (APPEALS_DECIDED,)

    def querysets(self, user: Any) -> dict[str, QuerySet[Any]]:
        who = actor(user)
        today = clock.today()
        found: dict[str, QuerySet[Any]] = {}
        if who.manages:
            found[APPEALS_TO_DECIDE] = (
                Appeal.objects.restrict(user, Action.REVIEW)
                .filter(state=AppealState.PENDING)
                .order_by("filed_at", "pk")
            )
            pending = Appeal.objects.filter(
                item__score__assessment=OuterRef("pk"), state=AppealState.PENDING
            )
            found[READY_TO_PUBLISH] = (
                Assessment.objects.restrict(user, Action.CHANGE)
                .filter(state=AssessmentState.PUBLICITY, publicity_until__lt=today)
                .exclude(Exists(pending))
                .order_by("plan__year", "pk")
            )
        if who.unit_id is not None:
            found[SCORES_IN_PUBLICITY] = (
                UnitScore.objects.restrict(user, Action.VIEW)
                .filter(
                    unit_id=who.unit_id,
                    assessment__state=AssessmentState.PUBLICITY,
                    assessment__publicity_until__gte=today,
                )
                .order_by("assessment__publicity_until", "pk")
            )
            since = clock.now() - timedelta(days=RECENT_DAYS)
            found[APPEALS_DECIDED] = (
                Appeal.objects.restrict(user, Action.VIEW)
                .filter(
                    item__score__unit_id=who.unit_id,
                    state__in=(AppealState.UPHELD, AppealState.REJECTED),
                    decided_at__gte=since,
                )
                .order_by("-decided_at", "pk")
            )
        return found

    def items(self, kind: str, queryset: QuerySet[Any]) -> list[Item]:
        if kind == APPEALS_TO_DECIDE:
            return [
                Item(
                    title=shorten(appeal.item.text, 80),
                    link=reverse("assessment:item", args=[appeal.item_id]),
                    task=appeal.item.task,
                    due_on=appeal.item.score.assessment.publicity_until,
                    note=shorten(appeal.reason, 200),
                    submitted_at=appeal.filed_at,
                    unit=appeal.item.score.unit.name,
                    key=str(appeal.pk),
                )
                for appeal in queryset.select_related(
                    "item__task__plan", "item__score__unit", "item__score__assessment"
                )
            ]
        if kind == READY_TO_PUBLISH:
            return [
                Item(
                    title=_("Publicity of the %(year)s assessment is over: it can be published.")
                    % {"year": assessment.plan.year},
                    link=f"{reverse('assessment:year')}?plan={assessment.plan_id}",
                    note=_("Publicity ended on %(date)s.")
                    % {"date": format_cn_date(assessment.publicity_until)},
                    key=str(assessment.pk),
                )
                for assessment in queryset.select_related("plan")
            ]
        if kind == SCORES_IN_PUBLICITY:
            return [
                Item(
                    title=_(
                        "The %(year)s assessment result is in publicity: check your unit's score."
                    )
                    % {"year": score.assessment.plan.year},
                    link=_unit_link(score.unit_id, score.assessment.plan_id),
                    due_on=score.assessment.publicity_until,
                    note=_("Score %(score)s; appeal an item by %(date)s if it is wrong.")
                    % {
                        "score": score.score,
                        "date": format_cn_date(score.assessment.publicity_until),
                    },
                    unit=score.unit.name,
                    key=str(score.pk),
                )
                for score in queryset.select_related("unit", "assessment__plan")
            ]
        return [
            Item(
                title=shorten(appeal.item.text, 80),
                link=reverse("assessment:item", args=[appeal.item_id]),
                task=appeal.item.task,
                note=_decision(appeal),
                key=str(appeal.pk),
            )
            for appeal in queryset.select_related("item__task__plan")
        ]


SOURCE = AssessmentSource()
