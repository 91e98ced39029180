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
from django.views.decorators.http import require_POST

from duban.core.permissions import Action, requires
from duban.directory.models import Group, UnitKind

from . import services, staging
from .errors import IntakeError
from .forms import UploadForm

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
        else:
            return redirect("intake:preview", token=staged.token)
    return render(request, "intake/upload.html", {"form": form, "nav": "imports"})


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


@office_only
@require_POST
def edit(request: HttpRequest, token: str, index: int) -> HttpResponse:
    staged = _staged(request, token)
    error = ""
    try:
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
