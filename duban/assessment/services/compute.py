"""Computing a year: the record's facts (``record``) scored by the scheme (``..scoring``),
written as UnitScore and ScoreItem rows (``compute``) or only returned (``assess_plan``).

Recomputing a draft updates the rows in place, item by item (``ScoreItem.key``), so the
office's adjustments and the upheld appeals stay with their items and are re-applied: an item
counts the points of its latest adjustment or upheld appeal. A year in publicity or published
is not recomputed (``AssessmentError``); a published year is frozen with the scheme version it
used. After any change to an item (``settle``), the unit's arithmetic items (a pool's floor,
the bonus caps), its total and its group's ranks and grades are worked out again.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar, cast

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from duban.core import clock
from duban.core.permissions import Action, check
from duban.directory.models import Unit
from duban.ledger.models import Plan

from .. import scoring
from ..models import (
    Adjustment,
    Appeal,
    AppealState,
    Assessment,
    AssessmentState,
    Component,
    Scheme,
    ScoreItem,
    UnitScore,
)
from ..scheme import Scheme as Rules
from . import AssessmentError
from .record import Record, collect
from .schemes import current_scheme, rules_of

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class ItemResult:
    key: str
    component: str  # models.Component
    rule: str  # scheme.RULES
    points: Decimal  # the points that count (adjusted, when an item was adjusted)
    text: str  # the cause, in the person's language
    task_id: int | None = None
    task_number: str = ""
    source_type: str = ""
    source_id: int | None = None
    link: str = ""
    computed: Decimal | None = None  # the points as computed, when adjusted


@dataclass
class UnitResult:
    unit: Unit
    group: str  # models.Group
    score: Decimal
    rank: int
    grade: str  # models.Grade
    vetoed: bool
    vetoes: list[dict[str, str]] = field(default_factory=list)
    items: list[ItemResult] = field(default_factory=list)


STEP = 10  # items' positions leave room for the floors and caps worked out after a change


# --- the words of each item ----------------------------------------------------------------------


def _numbers(numbers: Iterable[str]) -> str:
    return "、".join(numbers)


def _pool(pool: str) -> str:
    return str(Component(pool).label)


def _subject(params: Mapping[str, Any]) -> str:
    if params.get("number"):
        return _("%(doc_number)s (task %(number)s)") % {
            "doc_number": params["doc_number"],
            "number": params["number"],
        }
    return str(params["doc_number"])


def item_text(item: scoring.Item, rules: Rules) -> str:
    """The cause of an item, in the person's language, with the task's number and specifics."""
    p = dict(item.params)
    for name in ("points", "cap", "full"):  # 10.00 → 10, 1.25 → 1.25
        if name in p:
            p[name] = _plain(Decimal(p[name]))
    rule = item.rule
    if rule == "completion":
        why = {
            "done": _("Task %(number)s completed (%(period)s report accepted with evidence)"),
            "partial": _("Task %(number)s %(percent)s%% completed (%(period)s report accepted)"),
            "no_report": _("Task %(number)s has no accepted report: counted as not done"),
            "no_evidence": _(
                "Task %(number)s: the accepted %(period)s report has no evidence: counted as "
                "not done"
            ),
        }[p["why"]] % p
        text = why + _(", %(full)s points for the task in full") % p
    elif rule == "pool_base":
        text = _("%(pool)s: the points it starts from") % {"pool": _pool(p["pool"])}
    elif rule == "pool_floor":
        text = _("Deductions in %(pool)s exceed its %(points)s points: it counts as 0") % {
            "pool": _pool(p["pool"]),
            "points": p["points"],
        }
    elif rule in ("pace_red", "pace_yellow"):
        words = (
            _("Task %(number)s red at the end of quarter %(quarter)s")
            if rule == "pace_red"
            else _("Task %(number)s yellow at the end of quarter %(quarter)s")
        )
        text = words % p
    elif rule in ("report_late_minor", "report_late_major"):
        if p.get("calendar_days"):
            text = (
                _(
                    "Task %(number)s: %(period)s report %(days)s days late (no holiday calendar "
                    "for that year: calendar days)"
                )
                % p
            )
        else:
            text = _("Task %(number)s: %(period)s report %(days)s working days late") % p
    elif rule in ("contribution_late_minor", "contribution_late_major"):
        if p.get("calendar_days"):
            text = (
                _(
                    "Task %(number)s: %(period)s contribution %(days)s days late (no holiday "
                    "calendar for that year: calendar days)"
                )
                % p
            )
        else:
            text = _("Task %(number)s: %(period)s contribution %(days)s working days late") % p
    elif rule == "report_missing":
        text = _("Task %(number)s: %(period)s report not submitted") % p
    elif rule == "contribution_missing":
        text = _("Task %(number)s: %(period)s contribution not submitted") % p
    elif rule == "report_returned":
        text = _("Task %(number)s: %(period)s report returned (time %(count)s)") % p
    elif rule == "notice_late_reply":
        words = (
            _("%(subject)s replied after its deadline")
            if p.get("replied")
            else _("%(subject)s not replied by its deadline")
        )
        text = words % {"subject": _subject(p)}
    elif rule == "notice_supervise":
        text = _("Supervised (督办): %(subject)s") % {"subject": _subject(p)}
    elif rule == "notice_listed":
        text = _("Listed for supervision (挂牌督办): %(subject)s") % {"subject": _subject(p)}
    elif rule == "early":
        text = _("Task %(number)s completed early (%(period)s report accepted with evidence)") % p
    elif rule == "beyond_target":
        text = _("Task %(number)s exceeded its target “%(target)s”") % p
    elif rule == "task_bonus_cap":
        text = _("Task %(number)s: bonuses above %(cap)s points do not count") % p
    elif rule == "praised":
        text = _("Praised in circular %(doc_number)s") % p
    elif rule == "criticised":
        text = _("Criticised in circular %(doc_number)s") % p
    elif rule == "recognition":
        text = _("Recognised by a higher level: %(title)s (%(document)s)") % p
    elif rule == "instruction":
        text = _("Leaders' written approval: %(title)s (%(document)s)") % p
        if not p.get("counted"):
            text += _(" — not counted: the scheme does not count it")
    elif rule == "bonus_cap":
        text = _("Bonuses above %(cap)s points do not count") % p
    elif rule == "falsified":
        text = _("Task %(number)s: a false report verified by an inspection") % p
    else:  # pragma: no cover - every rule is above
        text = rule
    if p.get("role") == scoring.RESPONSIBLE and rule not in ("completion", "notice_late_reply"):
        text += _(" (as a responsible unit: %(share)s%% of it)") % {
            "share": _percent(rules.responsible_share)
        }
    elif p.get("role") == scoring.RESPONSIBLE and rule == "completion":
        text += _(" (as a responsible unit)")
    return text


def veto_text(veto: scoring.Veto) -> str:
    if veto.code == "falsified":
        return _("A false report verified (task %(numbers)s): vetoed") % {
            "numbers": _numbers(veto.params["numbers"])
        }
    return _("%(count)s tasks missed without an approved extension (tasks %(numbers)s): vetoed") % {
        "count": veto.params["count"],
        "numbers": _numbers(veto.params["numbers"]),
    }


def _plain(value: Decimal) -> str:
    """A number as people write it: 10, 1.25, 0.5."""
    return format(value.normalize(), "f")


def _percent(share: Decimal) -> str:
    return _plain(share * 100)


# --- reading without writing ---------------------------------------------------------------------


def _as_of(as_of: date | None) -> date:
    return as_of or clock.today()


def stored_scheme() -> Scheme | None:
    return Scheme.objects.order_by("-version").first()


def assess_plan(
    plan: Plan, as_of: date | None = None, scheme: Scheme | None = None
) -> list[UnitResult]:
    """The year's scores as the record stands on ``as_of`` (default today), by the year's
    scheme (else the current one, else the default): nothing is written, no adjustment
    applied."""
    if scheme is None:
        existing = Assessment.objects.filter(plan=plan).select_related("scheme").first()
        scheme = existing.scheme if existing is not None else stored_scheme()
    rules = rules_of(scheme)
    record = collect(plan, _as_of(as_of))
    scored = scoring.score_all(record.facts, rules)
    return [_result(record, unit, rules) for unit in scored]


def _result(record: Record, unit: scoring.UnitScore, rules: Rules) -> UnitResult:
    return UnitResult(
        unit=record.units[unit.unit_id],
        group=unit.group,
        score=unit.score,
        rank=unit.rank,
        grade=unit.grade,
        vetoed=unit.vetoed,
        vetoes=[{"code": v.code, "text": veto_text(v)} for v in unit.vetoes],
        items=[
            ItemResult(
                key=item.key,
                component=item.component,
                rule=item.rule,
                points=item.points,
                text=item_text(item, rules),
                task_id=item.task_id,
                task_number=record.tasks[item.task_id].number if item.task_id else "",
                source_type=item.source.type if item.source else "",
                source_id=item.source.id if item.source else None,
                link=item.source.link if item.source else "",
            )
            for item in unit.items
        ],
    )


def stored_results(assessment: Assessment) -> list[UnitResult]:
    """The stored scores of a year (a published year's frozen result), as ``assess_plan``
    gives them."""
    scores = (
        UnitScore.objects.filter(assessment=assessment)
        .select_related("unit")
        .prefetch_related("items__task")
        .order_by("group", "rank", "unit__name")
    )
    out = []
    for score in scores:
        items = sorted(score.items.all(), key=lambda i: (i.position, i.pk))
        out.append(
            UnitResult(
                unit=score.unit,
                group=score.group,
                score=score.score,
                rank=score.rank,
                grade=score.grade,
                vetoed=score.vetoed,
                vetoes=list(score.vetoes or []),
                items=[
                    ItemResult(
                        key=item.key,
                        component=item.component,
                        rule=item.rule,
                        points=item.final_points,
                        text=item.text,
                        task_id=item.task_id,
                        task_number=item.task.number if item.task else "",
                        source_type=item.source_type,
                        source_id=item.source_id,
                        link=item.link,
                        computed=item.points if item.adjusted_points is not None else None,
                    )
                    for item in items
                ],
            )
        )
    out.sort(key=lambda r: (r.group != scoring.TOWNSHIPS, r.rank, r.unit.name))
    return out


# --- computing and storing -----------------------------------------------------------------------


def refuse_unless_draft(assessment: Assessment) -> None:
    if assessment.state == AssessmentState.PUBLISHED:
        raise AssessmentError(
            _("The %(year)s assessment is published and frozen: it is not computed again.")
            % {"year": assessment.plan.year}
        )
    if assessment.state == AssessmentState.PUBLICITY:
        raise AssessmentError(
            _(
                "The %(year)s assessment is in publicity: withdraw the publicity before "
                "computing again."
            )
            % {"year": assessment.plan.year}
        )


def compute(plan: Plan, user: Any, as_of: date | None = None) -> Assessment:
    """Compute and store the year's draft scores as the record stands on ``as_of`` (default
    today), with the current scheme; adjustments and upheld appeals are re-applied by item
    key. AssessmentError once the year is in publicity or published."""
    check(user, Action.CHANGE, plan)
    as_of = _as_of(as_of)
    if as_of.year < plan.year:
        raise AssessmentError(
            _("The %(year)s assessment cannot be computed on a day before its year.")
            % {"year": plan.year}
        )
    with transaction.atomic():
        assessment = Assessment.objects.select_for_update().filter(plan=plan).first()
        if assessment is not None:
            refuse_unless_draft(assessment)
        scheme = current_scheme()
        rules = rules_of(scheme)
        with translation.override(settings.LANGUAGE_CODE):  # its labels go into the causes
            record = collect(plan, as_of)
        scored = scoring.score_all(record.facts, rules)
        now = clock.now()
        who = user if getattr(user, "is_authenticated", False) else None
        if assessment is None:
            assessment = Assessment(plan=plan, version=0)
        assessment.scheme = scheme
        assessment.as_of = as_of
        assessment.computed_at = now
        assessment.computed_by = who
        assessment.version += 1
        assessment.save()
        _store(assessment, record, scored, rules)
    return assessment


def _in_the_records_language(function: F) -> F:
    """Causes and vetoes are stored as text: they are written in the product's language (the
    language of the record and of its official documents), whoever's browser asked."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return cast(F, wrapper)


