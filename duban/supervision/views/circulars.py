"""Pages of the quarterly circular (通报): the list, a new draft from the record (with the
suggested units to praise and criticise), the editable draft, the issue action, .docx and PDF.
The office's (``CircularQuerySet``: it starts, changes and issues drafts), except that an issued
circular's page and document are open to everyone who reads the ledger."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from duban.audit.signals import record_export
from duban.core.files import attachment_header
from duban.core.lazy import LazyModule
from duban.core.permissions import Action, can, check, requires
from duban.directory.models import Unit
from duban.exports import official_pdf
from duban.exports.official import numbered
from duban.exports.pdf import PdfUnavailable
from duban.reporting.models import Period

from ..forms import CircularForm, CircularNewForm, PeriodChoiceForm
from ..models import Circular
from ..services import circulars
from ..services.circulars import CircularError

if TYPE_CHECKING:
    from duban.exports import official_docx
else:
    # python-docx (and lxml): loaded for the first .docx downloaded (duban/core/lazy.py).
    official_docx = LazyModule("duban.exports.official_docx")

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context.setdefault("nav", "supervision")
    return render(request, f"supervision/circulars/{template}", context, status=status)


def _circular(pk: int) -> Circular:
    """The circular ``@requires`` has found and allowed, with its period."""
    return Circular.objects.select_related("period__plan").get(pk=pk)


def _units() -> Any:
    return Unit.objects.filter(active=True).order_by("kind", "name")


@require_GET
@requires(Action.READ_LEDGER)
def circular_list(request: HttpRequest) -> HttpResponse:
    office = can(request.user, Action.MANAGE_LEDGER)
    found = Circular.objects.restrict(request.user, Action.VIEW).select_related("period")
    return _page(
        request,
        "list.html",
        {"circulars": list(found), "office": office, "period_form": PeriodChoiceForm()},
    )


@require_http_methods(["GET", "POST"])
@requires(Action.MANAGE_LEDGER)
def circular_new(request: HttpRequest) -> HttpResponse:
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
@requires(Action.VIEW, Circular)
def circular(request: HttpRequest, pk: int) -> HttpResponse:
    found = _circular(pk)
    editable = can(request.user, Action.CHANGE, found)  # a draft: an issued one is read-only
    form = None
    if request.method == "POST":
        check(request.user, Action.CHANGE, found)
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
        "found": suggestions,
        "body": numbered(circulars.circular_document(found).paragraphs),
        "praised": list(found.praised_units.all()),
        "criticised": list(found.criticised_units.all()),
    }
    status = 400 if form is not None and form.errors else 200
    return _page(request, "detail.html", context, status=status)


@require_POST
@requires(Action.CHANGE, Circular)
def circular_issue(request: HttpRequest, pk: int) -> HttpResponse:
    found = _circular(pk)
    try:
        issued = circulars.issue_circular(circular=found, user=request.user)
    except CircularError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Circular %(number)s issued.") % {"number": issued.doc_number})
    return redirect("supervision:circular", found.pk)


@require_POST
@requires(Action.CHANGE, Circular)
def circular_delete(request: HttpRequest, pk: int) -> HttpResponse:
    found = _circular(pk)
    try:
        circulars.delete_draft(circular=found, user=request.user)
    except CircularError as exc:
        messages.error(request, str(exc))
        return redirect("supervision:circular", found.pk)
    messages.success(request, _("Draft circular deleted."))
    return redirect("supervision:circulars")


@require_GET
@requires(Action.VIEW, Circular)
def circular_document(request: HttpRequest, pk: int) -> HttpResponse:
    found = _circular(pk)
    content = official_docx.write(circulars.circular_document(found))
    record_export(request, found, file="document.docx", filters={"format": "docx"})
    response = HttpResponse(content, content_type=DOCX)
    name = found.doc_number or f"{found.title}（草稿）"
    response["Content-Disposition"] = attachment_header(f"{name}.docx", f"circular-{found.pk}.docx")
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@requires(Action.VIEW, Circular)
def circular_document_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The circular as PDF in the GB/T 9704 layout; without the PDF writer's system libraries,
    back to the circular with what to install."""
    found = _circular(pk)
    try:
        content = official_pdf.write(circulars.circular_document(found))
    except PdfUnavailable as exc:
        messages.error(request, str(exc))
        return redirect("supervision:circular", found.pk)
    record_export(request, found, file="document.pdf", filters={"format": "pdf"})
    response = HttpResponse(content, content_type="application/pdf")
    name = found.doc_number or f"{found.title}（草稿）"
    response["Content-Disposition"] = attachment_header(f"{name}.pdf", f"circular-{found.pk}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response
