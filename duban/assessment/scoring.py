"""Scoring one year: the facts of each unit in, items out, a total that is their exact sum.

The service (``duban.assessment.services.record``) reads the record into ``UnitFacts`` — per
unit its tasks with their completion, its quarters' lights, its reports' lateness, the notices
addressed to it, the circulars that name it, its recognitions and the false reports found on
its tasks — each fact with the ``Ref`` of the record that shows it. ``score_unit`` turns them
into ``Item`` rows by the ``Scheme`` (every point an item with its rule, its parameters and
its source), adds the arithmetic items (a pool's base points, a pool's floor of 0, a task's
bonus cap, the bonus cap) and the vetoes; ``rank_and_grade`` ranks the units of each group
and grades them against the 优秀 quota. The words of each item are the service's: here an item
has a rule code and plain parameters only. Pure Python, no Django.

Points are ``Decimal`` with two places. A unit's score is the sum of its items' points, always:
the completion pool is shared out by the largest remainder, so that a unit that completed
every task gets exactly the pool's points.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from .scheme import Scheme

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
ONE = Decimal(1)

LEAD, RESPONSIBLE = "lead", "responsible"
TOWNSHIPS, DEPARTMENTS = "townships", "departments"
EXCELLENT, GOOD, FAIR, POOR = "excellent", "good", "fair", "poor"

# Components (duban.assessment.models.Component) and the pools among them.
COMPLETION, PACE, REPORTING, RESPONSE = "completion", "pace", "reporting", "response"
BONUS, DEDUCTION = "bonus", "deduction"
POOLS = (COMPLETION, PACE, REPORTING, RESPONSE)
BASED_POOLS = (PACE, REPORTING, RESPONSE)  # start from their points, deductions come off
# Items that follow from the others (worked out again after an adjustment); with the pools'
# base points, the items nobody adjusts or appeals.
DERIVED_RULES = ("pool_floor", "task_bonus_cap", "bonus_cap")
ARITHMETIC_RULES = ("pool_base", *DERIVED_RULES)
TASK_BONUS_RULES = ("early", "beyond_target")


def cents(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# --- facts in ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """The record behind a fact: "report", "light_record", "notice", "circular", "finding",
    "recognition", "task", "extension"; its pk (None for what is missing) and its page."""

    type: str
    id: int | None = None
    link: str = ""


@dataclass(frozen=True)
class TaskFacts:
    """One task of the unit, with the unit's role on it and its completion.

    ``ratio`` is min(actual/target, 1) as the accepted report (``report``; None when none is
    accepted) states it; ``evidence`` whether that report has evidence. ``due_passed``: the
    task's deadline (or the year's end) is past on the day of the record. ``early`` and
    ``beyond`` are the accepted reports (with evidence) that show it completed before its
    deadline's quarter / a quantitative target exceeded; ``extension`` an approved extension.
    """

    task_id: int
    number: str
    role: str
    ratio: Decimal = ZERO
    report: Ref | None = None
    period: str = ""  # the accepted report's period, as people name it
    evidence: bool = False
    due_passed: bool = False
    early: Ref | None = None
    early_period: str = ""
    beyond: Ref | None = None
    beyond_target: str = ""  # the target exceeded, as people name it
    extension: Ref | None = None
    ref: Ref | None = None  # the task itself


@dataclass(frozen=True)
class LightFacts:
    """The light of one of the unit's tasks at the end of a quarter (its last record on or
    before the quarter's report due date)."""

    task_id: int
    number: str
    role: str
    quarter: int
    colour: str  # "green" | "yellow" | "red"
    ref: Ref | None = None


@dataclass(frozen=True)
class ReportFacts:
    """The unit's report (lead unit) or contribution (responsible unit) on one task for one
    period: missing, or late by ``late_days`` working days (calendar days when
    ``calendar_days``: no holiday calendar for that year), and each time it was returned."""

    task_id: int
    number: str
    role: str
    period_code: str
    period: str  # as people name it
    missing: bool = False
    late_days: int = 0
    calendar_days: bool = False
    returns: tuple[Ref, ...] = ()
    ref: Ref | None = None


