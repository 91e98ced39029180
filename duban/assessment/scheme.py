"""The rules of the year-end assessment (责任目标考核) as data: one frozen ``Scheme``.

A scheme says how many points each pool holds (任务完成, 序时进度, 报送, 督办响应; each with a
floor of 0), what each event costs or earns, the caps, the vetoes (一票否决), the ranking
groups and the grade bands with the 优秀 quota. ``DEFAULT`` is the shipped scheme
(docs/assessment.md). Stored as JSON (``to_dict``; decimals as strings so that no point is
lost to binary fractions) and read back with ``from_dict``, which takes a missing key as its
default and reports every wrong value by its field code (``Problem``) — the service says it in
Chinese. Pure Python, no Django.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from decimal import Decimal, InvalidOperation
from typing import Any

# The kinds of unit (duban.directory.models.UnitKind) ranked as townships; the rest are
# departments.
TOWNSHIP_KINDS = ("town", "street")
UNIT_KINDS = ("department", "town", "street", "enterprise", "court", "party", "other")

# Every rule an item can name (ScoreItem.rule); the service has a sentence for each.
RULES = (
    "completion",  # 任务完成: a task's share of the pool
    "pool_base",  # the pool's points before its deductions
    "pool_floor",  # a pool's deductions beyond its points count as 0
    "pace_red",
    "pace_yellow",
    "report_late_minor",  # late by at most N working days
    "report_late_major",
    "report_missing",
    "report_returned",
    "contribution_late_minor",
    "contribution_late_major",
    "contribution_missing",
    "notice_late_reply",
    "notice_supervise",
    "notice_listed",
    "early",
    "beyond_target",
    "task_bonus_cap",
    "praised",
    "recognition",
    "instruction",  # 领导批示肯定 (counted only when the scheme enables it)
    "bonus_cap",
    "criticised",
    "falsified",
)
VETOES = ("falsified", "missed_tasks")


@dataclass(frozen=True)
class Problem:
    """What is wrong with one field: ``code`` is one of "unknown", "not_number", "not_whole",
    "not_bool", "negative", "range", "order", "kinds"; ``value`` as it was given."""

    field: str
    code: str
    value: Any = None


class SchemeInvalid(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(", ".join(f"{p.field}:{p.code}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Scheme:
    # --- pools (base 100), each with a floor of 0 ---
    completion_pool: Decimal = Decimal("60")  # 任务完成
    pace_pool: Decimal = Decimal("10")  # 序时进度
    reporting_pool: Decimal = Decimal("15")  # 报送
    response_pool: Decimal = Decimal("15")  # 督办响应
    # --- 任务完成: weights of a task for its units; evidence needed for any credit ---
    lead_weight: Decimal = Decimal("1")
    responsible_weight: Decimal = Decimal("0.5")
    evidence_required: bool = True
    # --- what a responsible unit's event counts, as a share of a lead unit's ---
    responsible_share: Decimal = Decimal("0.5")
    # --- 序时进度: per task and quarter ---
    pace_red: Decimal = Decimal("1")
    pace_yellow: Decimal = Decimal("0.5")
    # --- 报送: per report; a responsible unit's contributions (at responsible_share) only when
    # contributions_count: off by default, since the rule names the quarterly report (the lead
    # unit's) and a town answers for some 60 tasks: counting each contribution would empty the
    # pool of every town for what its lead unit's report already answers for.
    contributions_count: bool = False
    late_minor_days: int = 3  # late by at most this many working days: the smaller deduction
    report_late_minor: Decimal = Decimal("0.5")
    report_late_major: Decimal = Decimal("1")
    report_missing: Decimal = Decimal("2")
    report_returned: Decimal = Decimal("1")
    # --- 督办响应: per notice addressed to the unit ---
    notice_late_reply: Decimal = Decimal("1")
    notice_supervise: Decimal = Decimal("2")
    notice_listed: Decimal = Decimal("3")
    # --- bonuses ---
    bonus_cap: Decimal = Decimal("5")
    early_bonus: Decimal = Decimal("0.5")  # completed before the task's deadline quarter
    beyond_target_bonus: Decimal = Decimal("0.5")  # a quantitative target exceeded
    task_bonus_cap: Decimal = Decimal("1")  # early + beyond target, per task
    praise_bonus: Decimal = Decimal("1")  # per issued circular (responsible-only units: the share)
    recognition_min: Decimal = Decimal("1")  # 上级表彰, as the office records it
    recognition_max: Decimal = Decimal("2")
    instruction_bonus: bool = False  # 领导批示肯定: off (2024 rules on reducing burdens)
    # --- deductions ---
    criticism: Decimal = Decimal("1")  # per issued circular (responsible-only units: the share)
    falsified: Decimal = Decimal("3")  # per verified false report
    # --- vetoes (一票否决) ---
    veto_falsified: bool = True
    veto_missed_tasks: int = 2  # this many lead tasks missed without extension; 0 = off
    # --- ranking groups and grades ---
    township_kinds: tuple[str, ...] = TOWNSHIP_KINDS
    grade_excellent: Decimal = Decimal("90")
    grade_good: Decimal = Decimal("80")
    grade_fair: Decimal = Decimal("60")
    excellent_quota: Decimal = Decimal("25")  # per cent of the ranking group, rounded down
    # --- 公示 ---
    publicity_days: int = 5  # working days

    @property
    def base(self) -> Decimal:
        return self.completion_pool + self.pace_pool + self.reporting_pool + self.response_pool

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, Decimal):
                out[item.name] = _text(value)
            elif isinstance(value, tuple):
                out[item.name] = list(value)
            else:
                out[item.name] = value
        return out

    def problems(self) -> list[Problem]:
        """What does not hold together (values are already of the right types)."""
        found: list[Problem] = []
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, Decimal | int) and not isinstance(value, bool) and value < 0:
                found.append(Problem(item.name, "negative", value))
        if self.excellent_quota > 100:
            found.append(Problem("excellent_quota", "range", self.excellent_quota))
        if self.lead_weight <= 0:
            found.append(Problem("lead_weight", "range", self.lead_weight))
        if self.responsible_share > 1:
            found.append(Problem("responsible_share", "range", self.responsible_share))
        if self.recognition_min > self.recognition_max:
            found.append(Problem("recognition_max", "order", self.recognition_max))
        if not self.grade_excellent >= self.grade_good >= self.grade_fair:
            found.append(Problem("grade_good", "order", self.grade_good))
        if self.publicity_days < 1:
            found.append(Problem("publicity_days", "range", self.publicity_days))
        if not set(self.township_kinds) <= set(UNIT_KINDS):
            found.append(Problem("township_kinds", "kinds", list(self.township_kinds)))
        return found


DEFAULT = Scheme()
FIELD_NAMES = tuple(item.name for item in fields(Scheme))


def _text(value: Decimal) -> str:
    """0.5 → "0.5", 60 → "60", 60.00 → "60"."""
    text = format(value.normalize(), "f")
    return text


def _read(name: str, default: Any, raw: Any) -> tuple[Any, Problem | None]:
    if isinstance(default, bool):
        if isinstance(raw, bool):
            return raw, None
        return default, Problem(name, "not_bool", raw)
    if isinstance(default, int):
        if isinstance(raw, bool):
            return default, Problem(name, "not_whole", raw)
        try:
            number = Decimal(str(raw).strip())
        except (InvalidOperation, ValueError):
            return default, Problem(name, "not_whole", raw)
        if not number.is_finite() or number != number.to_integral_value():
            return default, Problem(name, "not_whole", raw)
        return int(number), None
    if isinstance(default, Decimal):
        if isinstance(raw, bool):
            return default, Problem(name, "not_number", raw)
        try:
            number = Decimal(str(raw).strip())
        except (InvalidOperation, ValueError):
            return default, Problem(name, "not_number", raw)
        if not number.is_finite():
            return default, Problem(name, "not_number", raw)
        return number, None
    if isinstance(default, tuple):
        if isinstance(raw, list | tuple) and all(isinstance(v, str) for v in raw):
            return tuple(raw), None
        return default, Problem(name, "kinds", raw)
    return raw, None  # pragma: no cover - every field is one of the above


def from_dict(data: Mapping[str, Any] | None, *, strict: bool = True) -> Scheme:
    """The scheme the dict says: a missing key keeps its default; ``SchemeInvalid`` with every
    problem (unknown keys too) when ``strict``, else the defaults in place of what is wrong."""
    data = data or {}
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    for name in sorted(set(data) - set(FIELD_NAMES)):
        problems.append(Problem(name, "unknown", data[name]))
    for name in FIELD_NAMES:
        if name not in data:
            continue
        value, problem = _read(name, getattr(DEFAULT, name), data[name])
        if problem is not None:
            problems.append(problem)
        else:
            values[name] = value
    scheme = replace(DEFAULT, **values)
    if strict:
        problems += scheme.problems()
        if problems:
            raise SchemeInvalid(problems)
    return scheme


def validate(data: Mapping[str, Any]) -> list[Problem]:
    """Every problem of ``data`` as a scheme ([] when it is a valid one)."""
    try:
        from_dict(data)
    except SchemeInvalid as exc:
        return exc.problems
    return []
