"""Pages of special inspections: the list, an inspection, its findings and rectification items.

404 for what does not exist, 403 for what the user may not see or do: the models' rules decide
(``duban.inspections.models``, asked through ``@requires``, ``restrict`` and ``can``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from duban.core import clock
from duban.core.files import UploadRejected, check_uploads, serve
from duban.core.permissions import Action, can, requires
from duban.ledger.models import Plan, Task
from duban.lights.services import current_rules

from . import services
from .forms import FindingForm, InspectionForm, ItemForm, ReportForm, ReturnForm, VerifyForm
from .lights import Light, item_light
from .models import (
    Finding,
    Inspection,
    InspectionFile,
    ItemState,
    RectificationItem,
)


def warn_days() -> int:
    """Yellow this many days before a deadline: the traffic lights' threshold, one for all."""
    return current_rules().days_before_yellow


def light_of(item: RectificationItem, days: int | None = None) -> Light:
    return item_light(
        deadline=item.deadline,
        closed=item.state == ItemState.CLOSED,
        today=clock.today(),
        warn_days=warn_days() if days is None else days,
    )


def with_lights(items: Any) -> list[RectificationItem]:
    rows = list(items)
    days = warn_days()  # read once for the whole list
    for item in rows:
        item.light = light_of(item, days)
    return rows


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context.setdefault("nav", "inspections")
    context.setdefault("max_upload_mb", settings.DUBAN_MAX_UPLOAD_BYTES // 2**20)
    return render(request, f"inspections/{template}", context, status=status)


def _plan(request: HttpRequest) -> Plan:
    wanted = request.GET.get("plan") or request.POST.get("plan")
    plans = Plan.objects.all()
    plan = plans.filter(pk=int(wanted)).first() if wanted and wanted.isdigit() else plans.first()
    if plan is None:
        raise Http404(_("There is no plan yet: import a notice first."))
    return plan


# --- inspections -------------------------------------------------------------------------------


@require_GET
@requires(Action.READ_LEDGER)  # each business role what the rules let it; 三权分立 gets 403
def inspection_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    inspections = Inspection.objects.restrict(user, Action.VIEW).select_related("plan")
    items = RectificationItem.objects.restrict(user, Action.VIEW).select_related(
        "unit", "task", "finding__inspection"
    )
    state = request.GET.get("state", "")
    if state in ItemState.values:
        items = items.filter(state=state)
    # the items returned to the user's unit, to report again (the reason is in the list too)
    returned = RectificationItem.objects.restrict(user, Action.REPLY).filter(
        state=ItemState.RETURNED
    )
    context = {
        "inspections": list(inspections),
        "items": with_lights(items),
        "returned_count": returned.count(),
        "manage": can(user, Action.MANAGE_LEDGER),
        "states": ItemState.choices,
        "state": state,
        "warn_days": warn_days(),
    }
    return _page(request, "list.html", context)


def _inspection_form(request: HttpRequest, plan: Plan, **kwargs: Any) -> InspectionForm:
    data = request.POST if request.method == "POST" else None
    return InspectionForm(data, tasks=plan.tasks.order_by("position"), **kwargs)


@require_http_methods(["GET", "POST"])
@requires(Action.MANAGE_LEDGER)
def inspection_new(request: HttpRequest) -> HttpResponse:
    plan = _plan(request)
    form = _inspection_form(request, plan)
    context = {"form": form, "plan": plan, "plans": Plan.objects.all()}
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.create_inspection(
                plan=plan, user=request.user, **_inspection_fields(form.cleaned_data)
            )
        except services.InspectionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The inspection is planned."))
            return redirect("inspections:detail", inspection.pk)
    status = 400 if request.method == "POST" else 200
    return _page(request, "inspection_form.html", context, status=status)


def _inspection_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The inspection form's fields as the create and update services take them."""
    fields = {name: data[name] for name in ("topic", "team", "starts_on", "ends_on", "state")}
    return {**fields, "tasks": list(data["tasks"])}


@require_http_methods(["GET", "POST"])
@requires(Action.CHANGE, Inspection)
def inspection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = Inspection.objects.select_related("plan").get(pk=pk)
    initial = {
        "topic": inspection.topic,
        "tasks": list(inspection.tasks.all()),
        "team": inspection.team,
        "starts_on": inspection.starts_on,
        "ends_on": inspection.ends_on,
        "state": inspection.state,
    }
    form = _inspection_form(request, inspection.plan, initial=initial)
    context = {"form": form, "plan": inspection.plan, "inspection": inspection}
    if request.method == "POST" and form.is_valid():
        try:
            services.update_inspection(
                inspection=inspection, user=request.user, **_inspection_fields(form.cleaned_data)
            )
        except services.InspectionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The inspection is saved."))
            return redirect("inspections:detail", inspection.pk)
    status = 400 if request.method == "POST" else 200
    return _page(request, "inspection_form.html", context, status=status)


@require_GET
@requires(Action.VIEW, Inspection)
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = Inspection.objects.select_related("plan").get(pk=pk)
    user = request.user
    items: QuerySet[RectificationItem] = RectificationItem.objects.restrict(
        user, Action.VIEW
    ).select_related("unit")
    files = InspectionFile.objects.restrict(user, Action.VIEW)
    findings = (
        Finding.objects.restrict(user, Action.VIEW)
        .filter(inspection=inspection)
        .select_related("task")
        .prefetch_related(
            Prefetch("files", queryset=files),
            Prefetch("items", queryset=items, to_attr="shown_items"),
        )
    )
    rows = list(findings)
    for finding in rows:
        with_lights(finding.shown_items)
    own_items = with_lights(
        RectificationItem.objects.restrict(user, Action.VIEW)
        .filter(finding__inspection=inspection)
        .exclude(finding__in=[f.pk for f in rows])
        .select_related("unit", "task")
    )
    context = {
        "inspection": inspection,
        "tasks": list(inspection.tasks.order_by("position")),
        "findings": rows,
        "other_items": own_items,
        "manage": can(user, Action.CHANGE, inspection),
    }
    return _page(request, "inspection.html", context)


# --- findings and items -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@requires(Action.CHANGE, Inspection)
def finding_new(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = Inspection.objects.get(pk=pk)
    tasks = inspection.tasks.order_by("position")
    initial: dict[str, Any] = {"found_on": clock.today()}
    wanted = request.GET.get("task")
    if wanted and wanted.isdigit():
        initial["task"] = tasks.filter(pk=int(wanted)).first()
    form = FindingForm(request.POST or None, request.FILES or None, tasks=tasks, initial=initial)
    context = {"form": form, "inspection": inspection}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            files = check_uploads(data["attachments"])
            finding = services.record_finding(
                inspection=inspection,
                task=data["task"],
                text=data["text"],
                severity=data["severity"],
                found_on=data["found_on"],
                files=files,
                falsified=data["falsified"],
                user=request.user,
            )
        except UploadRejected as exc:
            form.add_error("attachments", str(exc))
        except services.InspectionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The finding is recorded."))
            url = reverse("inspections:detail", args=[inspection.pk])
            return redirect(f"{url}#finding-{finding.pk}")
    status = 400 if request.method == "POST" else 200
    return _page(request, "finding_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@requires(Action.CHANGE, Finding)
def item_new(request: HttpRequest, pk: int) -> HttpResponse:
    finding = Finding.objects.select_related("task", "inspection").get(pk=pk)
    form = ItemForm(request.POST or None, initial={"unit": services.lead_unit(finding.task)})
    context = {"form": form, "finding": finding, "inspection": finding.inspection}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.raise_item(
                finding=finding,
                text=data["text"],
                unit=data["unit"],
                deadline=data["deadline"],
                user=request.user,
            )
        except services.InspectionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The rectification item is raised."))
            return redirect("inspections:item", item.pk)
    status = 400 if request.method == "POST" else 200
    return _page(request, "item_form.html", context, status=status)


def _item(pk: int) -> RectificationItem:
    """The item ``@requires`` has found and allowed, with what its page shows."""
    return RectificationItem.objects.select_related(
        "task",
        "unit",
        "finding__inspection",
        "reported_by",
        "verified_by",
        "closed_by",
        "returned_by",
    ).get(pk=pk)


def _item_page(
    request: HttpRequest,
    item: RectificationItem,
    *,
    report_form: ReportForm | None = None,
    verify_form: VerifyForm | None = None,
    return_form: ReturnForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    owner = can(user, Action.REPLY, item) and item.state in (ItemState.OPEN, ItemState.RETURNED)
    reviewer = can(user, Action.REVIEW, item)
    files = InspectionFile.objects.restrict(user, Action.VIEW)
    context = {
        "item": item,
        "light": light_of(item),
        "finding": item.finding,
        "inspection": item.finding.inspection,
        # the finding's photos with the finding: not for a unit that sees only its item
        "finding_files": list(files.filter(finding=item.finding_id)),
        "files": list(files.filter(item=item)),
        "report_form": (report_form or ReportForm()) if owner else None,
        "verify_form": (verify_form or VerifyForm())
        if reviewer and item.state == ItemState.REPORTED
        else None,
        # a reported item is verified or returned; a verified one closed or (say, with no
        # evidence to close on) returned: never a dead end
        "return_form": (return_form or ReturnForm())
        if reviewer and item.state in (ItemState.REPORTED, ItemState.VERIFIED)
        else None,
        "closable": reviewer and item.state == ItemState.VERIFIED,
        "error": error,
        "warn_days": warn_days(),
    }
    return _page(request, "item.html", context, status=status)


@require_GET
@requires(Action.VIEW, RectificationItem)
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _item_page(request, _item(pk))


@require_POST
@requires(Action.REPLY, RectificationItem)
def item_report(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(pk)
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _item_page(request, item, report_form=form, status=400)
    try:
        files = check_uploads(form.cleaned_data["attachments"])
        services.report_item(
            item=item, text=form.cleaned_data["text"], files=files, user=request.user
        )
    except UploadRejected as exc:
        form.add_error("attachments", str(exc))
        return _item_page(request, item, report_form=form, status=400)
    except services.InspectionError as exc:
        return _item_page(request, item, report_form=form, error=str(exc), status=409)
    messages.success(request, _("The rectification report is submitted to the office."))
    return redirect("inspections:item", item.pk)


@require_POST
@requires(Action.REVIEW, RectificationItem)
def item_verify(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(pk)
    form = VerifyForm(request.POST)
    if not form.is_valid():
        return _item_page(request, item, verify_form=form, status=400)
    try:
        services.verify_item(item=item, comment=form.cleaned_data["comment"], user=request.user)
    except services.InspectionError as exc:
        return _item_page(request, item, verify_form=form, error=str(exc), status=409)
    messages.success(request, _("The rectification is verified."))
    return redirect("inspections:item", item.pk)


@require_POST
@requires(Action.REVIEW, RectificationItem)
def item_return(request: HttpRequest, pk: int) -> HttpResponse:
    """退回整改: back to the owner unit with the reason; the unit reports again."""
    item = _item(pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _item_page(request, item, return_form=form, status=400)
    try:
        services.return_item(item=item, reason=form.cleaned_data["reason"], user=request.user)
    except services.InspectionError as exc:
        return _item_page(request, item, return_form=form, error=str(exc), status=409)
    messages.success(request, _("The report is returned to the unit with the reason."))
    return redirect("inspections:item", item.pk)


@require_POST
@requires(Action.REVIEW, RectificationItem)
def item_close(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(pk)
    try:
        services.close_item(item=item, user=request.user)
    except services.InspectionError as exc:
        return _item_page(request, _item(pk), error=str(exc), status=409)
    messages.success(request, _("The item is closed (销号)."))
    return redirect("inspections:item", item.pk)


# --- files ----------------------------------------------------------------------------------------


@require_GET
@requires(Action.DOWNLOAD, InspectionFile)
def file_download(request: HttpRequest, pk: int) -> FileResponse:
    stored = InspectionFile.objects.select_related("finding__task", "item__task").get(pk=pk)
    owner = stored.item if stored.item_id is not None else stored.finding
    assert owner is not None
    task: Task = owner.task
    return serve(stored, task_id=task.pk, fallback_stem="inspection-file")
