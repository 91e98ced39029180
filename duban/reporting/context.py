"""Counts for the navigation bar: how much is waiting for the signed-in user (待办)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def todo_counts(request: HttpRequest) -> dict[str, Any]:
    return {}