@dataclass(frozen=True)
class NoticeFacts:
    """A notice addressed to the unit: its level, and whether it was answered late (or not at
    all past its reply date)."""

    notice_id: int
    doc_number: str
    level: str  # "urge" | "supervise" | "listed"
    late: bool = False
    replied: bool = True
    task_id: int | None = None
    number: str = ""  # its task's number ("" for a period 催办)
    ref: Ref | None = None


@dataclass(frozen=True)
class CircularFacts:
    circular_id: int
    doc_number: str
    praised: bool  # else criticised
    ref: Ref | None = None


@dataclass(frozen=True)
class RecognitionFacts:
    recognition_id: int
    title: str
    document: str
    points: Decimal
    kind: str = "higher_level"  # or "instruction" (领导批示肯定)
    task_id: int | None = None
    number: str = ""
    ref: Ref | None = None


@dataclass(frozen=True)
class FindingFacts:
    """A verified false report found by an inspection on a task the unit leads."""

    finding_id: int
    task_id: int
    number: str
    ref: Ref | None = None


@dataclass(frozen=True)
class UnitFacts:
    unit_id: int
    name: str
    kind: str  # duban.directory.models.UnitKind
    tasks: tuple[TaskFacts, ...] = ()
    lights: tuple[LightFacts, ...] = ()
    reports: tuple[ReportFacts, ...] = ()
    notices: tuple[NoticeFacts, ...] = ()
    circulars: tuple[CircularFacts, ...] = ()
    recognitions: tuple[RecognitionFacts, ...] = ()
    findings: tuple[FindingFacts, ...] = ()

    @property
    def leads_any(self) -> bool:
        return any(task.role == LEAD for task in self.tasks)


# --- items out -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    key: str  # stable across recomputation
    component: str
    rule: str
    points: Decimal
    params: Mapping[str, Any] = field(default_factory=dict)
    task_id: int | None = None
    source: Ref | None = None

    @property
    def arithmetic(self) -> bool:
        return self.rule in ARITHMETIC_RULES


@dataclass(frozen=True)
class Veto:
    code: str  # "falsified" | "missed_tasks"
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class UnitScore:
    unit_id: int
    name: str
    group: str
    items: list[Item]
    vetoes: list[Veto]
    rank: int = 0
    grade: str = ""

    @property
    def score(self) -> Decimal:
        return total(self.items)

    @property
    def vetoed(self) -> bool:
        return bool(self.vetoes)


def total(items: Iterable[Item]) -> Decimal:
    return cents(sum((item.points for item in items), ZERO))


def group_of(kind: str, scheme: Scheme) -> str:
    return TOWNSHIPS if kind in scheme.township_kinds else DEPARTMENTS


# --- the rules -----------------------------------------------------------------------------------


def _share(role: str, points: Decimal, scheme: Scheme) -> Decimal:
    return points if role == LEAD else points * scheme.responsible_share


def effective_ratio(task: TaskFacts, scheme: Scheme) -> tuple[Decimal, str]:
    """The ratio that counts, and why: "done", "partial", "no_report", "no_evidence"."""
    if task.report is None:
        return ZERO, "no_report"
    ratio = min(max(task.ratio, ZERO), ONE)
    if scheme.evidence_required and not task.evidence:
        return ZERO, "no_evidence"
    return ratio, "done" if ratio >= ONE else "partial"


def largest_remainder(values: Sequence[Decimal], total_points: Decimal) -> list[Decimal]:
    """``values`` rounded to cents so that they sum to exactly ``total_points``: each rounded
    down, the cents left given one by one to the largest remainders (earlier first on ties)."""
    floors = [value.quantize(CENT, rounding=ROUND_DOWN) for value in values]
    left = int(((total_points - sum(floors, ZERO)) / CENT).to_integral_value())
    order = sorted(range(len(values)), key=lambda i: (-(values[i] - floors[i]), i))
    for index in order[: max(left, 0)]:
        floors[index] += CENT
    return floors


