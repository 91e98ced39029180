"""The assessment's arithmetic on hand-built facts: each rule of the default scheme, the pools'
floors and the bonus caps as items of their own, vetoes, ranks and grades with the 优秀 quota;
a unit's items always sum exactly to its score."""

from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal

from duban.assessment import scoring
from duban.assessment.scheme import DEFAULT
from duban.assessment.scoring import (
    CircularFacts,
    FindingFacts,
    LightFacts,
    NoticeFacts,
    RecognitionFacts,
    Ref,
    ReportFacts,
    Standing,
    TaskFacts,
    UnitFacts,
    rank_and_grade,
    score_unit,
)

D = Decimal
LEAD, RESP = "lead", "responsible"
REPORT = Ref("report", 1, "/r/1")


def task(
    n: int, role: str = LEAD, ratio: str = "1", evidence: bool = True, **kw: object
) -> TaskFacts:
    fields: dict[str, object] = {"report": REPORT, "period": "2023年年终", "evidence": evidence}
    fields.update(kw)
    return TaskFacts(task_id=n, number=str(n), role=role, ratio=D(ratio), **fields)  # type: ignore[arg-type]


def unit(**kw: object) -> UnitFacts:
    fields: dict[str, object] = {"unit_id": 1, "name": "发改委", "kind": "department"}
    fields.update(kw)
    return UnitFacts(**fields)  # type: ignore[arg-type]


def points(result: scoring.UnitScore, rule: str) -> list[Decimal]:
    return [item.points for item in result.items if item.rule == rule]


def by_key(result: scoring.UnitScore) -> dict[str, Decimal]:
    return {item.key: item.points for item in result.items}


def assert_exact(result: scoring.UnitScore) -> None:
    assert result.score == sum((i.points for i in result.items), D(0))
    assert all(i.points == i.points.quantize(D("0.01")) for i in result.items)
    for pool in scoring.POOLS:
        assert sum((i.points for i in result.items if i.component == pool), D(0)) >= 0
    assert sum((i.points for i in result.items if i.component == "bonus"), D(0)) <= 5


# --- 任务完成 ------------------------------------------------------------------------------------


def test_a_unit_that_completed_everything_gets_exactly_sixty_and_a_clean_hundred() -> None:
    tasks = (task(1), task(2), task(3), task(4, RESP), task(5, RESP), task(6, RESP), task(7, RESP))
    result = score_unit(unit(tasks=tasks), DEFAULT)
    completion = points(result, "completion")
    assert sum(completion, D(0)) == D("60.00")
    # 60 / 5 = 12 per lead task, 6 per responsible task: weights 1 and 0.5.
    assert completion == [D("12.00")] * 3 + [D("6.00")] * 4
    assert result.score == D("100.00") and not result.vetoes
    assert_exact(result)


def test_largest_remainder_keeps_the_pool_exact_when_shares_do_not_divide() -> None:
    result = score_unit(unit(tasks=(task(1), task(2), task(3))), DEFAULT)
    assert sorted(points(result, "completion")) == [D("20.00")] * 3
    result = score_unit(unit(tasks=tuple(task(n) for n in range(1, 8))), DEFAULT)
    shares = points(result, "completion")
    assert sum(shares, D(0)) == D("60.00")  # 60/7 = 8.5714…: four 8.57 and three 8.58
    assert sorted(set(shares)) == [D("8.57"), D("8.58")]


def test_completion_is_sixty_times_the_weighted_ratio() -> None:
    tasks = (task(1, ratio="0.5"), task(2, RESP, ratio="1"))
    result = score_unit(unit(tasks=tasks), DEFAULT)
    # 60 × (1×0.5 + 0.5×1) / 1.5 = 40
    assert points(result, "completion") == [D("20.00"), D("20.00")]
    partial = next(i for i in result.items if i.key == "task:1:completion")
    assert partial.params["why"] == "partial" and partial.params["percent"] == "50"
    assert partial.source == REPORT


def test_a_task_counts_as_done_only_with_evidence_accepted() -> None:
    tasks = (task(1, evidence=False), task(2, report=None, ratio="0"), task(3))
    result = score_unit(unit(tasks=tasks), DEFAULT)
    items = {i.task_id: i for i in result.items if i.rule == "completion"}
    assert items[1].points == 0 and items[1].params["why"] == "no_evidence"
    assert items[1].params["percent"] == "100"  # what the report said, for the cause
    assert items[2].points == 0 and items[2].params["why"] == "no_report"
    assert items[3].points == D("20.00")
    relaxed = score_unit(unit(tasks=tasks), replace(DEFAULT, evidence_required=False))
    assert by_key(relaxed)["task:1:completion"] == D("20.00")


# --- 序时进度 ------------------------------------------------------------------------------------


