"""Template filters for the way Chinese government documents write things."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone

from duban.core.formatting import format_cn_date, format_cn_datetime

register = template.Library()


@register.filter
def cn_date(value: date | datetime | str | None) -> str:
    """``{{ task.deadline|cn_date }}`` → 2023年5月4日; aware datetimes in local time first.

    ISO strings ("2023-05-04", as parses carry dates) are accepted too.
    """
    if isinstance(value, str):
        try:
            return format_cn_date(date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return format_cn_date(value.date())
    if isinstance(value, date):
        return format_cn_date(value)
    return ""


@register.filter
def cn_datetime(value: datetime | str | None, precision: str = "") -> str:
    """``{{ report.submitted_at|cn_datetime }}`` → 2023年5月4日 14:05, in local time;
    ``|cn_datetime:"seconds"`` → 2023年5月4日 14:05:09. ISO strings are accepted too."""
    if isinstance(value, str):
        text = value
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            return text
    if not isinstance(value, datetime):
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return format_cn_datetime(value, seconds=precision == "seconds")


@register.filter
def get_item(mapping: dict[object, object] | None, key: object) -> object:
    """``{{ flags|get_item:index }}``: a dictionary lookup with a variable key."""
    return mapping.get(key) if mapping else None
