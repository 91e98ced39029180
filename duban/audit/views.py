"""The audit trail for the audit administrator: every event, filterable, read-only.

Each reading of the trail is itself an event (READ, with the filters and the page read). The
page names an object only by its kind and number: what the object said (a task's text, a
unit's name) stays out of the audit administrator's sight (三权分立)."""

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
from .signals import query_filters, record

PAGE_SIZE = 100


@require_GET
@requires(Action.READ_AUDIT)
def events(request: HttpRequest) -> HttpResponse:
    # The reading first: the page shows it too.
    record(AuditAction.READ, after={"filters": query_filters(request.GET)})
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