def test_pace_red_and_yellow_per_task_quarter_responsible_at_half() -> None:
    lights = (
        LightFacts(1, "1", LEAD, 1, "red"),
        LightFacts(1, "1", LEAD, 2, "yellow"),
        LightFacts(1, "1", LEAD, 3, "green"),
        LightFacts(2, "2", RESP, 2, "red"),
        LightFacts(2, "2", RESP, 3, "yellow"),
    )
    result = score_unit(unit(tasks=(task(1), task(2, RESP)), lights=lights), DEFAULT)
    keys = by_key(result)
    assert keys["base:pace"] == D("10.00")
    assert keys["light:1:Q1"] == D("-1.00") and keys["light:1:Q2"] == D("-0.50")
    assert keys["light:2:Q2"] == D("-0.50") and keys["light:2:Q3"] == D("-0.25")
    assert "light:1:Q3" not in keys
    assert_exact(result)


def test_a_pool_never_goes_below_zero_and_says_so_as_an_item() -> None:
    lights = tuple(LightFacts(n, str(n), LEAD, q, "red") for n in range(1, 4) for q in range(1, 5))
    result = score_unit(unit(tasks=tuple(task(n) for n in range(1, 4)), lights=lights), DEFAULT)
    floor = next(i for i in result.items if i.rule == "pool_floor")
    assert floor.key == "floor:pace" and floor.points == D("2.00")  # 10 − 12 → +2
    assert floor.params == {"pool": "pace", "points": "10.00", "deducted": "12.00"}
    assert sum((i.points for i in result.items if i.component == "pace"), D(0)) == 0
    assert result.score == D("90.00")
    assert_exact(result)


# --- 报送 ----------------------------------------------------------------------------------------


def test_reports_late_missing_and_returned() -> None:
    reports = (
        ReportFacts(1, "1", LEAD, "2023Q1", "2023年第1季度", late_days=3),
        ReportFacts(1, "1", LEAD, "2023Q2", "2023年第2季度", late_days=4),
        ReportFacts(1, "1", LEAD, "2023Q3", "2023年第3季度", missing=True),
        ReportFacts(
            1, "1", LEAD, "2023Q4", "2023年第4季度", returns=(Ref("report", 7), Ref("report", 7))
        ),
        ReportFacts(2, "2", RESP, "2023Q1", "2023年第1季度", late_days=2),
        ReportFacts(2, "2", RESP, "2023Q2", "2023年第2季度", missing=True),
    )
    counting = replace(DEFAULT, contributions_count=True)
    result = score_unit(unit(tasks=(task(1), task(2, RESP)), reports=reports), counting)
    keys = by_key(result)
    assert keys["report:1:2023Q1:late"] == D("-0.50")  # ≤ 3 working days
    assert keys["report:1:2023Q2:late"] == D("-1.00")
    assert keys["report:1:2023Q3:missing"] == D("-2.00")
    assert points(result, "report_returned") == [D("-1.00"), D("-1.00")]
    assert keys["contribution:2:2023Q1:late"] == D("-0.25")
    assert keys["contribution:2:2023Q2:missing"] == D("-1.00")
    assert sum((i.points for i in result.items if i.component == "reporting"), D(0)) == D("8.25")
    assert_exact(result)
    # By default the contributions do not count: the rule names the lead unit's report.
    default = by_key(score_unit(unit(tasks=(task(1), task(2, RESP)), reports=reports), DEFAULT))
    assert not [key for key in default if key.startswith("contribution:")]
    assert default["report:1:2023Q3:missing"] == D("-2.00")


def test_lateness_counted_in_calendar_days_says_so() -> None:
    reports = (
        ReportFacts(1, "1", LEAD, "2025Q1", "2025年第1季度", late_days=5, calendar_days=True),
    )
    item = next(
        i
        for i in score_unit(unit(reports=reports), DEFAULT).items
        if i.rule.startswith("report_late")
    )
    assert item.rule == "report_late_major" and item.params["calendar_days"] is True


# --- 督办响应 ------------------------------------------------------------------------------------


def test_notices_late_replies_and_levels() -> None:
    notices = (
        NoticeFacts(1, "偃督〔2023〕1号", "urge", late=False),  # a 催办 answered in time: nothing
        NoticeFacts(2, "偃督〔2023〕2号", "urge", late=True, replied=False),
        NoticeFacts(3, "偃督〔2023〕3号", "supervise", late=True, task_id=1, number="1"),
        NoticeFacts(4, "偃督〔2023〕4号", "listed", task_id=1, number="1"),
    )
    result = score_unit(unit(tasks=(task(1),), notices=notices), DEFAULT)
    keys = by_key(result)
    assert "notice:1:late_reply" not in keys and "notice:1:level" not in keys
    assert keys["notice:2:late_reply"] == D("-1.00")
    assert keys["notice:3:late_reply"] == D("-1.00") and keys["notice:3:level"] == D("-2.00")
    assert keys["notice:4:level"] == D("-3.00")
    assert_exact(result)


