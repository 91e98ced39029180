"""督办/催办 notices through the API: read those the person sees; the addressed unit signs for
and answers them, through the same service as the notice page
(``duban.supervision.services.notices``)."""

from __future__ import annotations

from typing import Any, Literal

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Query, Router

from duban.supervision.models import OPEN_STATES, Notice
from duban.supervision.services.notices import reply_notice, sign_notice

from .. import build
from ..schemas import NoticeLevelValue, NoticeOut, NoticeStateValue, Page, ReplyIn
from .common import READ_ERRORS, WRITE_ERRORS, PathId, one, page, reads_ledger
from .ledger import Id, Limit, Offset

router = Router(tags=["Notices"])


def _notice(pk: int) -> dict[str, Any]:
    return build.notice_items(build.notices_with_details(Notice.objects.filter(pk=pk)))[0]


@router.get(
    "/notices/",
    response={200: Page[NoticeOut], **READ_ERRORS},
    summary="督办 notices",
    description="The 督办 and 催办 notices the person sees: on the tasks he or she sees, and "
    "those addressed to his or her unit; newest first.",
)
def notices(
    request: HttpRequest,
    task: int | None = Id("Only the notices about this task"),
    state: NoticeStateValue | None = Query(None, description="Only notices in this state"),
    level: NoticeLevelValue | None = Query(None, description="Only notices of this level"),
    waiting: Literal["reply"] | None = Query(
        None, description="reply: only the notices still waiting for a reply (issued, signed)"
    ),
    limit: int = Limit(),
    offset: int = Offset(),
) -> dict[str, Any]:
    reads_ledger(request)
    found: QuerySet[Notice] = Notice.objects.restrict(request.user)
    if task is not None:
        found = found.filter(Q(task_id=task) | Q(tasks=task))
    if state is not None:
        found = found.filter(state=state)
    if level is not None:
        found = found.filter(level=level)
    if waiting == "reply":
        found = found.filter(state__in=OPEN_STATES)
    found = build.notices_with_details(found.distinct().order_by("-issued_at", "-pk"))
    return page(found, limit, offset, build.notice_items)


@router.get(
    "/notices/{notice_id}/",
    response={200: NoticeOut, **READ_ERRORS},
    summary="One notice",
    description="A notice the person sees.",
)
def notice_detail(request: HttpRequest, notice_id: int = PathId()) -> dict[str, Any]:
    one(request, Notice.objects.all(), notice_id)
    return _notice(notice_id)


@router.post(
    "/notices/{notice_id}/sign/",
    response={200: NoticeOut, **WRITE_ERRORS},
    summary="Sign for a notice",
    description="The addressed unit (or the task's lead unit) signs for the notice: it has "
    "been received.",
)
def notice_sign(request: HttpRequest, notice_id: int = PathId()) -> dict[str, Any]:
    notice = one(request, Notice.objects.all(), notice_id)
    sign_notice(notice=notice, user=request.user)
    return _notice(notice_id)


@router.post(
    "/notices/{notice_id}/reply/",
    response={200: NoticeOut, **WRITE_ERRORS},
    summary="Answer a notice",
    description="The addressed unit (or the task's lead unit) answers the notice with what was "
    "done; an unsigned notice is signed for by the same act. Files are attached on the notice's "
    "page.",
)
def notice_reply(
    request: HttpRequest, payload: ReplyIn, notice_id: int = PathId()
) -> dict[str, Any]:
    notice = one(request, Notice.objects.all(), notice_id)
    reply_notice(notice=notice, text=payload.text, user=request.user)
    return _notice(notice_id)
