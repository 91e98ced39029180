"""Every refusal (403) leaves an event in the audit trail: who, from where, which address.

A refusal is any 403 answer: a permission the person lacks (``PermissionDenied`` turned into
the 403 page), a form without its CSRF token, a view answering 403 itself. The event (DENIED,
result "failed") holds the method and the path, never the query string (which may carry what
was searched for). Placed after ``AuditContextMiddleware``, so that the event names the
person and address of the request.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .models import AuditAction
from .signals import record

DENIED_STATUS = 403
PATH_LENGTH = 500


class DeniedMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == DENIED_STATUS:
            record(
                AuditAction.DENIED,
                after={"method": request.method, "path": request.path[:PATH_LENGTH]},
                result="failed",
            )
        return response
