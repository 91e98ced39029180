"""The ledger filters behind the cockpit's links (``duban.ledger.facets``), registered in
``DashboardsConfig.ready()``.

The cockpit counts reports, notices and rectification items; each of its figures links to the
ledger filtered to exactly the tasks behind it. The ledger cannot import the apps above it, so
these filters are registered here, where every app below is known:

- ``report`` — a period's reports: ``2023Q2-late`` (submitted after the due date),
  ``-returned`` (returned at least once), ``-missing`` (the due date has passed and no report
  is submitted or accepted), ``-accepted`` (accepted), ``-done`` (an accepted report of that
  period or an earlier one says the task is completed). A task late in two periods has both.
- ``notice`` — the 督办/催办 not closed yet (issued, signed for, replied): ``urge``,
  ``supervise``, ``listed`` by level, and ``urge-overdue`` … for those whose reply is overdue.
  A period 催办 counts for every task it lists.
- ``rectification`` — the rectification items not closed, by state (``open``, ``reported``,
  ``returned``, ``verified``), and ``open-overdue`` … past their deadline; as the person sees
  them (a unit sees only its own items).

None of them is listed in the ledger's filter bar unless chosen. Each ``classify`` costs a fixed
number of queries whatever the number of tasks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.core import clock
from duban.core.permissions import Action
from duban.inspections.models import ItemState, RectificationItem
from duban.ledger.facets import Choices, TaskFacet
from duban.ledger.memo import PlanMemo
from duban.ledger.models import Plan, Task, TaskStatus
from duban.reporting.models import Period, PeriodState, Report, ReportVersion, ReviewState
from duban.reporting.services.periods import period_label
from duban.supervision.models import OPEN_STATES, Notice, NoticeLevel, NoticeState

COMMITTED = (ReviewState.SUBMITTED, ReviewState.ACCEPTED)
SUBMITTED_ONCE = (ReviewState.SUBMITTED, ReviewState.ACCEPTED, ReviewState.RETURNED)
# Not closed yet: waiting for the unit's reply (issued, signed for) or the office's (replied).
OPEN_NOTICES = (NoticeState.ISSUED, NoticeState.SIGNED, NoticeState.REPLIED)
OPEN_ITEMS = tuple(state for state in ItemState.values if state != ItemState.CLOSED)

# --- reports per period --------------------------------------------------------------------

REPORT_KINDS = ("late", "returned", "missing", "accepted", "done")


def report_value(period_code: str, kind: str) -> str:
    return f"{period_code}-{kind}"


def report_kind_label(kind: str, period: str) -> str:
    labels = {
        "late": _("%(period)s: report submitted late"),
        "returned": _("%(period)s: report returned"),
        "missing": _("%(period)s: report not submitted"),
        "accepted": _("%(period)s: report accepted"),
        "done": _("%(period)s: reported completed (accepted)"),
    }
    return labels[kind] % {"period": period}


def opened_periods(plan_ids: Iterable[int]) -> list[Period]:
    """The periods the office has opened (open or closed), by due date: those with reports."""
    return list(
        Period.objects.filter(plan_id__in=set(plan_ids))
        .exclude(state=PeriodState.PLANNED)
        .order_by("due_on", "code")
    )


def report_marks(
    tasks: QuerySet[Task], today: date | None = None, periods: list[Period] | None = None
) -> dict[int, frozenset[str]]:
    """``{task id: {"2023Q1-late", …}}`` for every task (see the module's docstring), in four
    queries at most (the tasks, the periods, the reports, the returned ones)."""
    today = today or clock.today()
    rows = list(tasks.order_by().values_list("pk", "plan_id"))
    if periods is None:
        periods = opened_periods(plan_id for _pk, plan_id in rows)
    if not rows or not periods:
        return {}
    reports = list(
        Report.objects.filter(task_id__in=[pk for pk, _p in rows], period__in=periods).values_list(
            "pk", "task_id", "period_id", "state", "status", "days_late"
        )
    )
    returned = set(
        ReportVersion.objects.filter(
            report_id__in=[row[0] for row in reports], state=ReviewState.RETURNED
        ).values_list("report_id", flat=True)
    )
    by_task: dict[int, dict[int, tuple[Any, ...]]] = defaultdict(dict)
    for row in reports:
        by_task[row[1]][row[2]] = row
    marks: dict[int, frozenset[str]] = {}
    for pk, plan_id in rows:
        found: set[str] = set()
        done = False
        for period in periods:
            if period.plan_id != plan_id:
                continue
            report = by_task[pk].get(period.pk)
            state = report[3] if report is not None else ""
            if report is not None and state in SUBMITTED_ONCE and report[5] > 0:
                found.add(report_value(period.code, "late"))
            if report is not None and report[0] in returned:
                found.add(report_value(period.code, "returned"))
            if state not in COMMITTED and period.due_on < today:
                found.add(report_value(period.code, "missing"))
            if state == ReviewState.ACCEPTED:
                found.add(report_value(period.code, "accepted"))
                done = done or (report is not None and report[4] == TaskStatus.DONE)
            if done:
                found.add(report_value(period.code, "done"))
        if found:
            marks[pk] = frozenset(found)
    return marks


def _classify_reports(tasks: QuerySet[Task], user: Any = None) -> Mapping[int, frozenset[str]]:
    return report_marks(tasks)


# Every task's marks, per plan, kept in the process and current with the audit trail
# (duban.ledger.memo): the cockpit's trend and report charts and the ledger's ``?report=``
# read them instead of every report of the plan on every page. A period opened, closed or
# moved concerns every task; a report's events name its task.
REPORT_MARKS: PlanMemo[frozenset[str]] = PlanMemo(
    "report marks",
    lambda tasks, today: report_marks(tasks, today),
    global_types=("reporting.period", "ledger.plan"),
    alike=lambda marks: marks,  # a few hundred distinct sets of marks, each kept once
)


def plan_report_marks(plan: Plan) -> Mapping[int, frozenset[str]]:
    return REPORT_MARKS.values(plan.pk)


def _report_choices(plan: Plan) -> Choices:
    return tuple(
        (report_value(period.code, kind), report_kind_label(kind, period_label(period)))
        for period in opened_periods([plan.pk])
        for kind in REPORT_KINDS
    )


REPORT_FACET = TaskFacet(
    name="report",
    label=gettext_lazy("Reports per period"),
    any_label=gettext_lazy("All tasks"),
    choices=(),
    classify=_classify_reports,
    classify_plan=plan_report_marks,
    listed=False,
    plan_choices=_report_choices,
    pattern=r"\d{4}(?:Q[1-4]|Y)-(?:" + "|".join(REPORT_KINDS) + ")",
)

# --- open notices (督办/催办) -----------------------------------------------------------------


def overdue_value(value: str) -> str:
    return f"{value}-overdue"


def open_notices(tasks: QuerySet[Task]) -> QuerySet[Notice]:
    """The notices not closed on any of ``tasks`` (a period 催办 on any task it lists)."""
    ids = tasks.order_by().values("pk")
    listed = Notice.tasks.through.objects.filter(task_id__in=ids).values("notice_id")
    return Notice.objects.filter(Q(task__in=ids) | Q(pk__in=listed), state__in=OPEN_NOTICES)


def notice_overdue(state: str, reply_due: date, today: date) -> bool:
    return state in OPEN_STATES and reply_due < today


def notice_marks(tasks: QuerySet[Task], today: date | None = None) -> dict[int, frozenset[str]]:
    """``{task id: {"supervise", "supervise-overdue", …}}``: the levels of the open notices on
    each task (two queries)."""
    today = today or clock.today()
    seen = set(tasks.order_by().values_list("pk", flat=True))
    notices = {
        pk: (level, state, due, task_id)
        for pk, level, state, due, task_id in open_notices(tasks).values_list(
            "pk", "level", "state", "reply_due", "task_id"
        )
    }
    pairs = [(pk, task_id) for pk, (_l, _s, _d, task_id) in notices.items() if task_id]
    pairs += list(
        Notice.tasks.through.objects.filter(notice_id__in=list(notices)).values_list(
            "notice_id", "task_id"
        )
    )
    marks: dict[int, set[str]] = defaultdict(set)
    for notice_id, task_id in pairs:
        if task_id not in seen:
            continue
        level, state, due, _t = notices[notice_id]
        marks[task_id].add(level)
        if notice_overdue(state, due, today):
            marks[task_id].add(overdue_value(level))
    return {pk: frozenset(values) for pk, values in marks.items()}


def _classify_notices(tasks: QuerySet[Task], user: Any = None) -> Mapping[int, frozenset[str]]:
    return notice_marks(tasks)


NOTICE_FACET = TaskFacet(
    name="notice",
    label=gettext_lazy("Supervision notices"),
    any_label=gettext_lazy("All tasks"),
    choices=(
        (NoticeLevel.URGE.value, gettext_lazy("Open reminders (催办)")),
        (NoticeLevel.SUPERVISE.value, gettext_lazy("Open supervision notices (督办)")),
        (NoticeLevel.LISTED.value, gettext_lazy("Open listed supervision (挂牌督办)")),
        (overdue_value(NoticeLevel.URGE), gettext_lazy("Reminders (催办) with the reply overdue")),
        (
            overdue_value(NoticeLevel.SUPERVISE),
            gettext_lazy("Supervision notices (督办) with the reply overdue"),
        ),
        (
            overdue_value(NoticeLevel.LISTED),
            gettext_lazy("Listed supervision (挂牌督办) with the reply overdue"),
        ),
    ),
    classify=_classify_notices,
    listed=False,
)

# --- open rectification items ----------------------------------------------------------------


def open_items(tasks: QuerySet[Task], user: Any = None) -> QuerySet[RectificationItem]:
    """The rectification items not closed on ``tasks``: those ``user`` sees (all for None)."""
    items = (
        RectificationItem.objects.all()
        if user is None
        else RectificationItem.objects.restrict(user, Action.VIEW)
    )
    return items.filter(task__in=tasks.order_by().values("pk"), state__in=OPEN_ITEMS)


def item_marks(
    tasks: QuerySet[Task], user: Any = None, today: date | None = None
) -> dict[int, frozenset[str]]:
    """``{task id: {"open", "open-overdue", …}}``: the states of the open items on each task
    that ``user`` sees (one query)."""
    today = today or clock.today()
    marks: dict[int, set[str]] = defaultdict(set)
    for task_id, state, deadline in open_items(tasks, user).values_list(
        "task_id", "state", "deadline"
    ):
        marks[task_id].add(state)
        if deadline < today:
            marks[task_id].add(overdue_value(state))
    return {pk: frozenset(values) for pk, values in marks.items()}


RECTIFICATION_FACET = TaskFacet(
    name="rectification",
    label=gettext_lazy("Rectification items"),
    any_label=gettext_lazy("All tasks"),
    choices=(
        (ItemState.OPEN.value, gettext_lazy("Rectification items being fixed")),
        (ItemState.REPORTED.value, gettext_lazy("Rectification items reported")),
        (ItemState.RETURNED.value, gettext_lazy("Rectification items returned")),
        (ItemState.VERIFIED.value, gettext_lazy("Rectification items verified")),
        (overdue_value(ItemState.OPEN), gettext_lazy("Items being fixed, past their deadline")),
        (overdue_value(ItemState.REPORTED), gettext_lazy("Items reported, past their deadline")),
        (overdue_value(ItemState.RETURNED), gettext_lazy("Items returned, past their deadline")),
        (overdue_value(ItemState.VERIFIED), gettext_lazy("Items verified, past their deadline")),
    ),
    classify=item_marks,
    listed=False,
)

FACETS = (REPORT_FACET, NOTICE_FACET, RECTIFICATION_FACET)
