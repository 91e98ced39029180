"""Template filters of the ledger pages."""

from __future__ import annotations

from typing import Any, cast

from django import template
from django.utils.safestring import SafeString

from duban.ledger.display import chinese_numeral, target_amount
from duban.ledger.models import Target
from duban.ledger.render import options, table_rows
from duban.ledger.rows import ListedTarget, PageRows, TaskRow

register = template.Library()


@register.filter
def cn_numeral(value: int | None) -> str:
    """``{{ area.number|cn_numeral }}`` → 三: areas are numbered as the notice numbers them."""
    return "" if value is None else chinese_numeral(int(value))


@register.filter
def amount_value(target: Target | ListedTarget) -> str:
    """``{{ target|amount_value }}`` → 294, or 1—2 for a range (the unit has its own column)."""
    return target_amount(target.op, target.value, target.value_max, "")


@register.simple_tag
def ledger_rows(rows: list[TaskRow], show_assigned: bool = False) -> SafeString:
    """``{% ledger_rows rows show_assigned %}``: the body of the ledger's table
    (``duban.ledger.render``); a page's rows kept between requests (``PageRows``) are written
    once."""
    if isinstance(rows, PageRows):
        written = rows.written.get(bool(show_assigned))
        if written is None:
            written = rows.written[bool(show_assigned)] = table_rows(
                rows, show_assigned=bool(show_assigned)
            )
        return cast(SafeString, written)
    return table_rows(rows, show_assigned=bool(show_assigned))


@register.simple_tag
def ledger_options(choices: Any) -> SafeString:
    """``{% ledger_options options.areas %}``: a filter's ``<option>``s (``<optgroup>``s for
    ``(label, options)`` pairs), written in Python (``duban.ledger.render``)."""
    return options(choices or ())
