"""The pure rule engine (duban.lights.rules): one test per rule, with chosen dates."""

from __future__ import annotations

from datetime import date

import pytest

from duban.lights.rules import (
    Colour,
    MilestoneFact,
    PeriodFact,
    Rules,
    TaskFacts,
    evaluate,
    planned_percent,
    time_elapsed_percent,
)

QUARTERS = {1: 25, 2: 50, 3: 75, 4: 100}


def facts(today: date, **changes: object) -> TaskFacts:
    base: dict[str, object] = {"today": today, "year": today.year}
    base.update(changes)
    return TaskFacts(**base)  # type: ignore[arg-type]


def codes(outcome: object) -> list[str]:
    return [reason.code for reason in outcome.reasons]  # type: ignore[attr-defined]


def q1(**changes: object) -> PeriodFact:
    base: dict[str, object] = {
        "code": "2023Q1",
        "label": "2023年第1季度",
        "due_on": date(2023, 3, 31),
    }
    base.update(changes)
    return PeriodFact(**base)  # type: ignore[arg-type]


# --- Due dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "colour", "code", "days"),
    [
        (date(2023, 6, 20), Colour.NONE, "nothing_due", None),
        (date(2023, 6, 26), Colour.NONE, "nothing_due", None),  # 4 days left: not yet
        (date(2023, 6, 27), Colour.YELLOW, "deadline_near", 3),
        (date(2023, 6, 30), Colour.YELLOW, "deadline_near", 0),  # due today
        (date(2023, 7, 1), Colour.RED, "overdue", 1),
        (date(2023, 8, 30), Colour.RED, "overdue", 61),
    ],
)
def test_the_deadline_turns_yellow_then_red(
    today: date, colour: Colour, code: str, days: int | None
) -> None:
    outcome = evaluate(facts(today, deadline=date(2023, 6, 30)))
    assert outcome.colour == colour
    assert outcome.reasons[0].code == code
    if days is not None:
        assert outcome.reasons[0].params["days"] == days
        assert outcome.reasons[0].params["date"] == date(2023, 6, 30)


def test_days_before_yellow_is_configurable() -> None:
    today = date(2023, 6, 23)
    assert evaluate(facts(today, deadline=date(2023, 6, 30))).colour == Colour.NONE
    wide = evaluate(facts(today, deadline=date(2023, 6, 30)), Rules(days_before_yellow=7))
    assert wide.colour == Colour.YELLOW
    strict = evaluate(
        facts(date(2023, 6, 30), deadline=date(2023, 6, 30)), Rules(days_before_yellow=0)
    )
    assert strict.colour == Colour.YELLOW  # the due day itself still warns


def test_a_milestone_not_reached_turns_yellow_then_red() -> None:
    milestone = MilestoneFact("完成项目招标", date(2023, 5, 15))
    near = evaluate(facts(date(2023, 5, 13), milestones=[milestone]))
    assert (near.colour, codes(near)) == (Colour.YELLOW, ["milestone_near"])
    assert near.reasons[0].params == {"what": "完成项目招标", "date": date(2023, 5, 15), "days": 2}
    late = evaluate(facts(date(2023, 5, 20), milestones=[milestone]))
    assert (late.colour, codes(late)) == (Colour.RED, ["milestone_overdue"])
    assert late.reasons[0].params["days"] == 5
    reached = MilestoneFact("完成项目招标", date(2023, 5, 15), reached=True)
    done = evaluate(facts(date(2023, 5, 20), milestones=[reached]))
    assert (done.colour, codes(done)) == (Colour.GREEN, ["on_track"])


# --- Reports -----------------------------------------------------------------------------------


def test_a_report_due_and_missing() -> None:
    assert evaluate(facts(date(2023, 3, 20), periods=[q1()])).colour == Colour.NONE
    due = evaluate(facts(date(2023, 3, 29), periods=[q1()]))
    assert (due.colour, codes(due)) == (Colour.YELLOW, ["report_due"])
    assert due.reasons[0].params["days"] == 2
    today = evaluate(facts(date(2023, 3, 31), periods=[q1()]))
    assert (today.colour, today.reasons[0].params["days"]) == (Colour.YELLOW, 0)
    missing = evaluate(facts(date(2023, 4, 5), periods=[q1()]))
    assert (missing.colour, codes(missing)) == (Colour.RED, ["report_missing"])
    assert missing.reasons[0].params == {
        "period": "2023年第1季度",
        "date": date(2023, 3, 31),
        "days": 5,
    }


