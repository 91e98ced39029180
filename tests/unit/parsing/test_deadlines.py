"""Deadlines as notices write them become the last day they allow."""

from datetime import date

import pytest

from duban.intake.parsing.deadlines import parse_deadline


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024年6月底前", date(2024, 6, 30)),
        ("6月底前", date(2023, 6, 30)),
        ("2024年2月底", date(2024, 2, 29)),
        ("2023年2月底", date(2023, 2, 28)),
        ("9月30日前", date(2023, 9, 30)),
        ("2023-11-15", date(2023, 11, 15)),
        ("年底前", date(2023, 12, 31)),
        ("2024年底前", date(2024, 12, 31)),
        ("全年", date(2023, 12, 31)),
        ("第三季度", date(2023, 9, 30)),
        ("2024年二季度", date(2024, 6, 30)),
        ("上半年", date(2023, 6, 30)),
        ("10月中旬", date(2023, 10, 20)),
        ("6月底前完成主体工程，年底前竣工", date(2023, 12, 31)),
    ],
)
def test_deadline_dates(text: str, expected: date) -> None:
    assert parse_deadline(text, 2023) == expected


@pytest.mark.parametrize("text", ["长期坚持", "持续推进", "按上级要求", "2023年2月30日"])
def test_no_date_in_the_text(text: str) -> None:
    assert parse_deadline(text, 2023) is None


def test_a_month_without_a_known_year_is_not_guessed() -> None:
    assert parse_deadline("6月底前", None) is None
    assert parse_deadline("2024年6月底前", None) == date(2024, 6, 30)
