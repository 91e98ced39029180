"""Middleware of the server itself (not of any business app).

``RequestIdMiddleware`` comes first in ``MIDDLEWARE``: every request gets an id before anything
can log about it (duban.core.logs). Behind the proxy (``DUBAN_BEHIND_PROXY``) the proxy's
``X-Request-ID`` is kept when it has one, so nginx's access log and duban's log name the same
request alike.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from . import logs


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.META.get("HTTP_X_REQUEST_ID")
        if getattr(settings, "BEHIND_PROXY", False) and logs.valid_request_id(incoming):
            request.id = incoming  # type: ignore[attr-defined]
        else:
            request.id = logs.new_request_id()  # type: ignore[attr-defined]
        with logs.handling(request):
            response = self.get_response(request)
        response["X-Request-ID"] = request.id  # type: ignore[attr-defined]
        return response