def completion_items(unit: UnitFacts, scheme: Scheme) -> list[Item]:
    """任务完成: pool × Σ(w·r)/Σw, one item per task, shared out by the largest remainder."""
    tasks = sorted(unit.tasks, key=lambda t: (t.role != LEAD, _number_key(t.number), t.task_id))
    weights = [scheme.lead_weight if t.role == LEAD else scheme.responsible_weight for t in tasks]
    weight = sum(weights, Decimal(0))
    if not tasks or weight <= 0:
        return []
    ratios = [effective_ratio(task, scheme) for task in tasks]
    exact = [
        scheme.completion_pool * w * r / weight
        for w, (r, _why) in zip(weights, ratios, strict=True)
    ]
    shares = largest_remainder(exact, cents(sum(exact, Decimal(0))))
    items = []
    for task, w, (ratio, why), points in zip(tasks, weights, ratios, shares, strict=True):
        full = scheme.completion_pool * w / weight
        items.append(
            Item(
                key=f"task:{task.task_id}:completion",
                component=COMPLETION,
                rule="completion",
                points=points,
                params={
                    "number": task.number,
                    "role": task.role,
                    "percent": _percent(task.ratio if task.report else ZERO),
                    "counted": _percent(ratio),
                    "why": why,
                    "period": task.period,
                    "full": str(cents(full)),
                },
                task_id=task.task_id,
                source=task.report or task.ref,
            )
        )
    return items


def pace_items(unit: UnitFacts, scheme: Scheme) -> list[Item]:
    """序时进度: each task-quarter red or yellow (a responsible unit's at the share)."""
    items = []
    for light in sorted(unit.lights, key=lambda x: (_number_key(x.number), x.task_id, x.quarter)):
        if light.colour not in ("red", "yellow"):
            continue
        points = scheme.pace_red if light.colour == "red" else scheme.pace_yellow
        items.append(
            Item(
                key=f"light:{light.task_id}:Q{light.quarter}",
                component=PACE,
                rule=f"pace_{light.colour}",
                points=-cents(_share(light.role, points, scheme)),
                params={"number": light.number, "quarter": light.quarter, "role": light.role},
                task_id=light.task_id,
                source=light.ref,
            )
        )
    return items


def reporting_items(unit: UnitFacts, scheme: Scheme) -> list[Item]:
    """报送: each report missing, late (by at most N working days, or more), each return; a
    responsible unit's contributions alike at the share when the scheme counts them."""
    items = []
    for report in sorted(unit.reports, key=lambda r: (_number_key(r.number), r.period_code)):
        if report.role != LEAD and not scheme.contributions_count:
            continue
        what = "report" if report.role == LEAD else "contribution"
        base = {
            "number": report.number,
            "period": report.period,
            "role": report.role,
        }
        key = f"{what}:{report.task_id}:{report.period_code}"
        if report.missing:
            items.append(
                Item(
                    f"{key}:missing",
                    REPORTING,
                    f"{what}_missing",
                    -cents(_share(report.role, scheme.report_missing, scheme)),
                    base,
                    report.task_id,
                    report.ref,
                )
            )
        elif report.late_days > 0:
            minor = report.late_days <= scheme.late_minor_days
            points = scheme.report_late_minor if minor else scheme.report_late_major
            items.append(
                Item(
                    f"{key}:late",
                    REPORTING,
                    f"{what}_late_{'minor' if minor else 'major'}",
                    -cents(_share(report.role, points, scheme)),
                    {**base, "days": report.late_days, "calendar_days": report.calendar_days},
                    report.task_id,
                    report.ref,
                )
            )
        for count, returned in enumerate(report.returns, 1):
            items.append(
                Item(
                    f"{key}:returned:{returned.id if returned.id is not None else count}",
                    REPORTING,
                    "report_returned",
                    -cents(_share(report.role, scheme.report_returned, scheme)),
                    {**base, "count": count},
                    report.task_id,
                    returned,
                )
            )
    return items


