"""待办 of supervision: the notices, extension requests and escalation suggestions waiting on
someone, registered with duban.core.todo in ``SupervisionConfig.ready``.

For a unit operator (who answers a notice: ``Notice … restrict(user, REPLY)``, the addressee,
a co-operating unit or the task's lead unit):

- 督办/催办 notices to sign for (issued, not signed yet) and to answer (signed, no reply yet),
  the reply deadline as the due date, marked overdue once it has passed;
- the extension requests of its lead tasks (``ExtensionRequest … restrict(user, CHANGE)``) the
  office decided in the last ``RECENT_DAYS`` days: information, with the result.

For the office (``restrict(user, REVIEW)``):

- replies to accept (a replied notice: accept or press again);
- extension requests to decide (pending);
- escalation suggestions not yet acted on. The rule is the task panel's
  (``duban.supervision.escalation``, default rule), written here as a query so that the count
  stays one query: a 督办 is suggested by the ``yellows_for_notice``-th yellow light of a task
  within one of its plan's periods (the period whose dates hold the light's day, else the next
  one to open, else none), a 约谈 by the first red light within a period. A suggestion is acted
  on once the office issued a notice on the task (督办), or recorded a 约谈 held, on or after
  the day of that light; it no longer stands once the task's latest light is green.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.core import clock
from duban.core.formatting import format_cn_date
from duban.core.permissions import Action, actor
from duban.core.todo import Item, Source
from duban.ledger.models import Task
from duban.lights.models import LightRecord
from duban.reporting.models import Period
from duban.reporting.services.periods import period_label

from .escalation import DEFAULT_RULE, GREEN, RED, SUMMONS, SUPERVISE, YELLOW, EscalationRule
from .models import ExtensionRequest, ExtensionState, Notice, NoticeState, Summons

RECENT_DAYS = 14  # how long a unit sees the office's decision on its extension request

NOTICES_TO_SIGN = "notices_to_sign"
NOTICES_TO_ANSWER = "notices_to_answer"
EXTENSIONS_DECIDED = "extensions_decided"
REPLIES_TO_ACCEPT = "replies_to_accept"
EXTENSIONS_TO_DECIDE = "extensions_to_decide"
ESCALATIONS = "escalations"

TITLES = {
    NOTICES_TO_SIGN: gettext_lazy("Notices to sign for"),
    NOTICES_TO_ANSWER: gettext_lazy("Notices to answer"),
    EXTENSIONS_DECIDED: gettext_lazy("Extension requests decided"),
    REPLIES_TO_ACCEPT: gettext_lazy("Notice replies to accept"),
    EXTENSIONS_TO_DECIDE: gettext_lazy("Extension requests to decide"),
    ESCALATIONS: gettext_lazy("Escalations suggested"),
}


# --- Escalation suggestions as a query ------------------------------------------------------


def _period_of_light() -> Coalesce:
    """The pk of the plan's period a light (the queryset's row) belongs to, 0 for none:
    ``escalation.period_for`` in SQL (holding the day, earliest due; else the next to open)."""
    periods = Period.objects.filter(plan_id=OuterRef("task__plan_id"))
    holding = periods.filter(opens_on__lte=OuterRef("on"), due_on__gte=OuterRef("on"))
    upcoming = periods.filter(opens_on__gt=OuterRef("on"))
    return Coalesce(
        Subquery(holding.order_by("due_on", "opens_on", "code").values("pk")[:1]),
        Subquery(upcoming.order_by("opens_on", "due_on", "code").values("pk")[:1]),
        Value(0),
        output_field=IntegerField(),
    )


def _count(queryset: QuerySet[Any]) -> Coalesce:
    return Coalesce(
        Subquery(
            queryset.order_by().values(
                n=Func(F("pk"), function="COUNT", output_field=IntegerField())
            )
        ),
        Value(0),
    )


def escalations(user: Any, rule: EscalationRule = DEFAULT_RULE) -> QuerySet[LightRecord]:
    """The lights that triggered a suggestion the office has not acted on, one row each,
    annotated with ``suggestion`` (SUPERVISE or SUMMONS) and ``period_pk`` (0: no period).
    Nothing for whom may not review the task."""
    tasks = Task.objects.restrict(user, Action.REVIEW).values("pk")
    same_period = (
        LightRecord.objects.filter(task=OuterRef("task"))
        .annotate(period_pk=_period_of_light())
        .filter(period_pk=OuterRef("period_pk"))
    )
    yellows_so_far = same_period.filter(colour=YELLOW, on__lte=OuterRef("on"))
    earlier_red = same_period.filter(colour=RED, on__lt=OuterRef("on"))
    triggers = Q(colour=YELLOW, yellows=rule.yellows_for_notice)
    if rule.red_suggests_summons:
        triggers |= Q(colour=RED) & ~Q(Exists(earlier_red))
    noticed = Notice.objects.filter(task=OuterRef("task"), issued_at__date__gte=OuterRef("on"))
    summoned = Summons.objects.filter(task=OuterRef("task"), held_on__gte=OuterRef("on"))
    latest = LightRecord.objects.filter(task=OuterRef("task")).order_by("-on").values("colour")
    return (
        LightRecord.objects.restrict(user, Action.VIEW)
        .filter(task__in=tasks, colour__in=(YELLOW, RED))
        .annotate(
            period_pk=_period_of_light(),
            suggestion=Case(
                When(colour=RED, then=Value(SUMMONS)),
                default=Value(SUPERVISE),
                output_field=CharField(),
            ),
            yellows=_count(yellows_so_far),
            latest_colour=Subquery(latest[:1]),
        )
        .exclude(latest_colour=GREEN)  # first: the cheapest test
        .filter(triggers)
        .exclude(Q(colour=YELLOW) & Q(Exists(noticed)))
        .exclude(Q(colour=RED) & Q(Exists(summoned)))
        .order_by("on", "task__position", "pk")
    )


# --- The 待办 source -------------------------------------------------------------------------


def _notice_item(notice: Notice, today: Any, *, office: bool) -> Item:
    """A notice on one task, or a period 催办 (on the reports missing for a period: no task)."""
    return Item(
        title=f"{notice.get_level_display()} {notice.doc_number}",
        link=reverse("supervision:notice", args=[notice.pk]),
        task=notice.task if notice.task_id is not None else None,
        period_label=period_label(notice.period) if notice.period is not None else "",
        due_on=None if office else notice.reply_due,
        note=notice.reply_text if office else notice.problem,
        submitted_at=notice.replied_at if office else None,
        unit=notice.unit.name if office else "",
        overdue=not office and notice.reply_due < today,
        key=str(notice.pk),
    )


def _extension_title(request: ExtensionRequest) -> str:
    what = request.milestone.description if request.milestone else _("The task's deadline")
    return _("Extension of %(what)s: %(current)s → %(requested)s") % {
        "what": what,
        "current": format_cn_date(request.current_due),
        "requested": format_cn_date(request.requested_due),
    }


def _decision(request: ExtensionRequest) -> str:
    if request.state == ExtensionState.APPROVED:
        said = _("Approved: the date is now %(date)s.") % {
            "date": format_cn_date(request.requested_due)
        }
    else:
        said = _("Refused.")
    if request.comment:
        said += _("Office's comment: %(comment)s") % {"comment": request.comment}
    return said


def _suggested(row: LightRecord, label: str) -> str:
    if row.suggestion == SUPERVISE:  # type: ignore[attr-defined]
        count = row.yellows  # type: ignore[attr-defined]
        if label:
            return _("%(count)s yellow lights in %(period)s: a 督办 notice is suggested.") % {
                "count": count,
                "period": label,
            }
        return _(
            "%(count)s yellow lights outside the reporting periods: a 督办 notice is suggested."
        ) % {"count": count}
    if label:
        return _("A red light in %(period)s: a summons (约谈) is suggested.") % {"period": label}
    return _("A red light outside the reporting periods: a summons (约谈) is suggested.")


class SupervisionSource(Source):
    name = "supervision"
    order = 10
    kinds = TITLES
    informational = (EXTENSIONS_DECIDED,)

    def querysets(self, user: Any) -> dict[str, QuerySet[Any]]:
        who = actor(user)
        found: dict[str, QuerySet[Any]] = {}
        if who.unit_id is not None:  # a unit signs for and answers notices, asks for more time
            answerable = Notice.objects.restrict(user, Action.REPLY)
            found[NOTICES_TO_SIGN] = answerable.filter(state=NoticeState.ISSUED).order_by(
                "reply_due", "pk"
            )
            found[NOTICES_TO_ANSWER] = answerable.filter(state=NoticeState.SIGNED).order_by(
                "reply_due", "pk"
            )
            since = clock.now() - timedelta(days=RECENT_DAYS)
            found[EXTENSIONS_DECIDED] = (
                ExtensionRequest.objects.restrict(user, Action.CHANGE)
                .filter(
                    state__in=(ExtensionState.APPROVED, ExtensionState.REFUSED),
                    decided_at__gte=since,
                )
                .order_by("-decided_at", "-pk")
            )
        if who.manages:  # the office accepts replies, decides extensions, escalates
            found[REPLIES_TO_ACCEPT] = (
                Notice.objects.restrict(user, Action.REVIEW)
                .filter(state=NoticeState.REPLIED)
                .order_by("replied_at", "pk")
            )
            found[EXTENSIONS_TO_DECIDE] = (
                ExtensionRequest.objects.restrict(user, Action.REVIEW)
                .filter(state=ExtensionState.PENDING)
                .order_by("current_due", "requested_at", "pk")
            )
            found[ESCALATIONS] = escalations(user)
        return found

    def items(self, kind: str, queryset: QuerySet[Any]) -> list[Item]:
        if kind in (NOTICES_TO_SIGN, NOTICES_TO_ANSWER, REPLIES_TO_ACCEPT):
            today = clock.today()
            office = kind == REPLIES_TO_ACCEPT
            notices = queryset.select_related("task__plan", "unit", "period")
            return [_notice_item(notice, today, office=office) for notice in notices]
        if kind in (EXTENSIONS_TO_DECIDE, EXTENSIONS_DECIDED):
            decided = kind == EXTENSIONS_DECIDED
            requests = queryset.select_related(
                "task__plan", "milestone", "requested_by__membership__unit"
            )
            return [
                Item(
                    title=_extension_title(r),
                    link=reverse("ledger:task", args=[r.task_id]) + "#supervision",
                    task=r.task,
                    due_on=None if decided else r.current_due,
                    note=_decision(r) if decided else r.reason,
                    submitted_at=None if decided else r.requested_at,
                    unit=_unit_name(r.requested_by),
                    key=str(r.pk),
                )
                for r in requests
            ]
        rows = list(queryset.select_related("task__plan"))
        periods = {p.pk: p for p in Period.objects.filter(pk__in={r.period_pk for r in rows})}
        items = []
        for row in rows:
            period = periods.get(row.period_pk)
            label = period_label(period) if period else ""
            items.append(
                Item(
                    title=row.task.text,
                    link=reverse("ledger:task", args=[row.task_id]) + "#supervision",
                    task=row.task,
                    note=_suggested(row, label),
                    period_label=label,
                    key=f"{row.suggestion}:{period.code if period else ''}",
                )
            )
        return items


def _unit_name(user: Any) -> str:
    membership = getattr(user, "membership", None) if user is not None else None
    unit = getattr(membership, "unit", None)
    return str(unit.name) if unit is not None else ""


SOURCE = SupervisionSource()
