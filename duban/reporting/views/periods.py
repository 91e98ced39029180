"""The office's periods page (create the standard set, edit dates, open, close) and the list
of a period's reports that every user sees for the tasks he or she may see."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from duban.core.permissions import Action, actor, can, requires
from duban.directory.models import Unit
from duban.ledger.models import AssignmentRole, Plan, Task
from duban.ledger.queries import choose_plan

from ..forms.reports import PeriodForm, StandardPeriodsForm
from ..models import Period, Report, ReviewState
from ..services import periods as services
from ..services.report_template import lead_tasks
from .common import page


@require_GET
@requires(Action.MANAGE_LEDGER)
def periods(request: HttpRequest) -> HttpResponse:
    plan, plans = choose_plan(request.GET.get("plan"))
    if plan is None and plans:
        raise Http404(_("There is no such plan."))
    rows = []
    if plan is not None:
        counts = {
            f"{state}_count": Count("reports", filter=Q(reports__state=state))
            for state in ReviewState.values
        }
        rows = list(Period.objects.filter(plan=plan).annotate(**counts).order_by("due_on", "code"))
    context = {
        "plan": plan,
        "plans": plans,
        "periods": [(period, services.period_label(period)) for period in rows],
        "form": StandardPeriodsForm(),
        "missing": plan is not None and len(rows) < len(services.standard_periods(plan.year)),
        "nav": "periods",
    }
    return page(request, "periods.html", context)


@require_POST
@requires(Action.MANAGE_LEDGER)
def periods_create(request: HttpRequest) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=request.POST.get("plan") or 0)
    form = StandardPeriodsForm(request.POST)
    if form.is_valid():
        due = form.cleaned_data["year_end_due"]
        if due is not None and due.year not in (plan.year, plan.year + 1):
            messages.error(request, _("The year-end report is due in the plan's year or the next."))
        else:
            services.create_standard_periods(plan=plan, user=request.user, year_end_due=due)
            messages.success(
                request, _("The reporting periods of %(year)s are set.") % {"year": plan.year}
            )
    else:
        messages.error(request, _("Enter a valid date."))
    return redirect(f"{_periods_url()}?plan={plan.pk}")


def _periods_url() -> str:
    return reverse("reporting:periods")


@require_http_methods(["GET", "POST"])
@requires(Action.CHANGE, Period)
def period_edit(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(Period.objects.select_related("plan"), pk=pk)
    form = PeriodForm(
        request.POST or None, initial={"opens_on": period.opens_on, "due_on": period.due_on}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_period(period=period, user=request.user, **form.cleaned_data)
        except services.PeriodError as exc:
            form.add_error(None, str(exc))
        else:
            label = services.period_label(period)
            messages.success(request, _("Period %(code)s is saved.") % {"code": label})
            return redirect(f"{_periods_url()}?plan={period.plan_id}")
    status = 400 if form.errors else 200
    return page(request, "period_form.html", {"period": period, "form": form}, status=status)


def _change_state(request: HttpRequest, pk: int, opening: bool) -> HttpResponse:
    period = get_object_or_404(Period, pk=pk)
    change = services.open_period if opening else services.close_period
    try:
        change(period=period, user=request.user)
    except services.PeriodError as exc:
        messages.error(request, str(exc))
    else:
        done = _("Period %(code)s is open.") if opening else _("Period %(code)s is closed.")
        messages.success(request, done % {"code": services.period_label(period)})
    return redirect(f"{_periods_url()}?plan={period.plan_id}")


@require_POST
@requires(Action.CHANGE, Period)
def period_open(request: HttpRequest, pk: int) -> HttpResponse:
    return _change_state(request, pk, opening=True)


@require_POST
@requires(Action.CHANGE, Period)
def period_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _change_state(request, pk, opening=False)


@require_GET
@requires(Action.VIEW, Period)
def period_reports(request: HttpRequest, pk: int) -> HttpResponse:
    """The reports of a period on the tasks the user may see, with the Excel round trip."""
    period = Period.objects.select_related("plan").get(pk=pk)
    tasks = list(
        Task.objects.restrict(request.user).filter(plan=period.plan_id).order_by("position")
    )
    reports = {r.task_id: r for r in Report.objects.restrict(request.user).filter(period=period)}
    office = can(request.user, Action.MANAGE_LEDGER)
    own_unit = actor(request.user).unit_id
    template_units: list[Unit] = []
    if office:
        template_units = list(
            Unit.objects.filter(
                assignments__task__plan=period.plan, assignments__role=AssignmentRole.LEAD
            )
            .distinct()
            .order_by("name")
        )
    elif own_unit is not None:
        unit = Unit.objects.get(pk=own_unit)
        if lead_tasks(period.plan, unit):
            template_units = [unit]
    context = {
        "period": period,
        "rows": [(task, reports.get(task.pk)) for task in tasks],
        "template_units": template_units,
        "office": office,
    }
    return page(request, "period_reports.html", context)
