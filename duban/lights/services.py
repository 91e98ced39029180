"""Lights for many tasks at once: read the facts in a fixed number of queries, let ``rules`` decide.

``lights_for(tasks)`` costs at most nine queries whatever the number of tasks (the settings,
the plans' years, the overrides, the opened periods, the reports, the target values of reports
without a stated progress, the refined milestones, the milestones reached, the quarterly plans);
fewer when the tasks come with their plan, override and refinement already loaded (the task
page: ``select_related("plan", "refinement", "light_override")``) or when there is nothing to
read. A page of fifty tasks and a page of five cost the same.

Only a submitted or approved refinement counts (a draft or a returned one is not the unit's
commitment yet): without one, pace falls back to the share of the year elapsed. Milestones
count as reached when any report that is not a draft says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import get_language

from duban.core import clock
from duban.core.permissions import Action, check
from duban.ledger.memo import PlanMemo, TrailCache, in_request
from duban.ledger.models import Plan, Task, TaskStatus
from duban.ledger.progress import progress_from_targets
from duban.reporting.models import (
    Milestone,
    Period,
    PeriodState,
    QuarterPlan,
    Refinement,
    Report,
    ReportTargetValue,
    ReviewState,
)
from duban.reporting.services.periods import period_label

from .display import colour_label, light_title
from .models import LightOverride, LightRecord, LightSettings
from .rules import Colour, MilestoneFact, Outcome, PeriodFact, Reason, Rules, TaskFacts, evaluate

COMMITTED = (ReviewState.SUBMITTED, ReviewState.ACCEPTED)  # refinements that count
# The office's thresholds change with an audited event (a CONFIG event): kept while the trail
# stands still, so that a page asking for lights in several panels reads them once.
_RULES: TrailCache[Rules] = TrailCache(max_age=300, size=1, moved_by=("lights.lightsettings",))


def current_rules() -> Rules:
    """The thresholds in force (``LightSettings``), read once while nothing changes."""
    return _RULES.get("rules", lambda: LightSettings.current().rules())


COMMITTED_REPORTS = (ReviewState.SUBMITTED, ReviewState.ACCEPTED)  # reports that count


class _Row(Protocol):
    task: Task
    light: Any


R = TypeVar("R", bound=_Row)


@dataclass(frozen=True)
class Light:
    """A task's light: the colour shown (the override's when there is one) and why."""

    colour: Colour
    computed: Colour
    reasons: tuple[Reason, ...]
    override: LightOverride | None = None
    # The hover text in each language it was asked in: the lights kept for a plan
    # (``plan_lights``) are shown again and again.
    _titles: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def overridden(self) -> bool:
        return self.override is not None

    @property
    def label(self) -> str:
        """绿灯, 黄灯, 红灯, 暂无亮灯: the colour shown, in words (the Excel ledger's 灯色)."""
        return colour_label(self.colour)

    @property
    def title(self) -> str:
        """The hover text of the light's dot: its colour, then every reason in words."""
        language = get_language() or ""
        title = self._titles.get(language)
        if title is None:
            title = self._titles[language] = light_title(self)
        return title


def _today(today: date | None) -> date:
    return today or clock.today()


def lights_for(
    tasks: Iterable[Task], today: date | None = None, rules: Rules | None = None
) -> dict[int, Light]:
    """``{task id: Light}`` for every task given, in a fixed number of queries."""
    tasks = list(tasks)
    if not tasks:
        return {}
    today = _today(today)
    rules = rules or current_rules()
    facts = _read_facts(tasks, today)
    overrides = _overrides(tasks)
    lights: dict[int, Light] = {}
    for task in tasks:
        outcome: Outcome = evaluate(facts[task.pk], rules)
        override = overrides.get(task.pk)
        colour = Colour(override.colour) if override is not None else outcome.colour
        lights[task.pk] = Light(colour, outcome.colour, outcome.reasons, override)
    return lights


def light_for(task: Task, today: date | None = None) -> Light:
    """One task's light. Kept on the task object for today's date, so the panels of one page
    that each ask (the light panel, the supervision panel) read the database once; read from
    the plan's kept lights (``plan_lights``) when this process keeps them."""
    today = _today(today)
    cached: tuple[date, Light] | None = getattr(task, "_duban_light", None)
    if cached is not None and cached[0] == today:
        return cached[1]
    light = None
    if in_request() and PLAN_LIGHTS.kept(task.plan_id, today):
        light = plan_lights(task.plan_id, today).get(task.pk)
    if light is None:
        light = lights_for([task], today)[task.pk]
    task._duban_light = (today, light)  # type: ignore[attr-defined]
    return light


def _compute(tasks: QuerySet[Task], today: date) -> dict[int, Light]:
    return lights_for(tasks.select_related("plan", "refinement", "light_override"), today)


def _alike(light: Light) -> Any:
    """What makes two lights alike (the same colours for the same reasons, no override): the
    plan's kept lights share one ``Light`` for those (a plan of 20,000 tasks has a few hundred
    distinct lights), and its hover text is translated once."""
    if light.override is not None:
        return None
    try:
        return (
            light.colour,
            light.computed,
            tuple((r.code, r.colour, tuple(sorted(r.params.items()))) for r in light.reasons),
        )
    except TypeError:  # a parameter that cannot be a key: not shared
        return None


# Every task's light, per plan, kept in the process and current with the audit trail
# (duban.ledger.memo): the ledger's light filter and counts, its rows and the cockpit read it
# instead of working out a whole plan's lights on every page. A period opened or closed, the
# thresholds and the plan's year concern every task of the plan.
PLAN_LIGHTS: PlanMemo[Light] = PlanMemo(
    "lights",
    _compute,
    global_types=("reporting.period", "lights.lightsettings", "ledger.plan"),
    alike=_alike,
)
# Fewer rows than this, of a plan whose lights are not kept yet, outside a request (a command):
# worked out for those rows only.
FEW_ROWS = 20


def plan_lights(plan_id: int, today: date | None = None) -> Mapping[int, Light]:
    """``{task id: Light}`` of every task of the plan (kept: one query when nothing changed)."""
    return PLAN_LIGHTS.values(plan_id, _today(today))


def attach_lights(rows: list[R], today: date | None = None) -> list[R]:
    """Set ``row.light`` on ledger rows (anything with a ``task``), in one batch: from the
    plan's kept lights (``plan_lights``; in a request always, so that a page costs the same
    queries for 4 rows as for 200), or worked out for a few rows of a plan not kept."""
    today = _today(today)
    plans = {row.task.plan_id for row in rows}
    kept_or_asked = in_request() or all(PLAN_LIGHTS.kept(plan, today) for plan in plans)
    if len(rows) < FEW_ROWS and not kept_or_asked:
        lights: Mapping[int, Light] = lights_for([row.task for row in rows], today)
        for row in rows:
            row.light = lights.get(row.task.pk)
        return rows
    kept = {plan: plan_lights(plan, today) for plan in plans}
    for row in rows:
        row.light = kept[row.task.plan_id].get(row.task.pk)
    return rows


# --- Reading the facts -----------------------------------------------------------------------


def _overrides(tasks: list[Task]) -> dict[int, LightOverride]:
    relation: Any = Task._meta.get_field("light_override")
    if all(relation.is_cached(task) for task in tasks):
        cached = {task.pk: relation.get_cached_value(task) for task in tasks}
        return {pk: override for pk, override in cached.items() if override is not None}
    return {
        o.task_id: o
        for o in LightOverride.objects.filter(task__in=[t.pk for t in tasks]).select_related(
            "set_by"
        )
    }


def _years(tasks: list[Task]) -> dict[int, int]:
    if all(Task.plan.is_cached(task) for task in tasks):
        return {task.plan_id: task.plan.year for task in tasks}
    plan_ids = {task.plan_id for task in tasks}
    return dict(Plan.objects.filter(pk__in=plan_ids).values_list("pk", "year"))


def _committed_task_ids(tasks: list[Task]) -> set[int] | None:
    """Tasks with a submitted or approved refinement, when the refinements are loaded."""
    if not all(Task.refinement.is_cached(task) for task in tasks):
        return None
    found = set()
    for task in tasks:
        try:
            refinement = task.refinement
        except Refinement.DoesNotExist:
            continue
        if refinement.state in COMMITTED:
            found.add(task.pk)
    return found


def _derived(values: list[ReportTargetValue]) -> int | None:
    """As ``Report.derived_progress`` (the same rule), over values already read."""
    return progress_from_targets(
        (value.value, value.target.value, value.target.op) for value in values
    )


def _quarter_percents(plans: list[QuarterPlan]) -> dict[int, int]:
    """A quarter's expected percentage, or the least share of its targets' goals expected
    (``progress_from_targets`` over the expected values, the rule of a report's progress)."""
    percents: dict[int, int] = {}
    by_targets: dict[int, list[tuple[Decimal, Decimal, str]]] = defaultdict(list)
    for plan in plans:
        if plan.expected_percent is not None:
            percents[plan.quarter] = plan.expected_percent
        elif plan.target is not None and plan.expected_value is not None:
            by_targets[plan.quarter].append(
                (plan.expected_value, plan.target.value, plan.target.op)
            )
    for quarter, triples in by_targets.items():
        expected = progress_from_targets(triples)
        if expected is not None:
            percents.setdefault(quarter, expected)
    return percents


def _read_facts(tasks: list[Task], today: date) -> dict[int, TaskFacts]:
    task_ids = [task.pk for task in tasks]
    years = _years(tasks)
    periods = list(
        Period.objects.filter(plan_id__in=set(years))
        .exclude(state=PeriodState.PLANNED)
        .order_by("due_on", "code")
    )
    reports = list(
        Report.objects.filter(task_id__in=task_ids, period__in=[p.pk for p in periods]).only(
            "pk", "task_id", "period_id", "state", "progress", "days_late"
        )
        if periods
        else []
    )
    needs_values = [r.pk for r in reports if r.progress is None and r.state in COMMITTED_REPORTS]
    values: dict[int, list[ReportTargetValue]] = defaultdict(list)
    if needs_values:
        for value in ReportTargetValue.objects.filter(report_id__in=needs_values).select_related(
            "target"
        ):
            values[value.report_id].append(value)

    committed = _committed_task_ids(tasks)
    milestones: dict[int, list[Milestone]] = defaultdict(list)
    quarters: dict[int, list[QuarterPlan]] = defaultdict(list)
    reached: set[int] = set()
    if committed is None or committed:
        refined = list(committed) if committed is not None else task_ids
        for milestone in (
            Milestone.objects.filter(
                refinement__task_id__in=refined, refinement__state__in=COMMITTED
            )
            .select_related("refinement")
            .order_by("position")
        ):
            milestones[milestone.refinement.task_id].append(milestone)
        if milestones:
            reached = set(
                Report.milestones_reached.through.objects.filter(
                    report__task_id__in=list(milestones), milestone_id__in=_ids(milestones)
                )
                .exclude(report__state=ReviewState.DRAFT)
                .values_list("milestone_id", flat=True)
            )
        for plan in QuarterPlan.objects.filter(
            refinement__task_id__in=refined, refinement__state__in=COMMITTED
        ).select_related("target", "refinement"):
            quarters[plan.refinement.task_id].append(plan)

    by_task: dict[int, dict[int, Report]] = defaultdict(dict)
    for report in reports:
        by_task[report.task_id][report.period_id] = report

    facts: dict[int, TaskFacts] = {}
    for task in tasks:
        period_facts = []
        for period in periods:
            if period.plan_id != task.plan_id:
                continue
            found = by_task[task.pk].get(period.pk)
            submitted = found is not None and found.state in COMMITTED_REPORTS
            progress = None
            if submitted and found is not None:
                progress = found.progress
                if progress is None:
                    progress = _derived(values[found.pk])
            period_facts.append(
                PeriodFact(
                    code=period.code,
                    label=period_label(period),
                    due_on=period.due_on,
                    submitted=submitted,
                    returned=found is not None and found.state == ReviewState.RETURNED,
                    days_late=found.days_late if found is not None else 0,
                    progress=progress,
                )
            )
        facts[task.pk] = TaskFacts(
            today=today,
            year=years.get(task.plan_id, today.year),
            done=task.status == TaskStatus.DONE,
            lagging=task.status == TaskStatus.LAGGING,
            deadline=task.deadline,
            milestones=[
                MilestoneFact(m.description, m.due_on, m.pk in reached) for m in milestones[task.pk]
            ],
            periods=period_facts,
            quarter_percents=_quarter_percents(quarters[task.pk]) or None,
        )
    return facts


def _ids(grouped: dict[int, list[Milestone]]) -> list[int]:
    return [m.pk for items in grouped.values() for m in items]


# --- The office's override -------------------------------------------------------------------


def set_override(user: Any, task: Task, colour: str, reason: str) -> LightOverride:
    """The office sets the task's colour by hand; the reason is required."""
    check(user, Action.CHANGE, task)
    reason = reason.strip()
    if not reason:
        raise ValueError("reason required")
    if colour not in (Colour.GREEN, Colour.YELLOW, Colour.RED):
        raise ValueError("unknown colour")
    with transaction.atomic():
        override = LightOverride.objects.filter(task=task).first() or LightOverride(task=task)
        override.colour = colour
        override.reason = reason
        override.set_by = user
        override.set_at = clock.now()
        override.save()
    return override


def remove_override(user: Any, task: Task) -> bool:
    check(user, Action.CHANGE, task)
    override = LightOverride.objects.filter(task=task).first()
    if override is None:
        return False
    override.delete()  # one by one, so the audit trail records it
    return True


def record_lights(today: date | None = None, tasks: Iterable[Task] | None = None) -> int:
    """Write today's light of every task whose colour changed since its last record.

    Run daily (``duban remind`` does it), this keeps each task's light history, which the
    supervision escalation reads ("a second yellow within a period suggests a 督办").
    """
    today = _today(today)
    # Read afresh: task objects passed in may carry a stale cached override.
    chosen = Task.objects.all()
    if tasks is not None:
        chosen = chosen.filter(pk__in=[task.pk for task in tasks])
    tasks = list(chosen)
    last: dict[int, str] = {}
    for record in LightRecord.objects.filter(task__in=tasks, on__lte=today).order_by("on"):
        last[record.task_id] = record.colour
    written = 0
    for task_id, light in lights_for(tasks, today).items():
        colour = str(light.colour)
        if colour == Colour.NONE or last.get(task_id) == colour:
            continue
        LightRecord.objects.update_or_create(
            task_id=task_id,
            on=today,
            defaults={"colour": colour, "reasons": [reason.code for reason in light.reasons]},
        )
        written += 1
    return written


def light_history(task: Task) -> list[LightRecord]:
    """The task's recorded lights, oldest first (each with ``on`` and ``colour``)."""
    return list(LightRecord.objects.filter(task=task).order_by("on"))
