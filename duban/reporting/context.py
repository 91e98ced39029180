"""Counts for the navigation bar: how much is waiting for the signed-in user (待办).

Lazy: nothing is read until a template asks for ``todo_counts.total`` (only base.html's
navigation does, for signed-in users), and then it costs one query whatever the sources
(duban.core.todo.count_for) — a query of a dozen subqueries that took longer to build than
many pages' own work. So each person's count is kept while the audit trail has not moved, for
at most a minute (``duban.ledger.memo.TrailCache``: what waits changes with a write, or with
the time for the few kinds that look at it), as the 待办 page keeps what it lists.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import cached_property

from duban.core.permissions import actor
from duban.core.todo import count_for
from duban.ledger.memo import TrailCache

_COUNTS: TrailCache[int] = TrailCache(max_age=60)


class TodoCounts:
    def __init__(self, request: HttpRequest) -> None:
        self._request = request

    @cached_property
    def total(self) -> int:
        user = getattr(self._request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        # The 待办 page has just counted every kind (its sections' totals): the same number.
        counted = getattr(self._request, "todo_total", None)
        if counted is not None:
            return int(counted)
        # The person as the rules see her: what waits follows her unit and rights.
        return _COUNTS.get(actor(user), lambda: count_for(user))


def todo_counts(request: HttpRequest) -> dict[str, Any]:
    return {"todo_counts": TodoCounts(request)}
