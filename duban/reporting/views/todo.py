"""The 待办 page: everything waiting for the signed-in user, from every app that registered a
source with duban.core.todo (reporting, supervision, inspections).

Each section lists its first ``LISTED`` items under its full count, so that the office or a
lead unit of a province (thousands of reports to review or write) get the page as fast as a
district's; ``?section=<kind>`` lists one section in full, ``SECTION_PAGE`` items a page
(``&page=2``…). What waits is kept for the person while the audit trail has not moved, for at
most a minute (``duban.ledger.memo.TrailCache``: an item acted on is a change of the trail; a
deadline passing, the day).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from duban.core.permissions import actor
from duban.core.todo import Todo, todo_for
from duban.ledger.memo import TrailCache

LISTED = 50  # items of each section on the page
SECTION_PAGE = 200  # items a page when one section is listed in full

_KEPT: TrailCache[Todo] = TrailCache(max_age=60, size=500)


@require_GET
def todo(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("section", "")
    if kind:
        page = _page_number(request.GET.get("page"))
        offset = (page - 1) * SECTION_PAGE
        todo = _kept(
            request,
            (kind, page),
            lambda: todo_for(request.user, limit=SECTION_PAGE, kinds=[kind], offset=offset),
        )
        section = todo.sections[0] if todo.sections else None
        pages = -(-section.count // SECTION_PAGE) if section is not None else 1
        context = {
            "nav": "todo",
            "todo": todo,
            "section_kind": kind,
            "page": page,
            "previous_page": page - 1 if page > 1 else None,
            "next_page": page + 1 if page < pages else None,
            "first_number": (page - 1) * SECTION_PAGE + 1,
            "last_number": (page - 1) * SECTION_PAGE + (len(section.items) if section else 0),
        }
    else:
        todo = _kept(request, ("", 1), lambda: todo_for(request.user, limit=LISTED))
        # Every kind counted (each section's total): the navigation's count is their sum,
        # not counted a second time (duban.reporting.context).
        request.todo_total = todo.total  # type: ignore[attr-defined]
        context = {"nav": "todo", "todo": todo}
    return render(request, "reporting/todo.html", context)


def _kept(request: HttpRequest, what: tuple[str, int], read: Callable[[], Todo]) -> Todo:
    """The person's 待办 (as the rules see her, in her language), kept while nothing changes."""
    return _KEPT.get((actor(request.user), what, get_language()), read)


def _page_number(value: str | None) -> int:
    try:
        number = int(value or "1")
    except ValueError:
        return 1
    return max(number, 1)