def test_a_late_report_is_yellow_until_the_next_report_falls_due() -> None:
    late = q1(submitted=True, days_late=4, progress=30)
    q2 = PeriodFact("2023Q2", "2023年第2季度", date(2023, 6, 30))
    outcome = evaluate(facts(date(2023, 4, 10), periods=[late, q2]))
    assert (outcome.colour, codes(outcome)) == (Colour.YELLOW, ["report_late"])
    assert outcome.reasons[0].params["days"] == 4
    q2_on_time = PeriodFact(
        "2023Q2", "2023年第2季度", date(2023, 6, 30), submitted=True, progress=50
    )
    later = evaluate(facts(date(2023, 7, 3), periods=[late, q2_on_time]))
    assert later.colour == Colour.GREEN


def test_a_returned_report_is_yellow() -> None:
    outcome = evaluate(facts(date(2023, 4, 3), periods=[q1(returned=True)]))
    assert (outcome.colour, codes(outcome)) == (Colour.YELLOW, ["report_returned"])


def test_a_submitted_report_on_time_and_on_pace_is_green() -> None:
    outcome = evaluate(facts(date(2023, 4, 3), periods=[q1(submitted=True, progress=25)]))
    assert (outcome.colour, codes(outcome)) == (Colour.GREEN, ["on_track"])


# --- Pace --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("progress", "colour"),
    [(25, Colour.GREEN), (16, Colour.GREEN), (15, Colour.YELLOW), (0, Colour.RED)],
)
def test_pace_against_the_refinement(progress: int, colour: Colour) -> None:
    """Q1 planned at 25 %: 31 March expects 25; 15 is 10 behind (yellow), 0 is 25 behind …"""
    rules = Rules(pace_yellow=10, pace_red=20)
    report = q1(submitted=True, progress=progress)
    outcome = evaluate(facts(date(2023, 4, 3), periods=[report], quarter_percents=QUARTERS), rules)
    assert outcome.colour == colour
    if colour != Colour.GREEN:
        reason = outcome.reasons[0]
        assert reason.code == "behind_pace"
        assert reason.params["expected"] == 25
        assert reason.params["reported"] == progress
        assert reason.params["planned"] is True


def test_pace_yellow_and_red_with_the_default_thresholds() -> None:
    quarters = {1: 50, 2: 60, 3: 80, 4: 100}
    yellow = evaluate(
        facts(
            date(2023, 4, 3), periods=[q1(submitted=True, progress=20)], quarter_percents=quarters
        )
    )
    assert (yellow.colour, yellow.reasons[0].params["behind"]) == (Colour.YELLOW, 30)
    red = evaluate(
        facts(
            date(2023, 4, 3), periods=[q1(submitted=True, progress=19)], quarter_percents=quarters
        )
    )
    assert (red.colour, red.reasons[0].params["behind"]) == (Colour.RED, 31)
    assert red.reasons[0].params == {
        "expected": 50,
        "reported": 19,
        "behind": 31,
        "period": "2023年第1季度",
        "planned": True,
    }


def test_pace_without_a_refinement_follows_the_year_elapsed() -> None:
    """31 March 2023 is day 90 of 365: 24.66 % → 25 expected."""
    yellow = evaluate(facts(date(2023, 4, 3), periods=[q1(submitted=True, progress=15)]))
    assert (yellow.colour, codes(yellow)) == (Colour.YELLOW, ["behind_pace"])
    assert yellow.reasons[0].params["expected"] == 25
    assert yellow.reasons[0].params["planned"] is False
    assert evaluate(facts(date(2023, 4, 3), periods=[q1(submitted=True, progress=16)])).colour == (
        Colour.GREEN
    )
    off = Rules(time_pace=False)
    quiet = evaluate(facts(date(2023, 4, 3), periods=[q1(submitted=True, progress=0)]), off)
    assert quiet.colour == Colour.GREEN


