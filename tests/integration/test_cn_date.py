"""`cn_date`: dates the way official documents write them (GB/T 9704: no zero padding)."""

from datetime import UTC, date, datetime

from django.template import Context, Template

from duban.core.templatetags.duban_format import cn_date


def test_no_zero_padding() -> None:
    assert cn_date(date(2023, 5, 4)) == "2023年5月4日"


def test_two_digit_month_and_day() -> None:
    assert cn_date(date(2023, 12, 31)) == "2023年12月31日"


def test_aware_datetime_is_shown_in_beijing_time() -> None:
    assert cn_date(datetime(2023, 5, 3, 17, 0, tzinfo=UTC)) == "2023年5月4日"


def test_missing_value_renders_nothing() -> None:
    assert cn_date(None) == ""


def test_usable_in_templates() -> None:
    template = Template("{% load duban_format %}截止{{ deadline|cn_date }}")
    assert template.render(Context({"deadline": date(2024, 1, 9)})) == "截止2024年1月9日"


def test_iso_strings_from_a_parse_are_formatted_too() -> None:
    from duban.core.templatetags.duban_format import cn_date

    assert cn_date("2023-05-04") == "2023年5月4日"
    assert cn_date("长期坚持") == "长期坚持"
