"""Who is acting, and from where: set per request by the middleware, per command by hand."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse

from duban.core import network


@dataclass(frozen=True)
class Acting:
    user: Any = None
    address: str | None = None


_NOBODY = Acting()
_current: ContextVar[Acting | None] = ContextVar("duban_acting", default=None)


def current() -> Acting:
    return _current.get() or _NOBODY


@contextmanager
def acting_as(user: Any, address: str | None = None) -> Iterator[None]:
    """Attribute the changes made inside to ``user`` (commands and jobs use this)."""
    token = _current.set(Acting(user, address))
    try:
        yield
    finally:
        _current.reset(token)


def attribute(user: Any) -> None:
    """Name ``user`` as the one acting for the rest of this request: for a request whose person
    is known only inside its view (an API call with an access token, duban/api/auth.py), so that
    its changes and a refusal (``DeniedMiddleware``, after the view) are that person's. The
    request's ``AuditContextMiddleware`` puts back what was there before when it ends."""
    _current.set(Acting(user, current().address))


def client_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind a reverse proxy (DUBAN_BEHIND_PROXY) the
    right-most untrusted hop of X-Forwarded-For (duban.core.network)."""
    return network.client_address(request)


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        token = _current.set(Acting(user, client_address(request)))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
