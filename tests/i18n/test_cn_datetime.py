"""Times are written 2023年8月15日 14:05, in Shanghai time, whatever they were stored in."""

from __future__ import annotations

from datetime import UTC, datetime

from django.template import Context, Template

from duban.core.formatting import format_cn_datetime


def render(text: str, **context: object) -> str:
    return Template("{% load duban_format %}" + text).render(Context(context))


def test_a_time_to_the_minute_or_the_second() -> None:
    moment = datetime(2023, 8, 5, 9, 7, 3)
    assert format_cn_datetime(moment) == "2023年8月5日 09:07"
    assert format_cn_datetime(moment, seconds=True) == "2023年8月5日 09:07:03"


def test_the_filter_shows_local_time() -> None:
    stored = datetime(2023, 8, 14, 22, 5, tzinfo=UTC)  # 06:05 on the 15th in Shanghai
    assert render("{{ t|cn_datetime }}", t=stored) == "2023年8月15日 06:05"
    assert render('{{ t|cn_datetime:"seconds" }}', t=stored) == "2023年8月15日 06:05:00"
    assert render("{{ t|cn_datetime }}", t="2023-08-14T22:05:00+00:00") == "2023年8月15日 06:05"
    assert render("{{ t|cn_datetime|default:'—' }}", t=None) == "—"
