"""The demonstration banner: the date ``DUBAN_TODAY`` pins, for base.html to show on every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from . import clock
from .formatting import format_cn_date


def demo_clock(request: HttpRequest) -> dict[str, Any]:
    """``demo_today`` (``2023年8月15日``) when the date is pinned; nothing in production."""
    day = clock.pinned_date()
    return {"demo_today": format_cn_date(day)} if day is not None else {}
