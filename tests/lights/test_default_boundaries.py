"""The production thresholds of the lights, pinned, and each rule at its exact boundary.

The thresholds are read from ``LightSettings`` as the application loads them (``current()``
with no saved row: the model's defaults), never set here, so a changed default or a boundary
moved by one (``<=`` → ``<``, ``>=`` → ``>``) fails a test below.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from duban.lights.models import LightSettings
from duban.lights.rules import (
    Colour,
    MilestoneFact,
    PeriodFact,
    Rules,
    TaskFacts,
    evaluate,
    milestone_colour,
)
from duban.lights.services import light_for
from tests.support.world import World

pytestmark = pytest.mark.django_db

TODAY = date(2023, 6, 10)
Q1_DUE = date(2023, 3, 31)  # 90/365 of 2023: 25 % expected without a refinement


def default_rules() -> Rules:
    """The rules as the application loads them when the office has saved nothing."""
    assert not LightSettings.objects.exists()
    return LightSettings.current().rules()


def q1_on_pace() -> PeriodFact:
    """A Q1 report submitted on time and exactly on the year's pace: on its own, green."""
    return PeriodFact(
        code="2023Q1", label="2023年第1季度", due_on=Q1_DUE, submitted=True, progress=25
    )


def on_track(**changes: object) -> TaskFacts:
    base: dict[str, object] = {"today": TODAY, "year": 2023, "periods": [q1_on_pace()]}
    base.update(changes)
    return TaskFacts(**base)  # type: ignore[arg-type]


def codes(facts: TaskFacts, rules: Rules) -> tuple[Colour, list[str]]:
    outcome = evaluate(facts, rules)
    return outcome.colour, [reason.code for reason in outcome.reasons]


# --- The defaults themselves -----------------------------------------------------------------


def test_every_production_default_is_pinned() -> None:
    loaded = LightSettings.current()
    assert loaded.pk == 1 and loaded._state.adding  # defaults, not a saved row
    assert loaded.days_before_yellow == 3
    assert loaded.pace_yellow == 10
    assert loaded.pace_red == 30
    assert loaded.time_pace is True
    assert loaded.rules() == Rules(
        days_before_yellow=3, pace_yellow=10, pace_red=30, time_pace=True
    )

    # Saved without changes (the office opens the settings page and saves): the same values.
    LightSettings.objects.create(pk=1)
    saved = LightSettings.objects.get(pk=1)
    assert (saved.days_before_yellow, saved.pace_yellow, saved.pace_red, saved.time_pace) == (
        3,
        10,
        30,
        True,
    )


def test_the_rule_engine_defaults_agree_with_the_settings() -> None:
    # ``evaluate(facts)`` and ``milestone_colour(...)`` without rules use ``Rules()``: the same
    # thresholds as the office's defaults, or a task would change colour depending on the page.
    assert Rules() == default_rules()


# --- Due dates: yellow within N days, the N-th day included ----------------------------------


def test_a_report_due_in_exactly_n_days_is_yellow_and_n_plus_1_is_green() -> None:
    rules = default_rules()
    n = rules.days_before_yellow
    q2 = PeriodFact(code="2023Q2", label="2023年第2季度", due_on=TODAY + timedelta(days=n))
    assert codes(on_track(periods=[q1_on_pace(), q2]), rules) == (Colour.YELLOW, ["report_due"])
    assert evaluate(on_track(periods=[q1_on_pace(), q2]), rules).reasons[0].params["days"] == n
    later = PeriodFact(code="2023Q2", label="2023年第2季度", due_on=TODAY + timedelta(days=n + 1))
    assert codes(on_track(periods=[q1_on_pace(), later]), rules) == (Colour.GREEN, ["on_track"])


def test_the_task_deadline_in_exactly_n_days_is_yellow_and_n_plus_1_is_green() -> None:
    rules = default_rules()
    n = rules.days_before_yellow
    near = on_track(deadline=TODAY + timedelta(days=n))
    assert codes(near, rules) == (Colour.YELLOW, ["deadline_near"])
    assert evaluate(near, rules).reasons[0].params["days"] == n
    assert codes(on_track(deadline=TODAY + timedelta(days=n + 1)), rules) == (
        Colour.GREEN,
        ["on_track"],
    )