def response_items(unit: UnitFacts, scheme: Scheme) -> list[Item]:
    """督办响应: each late (or missing) reply −1; each 督办 −2, each 挂牌督办 −3."""
    items = []
    for notice in sorted(unit.notices, key=lambda n: n.notice_id):
        base = {"doc_number": notice.doc_number, "number": notice.number, "level": notice.level}
        if notice.late:
            items.append(
                Item(
                    f"notice:{notice.notice_id}:late_reply",
                    RESPONSE,
                    "notice_late_reply",
                    -cents(scheme.notice_late_reply),
                    {**base, "replied": notice.replied},
                    notice.task_id,
                    notice.ref,
                )
            )
        level_points = {"supervise": scheme.notice_supervise, "listed": scheme.notice_listed}
        if notice.level in level_points:
            items.append(
                Item(
                    f"notice:{notice.notice_id}:level",
                    RESPONSE,
                    f"notice_{notice.level}",
                    -cents(level_points[notice.level]),
                    base,
                    notice.task_id,
                    notice.ref,
                )
            )
    return items


def bonus_items(unit: UnitFacts, scheme: Scheme) -> list[Item]:
    """Completed early, target exceeded (lead unit), praise in a circular, recognitions."""
    items = []
    for task in sorted(unit.tasks, key=lambda t: (_number_key(t.number), t.task_id)):
        if task.role != LEAD:
            continue
        if task.early is not None and scheme.early_bonus:
            items.append(
                Item(
                    f"task:{task.task_id}:early",
                    BONUS,
                    "early",
                    cents(scheme.early_bonus),
                    {"number": task.number, "period": task.early_period},
                    task.task_id,
                    task.early,
                )
            )
        if task.beyond is not None and scheme.beyond_target_bonus:
            items.append(
                Item(
                    f"task:{task.task_id}:beyond",
                    BONUS,
                    "beyond_target",
                    cents(scheme.beyond_target_bonus),
                    {"number": task.number, "target": task.beyond_target},
                    task.task_id,
                    task.beyond,
                )
            )
    role = LEAD if unit.leads_any else RESPONSIBLE
    for circular in sorted(unit.circulars, key=lambda c: c.circular_id):
        if circular.praised:
            items.append(
                Item(
                    f"circular:{circular.circular_id}:praised",
                    BONUS,
                    "praised",
                    cents(_share(role, scheme.praise_bonus, scheme)),
                    {"doc_number": circular.doc_number, "role": role},
                    None,
                    circular.ref,
                )
            )
    for recognition in sorted(unit.recognitions, key=lambda r: r.recognition_id):
        instruction = recognition.kind == "instruction"
        counted = not instruction or scheme.instruction_bonus
        points = min(max(recognition.points, scheme.recognition_min), scheme.recognition_max)
        items.append(
            Item(
                f"recognition:{recognition.recognition_id}",
                BONUS,
                "instruction" if instruction else "recognition",
                cents(points) if counted else ZERO,
                {
                    "title": recognition.title,
                    "document": recognition.document,
                    "counted": counted,
                    "number": recognition.number,
                },
                recognition.task_id,
                recognition.ref,
            )
        )
    return items


def deduction_items(unit: UnitFacts, scheme: Scheme) -> list[Item]:
    """Criticised in a circular; a verified false report."""
    items = []
    role = LEAD if unit.leads_any else RESPONSIBLE
    for circular in sorted(unit.circulars, key=lambda c: c.circular_id):
        if not circular.praised:
            items.append(
                Item(
                    f"circular:{circular.circular_id}:criticised",
                    DEDUCTION,
                    "criticised",
                    -cents(_share(role, scheme.criticism, scheme)),
                    {"doc_number": circular.doc_number, "role": role},
                    None,
                    circular.ref,
                )
            )
    for finding in sorted(unit.findings, key=lambda f: f.finding_id):
        items.append(
            Item(
                f"finding:{finding.finding_id}:falsified",
                DEDUCTION,
                "falsified",
                -cents(scheme.falsified),
                {"number": finding.number},
                finding.task_id,
                finding.ref,
            )
        )
    return items


