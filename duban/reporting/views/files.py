"""Files: evidence downloads (checked, audited), the Excel template and its import, the
period's 进展情况汇总表 (.xlsx, .docx, PDF)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from duban.audit.signals import record_export
from duban.core.files import attachment_header, serve
from duban.core.lazy import LazyModule
from duban.core.permissions import Action, actor, check, requires
from duban.directory.models import Unit
from duban.exports.pdf import PdfUnavailable
from duban.exports.progress_summary_model import ProgressSummary
from duban.ledger.downloads import XLSX

from ..forms.reports import ImportForm
from ..models import Evidence, Period, task_of
from ..services.periods import period_label
from ..services.report_import import ImportRejected, import_reports, unchanged_message
from ..services.report_template import report_template
from ..services.summary import progress_summary, summary_filename
from .common import page

if TYPE_CHECKING:
    from duban.exports import progress_summary as summary_writers
else:
    # openpyxl and python-docx: loaded for the first summary downloaded (duban/core/lazy.py).
    summary_writers = LazyModule("duban.exports.progress_summary")

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# The summary's formats: (writer, content type). The lambdas look the writer up when called,
# which is what keeps its module unimported until then.
SUMMARY_FORMATS: dict[str, tuple[Callable[[ProgressSummary], bytes], str]] = {
    "xlsx": (lambda summary: summary_writers.write_xlsx(summary), XLSX),
    "docx": (lambda summary: summary_writers.write_docx(summary), DOCX),
    "pdf": (lambda summary: summary_writers.write_pdf(summary), "application/pdf"),
}


@require_GET
@requires(Action.DOWNLOAD, Evidence)
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    evidence = Evidence.objects.select_related("report__task", "contribution__task").get(pk=pk)
    return serve(evidence, task_id=task_of(evidence), fallback_stem="evidence")


@require_GET
def report_template_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's template: the office's for any unit (``?unit=``), an operator's for the unit
    (report_template refuses anyone else)."""
    period = get_object_or_404(Period.objects.select_related("plan"), pk=pk)
    wanted = request.GET.get("unit") or actor(request.user).unit_id
    try:
        unit = Unit.objects.get(pk=int(wanted or 0))
    except (Unit.DoesNotExist, ValueError):
        raise Http404(_("There is no such unit.")) from None
    content, filename = report_template(period=period, unit=unit, user=request.user)
    filters = {"period": period.code, "unit": unit.name}
    record_export(request, period, file=filename, filters=filters)
    response = HttpResponse(content, content_type=XLSX)
    fallback = f"report-{period.code}-{unit.pk}.xlsx"
    response["Content-Disposition"] = attachment_header(filename, fallback)
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def report_import(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(Period.objects.select_related("plan"), pk=pk)
    if actor(request.user).unit_id is None:  # a unit imports its own, the office any unit's
        check(request.user, Action.MANAGE_LEDGER)
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"period": period, "form": form, "problems": [], "label": period_label(period)}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            done = import_reports(
                data=upload.read(),
                filename=upload.name,
                period=period,
                user=request.user,
                unit=None,
                submit=form.cleaned_data["submit"],
                confirm_warnings=form.cleaned_data["confirm_warnings"],
            )
        except ImportRejected as exc:
            context["problems"] = exc.problems
            return page(request, "import.html", context, status=400)
        written = [item.task.number for item in done if item.changed]
        same = [item.task.number for item in done if not item.changed]
        if written:
            message = _("Imported the reports of %(count)s tasks (%(numbers)s).")
            messages.success(
                request, message % {"count": len(written), "numbers": "、".join(written)}
            )
        if same:
            messages.info(request, unchanged_message(same))
        if not done:
            messages.warning(request, _("The workbook has no filled-in row: nothing was imported."))
        return redirect(reverse("reporting:period_reports", args=[period.pk]))
    status = 400 if form.errors else 200
    return page(request, "import.html", context, status=status)


@require_GET
@requires(Action.VIEW, Period)
def period_summary(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The period's 进展情况汇总表 over the tasks the user may see, as .xlsx, .docx or PDF.
    Without the PDF writer's system libraries the PDF answers with what to install."""
    if fmt not in SUMMARY_FORMATS:
        raise Http404(_("There is no such format."))
    period = Period.objects.select_related("plan").get(pk=pk)
    writer, content_type = SUMMARY_FORMATS[fmt]
    summary = progress_summary(period, request.user)
    try:
        content = writer(summary)
    except PdfUnavailable as exc:
        messages.error(request, str(exc))
        return redirect(reverse("reporting:period_reports", args=[period.pk]))
    filename = summary_filename(period, fmt)
    filters = {"period": period.code, "format": fmt}
    record_export(request, period, file=filename, rows=len(summary.rows), filters=filters)
    response = HttpResponse(content, content_type=content_type)
    fallback = f"summary-{period.code}.{fmt}"
    response["Content-Disposition"] = attachment_header(filename, fallback)
    response["Cache-Control"] = "private, no-store"
    return response
