"""Pages of the quarterly circular (通报): the list, a new draft from the record (with the
suggested units to praise and criticise), the editable draft, the issue action and the .docx.
Office only (``Action.REVIEW``), except that an issued circular's page and document are open
to everyone who reads the ledger."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from duban.accounts.permissions import Action, can, reads_ledger
from duban.audit.models import AuditAction
from duban.audit.signals import record
from duban.core.files import attachment_header
from duban.directory.models import Unit
from duban.exports.official_docx import numbered, write
from duban.reporting.models import Period

from . import circulars
from .circular_forms import CircularForm, CircularNewForm, PeriodChoiceForm
from .circular_models import Circular, CircularState
from .circulars import CircularError

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context.setdefault("nav", "supervision")
    return render(request, f"supervision/circulars/{template}", context, status=status)


def _office(request: HttpRequest) -> None:
    if not can(request.user, Action.REVIEW):
        raise PermissionDenied


def _circular(request: HttpRequest, pk: int) -> Circular:
    found = get_object_or_404(Circular.objects.select_related("period__plan"), pk=pk)
    office = can(request.user, Action.REVIEW)
    if not office and not (found.state == CircularState.ISSUED and reads_ledger(request.user)):
        raise PermissionDenied
    return found


def _units() -> Any:
    return Unit.objects.filter(active=True).order_by("kind", "name")


@require_GET
def circular_list(request: HttpRequest) -> HttpResponse:
    if not reads_ledger(request.user):
        raise PermissionDenied
    office = can(request.user, Action.REVIEW)
    found = Circular.objects.select_related("period")
    if not office:
        found = found.filter(state=CircularState.ISSUED)
    return _page(
        request,
        "list.html",
        {"circulars": list(found), "office": office, "period_form": PeriodChoiceForm()},
    )


@require_http_methods(["GET", "POST"])
def circular_new(request: HttpRequest) -> HttpResponse:
    _office(request)
    period = get_object_or_404(
        Period.objects.select_related("plan"),
        pk=request.POST.get("period") or request.GET.get("period") or 0,
    )
    found = circulars.situation(period)
    initial = {
        "praised": [s.unit.pk for s in found.praise],
        "criticised": [s.unit.pk for s in found.criticise],
        "rectify_by": found.today + timedelta(days=circulars.RECTIFY_DAYS),
    }
    form = CircularNewForm(
        request.POST if request.method == "POST" else None,
        units=_units(),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        circular = circulars.create_draft(
            period=period,
            user=request.user,
            praised=list(form.cleaned_data["praised"]),
            criticised=list(form.cleaned_data["criticised"]),
            rectify_by=form.cleaned_data["rectify_by"],
        )
        messages.success(request, _("Draft circular created."))
        return redirect("supervision:circular", circular.pk)
    status = 400 if form.errors else 200
    return _page(
        request,
        "new.html",
        {"period": period, "found": found, "form": form, "title": circulars.default_title(period)},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def circular(request: HttpRequest, pk: int) -> HttpResponse:
    found = _circular(request, pk)
    office = can(request.user, Action.REVIEW)
    editable = office and found.state == CircularState.DRAFT
    form = None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        form = CircularForm(request.POST, units=_units())
        if form.is_valid():
            data = form.cleaned_data
            try:
                circulars.update_draft(
                    circular=found,
                    data=circulars.CircularInput(
                        title=data["title"],
                        recipients=data["recipients"],
                        cc=data["cc"],
                        body=data["body"],
                        praised=list(data["praised"]),
                        criticised=list(data["criticised"]),
                        rectify_by=data["rectify_by"],
                        regenerate=data["regenerate"],
                    ),
                    user=request.user,
                )
            except CircularError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Circular saved."))
                return redirect("supervision:circular", found.pk)
    elif editable:
        form = CircularForm(
            units=_units(),
            initial={
                "title": found.title,
                "recipients": found.recipients,
                "cc": found.cc,
                "body": circulars.paragraphs_as_text(found.paragraphs),
                "praised": [u.pk for u in found.praised_units.all()],
                "criticised": [u.pk for u in found.criticised_units.all()],
                "rectify_by": found.rectify_by,
            },
        )
    suggestions = circulars.situation(found.period) if editable else None
    context = {
        "circular": found,
        "form": form,
        "editable": editable,
        "office": office,
        "found": suggestions,
        "body": numbered(circulars.circular_document(found).paragraphs),
        "praised": list(found.praised_units.all()),
        "criticised": list(found.criticised_units.all()),
    }
    status = 400 if form is not None and form.errors else 200
    return _page(request, "detail.html", context, status=status)


@require_POST
def circular_issue(request: HttpRequest, pk: int) -> HttpResponse:
    _office(request)
    found = _circular(request, pk)
    try:
        issued = circulars.issue_circular(circular=found, user=request.user)
    except CircularError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Circular %(number)s issued.") % {"number": issued.doc_number})
    return redirect("supervision:circular", found.pk)


@require_POST
def circular_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _office(request)
    found = _circular(request, pk)
    try:
        circulars.delete_draft(circular=found, user=request.user)
    except CircularError as exc:
        messages.error(request, str(exc))
        return redirect("supervision:circular", found.pk)
    messages.success(request, _("Draft circular deleted."))
    return redirect("supervision:circulars")


@require_GET
def circular_document(request: HttpRequest, pk: int) -> HttpResponse:
    found = _circular(request, pk)
    content = write(circulars.circular_document(found))
    record(AuditAction.EXPORT, found, after={"file": "document.docx"})
    response = HttpResponse(content, content_type=DOCX)
    name = found.doc_number or f"{found.title}（草稿）"
    response["Content-Disposition"] = attachment_header(f"{name}.docx", f"circular-{found.pk}.docx")
    response["Cache-Control"] = "private, no-store"
    return response