@_in_the_records_language
def _store(
    assessment: Assessment, record: Record, scored: list[scoring.UnitScore], rules: Rules
) -> None:
    """Write the scores and items in place (matched by unit and key), then settle every unit."""
    existing = {s.unit_id: s for s in UnitScore.objects.filter(assessment=assessment)}
    UnitScore.objects.filter(assessment=assessment).exclude(
        unit_id__in=[u.unit_id for u in scored]
    ).delete()
    scores: dict[int, UnitScore] = {}
    for unit in scored:
        score = existing.get(unit.unit_id) or UnitScore(assessment=assessment, unit_id=unit.unit_id)
        score.group = unit.group
        score.vetoed = unit.vetoed
        score.vetoes = [{"code": v.code, "text": veto_text(v)} for v in unit.vetoes]
        score.score = unit.score
        score.rank = unit.rank
        score.grade = unit.grade
        scores[unit.unit_id] = score
    UnitScore.objects.bulk_update(
        [s for s in scores.values() if s.pk],
        ["group", "vetoed", "vetoes", "score", "rank", "grade"],
    )
    UnitScore.objects.bulk_create([s for s in scores.values() if not s.pk])
    if any(s.pk is None for s in scores.values()):  # backends that do not return pks
        scores = {s.unit_id: s for s in UnitScore.objects.filter(assessment=assessment)}

    # Items someone decided about (an adjustment, an appeal) keep their row, so the decision
    # stays with its item; every other item is written afresh (cheaper than comparing them).
    decided = set(
        Adjustment.objects.filter(item__score__assessment=assessment).values_list(
            "item_id", flat=True
        )
    ) | set(
        Appeal.objects.filter(item__score__assessment=assessment).values_list("item_id", flat=True)
    )
    kept: dict[tuple[int, str], ScoreItem] = {
        (item.score_id, item.key): item for item in ScoreItem.objects.filter(pk__in=decided)
    }
    overrides = _overrides(assessment)
    used: set[int] = set()
    to_update: list[ScoreItem] = []
    to_create: list[ScoreItem] = []
    for unit in scored:
        score = scores[unit.unit_id]
        for position, item in enumerate(unit.items):
            row = kept.get((score.pk, item.key)) or ScoreItem(score=score, key=item.key)
            row.component = item.component
            row.rule = item.rule
            row.points = item.points
            row.adjusted_points = overrides.get((unit.unit_id, item.key))
            row.text = item_text(item, rules)[:400]
            row.task_id = item.task_id
            row.source_type = item.source.type if item.source else ""
            row.source_id = item.source.id if item.source else None
            row.link = item.source.link if item.source else ""
            row.position = position * STEP
            if row.pk:
                used.add(row.pk)
                to_update.append(row)
            else:
                to_create.append(row)
    # A decided item whose cause is gone from the record goes with its decisions (audited).
    ScoreItem.objects.filter(score__assessment=assessment).exclude(pk__in=used).delete()
    ScoreItem.objects.bulk_update(
        to_update,
        [
            "component",
            "rule",
            "points",
            "adjusted_points",
            "text",
            "task",
            "source_type",
            "source_id",
            "link",
            "position",
        ],
    )
    ScoreItem.objects.bulk_create(to_create, batch_size=500)
    if overrides:  # adjusted items change the floors, caps and totals
        settle_all(assessment, rules)


