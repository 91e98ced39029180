"""The audit trail for the audit administrator: every event, filterable, read-only."""

from __future__ import annotations

import contextlib
from datetime import date

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from duban.core.permissions import Action, requires

from .history import present
from .models import AuditAction, AuditEvent

PAGE_SIZE = 100


@require_GET
@requires(Action.READ_AUDIT)
def events(request: HttpRequest) -> HttpResponse:
    found = AuditEvent.objects.restrict(request.user)
    user = request.GET.get("user", "").strip()
    if user:
        found = found.filter(username__icontains=user)
    action = request.GET.get("action", "")
    if action in AuditAction.values:
        found = found.filter(action=action)
    for name, lookup in (("since", "at__date__gte"), ("until", "at__date__lte")):
        with contextlib.suppress(ValueError):  # an unreadable date filters nothing
            found = found.filter(**{lookup: date.fromisoformat(request.GET.get(name, ""))})
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/events.html",
        {
            "page": page,
            "events": present(page.object_list, seconds=True),
            "actions": AuditAction.choices,
            "query": query.urlencode(),
            "nav": "audit",
        },
    )
