"""Pages of special inspections: the list, an inspection, its findings and rectification items."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from duban.accounts.permissions import Action, can, reads_ledger
from duban.core.files import send_stored_file
from duban.ledger.models import Plan, Task
from duban.reporting.evidence import EvidenceRejected, read_uploads

from . import access, services
from .forms import FindingForm, InspectionForm, ItemForm, ReportForm, VerifyForm
from .lights import DEFAULT_WARN_DAYS, Light, item_light
from .models import (
    Finding,
    Inspection,
    InspectionFile,
    ItemState,
    RectificationItem,
)


def warn_days() -> int:
    return int(getattr(settings, "DUBAN_INSPECTION_WARN_DAYS", DEFAULT_WARN_DAYS))


def light_of(item: RectificationItem) -> Light:
    return item_light(
        deadline=item.deadline,
        closed=item.state == ItemState.CLOSED,
        today=timezone.localdate(),
        warn_days=warn_days(),
    )


def with_lights(items: Any) -> list[RectificationItem]:
    rows = list(items)
    for item in rows:
        item.light = light_of(item)
    return rows


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context.setdefault("nav", "inspections")
    context.setdefault("max_upload_mb", settings.DUBAN_MAX_UPLOAD_BYTES // 2**20)
    return render(request, f"inspections/{template}", context, status=status)


def _require_office(request: HttpRequest) -> None:
    if not access.manages(request.user):
        raise PermissionDenied


def _require_reader(request: HttpRequest) -> None:
    """The business roles read inspections (each what the rule lets it); 三权分立 gets 403."""
    if not reads_ledger(request.user):
        raise PermissionDenied


def _plan(request: HttpRequest) -> Plan:
    wanted = request.GET.get("plan") or request.POST.get("plan")
    plans = Plan.objects.all()
    plan = plans.filter(pk=int(wanted)).first() if wanted and wanted.isdigit() else plans.first()
    if plan is None:
        raise Http404(_("There is no plan yet: import a notice first."))
    return plan


# --- inspections -------------------------------------------------------------------------------


@require_GET
def inspection_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    user = request.user
    inspections = access.visible_inspections(user).select_related("plan")
    items = access.visible_items(user).select_related("unit", "task", "finding__inspection")
    state = request.GET.get("state", "")
    if state in ItemState.values:
        items = items.filter(state=state)
    context = {
        "inspections": list(inspections),
        "items": with_lights(items),
        "manage": access.manages(user),
        "states": ItemState.choices,
        "state": state,
        "warn_days": warn_days(),
    }
    return _page(request, "list.html", context)


def _inspection_form(request: HttpRequest, plan: Plan, **kwargs: Any) -> InspectionForm:
    data = request.POST if request.method == "POST" else None
    return InspectionForm(data, tasks=plan.tasks.order_by("position"), **kwargs)


@require_http_methods(["GET", "POST"])
def inspection_new(request: HttpRequest) -> HttpResponse:
    _require_office(request)
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
def inspection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_office(request)
    inspection = get_object_or_404(Inspection.objects.select_related("plan"), pk=pk)
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
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_object_or_404(Inspection.objects.select_related("plan"), pk=pk)
    user = request.user
    if not access.visible_inspections(user).filter(pk=inspection.pk).exists():
        raise PermissionDenied
    items: QuerySet[RectificationItem] = access.visible_items(user).select_related("unit")
    findings = (
        access.visible_findings(user, inspection.findings.all())
        .select_related("task")
        .prefetch_related("files", Prefetch("items", queryset=items, to_attr="shown_items"))
    )
    rows = list(findings)
    for finding in rows:
        with_lights(finding.shown_items)
    own_items = with_lights(
        access.visible_items(user)
        .filter(finding__inspection=inspection)
        .exclude(finding__in=[f.pk for f in rows])
        .select_related("unit", "task")
    )
    context = {
        "inspection": inspection,
        "tasks": list(inspection.tasks.order_by("position")),
        "findings": rows,
        "other_items": own_items,
        "manage": access.manages(user),
    }
    return _page(request, "inspection.html", context)


# --- findings and items -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def finding_new(request: HttpRequest, pk: int) -> HttpResponse:
    _require_office(request)
    inspection = get_object_or_404(Inspection, pk=pk)
    tasks = inspection.tasks.order_by("position")
    initial: dict[str, Any] = {"found_on": timezone.localdate()}
    wanted = request.GET.get("task")
    if wanted and wanted.isdigit():
        initial["task"] = tasks.filter(pk=int(wanted)).first()
    form = FindingForm(request.POST or None, request.FILES or None, tasks=tasks, initial=initial)
    context = {"form": form, "inspection": inspection}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            files = read_uploads(data["attachments"])
            finding = services.record_finding(
                inspection=inspection,
                task=data["task"],
                text=data["text"],
                severity=data["severity"],
                found_on=data["found_on"],
                files=files,
                user=request.user,
            )
        except EvidenceRejected as exc:
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
def item_new(request: HttpRequest, pk: int) -> HttpResponse:
    _require_office(request)
    finding = get_object_or_404(Finding.objects.select_related("task", "inspection"), pk=pk)
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


def _item(request: HttpRequest, pk: int) -> RectificationItem:
    item = get_object_or_404(
        RectificationItem.objects.select_related(
            "task", "unit", "finding__inspection", "reported_by", "verified_by", "closed_by"
        ),
        pk=pk,
    )
    if not access.may_see_item(request.user, item):
        raise PermissionDenied
    return item


def _item_page(
    request: HttpRequest,
    item: RectificationItem,
    *,
    report_form: ReportForm | None = None,
    verify_form: VerifyForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    owner = access.owns(user, item) and item.state in (ItemState.OPEN, ItemState.REJECTED)
    reviewer = access.reviews(user, item.task)
    context = {
        "item": item,
        "light": light_of(item),
        "finding": item.finding,
        "inspection": item.finding.inspection,
        "finding_files": list(item.finding.files.all())
        if can(user, Action.VIEW, item.task) or access.manages(user)
        else [],
        "files": list(item.files.all()),
        "report_form": (report_form or ReportForm()) if owner else None,
        "verify_form": (verify_form or VerifyForm())
        if reviewer and item.state == ItemState.REPORTED
        else None,
        "closable": reviewer and item.state == ItemState.VERIFIED,
        "error": error,
        "warn_days": warn_days(),
    }
    return _page(request, "item.html", context, status=status)


@require_GET
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _item_page(request, _item(request, pk))


@require_POST
def item_report(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    if not access.owns(request.user, item):
        raise PermissionDenied
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _item_page(request, item, report_form=form, status=400)
    try:
        files = read_uploads(form.cleaned_data["attachments"])
        services.report_item(
            item=item, text=form.cleaned_data["text"], files=files, user=request.user
        )
    except EvidenceRejected as exc:
        form.add_error("attachments", str(exc))
        return _item_page(request, item, report_form=form, status=400)
    except services.InspectionError as exc:
        return _item_page(request, item, report_form=form, error=str(exc), status=409)
    messages.success(request, _("The rectification report is submitted to the office."))
    return redirect("inspections:item", item.pk)


@require_POST
def item_verify(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    if not access.reviews(request.user, item.task):
        raise PermissionDenied
    form = VerifyForm(request.POST)
    if not form.is_valid():
        return _item_page(request, item, verify_form=form, status=400)
    accept = request.POST.get("decision") == "accept"
    try:
        services.verify_item(
            item=item, accept=accept, comment=form.cleaned_data["comment"], user=request.user
        )
    except services.InspectionError as exc:
        return _item_page(request, item, verify_form=form, error=str(exc), status=409)
    if accept:
        messages.success(request, _("The rectification is verified."))
    else:
        messages.success(request, _("The report is rejected and back with the unit."))
    return redirect("inspections:item", item.pk)


@require_POST
def item_close(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    if not access.reviews(request.user, item.task):
        raise PermissionDenied
    try:
        services.close_item(item=item, user=request.user)
    except services.InspectionError as exc:
        return _item_page(request, _item(request, pk), error=str(exc), status=409)
    messages.success(request, _("The item is closed (销号)."))
    return redirect("inspections:item", item.pk)


# --- files ----------------------------------------------------------------------------------------


@require_GET
def file_download(request: HttpRequest, pk: int) -> FileResponse:
    stored = get_object_or_404(
        InspectionFile.objects.select_related("finding__task", "item__task"), pk=pk
    )
    user = request.user
    if stored.item_id is not None:
        assert stored.item is not None
        allowed = access.may_see_item(user, stored.item)
        task: Task = stored.item.task
    else:
        assert stored.finding is not None
        task = stored.finding.task
        allowed = access.manages(user) or can(user, Action.DOWNLOAD, task)
    if not allowed:
        raise PermissionDenied
    return send_stored_file(stored, task_id=task.pk, fallback_stem="inspection-file")