# --- bonuses and deductions ----------------------------------------------------------------------


def test_early_and_beyond_target_lead_only_at_most_one_per_task() -> None:
    early = Ref("report", 2)
    tasks = (
        task(1, early=early, early_period="2023年第2季度", beyond=REPORT, beyond_target="项目"),
        task(2, RESP, early=early, beyond=REPORT),
    )
    result = score_unit(unit(tasks=tasks), DEFAULT)
    keys = by_key(result)
    assert keys["task:1:early"] == D("0.50") and keys["task:1:beyond"] == D("0.50")
    assert "task:2:early" not in keys and "task:1:bonus_cap" not in keys
    generous = replace(DEFAULT, early_bonus=D("0.75"))
    capped = by_key(score_unit(unit(tasks=tasks), generous))
    assert capped["task:1:bonus_cap"] == D("-0.25")  # 0.75 + 0.5 → at most 1


def test_praise_recognition_and_the_bonus_cap() -> None:
    circulars = tuple(CircularFacts(n, f"偃督通〔2023〕{n}号", praised=True) for n in range(1, 5))
    recognitions = (
        RecognitionFacts(1, "省级表彰", "豫政〔2023〕1号", D("2")),
        RecognitionFacts(2, "批示肯定", "批示", D("2"), kind="instruction"),
    )
    result = score_unit(
        unit(tasks=(task(1),), circulars=circulars, recognitions=recognitions), DEFAULT
    )
    keys = by_key(result)
    assert keys["circular:1:praised"] == D("1.00")
    assert keys["recognition:1"] == D("2.00")
    assert keys["recognition:2"] == D("0.00")  # 领导批示肯定 is off by default
    assert keys["cap:bonus"] == D("-1.00")  # 4 + 2 = 6 → 5
    assert result.score == D("105.00")
    assert_exact(result)
    on = by_key(
        score_unit(
            unit(tasks=(task(1),), recognitions=recognitions),
            replace(DEFAULT, instruction_bonus=True),
        )
    )
    assert on["recognition:2"] == D("2.00")


def test_a_unit_leading_no_task_is_praised_and_criticised_at_the_share() -> None:
    circulars = (CircularFacts(1, "1号", praised=True), CircularFacts(2, "2号", praised=False))
    town = score_unit(unit(kind="town", tasks=(task(1, RESP),), circulars=circulars), DEFAULT)
    assert by_key(town)["circular:1:praised"] == D("0.50")
    assert by_key(town)["circular:2:criticised"] == D("-0.50")
    lead = score_unit(unit(tasks=(task(1),), circulars=circulars), DEFAULT)
    assert by_key(lead)["circular:2:criticised"] == D("-1.00")
    assert town.group == "townships" and lead.group == "departments"


def test_a_false_report_costs_three_and_vetoes() -> None:
    findings = (FindingFacts(9, 1, "1", Ref("finding", 9, "/i/3")),)
    result = score_unit(unit(tasks=(task(1),), findings=findings), DEFAULT)
    assert by_key(result)["finding:9:falsified"] == D("-3.00")
    assert [v.code for v in result.vetoes] == ["falsified"]
    assert result.score == D("97.00")


def test_two_missed_tasks_without_extension_veto() -> None:
    missed = {"due_passed": True, "ratio": "0.8"}
    one = score_unit(unit(tasks=(task(1, **missed), task(2))), DEFAULT)  # type: ignore[arg-type]
    assert one.vetoes == []
    two = score_unit(unit(tasks=(task(1, **missed), task(2, **missed))), DEFAULT)  # type: ignore[arg-type]
    assert [(v.code, v.params["numbers"]) for v in two.vetoes] == [("missed_tasks", ["1", "2"])]
    extended = task(2, extension=Ref("extension", 1), **missed)  # type: ignore[arg-type]
    assert score_unit(unit(tasks=(task(1, **missed), extended)), DEFAULT).vetoes == []  # type: ignore[arg-type]
    # A responsible unit's tasks never veto it; done without evidence counts as missed.
    resp = score_unit(unit(tasks=(task(1, RESP, **missed), task(2, RESP, **missed))), DEFAULT)  # type: ignore[arg-type]
    assert resp.vetoes == []
    unproven = task(2, due_passed=True, evidence=False)
    assert score_unit(unit(tasks=(task(1, **missed), unproven)), DEFAULT).vetoes  # type: ignore[arg-type]


