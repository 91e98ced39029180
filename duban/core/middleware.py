"""Middleware of the server itself (not of any business app).

``RequestIdMiddleware`` comes first in ``MIDDLEWARE``: every request gets an id before anything
can log about it (duban.core.logs). Behind the proxy (``DUBAN_BEHIND_PROXY``) the proxy's
``X-Request-ID`` is kept when it has one, so nginx's access log and duban's log name the same
request alike. A request forwarded by a proxy while ``DUBAN_BEHIND_PROXY`` is off (the proxy's
headers ignored: every client has the proxy's address, and with ``DUBAN_HTTPS`` the redirect to
HTTPS loops) is logged once per process as a warning naming the setting.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from . import logs

logger = logging.getLogger("duban.server")
_FORWARDED = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_FOR")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.warned = False

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.META.get("HTTP_X_REQUEST_ID")
        if getattr(settings, "BEHIND_PROXY", False) and logs.valid_request_id(incoming):
            request.id = incoming  # type: ignore[attr-defined]
        else:
            request.id = logs.new_request_id()  # type: ignore[attr-defined]
        with logs.handling(request):
            if self._unconfigured_proxy(request):
                self.warned = True
                logger.warning(
                    "A proxy forwarded this request (X-Forwarded-For/-Proto) but "
                    "DUBAN_BEHIND_PROXY is off: its headers are ignored, every client has "
                    "the proxy's address and, with DUBAN_HTTPS, the redirect to HTTPS loops. "
                    "Set DUBAN_BEHIND_PROXY=true (docs/deploy.md)."
                )
            response = self.get_response(request)
        response["X-Request-ID"] = request.id  # type: ignore[attr-defined]
        return response

    def _unconfigured_proxy(self, request: HttpRequest) -> bool:
        if self.warned or getattr(settings, "BEHIND_PROXY", False):
            return False
        return any(name in request.META for name in _FORWARDED)