def _overrides(assessment: Assessment) -> dict[tuple[int, str], Decimal]:
    """(unit id, item key) → the points of the item's latest adjustment or upheld appeal."""
    changes: list[tuple[Any, int, str, Decimal]] = []
    for adjustment in Adjustment.objects.filter(item__score__assessment=assessment).values(
        "made_at", "pk", "item__score__unit_id", "key", "points_after"
    ):
        changes.append(
            (
                adjustment["made_at"],
                adjustment["item__score__unit_id"],
                adjustment["key"],
                adjustment["points_after"],
            )
        )
    for appeal in Appeal.objects.filter(
        item__score__assessment=assessment, state=AppealState.UPHELD
    ).values("decided_at", "item__score__unit_id", "key", "points_after"):
        changes.append(
            (
                appeal["decided_at"],
                appeal["item__score__unit_id"],
                appeal["key"],
                appeal["points_after"] if appeal["points_after"] is not None else Decimal(0),
            )
        )
    out: dict[tuple[int, str], Decimal] = {}
    for _when, unit_id, key, points in sorted(changes, key=lambda c: c[0]):
        out[(unit_id, key)] = points
    return out


# --- settling a unit after a change --------------------------------------------------------------


def _as_item(row: ScoreItem) -> scoring.Item:
    return scoring.Item(
        key=row.key,
        component=row.component,
        rule=row.rule,
        points=row.final_points,
        params={"number": row.task.number if row.task_id and row.task else ""},
        task_id=row.task_id,
    )


