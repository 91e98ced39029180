"""The date and time duban takes for "now": one place, so a demonstration can pin it.

``DUBAN_TODAY=2023-08-15`` pins the date (lights, due dates, lateness, reminders, the default
period, 成文日期 all follow it) while the time of day runs on; every page then says so in a
banner. ``pinned(day)`` pins it for a block of code (``duban demo`` builds each step of its year
on that step's day). Unset in production: then this is Django's local date and time.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.utils import timezone

_pinned: ContextVar[datetime.datetime | None] = ContextVar("duban_pinned_now", default=None)


def pinned_date() -> datetime.date | None:
    """The date a demonstration pins (``DUBAN_TODAY``), or None in production."""
    day: datetime.date | None = settings.DUBAN_TODAY
    return day


def now() -> datetime.datetime:
    """An aware datetime: the pinned moment, or the pinned date at today's time of day."""
    moment = _pinned.get()
    if moment is not None:
        return moment
    real = timezone.now()
    day = pinned_date()
    if day is None:
        return real
    local = timezone.localtime(real)
    return local.replace(year=day.year, month=day.month, day=day.day)


def today() -> datetime.date:
    return timezone.localdate(now())


@contextmanager
def pinned(moment: datetime.date | datetime.datetime) -> Iterator[None]:
    """Within the block, ``now()`` is ``moment`` (a date means 09:00 local time that day)."""
    if not isinstance(moment, datetime.datetime):
        moment = datetime.datetime.combine(moment, datetime.time(9, 0))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    token = _pinned.set(moment)
    try:
        yield
    finally:
        _pinned.reset(token)
