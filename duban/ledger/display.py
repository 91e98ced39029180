"""How a quantitative target reads to people: 294亿元, ≥50家, 1—2个.

Plain Python with no Django imports, shared by the pages and the Excel export.
"""

from __future__ import annotations

from decimal import Decimal

OP_SYMBOLS = {"=": "=", ">=": "≥", "<=": "≤", "range": "—"}


def format_number(value: Decimal | int | float) -> str:
    """Targets are stored with four decimals; people write 294, not 294.0000 or 2.94E+2."""
    number = Decimal(str(value)).normalize()
    text = format(number, "f")
    return "0" if text == "-0" else text


Amount = Decimal | float  # as stored, or as a JSON list of the database gives it


def target_amount(op: str, value: Amount, value_max: Amount | None, unit: str) -> str:
    """The amount alone: ``294亿元``, ``1—2个`` (the em dash of Chinese ranges)."""
    if op == "range" and value_max is not None:
        return f"{format_number(value)}—{format_number(value_max)}{unit}"
    return f"{format_number(value)}{unit}"


def target_summary(label: str, op: str, value: Amount, value_max: Amount | None, unit: str) -> str:
    """One compact line for a ledger row: ``年度完成投资 294亿元``, ``新增企业 ≥50家``."""
    prefix = OP_SYMBOLS[op] if op in (">=", "<=") else ""
    return f"{label} {prefix}{target_amount(op, value, value_max, unit)}".strip()


_DIGITS = "零一二三四五六七八九"


def chinese_numeral(number: int) -> str:
    """How notices number their areas: 一, 十, 十二, 二十三 (1 to 99; larger stay Arabic)."""
    if not 0 < number < 100:
        return str(number)
    tens, ones = divmod(number, 10)
    text = ("" if tens == 1 else _DIGITS[tens]) + "十" if tens else ""
    return text + (_DIGITS[ones] if ones else "")