@_in_the_records_language
def settle(score: UnitScore, rules: Rules, *, regrade: bool = True) -> UnitScore:
    """Work out the unit's arithmetic items (floors, caps) from its other items' points that
    count, its total, and (``regrade``) its group's ranks and grades."""
    rows = list(score.items.select_related("task").order_by("position", "pk"))
    counted = [row for row in rows if row.rule not in scoring.DERIVED_RULES]
    derived = scoring.arithmetic_items([_as_item(row) for row in counted], rules)
    old = {row.key: row for row in rows if row.rule in scoring.DERIVED_RULES}
    wanted = {item.key for item in derived}
    ScoreItem.objects.filter(
        pk__in=[row.pk for key, row in old.items() if key not in wanted]
    ).delete()
    end = max((row.position for row in counted), default=0)
    for offset, item in enumerate(derived, 1):
        row = old.get(item.key) or ScoreItem(score=score, key=item.key)
        row.component = item.component
        row.rule = item.rule
        row.points = item.points
        row.adjusted_points = None
        row.text = item_text(item, rules)[:400]
        row.task_id = item.task_id
        row.position = _derived_position(item, counted, end + offset * STEP)
        row.save()
    total = sum((row.final_points for row in counted), Decimal(0)) + sum(
        (item.points for item in derived), Decimal(0)
    )
    score.score = scoring.cents(total)
    score.save(update_fields=["score"])
    if regrade:
        regrade_group(score.assessment, score.group, rules)
    return score


def _derived_position(item: scoring.Item, counted: list[ScoreItem], fallback: int) -> int:
    """Right after the last item of its component (a pool's floor; a task's cap, then the
    bonus cap after the bonuses)."""
    same = [row.position for row in counted if row.component == item.component]
    after = 2 if item.rule == "bonus_cap" else 1
    return max(same) + after if same else fallback


def settle_all(assessment: Assessment, rules: Rules) -> None:
    for score in UnitScore.objects.filter(assessment=assessment).select_related("assessment"):
        settle(score, rules, regrade=False)
    for group in {s.group for s in UnitScore.objects.filter(assessment=assessment)}:
        regrade_group(assessment, group, rules)


def regrade_group(assessment: Assessment, group: str, rules: Rules) -> None:
    scores = list(UnitScore.objects.filter(assessment=assessment, group=group))
    standings = scoring.rank_and_grade(
        [scoring.Standing(s.unit_id, s.group, s.score, s.vetoed) for s in scores], rules
    )
    for score in scores:
        score.rank, score.grade = standings[score.unit_id]
    UnitScore.objects.bulk_update(scores, ["rank", "grade"])