def test_a_milestone_due_in_exactly_n_days_is_yellow_and_n_plus_1_is_green() -> None:
    rules = default_rules()
    n = rules.days_before_yellow
    near = MilestoneFact("完成项目招标", TODAY + timedelta(days=n))
    assert codes(on_track(milestones=[near]), rules) == (Colour.YELLOW, ["milestone_near"])
    later = MilestoneFact("完成项目招标", TODAY + timedelta(days=n + 1))
    assert codes(on_track(milestones=[later]), rules) == (Colour.GREEN, ["on_track"])
    # The milestone's own light, with the office's rules and with the engine's defaults.
    for given in (rules, None):
        assert milestone_colour(near.due_on, False, TODAY, given) == Colour.YELLOW
        assert milestone_colour(later.due_on, False, TODAY, given) == Colour.GREEN


def test_task_1_q1_report_boundary_on_the_real_seed(world: World) -> None:
    """Through the service and the real seed: 2023Q1 (due 31 March) is open, task 1 has no
    report; the light reads the office's (default) settings."""
    n = default_rules().days_before_yellow
    task = world.task("1")
    assert world.q1.due_on == Q1_DUE
    at_n = light_for(task, today=Q1_DUE - timedelta(days=n))
    assert at_n.colour == Colour.YELLOW
    assert [(r.code, r.params["days"]) for r in at_n.reasons] == [("report_due", n)]
    before = light_for(task, today=Q1_DUE - timedelta(days=n + 1))
    assert before.colour == Colour.NONE and [r.code for r in before.reasons] == ["nothing_due"]


# --- Pace: yellow from pace_yellow points behind, red beyond pace_red ------------------------


@pytest.mark.parametrize(
    ("threshold", "offset", "colour"),
    [
        ("pace_yellow", -1, Colour.GREEN),
        ("pace_yellow", 0, Colour.YELLOW),  # exactly pace_yellow behind: yellow
        ("pace_red", 0, Colour.YELLOW),  # exactly pace_red behind: still yellow ("more than")
        ("pace_red", 1, Colour.RED),
    ],
)
def test_pace_at_each_default_threshold(threshold: str, offset: int, colour: Colour) -> None:
    rules = default_rules()
    behind = getattr(rules, threshold) + offset
    # With a refinement expecting 50 % at the end of Q1, the Q1 report's date (31 March, its
    # due date: today is later) expects exactly 50.
    facts = TaskFacts(
        today=date(2023, 4, 5),
        year=2023,
        periods=[
            PeriodFact(
                code="2023Q1",
                label="2023年第1季度",
                due_on=Q1_DUE,
                submitted=True,
                progress=50 - behind,
            )
        ],
        quarter_percents={1: 50, 2: 70, 3: 90, 4: 100},
    )
    outcome = evaluate(facts, rules)
    assert outcome.colour == colour
    if colour == Colour.GREEN:
        assert [r.code for r in outcome.reasons] == ["on_track"]
    else:
        [reason] = outcome.reasons
        assert (reason.code, reason.colour) == ("behind_pace", colour)
        assert (reason.params["expected"], reason.params["behind"]) == (50, behind)


def test_the_default_pace_thresholds_are_10_and_30_points() -> None:
    """The same boundaries in the numbers an office reads in the settings page."""
    rules = default_rules()

    def colour_when_behind(points: int) -> Colour:
        facts = TaskFacts(
            today=date(2023, 4, 5),
            year=2023,
            periods=[
                PeriodFact(
                    code="2023Q1",
                    label="2023年第1季度",
                    due_on=Q1_DUE,
                    submitted=True,
                    progress=60 - points,
                )
            ],
            quarter_percents={1: 60, 2: 70, 3: 90, 4: 100},
        )
        return evaluate(facts, rules).colour

    assert [colour_when_behind(p) for p in (9, 10, 30, 31)] == [
        Colour.GREEN,
        Colour.YELLOW,
        Colour.YELLOW,
        Colour.RED,
    ]


def test_time_pace_is_on_by_default() -> None:
    """Without a refinement the year elapsed sets the pace: 31 March expects 25 %."""
    rules = default_rules()
    behind = PeriodFact(
        code="2023Q1",
        label="2023年第1季度",
        due_on=Q1_DUE,
        submitted=True,
        progress=25 - rules.pace_yellow,
    )
    outcome = evaluate(on_track(periods=[behind]), rules)
    assert outcome.colour == Colour.YELLOW
    assert [r.code for r in outcome.reasons] == ["behind_pace"]
    assert outcome.reasons[0].params["expected"] == 25
