"""What every directory page shares: the edit check and the page context."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from duban.directory.permissions import can_edit_directory

View = Callable[..., HttpResponse]


def editor_required(view: View) -> View:
    """403 for anyone who may only read the directory (sign-in is the middleware's job)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_edit_directory(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def render_page(
    request: HttpRequest, template: str, section: str, context: dict[str, Any]
) -> HttpResponse:
    context = {
        "nav": "directory",
        "section": section,
        "can_edit": can_edit_directory(request.user),
        **context,
    }
    return render(request, template, context)
