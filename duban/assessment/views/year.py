"""The year's assessment (/assessment/): its state and dates, the result table per ranking
group for whoever may see it, the office's steps (compute, publicity, publish) and the
recognitions from a higher level (上级表彰)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from duban.core import clock
from duban.core.files import UploadRejected, check_uploads, serve
from duban.core.formatting import format_cn_date
from duban.core.permissions import Action, actor, can, requires
from duban.directory.models import Unit
from duban.ledger.models import Plan

from ..forms import PublicityForm, RecognitionForm
from ..models import (
    Appeal,
    AppealState,
    Assessment,
    AssessmentState,
    Recognition,
    RecognitionFile,
    UnitScore,
)
from ..services import AssessmentError, compute, results, schemes, workflow
from .common import (
    by_group,
    chosen_plan,
    page,
    pending_appeals,
    plans_for,
    publish_blockers,
    state_key,
    state_label,
)


def year_url(plan: Plan) -> str:
    return f"{reverse('assessment:year')}?plan={plan.pk}"


def _assessment(plan: Plan, user: Any) -> Assessment | None:
    """The plan's assessment as far as the person may know of it (its state and dates)."""
    return (
        Assessment.objects.restrict(user, Action.VIEW)
        .filter(plan=plan)
        .select_related("scheme", "published_by", "computed_by")
        .first()
    )


def _recognition_form(plan: Plan, data: Any = None, files: Any = None) -> RecognitionForm:
    rules = schemes.rules_of(schemes.current_scheme())
    return RecognitionForm(
        data,
        files,
        units=Unit.objects.filter(active=True).order_by("kind", "name"),
        tasks=plan.tasks.order_by("position"),
        least=rules.recognition_min,
        most=rules.recognition_max,
        instruction=rules.instruction_bonus,
        # granted in the plan's year, by today at the latest (a year's end looks back)
        initial={"granted_on": min(clock.today(), date(plan.year, 12, 31))},
    )


def _publicity_form(assessment: Assessment, data: Any = None) -> PublicityForm:
    days = schemes.rules_of(assessment.scheme).publicity_days
    return PublicityForm(data, initial={"days": days})


