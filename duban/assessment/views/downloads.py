"""The assessment's downloads: the result table (.xlsx, and the GB/T 9704 document as .docx or
PDF) over the scores the person may see, and one unit's score sheet (.xlsx). Without the PDF
writer's system libraries the PDF answers, on the year's page, with what to install."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from duban.audit.signals import record_export
from duban.core.files import DOCX, PDF, XLSX, attachment_header
from duban.core.lazy import LazyModule
from duban.core.permissions import Action, can, requires
from duban.directory.models import Unit
from duban.exports import official_pdf
from duban.exports.pdf import PdfUnavailable

from ..models import ScoreItem, UnitScore
from ..services import exports, results
from .common import chosen_plan
from .year import year_url

if TYPE_CHECKING:
    from duban.exports import official_docx
else:
    # python-docx (and lxml): loaded for the first .docx downloaded (duban/core/lazy.py).
    official_docx = LazyModule("duban.exports.official_docx")

FORMATS = {"xlsx": XLSX, "docx": DOCX, "pdf": PDF}


def _response(content: bytes, content_type: str, filename: str, fallback: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = attachment_header(filename, fallback)
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@requires(Action.READ_LEDGER)
def results_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """考核结果 as .xlsx, .docx or .pdf: the lines the person may see (the office's from the
    first computation, everyone else's once publicity has opened)."""
    if fmt not in FORMATS:
        raise Http404(_("There is no such format."))
    plan, _plans = chosen_plan(request)
    assessment = results.visible_assessment(plan, request.user)
    if assessment is None:
        raise PermissionDenied(_("The result of this year is not public yet."))
    scores = results.scores_for(assessment, request.user)
    # The documents are Chinese whatever the page's language (as the 督办通知 are).
    with translation.override(settings.LANGUAGE_CODE):
        if fmt == "xlsx":
            content = exports.results_xlsx(assessment, scores)
        else:
            document = exports.results_document(assessment, scores, request.user)
            try:
                content = (
                    official_docx.write(document) if fmt == "docx" else official_pdf.write(document)
                )
            except PdfUnavailable as exc:
                messages.error(request, str(exc))
                return redirect(year_url(plan))
        filename = f"{plan.year}年度责任目标考核结果.{fmt}"
    filters = {"year": plan.year, "format": fmt}
    record_export(request, assessment, file=filename, rows=len(scores), filters=filters)
    return _response(content, FORMATS[fmt], filename, f"assessment-{plan.year}.{fmt}")


@require_GET
@requires(Action.READ_LEDGER)
def unit_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's score sheet: every item with its source (and a link to it)."""
    unit = get_object_or_404(Unit, pk=pk)
    plan, _plans = chosen_plan(request)
    found = UnitScore.objects.filter(assessment__plan=plan, unit=unit).first()
    if found is None:
        raise Http404(_("This unit has no score in this year."))
    if not can(request.user, Action.VIEW, found):
        raise PermissionDenied(_("You may not see this unit's score."))
    items = ScoreItem.objects.select_related("task").order_by("position", "pk")
    score = (
        UnitScore.objects.select_related("unit", "assessment__plan", "assessment__scheme")
        .prefetch_related(Prefetch("items", queryset=items))
        .get(pk=found.pk)
    )
    with translation.override(settings.LANGUAGE_CODE):
        content = exports.unit_sheet_xlsx(score, base_url=request.build_absolute_uri("/"))
    filename = f"{unit.name}{plan.year}年度责任目标考核得分明细.xlsx"
    filters = {"year": plan.year, "unit": unit.name}
    record_export(request, score.assessment, file=filename, filters=filters)
    return _response(content, XLSX, filename, f"assessment-{plan.year}-unit-{unit.pk}.xlsx")
