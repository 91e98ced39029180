"""The unread count of the navigation bar's bell, read only when a template asks for it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import cached_property

from .services import unread_count


class Notifications:
    def __init__(self, request: HttpRequest) -> None:
        self._request = request

    @cached_property
    def unread(self) -> int:
        user = getattr(self._request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return unread_count(user)


def notifications(request: HttpRequest) -> dict[str, Any]:
    return {"notify_counts": Notifications(request)}
