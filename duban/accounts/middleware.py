"""Idle session timeout: 等保 expects a session to end after a stretch of inactivity."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from . import sessions

LAST_SEEN_KEY = "duban_last_seen"


class IdleTimeoutMiddleware:
    """Signs a user out once ``DUBAN_SESSION_IDLE_MINUTES`` pass without a request.

    The time of the last request is re-saved at most every ``sessions.touch_interval()``
    seconds (re-saving the session on every request would write the database each click), an
    interval always shorter than the idle limit, so a person who keeps working stays in.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(LAST_SEEN_KEY)
            idle_limit = settings.SESSION_IDLE_MINUTES * 60
            if isinstance(last_seen, int | float) and now - last_seen > idle_limit:
                message = _("You were signed out after %(minutes)d minutes without activity.") % {
                    "minutes": settings.SESSION_IDLE_MINUTES
                }
                answer = sessions.end(request, sessions.IDLE, message)
                if answer is not None:
                    return answer
            elif last_seen is None or now - last_seen >= sessions.touch_interval():
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)
