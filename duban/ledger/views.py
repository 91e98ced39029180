"""Pages of the ledger: the list of a plan's tasks, one task, a leader's and a unit's tasks.

Views only read the request, call ``queries`` and ``rows`` and render; every page costs the same
number of queries whatever the number of tasks (tests/ledger/test_queries.py holds them to it).

Every page shows only the tasks the user may see (``Task.objects.restrict``), counts included;
a task the user may not see answers 403, an unknown one 404, and the administrators of 三权分立,
who read no business data, get 403 on every page.
"""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from duban.core.permissions import Action, actor, can, check, requires
from duban.directory.models import Leader, Unit
from duban.directory.reach import UnitRef

from .facets import FacetValues
from .forms import StatusForm
from .memo import LEDGER_DATA, TrailCache
from .models import Area, AssignmentRole, Plan, Task, reaches
from .options import filter_options, page_size_options, sort_headers, sort_options
from .queries import (
    MAX_PAGE_SIZE,
    Directory,
    FacetRows,
    Facets,
    TaskFilter,
    choose_plan,
    count_facets,
    facet_rows,
    filter_tasks,
    finish_facets,
    parse_page_size,
    parse_sort,
    plan_tasks,
    sort_tasks,
)
from .rows import PageRows, annotate_rows, attach_details, list_rows

# The htmx target the list page refreshes in place (filters, counts, table and pages).
LEDGER_TARGET = "ledger"

_COUNTS: TrailCache[Facets] = TrailCache(max_age=60, size=500)
# The plan's areas and the leaders (the filters' choices), shared by the requests: read them,
# never change them.
_AREAS_LEADERS: TrailCache[tuple[list[Area], list[Leader]]] = TrailCache(
    max_age=300, size=20, moved_by=LEDGER_DATA
)
_FACET_ROWS: TrailCache[FacetRows] = TrailCache(max_age=300, size=200, moved_by=LEDGER_DATA)
# Pages of rows with their table body (up to 200 rows, some 300 KB each): the few pages
# people are looking at.
_PAGES: TrailCache[PageRows] = TrailCache(max_age=60, size=16)


def _wants_fragment(request: HttpRequest) -> bool:
    """An htmx refresh of the list (not a history restore, which needs the whole page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-Target") == LEDGER_TARGET
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def requested_plan(request: HttpRequest) -> tuple[Plan | None, list[Plan]]:
    plan, plans = choose_plan(request.GET.get("plan"))
    if plan is None and plans:
        raise Http404(_("There is no such plan."))
    return plan, plans


@require_GET
@requires(Action.READ_LEDGER)
def tasks(request: HttpRequest) -> HttpResponse:
    """The ledger: a plan's tasks, filtered, counted, sorted, a page at a time.

    The same queries whatever the number of tasks (tests/ledger/test_page_queries.py), nine
    for the office: the session and the account (three), the plans, the plan's areas, the
    leaders, a look at the audit trail — which keeps the directory, every task's light and
    latest report and this filter's counts (``duban.ledger.memo``) — the page's tasks with
    everything their rows show (one), the navigation's unread notifications. When the trail
    has moved: the changes since (one), the directory (two) and the counts (``count_facets``,
    one grouped query) besides. The page's rows and their table body are kept too: the same
    page asked again while the trail stands still reads no row (eight queries)."""
    plan, plans = requested_plan(request)
    if plan is None:
        context = {"nav": "ledger", "can_import": can(request.user, Action.MANAGE_LEDGER)}
        return render(request, "ledger/no_plan.html", context)
    visible = Task.objects.restrict(request.user)
    directory = Directory.kept()
    areas, leaders = _AREAS_LEADERS.get(
        plan.pk, lambda: (list(plan.areas.order_by("number")), list(Leader.objects.all()))
    )
    task_filter = TaskFilter.from_params(request.GET).restricted(
        (area.pk for area in areas), (leader.pk for leader in leaders), directory.units
    )
    key, descending = parse_sort(request.GET.get("sort"))
    page_size, per_page = parse_page_size(request.GET.get("page_size"))
    # The registered filters' values (each task's light), read once for the filter and counts.
    values = FacetValues.read(
        plan_tasks(plan, visible), task_filter.chosen_facets, request.user, plan
    )
    # The counts of a filter as the person sees the plan, kept while the trail has not moved:
    # the same page asked again (the next page, another sort, the back button) counts nothing.
    seen = str(plan_tasks(plan, visible).values("pk").query)  # what she may see, as SQL
    counts_key = (plan.pk, task_filter, seen, actor(request.user), get_language())
    if task_filter.chosen_facets:  # counts under a light: they change with every light
        facets = _COUNTS.get(
            counts_key, lambda: count_facets(plan, task_filter, directory, visible, values)
        )
    else:
        # The database's part changes only with the ledger and the directory: a report or a
        # light set since counts no row again, only the lights' values (kept per task).
        counted = _FACET_ROWS.get(
            counts_key, lambda: facet_rows(plan, task_filter, directory, visible, values)
        )
        facets = finish_facets(counted, task_filter, directory, values)
    found = sort_tasks(filter_tasks(plan, task_filter, directory, visible, values), key, descending)
    paginator = Paginator(found, per_page)
    paginator.count = facets.found(task_filter)  # counted already: no COUNT(*) query
    page = paginator.get_page(request.GET.get("page"))
    # The page's rows, and the table body written from them, kept like the counts: the same
    # page asked again while nothing has changed (the office's ledger, opened all day) reads
    # and writes no row. On a change (the trail moves) every page is read afresh.
    rows = _PAGES.get(
        (
            plan.pk,
            task_filter,
            seen,
            actor(request.user),
            get_language(),
            key,
            descending,
            page.number,
            per_page,
        ),
        lambda: PageRows(
            annotate_rows(
                list_rows(
                    cast(QuerySet[Task], page.object_list),  # the page's slice of ``found``
                    directory,
                    {leader.pk: leader for leader in leaders},
                    areas={area.pk: area for area in areas},
                    area_headings=key in ("number", "area"),
                )
            )
        ),
    )
    # The export holds every task the filters find (all pages); it keeps the page's query.
    export_params = request.GET.copy()
    export_params.pop("page", None)
    export_url = reverse("ledger:export")
    if export_params:
        export_url += "?" + export_params.urlencode()
    # Clearing the filters keeps the plan and the page size.
    kept = {"plan": request.GET.get("plan", ""), "page_size": page_size}
    clear_url = reverse("ledger:tasks")
    if any(kept.values()):
        clear_url += "?" + urlencode({name: value for name, value in kept.items() if value})
    context = {
        "nav": "ledger",
        "plan": plan,
        "plans": plans,
        "plan_param": request.GET.get("plan", ""),
        "clear_url": clear_url,
        "filter": task_filter,
        "options": filter_options(task_filter, facets, areas, leaders, directory, plan),
        "sort_options": sort_options(key, descending),
        "sorts": sort_headers(key, descending),
        "page_size": page_size,
        "page_size_options": page_size_options(page_size),
        # "All" and more tasks than a page holds: the page says it shows them 200 at a time.
        "page_capped": page_size == "all" and paginator.num_pages > 1,
        "max_page_size": MAX_PAGE_SIZE,
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "rows": rows,
        "export_url": export_url,
        "boost": True,
    }
    template = "ledger/_ledger.html" if _wants_fragment(request) else "ledger/tasks.html"
    response = render(request, template, context)
    # The fragment and the page share a URL: caches must keep them apart.
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


@require_http_methods(["GET", "POST"])
def task(request: HttpRequest, pk: int) -> HttpResponse:
    """One task. The rule of ``requires(Action.VIEW, Task)`` — sign in first, 404 for no such
    task, 403 for one that is not the person's — applied here to the task as read for the page,
    with everything its panels show (``list_rows``, ``attach_details``): read once."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    directory = Directory.kept()
    found = Task.objects.select_related("plan", "refinement", "light_override").filter(pk=pk)
    rows = list_rows(found, directory)
    if not rows:
        raise Http404(_("There is no such task."))
    row = rows[0]
    check(request.user, Action.VIEW, row.task)
    attach_details(row, directory)  # the panels read the task's assignments and targets
    task = row.task
    editable = can(request.user, Action.CHANGE, task)
    form = StatusForm(initial={"status": task.status})
    status = 200
    if request.method == "POST":
        check(request.user, Action.CHANGE, task)
        form = StatusForm(request.POST)
        if form.is_valid():
            task.status = form.cleaned_data["status"]
            task.save(update_fields=["status", "updated_at"])
            messages.success(
                request,
                _("Task %(number)s is now “%(status)s”.")
                % {"number": task.number, "status": task.get_status_display()},
            )
            return redirect("ledger:task", pk=task.pk)
        status = 400
    context = {"nav": "ledger", "row": row, "task": task, "form": form, "can_edit": editable}
    return render(request, "ledger/task.html", context, status=status)


