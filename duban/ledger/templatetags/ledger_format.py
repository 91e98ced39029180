"""Template filters of the ledger pages."""

from __future__ import annotations

from django import template

from duban.ledger.display import chinese_numeral, target_amount
from duban.ledger.models import Target

register = template.Library()


@register.filter
def cn_numeral(value: int | None) -> str:
    """``{{ area.number|cn_numeral }}`` → 三: areas are numbered as the notice numbers them."""
    return "" if value is None else chinese_numeral(int(value))


@register.filter
def amount_value(target: Target) -> str:
    """``{{ target|amount_value }}`` → 294, or 1—2 for a range (the unit has its own column)."""
    return target_amount(target.op, target.value, target.value_max, "")
