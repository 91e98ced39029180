"""Pages of the ledger: the list of a plan's tasks, one task, a leader's and a unit's tasks.

Views only read the request, call ``queries`` and ``rows`` and render; every page costs the same
number of queries whatever the number of tasks (tests/ledger/test_queries.py holds them to it).

Every page shows only the tasks the user may see (``Task.objects.restrict``), counts included;
a task the user may not see answers 403, an unknown one 404, and the administrators of 三权分立,
who read no business data, get 403 on every page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from duban.core.permissions import Action, can, check, requires
from duban.directory.models import Leader, Unit
from duban.directory.reach import UnitRef

from .facets import FacetValues
from .forms import StatusForm
from .models import AssignmentRole, Plan, Task, reaches
from .options import filter_options, sort_headers, sort_options
from .queries import (
    PAGE_SIZE,
    Directory,
    TaskFilter,
    choose_plan,
    count_facets,
    filter_tasks,
    parse_sort,
    plan_tasks,
    sort_tasks,
    with_details,
)
from .rows import annotate_rows, build_rows

# The htmx target the list page refreshes in place (filters, counts, table and pages).
LEDGER_TARGET = "ledger"


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
    plan, plans = requested_plan(request)
    if plan is None:
        context = {"nav": "ledger", "can_import": can(request.user, Action.MANAGE_LEDGER)}
        return render(request, "ledger/no_plan.html", context)
    visible = Task.objects.restrict(request.user)
    directory = Directory.load()
    areas = list(plan.areas.order_by("number"))
    leaders = list(Leader.objects.all())
    task_filter = TaskFilter.from_params(request.GET).restricted(
        (area.pk for area in areas), (leader.pk for leader in leaders), directory.units
    )
    key, descending = parse_sort(request.GET.get("sort"))
    # The registered filters' values (each task's light), read once for the filter and counts.
    values = FacetValues.read(plan_tasks(plan, visible), task_filter.chosen_facets, request.user)
    found = with_details(
        sort_tasks(filter_tasks(plan, task_filter, directory, visible, values), key, descending)
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    facets = count_facets(plan, task_filter, directory, visible, values)
    export_params = request.GET.copy()
    export_params.pop("page", None)
    export_url = reverse("ledger:export")
    if export_params:
        export_url += "?" + export_params.urlencode()
    context = {
        "nav": "ledger",
        "plan": plan,
        "plans": plans,
        "plan_param": request.GET.get("plan", ""),
        "filter": task_filter,
        "options": filter_options(task_filter, facets, areas, leaders, directory, plan),
        "sort_options": sort_options(key, descending),
        "sorts": sort_headers(key, descending),
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "rows": annotate_rows(
            build_rows(page.object_list, directory, area_headings=key in ("number", "area"))
        ),
        "export_url": export_url,
        "boost": True,
    }
    template = "ledger/_ledger.html" if _wants_fragment(request) else "ledger/tasks.html"
    response = render(request, template, context)
    # The fragment and the page share a URL: caches must keep them apart.
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


@require_http_methods(["GET", "POST"])
@requires(Action.VIEW, Task)
def task(request: HttpRequest, pk: int) -> HttpResponse:
    task = with_details(Task.objects.select_related("plan", "refinement", "light_override")).get(
        pk=pk
    )
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
    row = build_rows([task], Directory.load())[0]
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
    directory = Directory.load()
    if plan is None:
        return {"rows": [], "sorts": sort_headers(*parse_sort(None)), "directory": directory}
    key, descending = parse_sort(request.GET.get("sort"))
    found = filter_tasks(
        plan, task_filter, directory, Task.objects.restrict(request.user), user=request.user
    )
    if unit_id is not None:
        found = found.filter(reaches(UnitRef.of(directory.units[unit_id])))
    rows = annotate_rows(
        build_rows(
            with_details(sort_tasks(found, key, descending)),
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