def _task_table(
    request: HttpRequest, plan: Plan | None, task_filter: TaskFilter, unit_id: int | None = None
) -> dict[str, Any]:
    """A leader's or unit's tasks in one plan that the user may see, sortable like the ledger
    (one plan: not paged).

    With ``unit_id``, the tasks on which the unit is assigned in any role, by name or through
    a group that stands for it, each row saying how.
    """
    directory = Directory.kept()
    if plan is None:
        return {"rows": [], "sorts": sort_headers(*parse_sort(None)), "directory": directory}
    key, descending = parse_sort(request.GET.get("sort"))
    found = filter_tasks(
        plan, task_filter, directory, Task.objects.restrict(request.user), user=request.user
    )
    if unit_id is not None:
        found = found.filter(reaches(UnitRef.of(directory.units[unit_id])))
    rows = annotate_rows(
        list_rows(
            sort_tasks(found, key, descending),
            directory,
            unit_id=unit_id,
            area_headings=key in ("number", "area"),
        )
    )
    return {"rows": rows, "sorts": sort_headers(key, descending), "directory": directory}


@require_GET
@requires(Action.READ_LEDGER)
def leader(request: HttpRequest, pk: int) -> HttpResponse:
    leader = get_object_or_404(Leader.objects.prefetch_related("units"), pk=pk)
    plan, plans = requested_plan(request)
    table = _task_table(request, plan, TaskFilter(leader=leader.pk))
    context = {"nav": "ledger", "leader": leader, "plan": plan, "plans": plans, **table}
    return render(request, "ledger/leader.html", context)


@require_GET
@requires(Action.READ_LEDGER)
def unit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.prefetch_related("aliases", "leaders"), pk=pk)
    plan, plans = requested_plan(request)
    table = _task_table(request, plan, TaskFilter(), unit_id=unit.pk)
    directory: Directory = table["directory"]
    rows = table["rows"]
    context = {
        "nav": "ledger",
        "unit": unit,
        "plan": plan,
        "plans": plans,
        "groups": [directory.groups[pk] for pk in directory.covering_groups(unit.pk)],
        "lead_count": sum(1 for row in rows if AssignmentRole.LEAD in row.unit_roles),
        "responsible_count": sum(1 for row in rows if AssignmentRole.RESPONSIBLE in row.unit_roles),
        "show_assigned": True,
        **table,
    }
    return render(request, "ledger/unit.html", context)
