"""A unit's score (/assessment/units/<unit>/) with every item and its source, and one item's
page: its adjustments by the office, the unit's appeals (申诉) and the office's decisions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from duban.core import clock
from duban.core.files import UploadRejected, check_uploads, serve
from duban.core.permissions import Action, can, requires
from duban.directory.models import Unit

from ..forms import AdjustForm, AppealForm, DecisionForm
from ..models import (
    Adjustment,
    AdjustmentFile,
    Appeal,
    AppealFile,
    AppealState,
    Assessment,
    AssessmentState,
    ScoreItem,
    UnitScore,
)
from ..scoring import ARITHMETIC_RULES
from ..services import AssessmentError, workflow
from ..services.exports import Source, sources_of
from .common import chosen_plan, page, state_key, state_label, subtotals


def appeal_open(assessment: Assessment) -> bool:
    """Appeals are taken during publicity, up to its last day."""
    until = assessment.publicity_until
    return (
        assessment.state == AssessmentState.PUBLICITY
        and until is not None
        and clock.today() <= until
    )


@dataclass(frozen=True)
class ItemRow:
    """One line of a unit's items: the item, its source, its appeals, what the person may do."""

    item: ScoreItem
    source: Source | None
    appeals: list[Appeal]
    may_appeal: bool
    may_adjust: bool
    adjusted: bool


def unit_url(score: UnitScore) -> str:
    return f"{reverse('assessment:unit', args=[score.unit_id])}?plan={score.assessment.plan_id}"


@require_GET
@requires(Action.READ_LEDGER)
def unit_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    unit = get_object_or_404(Unit, pk=pk)
    plan, plans = chosen_plan(request)
    assessment = (
        Assessment.objects.restrict(user, Action.VIEW)
        .filter(plan=plan)
        .select_related("plan", "scheme")
        .first()
    )
    if assessment is None:
        raise Http404(_("This year has not been assessed yet."))
    found = UnitScore.objects.filter(assessment=assessment, unit=unit).first()
    if found is None:
        raise Http404(_("This unit has no score in this year."))
    if not can(user, Action.VIEW, found):
        raise PermissionDenied(_("You may not see this unit's score."))
    score = (
        UnitScore.objects.select_related("unit", "assessment__plan", "assessment__scheme")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=ScoreItem.objects.select_related("task").order_by("position", "pk"),
            )
        )
        .get(pk=found.pk)
    )
    items = list(score.items.all())
    appeals = list(
        Appeal.objects.restrict(user, Action.VIEW)
        .filter(item__score=score)
        .select_related("item")
        .order_by("filed_at", "pk")
    )
    pending = {a.item_id for a in appeals if a.state == AppealState.PENDING}
    appealable = (
        set(
            ScoreItem.objects.restrict(user, Action.REPLY)
            .filter(score=score)
            .values_list("pk", flat=True)
        )
        if appeal_open(assessment)
        else set()
    )
    adjusted = set(
        Adjustment.objects.restrict(user, Action.VIEW)
        .filter(item__score=score)
        .values_list("item_id", flat=True)
    )
    by_item: dict[int, list[Appeal]] = {}
    for appeal in appeals:
        by_item.setdefault(appeal.item_id, []).append(appeal)
    sources = sources_of(items)
    adjustable = can(user, Action.REVIEW, score) and assessment.state == AssessmentState.DRAFT
    rows = [
        ItemRow(
            item=item,
            source=sources.get(item.pk),
            appeals=by_item.get(item.pk, []),
            may_appeal=item.pk in appealable
            and item.pk not in pending
            and item.rule not in ARITHMETIC_RULES,
            may_adjust=adjustable and item.rule not in ARITHMETIC_RULES,
            adjusted=item.pk in adjusted,
        )
        for item in items
    ]
    # The items by part (任务完成, 序时进度, …), each with its subtotal, in the parts' order.
    parts = [
        {
            "component": part.component,
            "label": part.label,
            "points": part.points,
            "rows": [row for row in rows if row.item.component == part.component],
        }
        for part in subtotals(score)
    ]
    context = {
        "unit": unit,
        "plan": plan,
        "plans": plans,
        "assessment": assessment,
        "state": state_key(assessment),
        "state_label": state_label(assessment),
        "score": score,
        "subtotals": subtotals(score),
        "parts": parts,
        "total": sum((item.final_points for item in items), start=score.score * 0),
        "appeals": appeals,
        "appeal_open": appeal_open(assessment),
    }
    return page(request, "unit.html", context)


# --- one item -------------------------------------------------------------------------------------


def _item(pk: int) -> ScoreItem:
    return ScoreItem.objects.select_related(
        "score__unit", "score__assessment__plan", "score__assessment__scheme", "task"
    ).get(pk=pk)