def _year_page(
    request: HttpRequest,
    plan: Plan,
    plans: list[Plan],
    *,
    publicity_form: PublicityForm | None = None,
    recognition_form: RecognitionForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    assessment = _assessment(plan, user)
    visible = results.visible_assessment(plan, user)
    # The table needs no items (results.scores_for prefetches them): the scores alone.
    scores = (
        list(
            UnitScore.objects.restrict(user, Action.VIEW)
            .filter(assessment=visible)
            .select_related("unit")
            .order_by("group", "rank", "unit__name")
        )
        if visible is not None
        else []
    )
    manage = (
        can(user, Action.CHANGE, assessment)
        if assessment is not None
        else can(user, Action.MANAGE_LEDGER)
    )
    files = RecognitionFile.objects.restrict(user, Action.VIEW)
    recognitions = list(
        Recognition.objects.restrict(user, Action.VIEW)
        .filter(plan=plan)
        .select_related("unit", "task")
        .prefetch_related(Prefetch("files", queryset=files))
        .order_by("granted_on", "pk")
    )
    appeals: list[Appeal] = []
    if assessment is not None and manage:
        appeals = list(
            Appeal.objects.restrict(user, Action.REVIEW)
            .filter(item__score__assessment=assessment, state=AppealState.PENDING)
            .select_related("item__score__unit", "item__task")
            .order_by("filed_at", "pk")
        )
    state = assessment.state if assessment is not None else ""
    context = {
        "plan": plan,
        "plans": plans,
        "assessment": assessment,
        "state": state_key(assessment),
        "state_label": state_label(assessment),
        "visible": visible,
        "groups": by_group(scores),
        "manage": manage,
        "appeals": appeals,
        "blockers": publish_blockers(assessment) if assessment is not None else [],
        "pending": pending_appeals(assessment) if assessment is not None else 0,
        "publicity_form": (
            publicity_form or _publicity_form(assessment)
            if manage and assessment is not None and state == AssessmentState.DRAFT
            else None
        ),
        "recognition_form": (
            recognition_form or _recognition_form(plan)
            if manage and state != AssessmentState.PUBLISHED
            else None
        ),
        "recognitions": recognitions,
        "error": error,
        "today": clock.today(),
    }
    return page(request, "year.html", context, status=status)


@require_GET
@requires(Action.READ_LEDGER)  # 三权分立 gets 403; each business role what the rules let it
def year(request: HttpRequest) -> HttpResponse:
    if not request.GET.get("plan") and not plans_for(request.user):
        # No plan yet, or none with a task of the person's unit: nothing is assessed for them.
        return page(request, "no_plan.html", {})
    plan, plans = chosen_plan(request)
    user = request.user
    visible = results.visible_assessment(plan, user)
    unit_id = actor(user).unit_id
    # A unit sees only its own line: its own page has it, with the items.
    if (
        visible is not None
        and unit_id is not None
        and not can(user, Action.CHANGE, visible)
        and UnitScore.objects.restrict(user, Action.VIEW)
        .filter(assessment=visible, unit_id=unit_id)
        .exists()
    ):
        return redirect(f"{reverse('assessment:unit', args=[unit_id])}?plan={plan.pk}")
    return _year_page(request, plan, plans)


def _done(request: HttpRequest, plan: Plan, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(year_url(plan))


@require_POST
@requires(Action.MANAGE_LEDGER)
def compute_year(request: HttpRequest) -> HttpResponse:
    """计算 / 重新计算: the year's scores from the record as it stands today."""
    plan, plans = chosen_plan(request)
    try:
        done = compute.compute(plan, request.user)
    except AssessmentError as exc:
        return _year_page(request, plan, plans, error=str(exc), status=409)
    count = done.scores.count()
    return _done(
        request,
        plan,
        _("Computed from the record as of %(date)s: %(count)s units scored.")
        % {"date": _cn(done.as_of), "count": count},
    )


def _cn(day: Any) -> str:
    return format_cn_date(day) if day is not None else ""


@require_POST
@requires(Action.CHANGE, Assessment)
def open_publicity(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = Assessment.objects.select_related("plan", "scheme").get(pk=pk)
    plan = assessment.plan
    form = _publicity_form(assessment, request.POST)
    if form.is_valid():
        try:
            done = workflow.open_publicity(request.user, assessment, form.cleaned_data["days"])
        except AssessmentError as exc:  # the year's state (or its calendar) refuses
            form.add_error(None, str(exc))
        else:
            until = _cn(done.publicity_until)
            return _done(
                request,
                plan,
                _("Publicity is open until %(date)s: every unit sees its own items now.")
                % {"date": until},
            )
    plans = [plan]
    return _year_page(request, plan, plans, publicity_form=form, status=400)


@require_POST
@requires(Action.CHANGE, Assessment)
def withdraw_publicity(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = Assessment.objects.select_related("plan", "scheme").get(pk=pk)
    try:
        workflow.withdraw_publicity(request.user, assessment)
    except AssessmentError as exc:
        return _year_page(request, assessment.plan, [assessment.plan], error=str(exc), status=409)
    return _done(
        request,
        assessment.plan,
        _("Publicity is withdrawn: the scores are back to the office alone."),
    )


@require_POST
@requires(Action.CHANGE, Assessment)
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = Assessment.objects.select_related("plan", "scheme").get(pk=pk)
    try:
        workflow.publish(request.user, assessment)
    except AssessmentError as exc:
        return _year_page(request, assessment.plan, [assessment.plan], error=str(exc), status=409)
    return _done(
        request,
        assessment.plan,
        _("The result is published and frozen with scheme version %(version)s.")
        % {"version": assessment.scheme.version},
    )


@require_POST
@requires(Action.MANAGE_LEDGER)
def recognition_new(request: HttpRequest) -> HttpResponse:
    """上级表彰: recorded by the office with the document it was granted by."""
    plan, plans = chosen_plan(request)
    form = _recognition_form(plan, request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            files = list(data["attachments"])
            check_uploads(files)  # a refused file is named next to its field
            for upload in files:
                upload.seek(0)
            workflow.record_recognition(
                request.user,
                plan,
                data["unit"],
                data["points"],
                data["title"],
                data["document"],
                data["granted_on"],
                files,
                task=data["task"],
                kind=data.get("kind") or "higher_level",
            )
        except UploadRejected as exc:
            form.add_error("attachments", str(exc))
        except AssessmentError as exc:
            form.add_error(None, str(exc))
        else:
            return _done(
                request,
                plan,
                _("The recognition of %(unit)s is recorded; it counts when the year is computed.")
                % {"unit": data["unit"].name},
            )
    return _year_page(request, plan, plans, recognition_form=form, status=400)


@require_GET
@requires(Action.DOWNLOAD, RecognitionFile)
def recognition_file(request: HttpRequest, pk: int) -> FileResponse:
    stored = RecognitionFile.objects.select_related("recognition").get(pk=pk)
    return serve(stored, task_id=stored.recognition.task_id, fallback_stem="recognition")
