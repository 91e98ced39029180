"""Deadlines as notices write them ("2023年6月底前", "年底前", "9月30日") turned into dates."""

from __future__ import annotations

import calendar
import re
from datetime import date

_FULL = re.compile(
    r"(?:(?P<y>(?:19|20)\d{2})\s*年)?\s*(?P<m>\d{1,2})\s*(?:月\s*(?:(?P<d>\d{1,2})\s*日|"
    r"(?P<end>底|末|份|中旬|上旬|下旬))?|(?P<end2>底|末)(?!\d))"
)
_ISO = re.compile(r"(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})")
_QUARTER = re.compile(r"(?:(?P<y>(?:19|20)\d{2})\s*年)?\s*(?:第)?(?P<q>[一二三四1-4])\s*季度")
_HALF = re.compile(r"(?:(?P<y>(?:19|20)\d{2})\s*年)?\s*(?P<h>上|下)半年")
_WHOLE_YEAR = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年(?!\s*\d)")
_YEAR_END = re.compile(r"(?:(?P<y>(?:19|20)\d{2})\s*)?(?:年底|年末|全年|年内)")


def parse_deadline(text: str, year: int | None) -> date | None:
    """The last day the text allows, or None when it names no date ("长期坚持", "持续推进").

    "6月底前完成主体工程，年底前竣工" allows until December 31: the latest date named wins.
    """
    text = re.sub(r"\s+", "", text)
    found: list[date | None] = []
    for match in _ISO.finditer(text):
        found.append(_safe(int(match["y"]), int(match["m"]), int(match["d"])))
    for match in _FULL.finditer(text):
        y = int(match["y"]) if match["y"] else year
        if y is not None:
            found.append(_month_day(y, int(match["m"]), match["d"], match["end"] or match["end2"]))
    for match in _QUARTER.finditer(text):
        y = int(match["y"]) if match["y"] else year
        quarter = int(match["q"]) if match["q"].isdigit() else "一二三四".find(match["q"]) + 1
        found.append(_month_end(y, quarter * 3) if y else None)
    for match in _HALF.finditer(text):
        y = int(match["y"]) if match["y"] else year
        found.append(_month_end(y, 6 if match["h"] == "上" else 12) if y else None)
    for match in _YEAR_END.finditer(text):
        y = int(match["y"]) if match["y"] else year
        found.append(date(y, 12, 31) if y else None)
    dates = [d for d in found if d is not None]
    if not dates:
        for match in _WHOLE_YEAR.finditer(text):  # "2010年", "2016—2017年": by that year's end
            dates.append(date(int(match["y"]), 12, 31))
    return max(dates) if dates else None


def _month_day(year: int, month: int, day: str | None, end: str | None) -> date | None:
    if day:
        return _safe(year, month, int(day))
    if end == "中旬":
        return _safe(year, month, 20)
    if end == "上旬":
        return _safe(year, month, 10)
    return _month_end(year, month)


def _month_end(year: int, month: int) -> date | None:
    if not 1 <= month <= 12:
        return None
    return date(year, month, calendar.monthrange(year, month)[1])


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
