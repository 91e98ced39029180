"""Files the ledger hands out: the filtered ledger as Excel, a plan's original notice.

Both are attachments with Chinese names; browsers on government PCs (360, QQ, Edge) read the
RFC 5987 ``filename*``, and the plain ``filename`` is an ASCII fallback for anything older.

The export holds only the tasks the user may see; the notice goes to whoever sees at least one
of its tasks (403 otherwise). Each export and download leaves an event in the audit trail.
"""

from __future__ import annotations

import mimetypes
import re
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from duban.audit.models import AuditAction
from duban.audit.signals import record, record_export
from duban.core.files import attachment_header
from duban.core.lazy import LazyModule
from duban.core.permissions import Action, requires
from duban.directory.models import Leader

from .models import Plan, Task
from .queries import Directory, TaskFilter, filter_tasks, parse_sort, sort_tasks
from .rows import annotate_rows, list_rows
from .views import requested_plan

if TYPE_CHECKING:
    from duban.exports import ledger_xlsx
else:
    # openpyxl: loaded for the first export, not by every process that serves the ledger
    # (duban/core/lazy.py).
    ledger_xlsx = LazyModule("duban.exports.ledger_xlsx")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._-]+")


def _ascii_fallback(name: str, stem: str) -> str:
    """The original name if it is plain ASCII, else ``stem`` with the original extension."""
    path = PurePath(name)
    if name.isascii() and _UNSAFE_ASCII.sub("", path.stem):
        return name
    suffix = path.suffix if path.suffix.isascii() else ""
    return f"{stem}{suffix}"


@require_GET
@requires(Action.READ_LEDGER)
def export(request: HttpRequest) -> HttpResponse:
    """The list page's current tasks — same filters, same order, all pages — as .xlsx."""
    plan, _plans = requested_plan(request)
    if plan is None:
        raise Http404(_("There is no plan to export yet."))
    directory = Directory.kept()
    task_filter = TaskFilter.from_params(request.GET).restricted(
        plan.areas.values_list("pk", flat=True),
        Leader.objects.values_list("pk", flat=True),
        directory.units,
    )
    key, descending = parse_sort(request.GET.get("sort"))
    found = filter_tasks(
        plan, task_filter, directory, Task.objects.restrict(request.user), user=request.user
    )
    # The rows as the list reads them (``list_rows``: one query however many tasks); the
    # annotators add each task's light and latest report (duban.lights, duban.reporting).
    listed = list_rows(sort_tasks(found, key, descending), directory)
    rows = [row.export_cells() for row in annotate_rows(listed)]
    content = ledger_xlsx.build_ledger_xlsx(
        plan.title,
        rows,
        headers={column.key: _(column.header) for column in ledger_xlsx.COLUMNS},
        sheet_name=_("Ledger"),
    )
    filename = _("%(year)s key-task ledger") % {"year": plan.year} + ".xlsx"
    # The filters as the list page's query names them (q, unit, status, sort…).
    record_export(request, plan, file=filename, rows=len(rows), query=request.GET.urlencode())
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = attachment_header(filename, f"ledger-{plan.year}.xlsx")
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@requires(Action.DOWNLOAD, Plan)
def plan_source(request: HttpRequest, pk: int) -> FileResponse:
    """The notice exactly as it was uploaded, under the name it was uploaded with."""
    plan = get_object_or_404(Plan, pk=pk)
    if not plan.source_file:
        raise Http404(_("The original file of this plan was not kept."))
    try:
        handle = plan.source_file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The original file of this plan was not kept.")) from None
    name = plan.source_name or PurePath(plan.source_file.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    record(AuditAction.DOWNLOAD, plan, after={"file": name})
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = attachment_header(
        name, _ascii_fallback(name, f"plan-{plan.pk}")
    )
    response["Cache-Control"] = "private, no-store"
    return response
