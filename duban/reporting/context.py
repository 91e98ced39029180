"""Counts for the navigation bar: how much is waiting for the signed-in user (待办).

Lazy: nothing is read until a template asks for ``todo_counts.total`` (only base.html's
navigation does, for signed-in users), and then it costs one query whatever the sources
(duban.core.todo.count_for).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import cached_property

from duban.core.todo import count_for


class TodoCounts:
    def __init__(self, request: HttpRequest) -> None:
        self._request = request

    @cached_property
    def total(self) -> int:
        user = getattr(self._request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return count_for(user)


def todo_counts(request: HttpRequest) -> dict[str, Any]:
    return {"todo_counts": TodoCounts(request)}