def base_items(scheme: Scheme) -> list[Item]:
    """The points the pools of deductions start from (序时进度 10, 报送 15, 督办响应 15)."""
    pools = {
        PACE: scheme.pace_pool,
        REPORTING: scheme.reporting_pool,
        RESPONSE: scheme.response_pool,
    }
    return [
        Item(f"base:{pool}", pool, "pool_base", cents(points), {"pool": pool})
        for pool, points in pools.items()
    ]


def arithmetic_items(items: Sequence[Item], scheme: Scheme) -> list[Item]:
    """The items that follow from the others (given with the points that count): a task's
    bonuses above the per-task cap, a pool below 0, the bonuses above the cap."""
    out: list[Item] = []
    per_task: dict[int, Decimal] = defaultdict(lambda: ZERO)
    numbers: dict[int, str] = {}
    for item in items:
        if item.rule in TASK_BONUS_RULES and item.task_id is not None:
            per_task[item.task_id] += item.points
            numbers[item.task_id] = str(item.params.get("number", ""))
    for task_id, points in sorted(per_task.items()):
        if points > scheme.task_bonus_cap:
            out.append(
                Item(
                    f"task:{task_id}:bonus_cap",
                    BONUS,
                    "task_bonus_cap",
                    cents(scheme.task_bonus_cap - points),
                    {"number": numbers[task_id], "cap": str(cents(scheme.task_bonus_cap))},
                    task_id,
                )
            )
    pools = {
        COMPLETION: scheme.completion_pool,
        PACE: scheme.pace_pool,
        REPORTING: scheme.reporting_pool,
        RESPONSE: scheme.response_pool,
    }
    for pool in POOLS:
        in_pool = [item for item in items if item.component == pool]
        points = sum((item.points for item in in_pool), ZERO)
        if in_pool and points < 0:
            deducted = -sum((i.points for i in in_pool if i.points < 0), ZERO)
            out.append(
                Item(
                    f"floor:{pool}",
                    pool,
                    "pool_floor",
                    cents(-points),
                    {
                        "pool": pool,
                        "points": str(cents(pools[pool])),
                        "deducted": str(cents(deducted)),
                    },
                )
            )
    bonus = sum((item.points for item in [*items, *out] if item.component == BONUS), ZERO)
    if bonus > scheme.bonus_cap:
        out.append(
            Item(
                "cap:bonus",
                BONUS,
                "bonus_cap",
                cents(scheme.bonus_cap - bonus),
                {"cap": str(cents(scheme.bonus_cap)), "bonus": str(cents(bonus))},
            )
        )
    return out


def vetoes_of(unit: UnitFacts, scheme: Scheme) -> list[Veto]:
    vetoes = []
    if scheme.veto_falsified and unit.findings:
        numbers = _numbers(f.number for f in unit.findings)
        vetoes.append(Veto("falsified", {"numbers": numbers}))
    if scheme.veto_missed_tasks > 0:
        missed = [
            task
            for task in unit.tasks
            if task.role == LEAD
            and task.due_passed
            and task.extension is None
            and effective_ratio(task, scheme)[0] < ONE
        ]
        if len(missed) >= scheme.veto_missed_tasks:
            vetoes.append(
                Veto(
                    "missed_tasks",
                    {"numbers": _numbers(t.number for t in missed), "count": len(missed)},
                )
            )
    return vetoes


def event_items(unit: UnitFacts, scheme: Scheme) -> list[Item]:
    """Every item the record causes, before the arithmetic items."""
    return [
        *completion_items(unit, scheme),
        *base_items(scheme),
        *pace_items(unit, scheme),
        *reporting_items(unit, scheme),
        *response_items(unit, scheme),
        *bonus_items(unit, scheme),
        *deduction_items(unit, scheme),
    ]


ORDER = {name: index for index, name in enumerate((*POOLS, BONUS, DEDUCTION))}


