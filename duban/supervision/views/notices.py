"""Pages of the notices: the notice list, a notice and its steps (on a task, or a period 催办),
the document, extension requests and 约谈 notes. 404 for what does not exist, 403 for a task the
user may not see or a step the user may not take (the models' rules decide:
``duban.core.permissions.requires``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from duban.audit.signals import record_export
from duban.core import clock
from duban.core.files import UploadRejected, attachment_header, check_uploads, serve
from duban.core.lazy import LazyModule
from duban.core.permissions import Action, can, requires
from duban.exports import official_pdf
from duban.exports.pdf import PdfUnavailable
from duban.ledger.models import Task
from duban.reporting.models import Report
from duban.reporting.services.periods import period_label

from ..forms import (
    AcceptForm,
    DecisionForm,
    ExtensionForm,
    NoticeFilterForm,
    NoticeForm,
    PressForm,
    ReplyForm,
    SummonsForm,
)
from ..models import OPEN_STATES, ExtensionRequest, Notice, NoticeFile, NoticeState
from ..services import notices as services
from ..services.documents import notice_document as notice_paper
from ..services.notices import SupervisionError

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
    context.setdefault("max_upload_mb", settings.DUBAN_MAX_UPLOAD_BYTES // 2**20)
    return render(request, f"supervision/{template}", context, status=status)


def _task(pk: int) -> Task:
    """The task ``@requires`` has found and allowed, with its plan."""
    return Task.objects.select_related("plan").get(pk=pk)


def _notice(pk: int) -> Notice:
    """The notice ``@requires`` has found and allowed, with what its pages show."""
    return Notice.objects.select_related(
        "task__plan", "period__plan", "unit", "milestone", "parent"
    ).get(pk=pk)


@require_GET
@requires(Action.READ_LEDGER)
def notices(request: HttpRequest) -> HttpResponse:
    form = NoticeFilterForm(request.GET or None)
    found: QuerySet[Notice] = (
        Notice.objects.restrict(request.user, Action.VIEW)
        .select_related("task", "period", "unit")
        .prefetch_related("tasks")
    )
    if form.is_valid():
        data = form.cleaned_data
        if data.get("level"):
            found = found.filter(level=data["level"])
        if data.get("state"):
            found = found.filter(state=data["state"])
        if data.get("unit"):
            found = found.filter(unit=data["unit"]) | found.filter(co_units=data["unit"])
            found = found.distinct()
        if data.get("overdue"):
            found = found.filter(state__in=OPEN_STATES, reply_due__lt=clock.today())
    page = Paginator(found.order_by("-issued_at", "-pk"), 50).get_page(request.GET.get("page"))
    today = clock.today()
    rows = [(n, services.is_overdue(n, today)) for n in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return _page(
        request,
        "notices.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )


@require_http_methods(["GET", "POST"])
@requires(Action.REVIEW, Task, kwarg="task_pk")
def notice_new(request: HttpRequest, task_pk: int) -> HttpResponse:
    task = _task(task_pk)
    initial = {"level": request.GET.get("level") or "supervise"}
    if request.GET.get("milestone"):
        initial["milestone"] = request.GET["milestone"]
    form = NoticeForm(request.POST or None, task=task, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issued = services.issue_notices(
                task=task,
                data=services.NoticeInput(
                    level=data["level"],
                    problem=data["problem"],
                    requirement=data["requirement"],
                    reply_due=data["reply_due"],
                    co_units=list(data["co_units"]),
                    milestone=data["milestone"],
                ),
                units=data["units"],
                user=request.user,
            )
        except SupervisionError as exc:
            form.add_error(None, str(exc))
        else:
            if len(issued) == 1:
                messages.success(
                    request, _("Notice %(number)s issued.") % {"number": issued[0].doc_number}
                )
                return redirect("supervision:notice", issued[0].pk)
            messages.success(
                request,
                _("%(count)s notices issued: %(numbers)s.")
                % {"count": len(issued), "numbers": "、".join(n.doc_number for n in issued)},
            )
            return redirect(reverse("ledger:task", args=[task.pk]) + "#supervision")
    status = 400 if form.errors else 200
    return _page(request, "notice_form.html", {"task": task, "form": form}, status=status)


def _listed(request: HttpRequest, notice: Notice) -> list[tuple[Task, Report | None]]:
    """A period 催办's tasks, each with its report for the period as it stands now (as far as
    the user may see it)."""
    tasks = notice.listed_tasks()
    found = Report.objects.restrict(request.user, Action.VIEW).filter(
        period=notice.period_id, task__in=tasks
    )
    reports = {r.task_id: r for r in found}
    return [(task, reports.get(task.pk)) for task in tasks]


def _notice_context(request: HttpRequest, notice: Notice, **extra: Any) -> dict[str, Any]:
    office = can(request.user, Action.REVIEW, notice)
    answer = can(request.user, Action.REPLY, notice)
    context = {
        "notice": notice,
        "task": notice.task,
        "period": notice.period,
        "period_label": period_label(notice.period) if notice.period is not None else "",
        "listed": _listed(request, notice) if notice.period_id is not None else [],
        "co_units": list(notice.co_units.all()),
        "files": list(notice.files.all()),
        "follow_ups": list(notice.follow_ups.all()),
        "overdue": services.is_overdue(notice),
        "can_sign": answer and notice.state == NoticeState.ISSUED,
        "can_reply": answer and notice.state in OPEN_STATES,
        "can_accept": office and notice.state == NoticeState.REPLIED,
        "can_press": office and notice.state not in (NoticeState.ACCEPTED, NoticeState.PRESSED),
        "reply_form": ReplyForm(),
        "accept_form": AcceptForm(),
        "press_form": PressForm(initial={"level": notice.level}),
    }
    context.update(extra)
    return context


@require_GET
@requires(Action.VIEW, Notice)
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    found = _notice(pk)
    return _page(request, "notice.html", _notice_context(request, found))


def _back(notice: Notice) -> HttpResponse:
    return redirect(reverse("supervision:notice", args=[notice.pk]))


@require_POST
@requires(Action.REPLY, Notice)
def notice_sign(request: HttpRequest, pk: int) -> HttpResponse:
    found = _notice(pk)
    try:
        services.sign_notice(notice=found, user=request.user)
    except SupervisionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Signed for."))
    return _back(found)


@require_POST
@requires(Action.REPLY, Notice)
def notice_reply(request: HttpRequest, pk: int) -> HttpResponse:
    found = _notice(pk)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            files = check_uploads(form.cleaned_data["attachments"])
            services.reply_notice(
                notice=found, text=form.cleaned_data["text"], files=files, user=request.user
            )
        except (UploadRejected, SupervisionError) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Reply sent."))
            return _back(found)
    context = _notice_context(request, found, reply_form=form)
    return _page(request, "notice.html", context, status=400)


@require_POST
@requires(Action.REVIEW, Notice)
def notice_accept(request: HttpRequest, pk: int) -> HttpResponse:
    found = _notice(pk)
    form = AcceptForm(request.POST)
    if form.is_valid():
        try:
            services.accept_reply(
                notice=found, comment=form.cleaned_data["comment"], user=request.user
            )
        except SupervisionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Reply accepted; the notice is closed."))
    return _back(found)


@require_POST
@requires(Action.REVIEW, Notice)
def notice_press(request: HttpRequest, pk: int) -> HttpResponse:
    found = _notice(pk)
    form = PressForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            follow_up = services.press_again(
                notice=found,
                reply_due=data["reply_due"],
                comment=data["comment"],
                requirement=data["requirement"],
                level=data["level"],
                user=request.user,
            )
        except SupervisionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Pressed again: notice %(number)s.") % {"number": follow_up.doc_number}
            )
            return redirect("supervision:notice", follow_up.pk)
    context = _notice_context(request, found, press_form=form)
    return _page(request, "notice.html", context, status=400)


@require_GET
@requires(Action.VIEW, Notice)
def notice_document(request: HttpRequest, pk: int) -> HttpResponse:
    found = _notice(pk)
    content = official_docx.write(notice_paper(found))
    record_export(
        request, found, task_id=found.task_id, file="document.docx", filters={"format": "docx"}
    )
    response = HttpResponse(content, content_type=DOCX)
    filename = f"{found.doc_number}.docx"
    response["Content-Disposition"] = attachment_header(filename, f"notice-{found.pk}.docx")
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@requires(Action.VIEW, Notice)
def notice_document_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice as PDF in the GB/T 9704 layout; without the PDF writer's system libraries,
    back to the notice with what to install."""
    found = _notice(pk)
    try:
        content = official_pdf.write(notice_paper(found))
    except PdfUnavailable as exc:
        messages.error(request, str(exc))
        return redirect("supervision:notice", found.pk)
    record_export(
        request, found, task_id=found.task_id, file="document.pdf", filters={"format": "pdf"}
    )
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"{found.doc_number}.pdf"
    response["Content-Disposition"] = attachment_header(filename, f"notice-{found.pk}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@requires(Action.DOWNLOAD, NoticeFile)
def file_download(request: HttpRequest, pk: int) -> FileResponse:
    item = NoticeFile.objects.select_related("notice").get(pk=pk)
    return serve(item, task_id=item.notice.task_id, fallback_stem="supervision")


@require_http_methods(["GET", "POST"])
@requires(Action.REPORT, Task, kwarg="task_pk")
def extension_new(request: HttpRequest, task_pk: int) -> HttpResponse:
    task = _task(task_pk)
    initial = {"milestone": request.GET.get("milestone")} if request.GET.get("milestone") else {}
    form = ExtensionForm(request.POST or None, task=task, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.request_extension(
                task=task,
                milestone=data["milestone"],
                requested_due=data["requested_due"],
                reason=data["reason"],
                user=request.user,
            )
        except SupervisionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Extension requested; the office will decide."))
            return redirect(reverse("ledger:task", args=[task.pk]) + "#supervision")
    status = 400 if form.errors else 200
    return _page(request, "extension_form.html", {"task": task, "form": form}, status=status)


@require_POST
@requires(Action.REVIEW, ExtensionRequest)
def extension_decide(request: HttpRequest, pk: int) -> HttpResponse:
    found = ExtensionRequest.objects.select_related("task").get(pk=pk)
    form = DecisionForm(request.POST)
    approve = "approve" in request.POST
    if form.is_valid():
        try:
            services.decide_extension(
                request=found,
                approve=approve,
                comment=form.cleaned_data["comment"],
                user=request.user,
            )
        except SupervisionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("Extension approved.") if approve else _("Extension refused.")
            )
    return redirect(reverse("ledger:task", args=[found.task_id]) + "#supervision")


@require_http_methods(["GET", "POST"])
@requires(Action.REVIEW, Task, kwarg="task_pk")
def summons_new(request: HttpRequest, task_pk: int) -> HttpResponse:
    task = _task(task_pk)
    form = SummonsForm(request.POST or None, initial={"held_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_summons(
                task=task,
                held_on=form.cleaned_data["held_on"],
                note=form.cleaned_data["note"],
                user=request.user,
            )
        except SupervisionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Summons recorded."))
            return redirect(reverse("ledger:task", args=[task.pk]) + "#supervision")
    status = 400 if form.errors else 200
    return _page(request, "summons_form.html", {"task": task, "form": form}, status=status)