def _item_page(
    request: HttpRequest,
    item: ScoreItem,
    *,
    adjust_form: AdjustForm | None = None,
    appeal_form: AppealForm | None = None,
    decision_form: DecisionForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    assessment = item.score.assessment
    adjustments = list(
        Adjustment.objects.restrict(user, Action.VIEW)
        .filter(item=item)
        .select_related("made_by")
        .prefetch_related(
            Prefetch("files", queryset=AdjustmentFile.objects.restrict(user, Action.VIEW))
        )
        .order_by("made_at", "pk")
    )
    appeals = list(
        Appeal.objects.restrict(user, Action.VIEW)
        .filter(item=item)
        .select_related("filed_by", "decided_by")
        .prefetch_related(
            Prefetch("files", queryset=AppealFile.objects.restrict(user, Action.VIEW))
        )
        .order_by("filed_at", "pk")
    )
    pending = next((a for a in appeals if a.state == AppealState.PENDING), None)
    reviewer = can(user, Action.REVIEW, item)
    arithmetic = item.rule in ARITHMETIC_RULES  # a pool's base, a floor, a cap: follows the rest
    may_appeal = (
        not arithmetic
        and pending is None
        and appeal_open(assessment)
        and can(user, Action.REPLY, item)
    )
    # The office adjusts while the year is a draft (before publicity, or after withdrawing it).
    adjustable = not arithmetic and reviewer and assessment.state == AssessmentState.DRAFT
    context = {
        "item": item,
        "score": item.score,
        "unit": item.score.unit,
        "plan": assessment.plan,
        "assessment": assessment,
        "state": state_key(assessment),
        "state_label": state_label(assessment),
        "source": sources_of([item]).get(item.pk),
        "adjustments": adjustments,
        "appeals": appeals,
        "pending": pending,
        "adjust_form": (adjust_form or AdjustForm(initial={"points": item.final_points}))
        if adjustable
        else None,
        "appeal_form": (appeal_form or AppealForm()) if may_appeal else None,
        "decision_form": (decision_form or DecisionForm())
        if pending is not None and can(user, Action.REVIEW, pending)
        else None,
        "unit_url": unit_url(item.score),
        "arithmetic": arithmetic,
        "office": _("the supervision office"),  # who adjusted or decided, when nobody is named
        "error": error,
    }
    return page(request, "item.html", context, status=status)


@require_GET
@requires(Action.VIEW, ScoreItem)
def item_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _item_page(request, _item(pk))


def _files(form: Any) -> list[Any]:
    """The uploaded files, checked here so that a refused one is named next to its field
    (``UploadRejected``); the service checks and stores them again from the start."""
    uploads = list(form.cleaned_data["attachments"])
    check_uploads(uploads)
    for upload in uploads:
        upload.seek(0)
    return uploads


@require_POST
@requires(Action.REVIEW, ScoreItem)
def item_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(pk)
    form = AdjustForm(request.POST, request.FILES)
    if not form.is_valid():
        return _item_page(request, item, adjust_form=form, status=400)
    data = form.cleaned_data
    try:
        workflow.adjust(request.user, item, data["points"], data["reason"], _files(form))
    except UploadRejected as exc:
        form.add_error("attachments", str(exc))
        return _item_page(request, item, adjust_form=form, status=400)
    except AssessmentError as exc:  # the year's state or the item's: said above the page
        return _item_page(request, item, adjust_form=form, error=str(exc), status=409)
    messages.success(request, _("The item is adjusted; the unit's score follows."))
    return redirect("assessment:item", item.pk)


@require_POST
@requires(Action.REPLY, ScoreItem)
def item_appeal(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(pk)
    form = AppealForm(request.POST, request.FILES)
    if not form.is_valid():
        return _item_page(request, item, appeal_form=form, status=400)
    try:
        workflow.appeal(request.user, item, form.cleaned_data["reason"], _files(form))
    except UploadRejected as exc:
        form.add_error("attachments", str(exc))
        return _item_page(request, item, appeal_form=form, status=400)
    except AssessmentError as exc:  # the year's state or the item's: said above the page
        return _item_page(request, item, appeal_form=form, error=str(exc), status=409)
    messages.success(request, _("The appeal is sent to the supervision office."))
    return redirect("assessment:item", item.pk)


@require_POST
@requires(Action.REVIEW, Appeal)
def appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = Appeal.objects.select_related("item").get(pk=pk)
    item = _item(appeal.item_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _item_page(request, item, decision_form=form, status=400)
    data = form.cleaned_data
    try:
        workflow.decide_appeal(
            request.user,
            appeal,
            form.upheld,
            data["reply"],
            data["points"] if form.upheld else None,
        )
    except AssessmentError as exc:  # the year's state or the item's: said above the page
        return _item_page(request, item, decision_form=form, error=str(exc), status=409)
    if form.upheld:
        messages.success(request, _("The appeal is upheld; the unit is told."))
    else:
        messages.success(request, _("The appeal is rejected; the unit is told."))
    return redirect("assessment:item", item.pk)


# --- files --------------------------------------------------------------------------------------


@require_GET
@requires(Action.DOWNLOAD, AdjustmentFile)
def adjustment_file(request: HttpRequest, pk: int) -> FileResponse:
    stored = AdjustmentFile.objects.select_related("adjustment__item").get(pk=pk)
    return serve(stored, task_id=stored.adjustment.item.task_id, fallback_stem="adjustment")


@require_GET
@requires(Action.DOWNLOAD, AppealFile)
def appeal_file(request: HttpRequest, pk: int) -> FileResponse:
    stored = AppealFile.objects.select_related("appeal__item").get(pk=pk)
    return serve(stored, task_id=stored.appeal.item.task_id, fallback_stem="appeal")