def test_recomputing_the_derived_items_after_an_adjustment() -> None:
    lights = tuple(LightFacts(n, str(n), LEAD, q, "red") for n in (1, 2, 3) for q in range(1, 5))
    result = score_unit(unit(tasks=(task(1), task(2), task(3)), lights=lights), DEFAULT)
    assert by_key(result)["floor:pace"] == D("2.00")
    # The office sets two red lights to 0: the pool is no longer below 0, the floor goes.
    counted = [
        replace(i, points=D(0)) if i.key in ("light:1:Q1", "light:1:Q2") else i
        for i in result.items
        if i.rule not in scoring.DERIVED_RULES
    ]
    assert scoring.arithmetic_items(counted, DEFAULT) == []


# --- sums, ranks and grades ----------------------------------------------------------------------


def test_items_always_sum_to_the_score_on_random_records() -> None:
    rng = random.Random(10)
    for _round in range(200):
        tasks = tuple(
            task(
                n,
                rng.choice([LEAD, RESP]),
                ratio=str(rng.choice(["0", "0.33", "0.5", "0.77", "1"])),
                evidence=rng.random() < 0.8,
                early=Ref("report", n) if rng.random() < 0.2 else None,
                beyond=Ref("report", n) if rng.random() < 0.2 else None,
            )
            for n in range(1, rng.randint(1, 12))
        )
        lights = tuple(
            LightFacts(t.task_id, t.number, t.role, q, rng.choice(["green", "yellow", "red"]))
            for t in tasks
            for q in range(1, 5)
        )
        reports = tuple(
            ReportFacts(
                t.task_id,
                t.number,
                t.role,
                f"2023Q{q}",
                "",
                missing=rng.random() < 0.3,
                late_days=rng.randint(0, 6),
            )
            for t in tasks
            for q in range(1, 5)
        )
        notices = tuple(
            NoticeFacts(n, "", rng.choice(["urge", "supervise", "listed"]), late=rng.random() < 0.5)
            for n in range(rng.randint(0, 8))
        )
        circulars = tuple(
            CircularFacts(n, "", rng.random() < 0.5) for n in range(rng.randint(0, 9))
        )
        result = score_unit(
            unit(tasks=tasks, lights=lights, reports=reports, notices=notices, circulars=circulars),
            DEFAULT,
        )
        assert_exact(result)
        assert len({i.key for i in result.items}) == len(result.items)


def standing(n: int, score: str, group: str = "townships", vetoed: bool = False) -> Standing:
    return Standing(n, group, D(score), vetoed)


def test_ranks_within_groups_ties_share_a_rank() -> None:
    ranked = rank_and_grade(
        [
            standing(1, "95"),
            standing(2, "95"),
            standing(3, "80"),
            standing(4, "99", "departments"),
        ],
        DEFAULT,
    )
    assert [ranked[n][0] for n in (1, 2, 3, 4)] == [1, 1, 3, 1]


def test_excellent_is_held_to_a_quarter_of_the_group_rounded_down() -> None:
    # 13 townships → at most 3 优秀 (13 × 25 % = 3.25).
    units = [standing(n, str(99 - n)) for n in range(1, 14)]  # 98 … 86
    grades = {n: g for n, (_r, g) in rank_and_grade(units, DEFAULT).items()}
    assert [grades[n] for n in (1, 2, 3, 4)] == ["excellent", "excellent", "excellent", "good"]
    assert sum(g == "excellent" for g in grades.values()) == 3
    # Three units in a group: 0 优秀 whatever the scores.
    small = rank_and_grade([standing(n, "99", "departments") for n in range(1, 4)], DEFAULT)
    assert {g for _r, g in small.values()} == {"good"}


def test_a_tie_that_would_overflow_the_quota_is_left_out_whole() -> None:
    units = [standing(1, "99"), standing(2, "95"), standing(3, "95"), standing(4, "95")]
    units += [standing(n, "70") for n in range(5, 14)]  # quota 3
    grades = {n: g for n, (_r, g) in rank_and_grade(units, DEFAULT).items()}
    assert grades[1] == "excellent" and {grades[2], grades[3], grades[4]} == {"good"}


def test_grade_bands_and_a_veto_caps_the_grade() -> None:
    units = [
        standing(1, "99", vetoed=True),
        standing(2, "85"),
        standing(3, "65"),
        standing(4, "59.99"),
    ]
    units += [standing(n, "50") for n in range(5, 9)]
    grades = {n: g for n, (_r, g) in rank_and_grade(units, DEFAULT).items()}
    assert grades[1] == "poor"  # a veto: 较差 whatever the score, and it takes no quota
    assert (grades[2], grades[3], grades[4]) == ("good", "fair", "poor")
    ranks = rank_and_grade(units, DEFAULT)
    assert ranks[1][0] == 1  # still ranked by its score
