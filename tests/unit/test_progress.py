"""The one progress rule and the one due-date rule (duban.ledger.progress): plain Python."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from duban.ledger.progress import (
    days_left,
    due_colour,
    progress_from_targets,
    share_of_target,
)

D = Decimal


# --- share_of_target --------------------------------------------------------------------------


def test_exactly_at_target_is_100() -> None:
    assert share_of_target(D("863"), D("863"), ">=") == 100
    assert progress_from_targets([(D("863"), D("863"), ">=")]) == 100


def test_above_target_is_capped_at_100() -> None:
    assert share_of_target(D("1200"), D("1000"), ">=") == 100
    assert progress_from_targets([(D("1200"), D("1000"), "=")]) == 100


def test_a_share_is_a_percentage() -> None:
    assert share_of_target(D("27"), D("100"), ">=") == D("27")
    assert share_of_target(D("1"), D("3"), ">=") == D(100) / 3


def test_a_ceiling_has_no_share() -> None:
    assert share_of_target(D("5"), D("10"), "<=") is None
    assert progress_from_targets([(D("5"), D("10"), "<=")]) is None


@pytest.mark.parametrize("target", [D("0"), D("-5")])
def test_a_zero_or_negative_target_has_no_share(target: Decimal) -> None:
    assert share_of_target(D("5"), target, ">=") is None
    assert progress_from_targets([(D("5"), target, ">=")]) is None


def test_a_range_counts_towards_its_lower_bound() -> None:
    assert progress_from_targets([(D("40"), D("80"), "range")]) == 50


# --- progress_from_targets --------------------------------------------------------------------


def test_no_targets_no_progress() -> None:
    assert progress_from_targets([]) is None


def test_the_least_share_wins_and_is_rounded_down() -> None:
    pairs = [(D("90"), D("100"), ">="), (D("2"), D("3"), ">=")]  # 90 %, 66.67 %
    assert progress_from_targets(pairs) == 66


def test_ceilings_and_zero_targets_are_left_out_of_the_least() -> None:
    pairs = [
        (D("50"), D("100"), ">="),  # 50 %
        (D("1"), D("100"), "<="),  # a ceiling: ignored, though its ratio is 1 %
        (D("0"), D("0"), ">="),  # a zero target: ignored
    ]
    assert progress_from_targets(pairs) == 50


def test_a_negative_value_counts_as_zero() -> None:
    assert progress_from_targets([(D("-10"), D("100"), ">=")]) == 0


def test_any_iterable_is_read_once() -> None:
    triples = ((D(v), D("100"), ">=") for v in ("80", "30"))
    assert progress_from_targets(triples) == 30


# --- due_colour -------------------------------------------------------------------------------

TODAY = date(2023, 6, 27)
N = 3


def test_due_today_is_yellow_with_zero_days_left() -> None:
    assert days_left(TODAY, TODAY) == 0
    assert due_colour(TODAY, TODAY, N) == "yellow"
    assert due_colour(TODAY, TODAY, 0) == "yellow"


def test_due_in_exactly_n_days_is_yellow() -> None:
    assert due_colour(TODAY + timedelta(days=N), TODAY, N) == "yellow"


def test_due_in_n_plus_one_days_is_nothing() -> None:
    assert due_colour(TODAY + timedelta(days=N + 1), TODAY, N) is None


def test_due_yesterday_is_red() -> None:
    assert days_left(TODAY - timedelta(days=1), TODAY) == -1
    assert due_colour(TODAY - timedelta(days=1), TODAY, N) == "red"
    assert due_colour(TODAY - timedelta(days=1), TODAY, 0) == "red"


def test_long_past_is_red_and_far_ahead_is_nothing() -> None:
    assert due_colour(date(2022, 1, 1), TODAY, N) == "red"
    assert due_colour(date(2024, 1, 1), TODAY, N) is None


def test_the_module_needs_no_django() -> None:
    import ast
    from pathlib import Path

    import duban.ledger.progress as progress

    tree = ast.parse(Path(progress.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        (node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
    }
    assert "django" not in imported and "duban" not in imported
