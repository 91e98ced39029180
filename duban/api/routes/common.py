"""What the operations share: the bounds of ids and pages, finding one object as the pages do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path

from duban.core.permissions import Action, check

from ..schemas import Error

M = TypeVar("M", bound=Model)

# Ids are 64-bit integers in every database duban runs on; larger ones are refused (422).
MAX_ID = 2**63 - 1
MAX_LIMIT = 200
DEFAULT_LIMIT = 50

# The error answers every operation may give (duban/api/errors.py).
READ_ERRORS: dict[int, Any] = {401: Error, 403: Error, 404: Error, 422: Error}
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 400: Error, 409: Error}


def one(request: HttpRequest, queryset: QuerySet[M], pk: int, action: Action = Action.VIEW) -> M:
    """The object, as ``@requires`` finds it for a page: 404 if there is none, 403 if it exists
    but is not the person's to ``action``."""
    obj = get_object_or_404(queryset, pk=pk)
    check(request.user, action, obj)
    return obj


def reads_ledger(request: HttpRequest) -> None:
    """403 for those who read no business data (the administrators of 三权分立), as the pages."""
    check(request.user, Action.READ_LEDGER)


def envelope(count: int, limit: int, offset: int, items: list[Any]) -> dict[str, Any]:
    """A list's answer: how many in all, the page asked for, its items (``schemas.Page``)."""
    return {"count": count, "limit": limit, "offset": offset, "items": items}


def page(
    queryset: QuerySet[Any],
    limit: int,
    offset: int,
    items: Callable[[list[Any]], list[Any]],
) -> dict[str, Any]:
    """The page of ``queryset`` from ``offset`` (``limit`` rows) as ``items`` turns its rows
    into items, with how many there are in all."""
    return envelope(queryset.count(), limit, offset, items(list(queryset[offset : offset + limit])))


def PathId() -> Any:
    return Path(..., ge=1, le=MAX_ID, description="The id")
