"""Item numbering as Chinese official documents write it.

GB/T 9704 fixes the order of heading levels: 一、 > （一） > 1. > （1）; notices follow it, so a
style's depth is known before the document is read (first appearance would mislead: a notice
may open with "一、…" followed by "1." tasks and only later use "（一）").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CN_NUMERAL = "一二三四五六七八九十百零〇两"

# Depth of each numbering style, shallow to deep. GROUP is no way of writing a number: it is
# given to a table row of only a number and a title found to head the task rows under it.
PART, CN, PCN, GROUP, AR, PAR, CIRCLED = "part", "cn", "pcn", "group", "ar", "par", "circled"
DEPTH = {PART: 0, CN: 1, PCN: 2, GROUP: 3, AR: 4, PAR: 5, CIRCLED: 6}

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (PART, re.compile(rf"^第([{CN_NUMERAL}]+|\d+)(?:部分|章|篇|板块)\s*[、.．:：]?\s*")),
    (CN, re.compile(rf"^([{CN_NUMERAL}]{{1,4}})\s*[、.．﹒]\s*")),
    (PCN, re.compile(rf"^[(（]\s*([{CN_NUMERAL}]{{1,4}})\s*[)）]\s*[、.．]?\s*")),
    (PAR, re.compile(r"^(?:[(（]\s*(\d{1,3})\s*[)）]|(\d{1,3})\s*[)）])\s*[、.．]?\s*")),
    (AR, re.compile(r"^(\d{1,4})\s*(?:[.．、﹒](?![\d０-９])|\s+(?=\S))\s*")),
    (CIRCLED, re.compile(r"^([①-⑳])\s*")),
    (PAR, re.compile(r"^([⑴-⒇])\s*[、.．]?\s*")),  # "⑴": one character for "(1)"
    (AR, re.compile(r"^([⒈-⒛])\s*")),  # "⒈": one character for "1."
]
_FIRST_OF = {PAR: "⑴", AR: "⒈", CIRCLED: "①"}  # the first of each one-character run

UNIT_AFTER_NUMBER = re.compile(
    r"^(?:万|亿|千|百|个|家|项|座|套|户|人|名|条|台|辆|间|处|批|次|件|亩|公里|米|吨|元|年|月|日|"
    r"天|%|％|平方|立方|小时|分钟|周|倍|GW|MW|kV|千伏)"
)


@dataclass(frozen=True, slots=True)
class Numbering:
    style: str
    label: str  # as written, e.g. "1", "一", "（一）"
    value: int
    rest: str  # the line without its numbering
    spaced: bool  # "1 text" (number, then only whitespace): weaker evidence

    @property
    def depth(self) -> int:
        return DEPTH[self.style]


def cn_to_int(text: str) -> int:
    """Value of a Chinese numeral up to the hundreds (十二 → 12, 二十 → 20, 一百零三 → 103)."""
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    digits.update({"〇": 0, "两": 2})
    total, current = 0, 0
    for char in text:
        if char == "百":
            total += (current or 1) * 100
            current = 0
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char in digits:
            current = digits[char] if current == 0 else current * 10 + digits[char]
    return total + current


def parse_numbering(line: str) -> Numbering | None:
    """The numbering a line starts with, or None."""
    for style, pattern in _PATTERNS:
        match = pattern.match(line)
        if not match:
            continue
        raw = next(g for g in match.groups() if g is not None)
        rest = line[match.end() :]
        spaced = style == AR and not re.match(r"^(?:\d{1,4}\s*[.．、﹒]|[⒈-⒛])", line)
        if not rest.strip() and (spaced or style == CIRCLED):
            return None  # a bare figure: a table cell or a page number, not an item
        if style == AR and spaced and UNIT_AFTER_NUMBER.match(rest):
            return None  # "30 万平方米…": a figure that a page break left at a line start
        if not raw.isascii() and style in _FIRST_OF:
            value = ord(raw) - ord(_FIRST_OF[style]) + 1  # "①", "⑴", "⒈"
        elif style in (AR, PAR) or raw.isdigit():
            value = int(raw)
        else:
            value = cn_to_int(raw)
        label = line[: match.end()].strip()
        label = re.sub(r"[、.．﹒:：\s]+$", "", label) if style not in (PCN, PAR) else label
        if style in (PCN, PAR):
            label = re.sub(r"[、.．﹒\s]+$", "", label)
        return Numbering(style=style, label=label, value=value, rest=rest.strip(), spaced=spaced)
    return None


def label_of(style: str, value: int, like: str) -> str:
    """The label ``value`` takes in the style of ``like`` ("⑤" → "⑥", "(4)" → "(5)", "4" → "5")."""
    if style in _FIRST_OF and not re.sub(r"\W", "", like).isascii() and value <= 20:
        return chr(ord(_FIRST_OF[style]) + value - 1)
    if style == PAR:
        return f"({value})"
    if style in (CN, PCN) and 0 < value < 100:
        digits = "零一二三四五六七八九"
        tens, ones = divmod(value, 10)
        numeral = (
            (digits[tens] if tens > 1 else "")
            + ("十" if tens else "")
            + (digits[ones] if ones else "")
        )
        return f"（{numeral}）" if style == PCN else numeral
    return str(value)
