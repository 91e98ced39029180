"""What every directory page shares: the edit check and the page context.

Everyone signed in reads the directory: units, their aliases, leaders and groups are the names
notices print, no task data, and the security administrator needs them to give accounts their
unit or leader. Only those who manage the ledger (the office) change it.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from duban.core.permissions import Action, can, requires

# 403 for anyone who may only read the directory.
editor_required = requires(Action.MANAGE_LEDGER)


def render_page(
    request: HttpRequest, template: str, section: str, context: dict[str, Any]
) -> HttpResponse:
    context = {
        "nav": "directory",
        "section": section,
        "can_edit": can(request.user, Action.MANAGE_LEDGER),
        **context,
    }
    return render(request, template, context)