def test_pace_is_measured_on_the_report_date_not_today() -> None:
    """In June the Q1 report (25 % on 31 March) is still on pace: the Q2 one is not due yet."""
    q2 = PeriodFact("2023Q2", "2023年第2季度", date(2023, 6, 30))
    outcome = evaluate(
        facts(date(2023, 6, 10), periods=[q1(submitted=True, progress=25), q2]),
        Rules(),
    )
    assert outcome.colour == Colour.GREEN


# --- Quarter ends and leap years ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2023, 1, 1), 25 / 90),
        (date(2023, 3, 31), 25),
        (date(2023, 4, 1), 25 + 25 / 91),
        (date(2023, 6, 30), 50),
        (date(2023, 7, 1), 50 + 25 / 92),
        (date(2023, 9, 30), 75),
        (date(2023, 12, 31), 100),
        (date(2022, 12, 31), 0),
        (date(2024, 1, 1), 100),
    ],
)
def test_the_plan_is_interpolated_within_each_quarter(on: date, expected: float) -> None:
    assert planned_percent(on, 2023, QUARTERS) == pytest.approx(expected)


def test_leap_year_quarters_and_elapsed_time() -> None:
    # Q1 2024 has 91 days (29 February included) and still ends on 31 March.
    assert planned_percent(date(2024, 2, 29), 2024, QUARTERS) == pytest.approx(25 * 60 / 91)
    assert planned_percent(date(2024, 3, 31), 2024, QUARTERS) == pytest.approx(25)
    assert planned_percent(date(2024, 4, 1), 2024, QUARTERS) == pytest.approx(25 + 25 / 91)
    assert time_elapsed_percent(date(2024, 2, 29), 2024) == pytest.approx(100 * 60 / 366)
    assert time_elapsed_percent(date(2024, 12, 31), 2024) == pytest.approx(100)
    assert time_elapsed_percent(date(2023, 12, 31), 2023) == pytest.approx(100)
    assert time_elapsed_percent(date(2023, 3, 31), 2023) == pytest.approx(100 * 90 / 365)


def test_a_leap_day_deadline() -> None:
    near = evaluate(facts(date(2024, 2, 27), deadline=date(2024, 2, 29)))
    assert (near.colour, near.reasons[0].params["days"]) == (Colour.YELLOW, 2)
    past = evaluate(facts(date(2024, 3, 1), deadline=date(2024, 2, 29)))
    assert (past.colour, past.reasons[0].params["days"]) == (Colour.RED, 1)


def test_a_missing_quarter_keeps_the_last_value() -> None:
    assert planned_percent(date(2023, 6, 30), 2023, {1: 30}) == pytest.approx(30)


# --- Combining ---------------------------------------------------------------------------------


def test_a_completed_task_is_green_whatever_else() -> None:
    outcome = evaluate(
        facts(date(2023, 8, 1), done=True, deadline=date(2023, 6, 30), periods=[q1()])
    )
    assert (outcome.colour, codes(outcome)) == (Colour.GREEN, ["done"])


def test_the_worst_colour_wins_and_every_reason_is_kept() -> None:
    outcome = evaluate(
        facts(
            date(2023, 4, 5),
            deadline=date(2023, 4, 7),
            lagging=True,
            milestones=[MilestoneFact("开工", date(2023, 4, 1))],
            periods=[q1(returned=True)],
        )
    )
    assert outcome.colour == Colour.RED
    assert codes(outcome) == ["milestone_overdue", "deadline_near", "report_returned", "lagging"]
    assert [r.colour for r in outcome.reasons] == [
        Colour.RED,
        Colour.YELLOW,
        Colour.YELLOW,
        Colour.YELLOW,
    ]


def test_a_lagging_task_is_yellow() -> None:
    outcome = evaluate(facts(date(2023, 4, 5), lagging=True))
    assert (outcome.colour, codes(outcome)) == (Colour.YELLOW, ["lagging"])


def test_a_milestone_has_its_own_light() -> None:
    from duban.lights.rules import milestone_colour

    due = date(2024, 2, 29)  # a leap day
    assert milestone_colour(due, False, date(2024, 2, 25)) == Colour.GREEN
    assert milestone_colour(due, False, date(2024, 2, 26)) == Colour.YELLOW
    assert milestone_colour(due, False, date(2024, 2, 29)) == Colour.YELLOW
    assert milestone_colour(due, False, date(2024, 3, 1)) == Colour.RED
    assert milestone_colour(due, True, date(2024, 3, 1)) == Colour.GREEN
