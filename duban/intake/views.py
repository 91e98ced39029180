"""Import pages: upload a notice, check and fix the preview, commit or abandon it.

Views only check permission, validate, call ``duban.intake.services`` and render; the
preview is re-rendered as a fragment after each htmx change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from duban.audit.signals import record_export
from duban.core.files import attachment_header
from duban.core.permissions import Action, requires
from duban.directory.models import Group, UnitKind
from duban.ledger.downloads import XLSX

from . import services, staging
from .errors import IntakeError
from .forms import UploadForm
from .template import template_name, write_template

View = Callable[..., HttpResponse]


# Importing notices is managing the ledger (the office).
office_only = requires(Action.MANAGE_LEDGER)


def _staged(request: HttpRequest, token: str) -> staging.StagedImport:
    try:
        return staging.load(token, request.user.pk)
    except staging.StagedImportMissing as exc:
        raise Http404(_("This import no longer exists; upload the notice again.")) from exc


@office_only
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    unreadable = False  # no tasks found: the page points to the Excel ledger template
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            staged = services.stage_upload(
                data=upload_file.read(),
                filename=upload_file.name,
                user=request.user,  # type: ignore[arg-type]  # office_only: signed in
            )
        except IntakeError as exc:
            form.add_error("file", exc.render(_))
            unreadable = exc.code == "no_tasks"
        else:
            return redirect("intake:preview", token=staged.token)
    context = {"form": form, "nav": "imports", "unreadable": unreadable}
    return render(request, "intake/upload.html", context)


@office_only
@require_GET
def ledger_template(request: HttpRequest) -> HttpResponse:
    """The blank Excel ledger template, for a notice no parser reads (duban.intake.template)."""
    filename = template_name(_)
    record_export(request, None, file=filename)  # as every template and export handed out
    response = HttpResponse(write_template(_), content_type=XLSX)
    response["Content-Disposition"] = attachment_header(filename, "ledger-template.xlsx")
    response["Cache-Control"] = "private, no-store"
    return response


def _preview_context(staged: staging.StagedImport, **extra: Any) -> dict[str, Any]:
    preview = services.build_preview(staged)
    return {
        "preview": preview,
        "tasks": list(enumerate(preview.parsed.tasks)),
        "areas": {a["number"]: a["title"] for a in preview.parsed.areas},
        "groups": Group.objects.all(),
        "kinds": UnitKind.choices,
        "nav": "imports",
        **extra,
    }


def _render_preview(
    request: HttpRequest, staged: staging.StagedImport, **extra: Any
) -> HttpResponse:
    template = (
        "intake/_preview.html" if request.headers.get("HX-Request") else "intake/preview.html"
    )
    return render(request, template, _preview_context(staged, **extra))


@office_only
def preview(request: HttpRequest, token: str) -> HttpResponse:
    return _render_preview(request, _staged(request, token))


@office_only
@require_POST
def choose(request: HttpRequest, token: str) -> HttpResponse:
    staged = _staged(request, token)
    error = ""
    try:
        services.choose(staged, request.POST.get("name", ""), request.POST.get("choice", ""))
    except services.ImportProblem as exc:
        error = str(exc)
    if not request.headers.get("HX-Request"):
        if error:
            messages.error(request, error)
        return redirect("intake:preview", token=token)
    return _render_preview(request, staged, error=error)


def _check_revision(request: HttpRequest, staged: staging.StagedImport) -> None:
    """Refuse a change posted from a page that shows an older task list (another window changed
    it since), so that a position never names another task than the person saw."""
    posted = request.POST.get("revision")
    if posted is not None and posted != str(staged.revision):
        raise services.ImportProblem(
            _(
                "The task list was changed in another window: this page now shows it as it is. "
                "Make your change again."
            )
        )


@office_only
@require_POST
def edit(request: HttpRequest, token: str, index: int) -> HttpResponse:
    staged = _staged(request, token)
    error = ""
    try:
        _check_revision(request, staged)
        for field in services.EDITABLE_FIELDS:
            if field in request.POST:
                services.edit_task(staged, index, field, request.POST[field])
    except services.ImportProblem as exc:
        error = str(exc)
    if not request.headers.get("HX-Request"):
        if error:
            messages.error(request, error)
        return redirect(reverse("intake:preview", kwargs={"token": token}) + f"#task-{index}")
    return _render_preview(request, staged, error=error, edited=index)


def _reshaped(
    request: HttpRequest, token: str, change: Callable[[staging.StagedImport], int | None]
) -> HttpResponse:
    """Apply a structural edit (``change`` returns the position to show, or None) and show the
    preview again, with the reason when the edit was refused (nothing changed then)."""
    staged = _staged(request, token)
    error, shown = "", None
    try:
        _check_revision(request, staged)
        shown = change(staged)
    except services.ImportProblem as exc:
        error = str(exc)
    if not request.headers.get("HX-Request"):
        if error:
            messages.error(request, error)
        anchor = "" if shown is None else f"#task-{shown}"
        return redirect(reverse("intake:preview", kwargs={"token": token}) + anchor)
    return _render_preview(request, staged, error=error)


def _number(value: str) -> int:
    """A position posted by a form; -1 (which every edit refuses) when it is not a number."""
    return int(value) if value.isdigit() else -1


@office_only
@require_POST
def add_task(request: HttpRequest, token: str, index: int) -> HttpResponse:
    values = {f: request.POST.get(f, "") for f in services.EDITABLE_FIELDS}
    return _reshaped(request, token, lambda staged: services.add_task(staged, index, values))


@office_only
@require_POST
def split_task(request: HttpRequest, token: str, index: int) -> HttpResponse:
    at = _number(request.POST.get("at", ""))

    def change(staged: staging.StagedImport) -> int:
        services.split_task(staged, index, at)
        return index

    return _reshaped(request, token, change)


@office_only
@require_POST
def merge_task(request: HttpRequest, token: str, index: int) -> HttpResponse:
    def change(staged: staging.StagedImport) -> int:
        services.merge_task(staged, index)
        return index

    return _reshaped(request, token, change)


@office_only
@require_POST
def number_task(request: HttpRequest, token: str, index: int) -> HttpResponse:
    def change(staged: staging.StagedImport) -> int:
        services.set_number(staged, index, request.POST.get("number", ""))
        return index

    return _reshaped(request, token, change)


@office_only
@require_POST
def delete_task(request: HttpRequest, token: str, index: int) -> HttpResponse:
    def change(staged: staging.StagedImport) -> None:
        services.delete_task(staged, index)

    return _reshaped(request, token, change)


@office_only
@require_POST
def renumber(request: HttpRequest, token: str) -> HttpResponse:
    def change(staged: staging.StagedImport) -> None:
        services.renumber(staged)

    return _reshaped(request, token, change)


@office_only
@require_POST
def commit(request: HttpRequest, token: str) -> HttpResponse:
    staged = _staged(request, token)
    try:
        outcome = services.commit(staged, request.user)  # type: ignore[arg-type]
    except services.ImportProblem as exc:
        messages.error(request, str(exc))
        return redirect("intake:preview", token=token)
    if not outcome.applied:
        messages.info(request, _("Nothing changed: this notice is already in the ledger."))
    elif outcome.created:
        messages.success(
            request,
            _("Imported %(count)s tasks into the ledger.") % {"count": len(outcome.diff.added)},
        )
    else:
        messages.success(
            request,
            _("Ledger updated: %(added)s added, %(removed)s removed, %(changed)s changed.")
            % outcome.diff.summary(),
        )
    return redirect(reverse("ledger:tasks") + f"?plan={outcome.plan.pk}")


@office_only
@require_POST
def abandon(request: HttpRequest, token: str) -> HttpResponse:
    _staged(request, token).discard()
    messages.info(request, _("The import was abandoned; the ledger is unchanged."))
    return redirect("intake:upload")
