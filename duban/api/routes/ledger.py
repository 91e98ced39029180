"""The ledger through the API: who am I, plans, areas, leaders, units, periods, tasks.

The task list is the ledger's (``duban.ledger.queries``): the same filters (area, leader, lead
and responsible unit, status, words, the light and the cockpit's filters), the same sorting,
the tasks the person may see (``Task.objects.restrict``), of one plan (the newest by default).
"""

from __future__ import annotations

from typing import Any, Literal, NoReturn

from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils.translation import get_language
from ninja import Query, Router

from duban.accounts.tokens import may_write
from duban.core.permissions import actor
from duban.directory.models import Leader, Unit
from duban.ledger.memo import TrailCache
from duban.ledger.models import Area, Plan, Task
from duban.ledger.queries import (
    Directory,
    TaskFilter,
    choose_plan,
    filter_tasks,
    parse_sort,
    sort_tasks,
)
from duban.reporting.models import Period

from .. import build
from ..auth import token_of
from ..schemas import (
    NO_NUL,
    AreaOut,
    LeaderOut,
    MeOut,
    Page,
    PeriodOut,
    PlanOut,
    TaskOut,
    TaskStatusValue,
    UnitOut,
)
from .common import (
    DEFAULT_LIMIT,
    MAX_ID,
    MAX_LIMIT,
    READ_ERRORS,
    PathId,
    envelope,
    one,
    page,
    reads_ledger,
)

router = Router(tags=["Ledger"])

# Pages of the task list as the API gives them: (count, items), a few pages per process.
_TASKS: TrailCache[tuple[int, list[dict[str, Any]]]] = TrailCache(max_age=60, size=16)

SortValue = Literal[
    "number", "-number", "area", "-area", "lead", "-lead", "status", "-status", "deadline",
    "-deadline",
]  # fmt: skip


def Limit() -> Any:
    return Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="How many at most (1–200)")


def Offset() -> Any:
    return Query(0, ge=0, le=MAX_ID, description="How many to skip")


def Id(description: str) -> Any:
    return Query(None, ge=1, le=MAX_ID, description=description)


@router.get(
    "/me/",
    response={200: MeOut, **READ_ERRORS},
    summary="Who am I",
    description="The person the request acts as, and whether it may write.",
)
def me(request: HttpRequest) -> dict[str, Any]:
    user: Any = request.user
    who = actor(user)
    unit = Unit.objects.filter(pk=who.unit_id).first() if who.unit_id else None
    token = token_of(request)
    return {
        "id": user.pk,
        "username": user.get_username(),
        "name": user.get_full_name() or user.get_username(),
        "unit": {"id": unit.pk, "name": unit.name} if unit is not None else None,
        "via": "token" if token is not None else "session",
        "scope": "read_write" if may_write(token) else "read",
    }


@router.get(
    "/plans/",
    response={200: Page[PlanOut], **READ_ERRORS},
    summary="Plans",
    description="The plans (one a year) with at least one task the person may see, newest first.",
)
def plans(request: HttpRequest, limit: int = Limit(), offset: int = Offset()) -> dict[str, Any]:
    reads_ledger(request)
    found = Plan.objects.restrict(request.user).order_by("-year", "-pk")
    return page(found, limit, offset, lambda rows: [build.plan_item(plan) for plan in rows])


@router.get(
    "/plans/{plan_id}/",
    response={200: PlanOut, **READ_ERRORS},
    summary="One plan",
    description="A plan the person may see.",
)
def plan_detail(request: HttpRequest, plan_id: int = PathId()) -> dict[str, Any]:
    reads_ledger(request)
    return build.plan_item(one(request, Plan.objects.all(), plan_id))


@router.get(
    "/areas/",
    response={200: Page[AreaOut], **READ_ERRORS},
    summary="Areas",
    description="The areas (一、二、…) of the plans the person may see.",
)
def areas(
    request: HttpRequest,
    plan: int | None = Id("Only this plan's"),
    limit: int = Limit(),
    offset: int = Offset(),
) -> dict[str, Any]:
    reads_ledger(request)
    found = Area.objects.filter(plan__in=Plan.objects.restrict(request.user).values("pk"))
    if plan is not None:
        found = found.filter(plan_id=plan)
    return page(
        found.order_by("plan", "number"),
        limit,
        offset,
        lambda rows: [
            {"id": a.pk, "plan": a.plan_id, "number": a.number, "title": a.title} for a in rows
        ],
    )


@router.get(
    "/leaders/",
    response={200: Page[LeaderOut], **READ_ERRORS},
    summary="Leaders",
    description="The leaders who lead tasks (牵头领导), as the ledger's leader filter lists them.",
)
def leaders(request: HttpRequest, limit: int = Limit(), offset: int = Offset()) -> dict[str, Any]:
    reads_ledger(request)
    return page(
        Leader.objects.order_by("name", "pk"),
        limit,
        offset,
        lambda rows: [
            {"id": x.pk, "name": x.name, "title": x.title, "active": x.active} for x in rows
        ],
    )