def ordered(items: Iterable[Item]) -> list[Item]:
    """By component (the pools, bonuses, deductions); in each, base first, floor or cap last."""

    def key(pair: tuple[int, Item]) -> tuple[int, int, int]:
        index, item = pair
        place = (
            0 if item.rule == "pool_base" else 2 if item.rule in ("pool_floor", "bonus_cap") else 1
        )
        return ORDER.get(item.component, 99), place, index

    return [item for _i, item in sorted(enumerate(items), key=key)]


def score_unit(unit: UnitFacts, scheme: Scheme) -> UnitScore:
    items = event_items(unit, scheme)
    items = ordered([*items, *arithmetic_items(items, scheme)])
    return UnitScore(
        unit_id=unit.unit_id,
        name=unit.name,
        group=group_of(unit.kind, scheme),
        items=items,
        vetoes=vetoes_of(unit, scheme),
    )


@dataclass(frozen=True)
class Standing:
    """What ranking and grading need of a unit."""

    unit_id: int
    group: str
    score: Decimal
    vetoed: bool


def rank_and_grade(units: Sequence[Standing], scheme: Scheme) -> dict[int, tuple[int, str]]:
    """(rank, grade) per unit id: ranked by score in its group (ties share a rank, the next
    rank skips: 1, 1, 3); 优秀 needs the score and a place within the quota — at most
    ⌊quota % × the group's size⌋ units, taken by score among those not vetoed, and a tie that
    would overflow the quota is left out whole; a veto makes the grade 较差."""
    out: dict[int, tuple[int, str]] = {}
    groups: dict[str, list[Standing]] = defaultdict(list)
    for unit in units:
        groups[unit.group].append(unit)
    for members in groups.values():
        members.sort(key=lambda u: (-u.score, u.unit_id))
        ranks: dict[int, int] = {}
        for position, unit in enumerate(members, 1):
            previous = members[position - 2] if position > 1 else None
            if previous is not None and previous.score == unit.score:
                ranks[unit.unit_id] = ranks[previous.unit_id]
            else:
                ranks[unit.unit_id] = position
        quota = int((scheme.excellent_quota * len(members) / 100).to_integral_value(ROUND_DOWN))
        eligible = [u for u in members if not u.vetoed and u.score >= scheme.grade_excellent]
        excellent: set[int] = set()
        by_score: dict[Decimal, list[Standing]] = defaultdict(list)
        for unit in eligible:
            by_score[unit.score].append(unit)
        for score in sorted(by_score, reverse=True):
            block = by_score[score]
            if len(excellent) + len(block) > quota:
                break
            excellent.update(u.unit_id for u in block)
        for unit in members:
            if unit.vetoed:
                grade = POOR
            elif unit.unit_id in excellent:
                grade = EXCELLENT
            elif unit.score >= scheme.grade_good:
                grade = GOOD
            elif unit.score >= scheme.grade_fair:
                grade = FAIR
            else:
                grade = POOR
            out[unit.unit_id] = (ranks[unit.unit_id], grade)
    return out


def score_all(units: Iterable[UnitFacts], scheme: Scheme) -> list[UnitScore]:
    """Every unit scored, ranked and graded; by group, then rank, then name."""
    scored = [score_unit(unit, scheme) for unit in units]
    standings = rank_and_grade(
        [Standing(s.unit_id, s.group, s.score, s.vetoed) for s in scored], scheme
    )
    for unit in scored:
        unit.rank, unit.grade = standings[unit.unit_id]
    scored.sort(key=lambda s: (s.group != TOWNSHIPS, s.rank, s.name))
    return scored


# --- helpers -------------------------------------------------------------------------------------


def _percent(ratio: Decimal) -> str:
    return format((ratio * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP).normalize(), "f")


def _number_key(number: str) -> tuple[int, str]:
    digits = "".join(ch for ch in number if ch.isdigit())
    return (int(digits) if digits else 0, number)


def _numbers(numbers: Iterable[str]) -> list[str]:
    return sorted(set(numbers), key=_number_key)
