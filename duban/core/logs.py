"""What each log line says about the request it belongs to: its id, the user, the address, the
method and the path.

``RequestIdMiddleware`` (duban.core.middleware) gives every request an id (``request.id``; sent
back as the ``X-Request-ID`` header and shown on the 500 page, so that what a person reports can
be found in the log) and keeps the request here while it is handled; ``RequestContextFilter``
(settings.LOGGING) adds these fields to every record. Outside a request (commands, the worker)
they are ``-``.

The filter never queries the database: the user is named only when the request already knows
it (a failing database must not fail the line that reports it).
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from typing import TYPE_CHECKING, TypeGuard

from django.utils.functional import empty

from .network import client_address

if TYPE_CHECKING:
    # Not imported to run: django.http loads the ORM (~50 ms), and every console command loads
    # this module with the logging settings (`duban parse` starts in 0.3 s, cli.py).
    from django.http import HttpRequest

NONE = "-"
# An id a proxy may hand on (nginx's $request_id is 32 hex digits).
_GOOD_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

_request: ContextVar[HttpRequest | None] = ContextVar("duban_log_request", default=None)


def new_request_id() -> str:
    return secrets.token_hex(8)


def valid_request_id(value: str | None) -> bool:
    return bool(value and _GOOD_ID.match(value))


def current_request() -> HttpRequest | None:
    return _request.get()


def current_request_id() -> str | None:
    request = _request.get()
    return getattr(request, "id", None) if request is not None else None


@contextmanager
def handling(request: HttpRequest) -> Iterator[None]:
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)


def _username(request: HttpRequest) -> str:
    user = request.__dict__.get("user")
    if user is None:
        return NONE
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is empty or not getattr(wrapped, "is_authenticated", False):
        return NONE
    return str(wrapped.get_username()) or NONE


def _is_request(value: object) -> TypeGuard[HttpRequest]:
    """A request, not whatever else a record's "request" is (django.server's is a socket); told
    by its attributes, as isinstance would need django.http imported."""
    return hasattr(value, "META") and hasattr(value, "path")


class RequestContextFilter(logging.Filter):
    """Adds ``request_id``, ``user``, ``address``, ``method`` and ``path`` to each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = _request.get()
        # django.request passes the request with its records; inside the middleware it is ours.
        request = request or getattr(record, "request", None)
        fields = {"request_id": NONE, "user": NONE, "address": NONE, "method": NONE, "path": NONE}
        if _is_request(request):
            with suppress(Exception):  # a log line must never fail
                fields = {
                    "request_id": getattr(request, "id", None) or NONE,
                    "user": _username(request),
                    "address": client_address(request) or NONE,
                    "method": request.method or NONE,
                    "path": request.path,
                }
        for name, value in fields.items():
            setattr(record, name, value)
        return True