@router.get(
    "/units/",
    response={200: Page[UnitOut], **READ_ERRORS},
    summary="Units",
    description="The directory's units, as its pages list them to everyone signed in.",
)
def units(
    request: HttpRequest,
    q: str = Query(
        "", max_length=100, pattern=NO_NUL, description="Words of the name, full name or an alias"
    ),
    active: bool | None = Query(None, description="Only active (true) or inactive (false) units"),
    limit: int = Limit(),
    offset: int = Offset(),
) -> dict[str, Any]:
    found = Unit.objects.prefetch_related("aliases").order_by("kind", "name", "pk")
    if active is not None:
        found = found.filter(active=active)
    for word in q.split():
        found = found.filter(
            Q(name__icontains=word)
            | Q(full_name__icontains=word)
            | Q(aliases__name__icontains=word)
        ).distinct()
    return page(found, limit, offset, build.unit_items)


@router.get(
    "/units/{unit_id}/",
    response={200: UnitOut, **READ_ERRORS},
    summary="One unit",
    description="A unit of the directory.",
)
def unit_detail(request: HttpRequest, unit_id: int = PathId()) -> dict[str, Any]:
    unit = Unit.objects.prefetch_related("aliases").filter(pk=unit_id).first()
    if unit is None:
        raise_not_found()
    return build.unit_items([unit])[0]


@router.get(
    "/periods/",
    response={200: Page[PeriodOut], **READ_ERRORS},
    summary="Reporting periods",
    description="The reporting periods (2023Q1 … 2023Y) of the plans the person may see.",
)
def periods(
    request: HttpRequest,
    plan: int | None = Id("Only this plan's"),
    state: Literal["planned", "open", "closed"] | None = Query(None, description="Only these"),
    limit: int = Limit(),
    offset: int = Offset(),
) -> dict[str, Any]:
    reads_ledger(request)
    found = Period.objects.restrict(request.user)
    if plan is not None:
        found = found.filter(plan_id=plan)
    if state is not None:
        found = found.filter(state=state)
    return page(found.order_by("plan", "due_on", "code"), limit, offset, build.period_items)


@router.get(
    "/tasks/",
    response={200: Page[TaskOut], **READ_ERRORS},
    summary="Tasks",
    description="The ledger: one plan's tasks the person may see, with their targets, "
    "assignments, lights and latest report, filtered and sorted as the ledger page is.",
)
def tasks(
    request: HttpRequest,
    plan: int | None = Id("The plan (default: the newest)"),
    area: int | None = Id("Only this area's tasks"),
    leader: int | None = Id("Only the tasks this leader leads"),
    lead: int | None = Id("Only the tasks this unit leads (named or through a group)"),
    responsible: int | None = Id("Only the tasks this unit is responsible for"),
    status: TaskStatusValue | None = Query(None, description="Only tasks with this status"),
    q: str = Query(
        "", max_length=200, pattern=NO_NUL, description="Words of the task, its number or a target"
    ),
    light: Literal["green", "yellow", "red", "none"] | None = Query(
        None, description="Only tasks with this light"
    ),
    report: str | None = Query(
        None,
        max_length=40,
        pattern=NO_NUL,
        description="A cockpit filter: the reports of a period (2023Q2-late, 2023Q2-missing, "
        "2023Q2-returned)",
    ),
    notice: str | None = Query(
        None, max_length=40, pattern=NO_NUL, description="A cockpit filter: open 督办"
    ),
    rectification: str | None = Query(
        None,
        max_length=40,
        pattern=NO_NUL,
        description="A cockpit filter: open rectification items",
    ),
    sort: SortValue = Query("number", description="Sort by; a leading - sorts descending"),
    limit: int = Limit(),
    offset: int = Offset(),
) -> dict[str, Any]:
    reads_ledger(request)
    chosen, _plans = choose_plan(str(plan) if plan is not None else None)
    if chosen is None:
        if plan is not None:
            raise_not_found()
        return envelope(0, limit, offset, [])
    params = {
        "area": area,
        "leader": leader,
        "lead": lead,
        "responsible": responsible,
        "status": status,
        "q": q,
        "light": light,
        "report": report,
        "notice": notice,
        "rectification": rectification,
    }
    task_filter = TaskFilter.from_params({k: str(v) for k, v in params.items() if v is not None})
    visible = Task.objects.restrict(request.user)
    directory = Directory.load() if (lead or responsible) else Directory()
    found = filter_tasks(chosen, task_filter, directory, visible, user=request.user)
    key, descending = parse_sort(sort)
    found = sort_tasks(found, key, descending)

    def read() -> tuple[int, list[dict[str, Any]]]:
        rows = list(build.tasks_with_details(found)[offset : offset + limit])
        return found.count(), build.task_items(rows)

    # Kept while the audit trail stands still, as the ledger page keeps its rows: a system
    # that polls the same list reads it once per change (duban.ledger.memo.TrailCache).
    seen = str(visible.values("pk").query)  # what the person may see, as SQL
    count, items = _TASKS.get(
        (chosen.pk, task_filter, seen, actor(request.user), get_language(), sort, offset, limit),
        read,
    )
    return envelope(count, limit, offset, items)


@router.get(
    "/tasks/{task_id}/",
    response={200: TaskOut, **READ_ERRORS},
    summary="One task",
    description="A task the person may see, with its targets, assignments, light and latest "
    "report.",
)
def task_detail(request: HttpRequest, task_id: int = PathId()) -> dict[str, Any]:
    one(request, Task.objects.all(), task_id)
    task = build.tasks_with_details(Task.objects.filter(pk=task_id)).get()
    return build.task_items([task])[0]


def raise_not_found() -> NoReturn:
    raise Http404
