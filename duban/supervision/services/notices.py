"""The supervision workflows: notices (issue, sign, reply, accept, press again), 约谈 notes and
extension requests (request, approve, refuse), and the notice as an official document.

Who may do what is the models' rule (``duban.core.permissions.check``): the office
(``Action.REVIEW`` on the task or the notice) issues, accepts, presses, records 约谈 and decides
extensions; an operator of the notice's addressee or co-operating unit, or of the task's lead
unit, signs for and answers a notice (``Action.REPLY``); the lead unit (``Action.REPORT`` on the
task) asks for extensions. Every function takes the acting ``user`` (``None`` is the console,
trusted) and every change is audited through the registered models.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core import clock
from duban.core.files import CheckedFile, forget, save_upload
from duban.core.formatting import format_cn_date
from duban.core.permissions import Action, check
from duban.directory.models import Unit
from duban.exports.official_docx import OfficialDocument, Para
from duban.ledger.models import Assignment, AssignmentRole, Task
from duban.lights.services import light_history
from duban.reporting.models import Milestone, Period
from duban.reporting.services.periods import period_label

from ..escalation import LightEvent, PeriodSpan
from ..models import (
    OPEN_STATES,
    DocSerial,
    ExtensionRequest,
    ExtensionState,
    Notice,
    NoticeFile,
    NoticeLevel,
    NoticeState,
    Summons,
)

DEFAULT_AGENCY_CODE = "偃督办"
MAX_TEXT = 3000


class SupervisionError(ValueError):
    """A change that cannot be made as asked; the message says why."""


def agency_code() -> str:
    """The 机关代字 of the office's notices: ``DUBAN_SUPERVISION_AGENCY_CODE`` or 偃督办."""
    return str(getattr(settings, "DUBAN_SUPERVISION_AGENCY_CODE", "") or DEFAULT_AGENCY_CODE)


def _user(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def _check_text(*texts: str) -> None:
    for text in texts:
        if len(text) > MAX_TEXT:
            raise SupervisionError(
                _("A text may hold at most %(limit)s characters.") % {"limit": MAX_TEXT}
            )


def format_doc_number(code: str, year: int, serial: int) -> str:
    """偃督办〔2023〕3号: 六角括号, the serial without zero padding."""
    return f"{code}〔{year}〕{serial}号"


def next_serial(year: int, code: str) -> int:
    """Allocate the next serial of ``code`` in ``year`` (call inside a transaction)."""
    counter, _created = DocSerial.objects.select_for_update().get_or_create(
        year=year, agency_code=code
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def task_units(task: Task) -> list[Unit]:
    """The units named on the task, lead units first (the addressees a notice may have)."""
    assignments = (
        Assignment.objects.filter(task=task, unit__isnull=False)
        .select_related("unit")
        .order_by("role", "position")
    )
    seen: dict[int, Unit] = {}
    for assignment in assignments:
        assert assignment.unit is not None
        seen.setdefault(assignment.unit.pk, assignment.unit)
    return list(seen.values())


def lead_units(task: Task) -> list[Unit]:
    return [
        a.unit
        for a in Assignment.objects.filter(task=task, role=AssignmentRole.LEAD, unit__isnull=False)
        .select_related("unit")
        .order_by("position")
        if a.unit is not None
    ]


def _issuer(user: Any) -> str:
    configured = getattr(settings, "DUBAN_SUPERVISION_ISSUER", "")
    if configured:
        return str(configured)
    membership = getattr(user, "membership", None) if user is not None else None
    unit = getattr(membership, "unit", None)
    if unit is not None:
        return str(unit.full_name or unit.name)
    return "督查室"


@dataclass
class NoticeInput:
    level: str
    problem: str
    requirement: str
    reply_due: date
    unit: Unit | None = None  # default: the task's first lead unit
    co_units: Iterable[Unit] = ()
    milestone: Milestone | None = None


def issue_notice(
    *, task: Task, data: NoticeInput, user: Any, parent: Notice | None = None
) -> Notice:
    check(user, Action.REVIEW, task)
    if data.level not in NoticeLevel.values:
        raise SupervisionError(_("“%(value)s” is not a level.") % {"value": data.level})
    if not data.problem.strip() or not data.requirement.strip():
        raise SupervisionError(_("Write the problem and the requirement."))
    _check_text(data.problem, data.requirement)
    today = clock.today()
    if data.reply_due < today:
        raise SupervisionError(_("The reply deadline cannot be in the past."))
    if data.milestone is not None and data.milestone.refinement.task_id != task.pk:
        raise SupervisionError(_("The milestone belongs to another task."))
    unit = data.unit
    if unit is None:
        leads = lead_units(task)
        if not leads:
            raise SupervisionError(_("The task has no lead unit to address the notice to."))
        unit = leads[0]
    allowed = {u.pk for u in task_units(task)}
    co_units = [u for u in data.co_units if u.pk != unit.pk]
    if unit.pk not in allowed or any(u.pk not in allowed for u in co_units):
        raise SupervisionError(_("A notice goes to units named on the task."))
    code = agency_code()
    with transaction.atomic():
        serial = next_serial(today.year, code)
        notice = Notice.objects.create(
            task=task,
            milestone=data.milestone,
            parent=parent,
            level=data.level,
            unit=unit,
            problem=data.problem.strip(),
            requirement=data.requirement.strip(),
            reply_due=data.reply_due,
            year=today.year,
            agency_code=code,
            serial=serial,
            doc_number=format_doc_number(code, today.year, serial),
            issuer=_issuer(user),
            issued_at=clock.now(),
            issued_by=_user(user),
        )
        if co_units:
            notice.co_units.set(co_units)
    return notice


def _locked(notice: Notice) -> Notice:
    return Notice.objects.select_for_update().get(pk=notice.pk)


def sign_notice(*, notice: Notice, user: Any) -> Notice:
    check(user, Action.REPLY, notice)
    with transaction.atomic():
        notice = _locked(notice)
        if notice.state != NoticeState.ISSUED:
            raise SupervisionError(_("This notice has already been signed for."))
        notice.state = NoticeState.SIGNED
        notice.signed_at = clock.now()
        notice.signed_by = _user(user)
        notice.save()
    return notice


def reply_notice(
    *, notice: Notice, text: str, files: Iterable[CheckedFile] = (), user: Any
) -> Notice:
    """The unit's answer; an unsigned notice is signed for by the same act."""
    check(user, Action.REPLY, notice)
    if not text.strip():
        raise SupervisionError(_("Write what was done."))
    _check_text(text)
    written: list[str] = []
    try:
        with transaction.atomic():
            notice = _locked(notice)
            if notice.state not in OPEN_STATES:
                raise SupervisionError(_("This notice is no longer waiting for a reply."))
            now = clock.now()
            if notice.state == NoticeState.ISSUED:
                notice.signed_at = now
                notice.signed_by = _user(user)
            notice.state = NoticeState.REPLIED
            notice.reply_text = text.strip()
            notice.replied_at = now
            notice.replied_by = _user(user)
            notice.save()
            for checked in files:
                written.append(save_upload(NoticeFile(notice=notice), checked, user=user))
    except BaseException:
        forget(written)
        raise
    return notice


def accept_reply(*, notice: Notice, comment: str = "", user: Any) -> Notice:
    check(user, Action.REVIEW, notice)
    _check_text(comment)
    with transaction.atomic():
        notice = _locked(notice)
        if notice.state != NoticeState.REPLIED:
            raise SupervisionError(_("Only a replied notice can be accepted."))
        notice.state = NoticeState.ACCEPTED
        notice.office_comment = comment.strip()
        notice.closed_at = clock.now()
        notice.closed_by = _user(user)
        notice.save()
    return notice


def press_again(
    *,
    notice: Notice,
    reply_due: date,
    comment: str,
    requirement: str = "",
    level: str | None = None,
    user: Any,
) -> Notice:
    """再次督办: close this notice as pressed and issue a follow-up with a new deadline."""
    check(user, Action.REVIEW, notice)
    if not comment.strip():
        raise SupervisionError(_("Say why the notice is pressed again."))
    with transaction.atomic():
        notice = _locked(notice)
        if notice.state in (NoticeState.ACCEPTED, NoticeState.PRESSED):
            raise SupervisionError(_("This notice is closed."))
        follow_up = issue_notice(
            task=notice.task,
            data=NoticeInput(
                level=level or notice.level,
                problem=comment.strip(),
                requirement=requirement.strip() or notice.requirement,
                reply_due=reply_due,
                unit=notice.unit,
                co_units=list(notice.co_units.all()),
                milestone=notice.milestone,
            ),
            user=user,
            parent=notice,
        )
        notice.state = NoticeState.PRESSED
        notice.office_comment = comment.strip()
        notice.closed_at = clock.now()
        notice.closed_by = _user(user)
        notice.save()
    return follow_up


def is_overdue(notice: Notice, today: date | None = None) -> bool:
    today = today or clock.today()
    return notice.state in OPEN_STATES and notice.reply_due < today


def record_summons(*, task: Task, held_on: date, note: str, user: Any) -> Summons:
    check(user, Action.REVIEW, task)
    if not note.strip():
        raise SupervisionError(_("Write the note of the summons."))
    _check_text(note)
    return Summons.objects.create(
        task=task, held_on=held_on, note=note.strip(), created_by=_user(user)
    )


# Extension requests (延期申请)


def current_due(task: Task, milestone: Milestone | None) -> date | None:
    return milestone.due_on if milestone is not None else task.deadline


def request_extension(
    *, task: Task, milestone: Milestone | None, requested_due: date, reason: str, user: Any
) -> ExtensionRequest:
    check(user, Action.REPORT, task)
    if milestone is not None and milestone.refinement.task_id != task.pk:
        raise SupervisionError(_("The milestone belongs to another task."))
    if not reason.strip():
        raise SupervisionError(_("Give the reason for the extension."))
    _check_text(reason)
    due = current_due(task, milestone)
    if due is None:
        raise SupervisionError(_("There is no date to extend."))
    today = clock.today()
    if today >= due:
        raise SupervisionError(
            _("An extension must be requested before the date it extends (%(due)s).")
            % {"due": due.isoformat()}
        )
    if requested_due <= due:
        raise SupervisionError(_("The new date must be later than the current one."))
    pending = ExtensionRequest.objects.filter(
        task=task, milestone=milestone, state=ExtensionState.PENDING
    )
    if pending.exists():
        raise SupervisionError(_("A request for this date is already waiting for the office."))
    return ExtensionRequest.objects.create(
        task=task,
        milestone=milestone,
        current_due=due,
        requested_due=requested_due,
        reason=reason.strip(),
        requested_at=clock.now(),
        requested_by=_user(user),
    )


def decide_extension(
    *, request: ExtensionRequest, approve: bool, comment: str = "", user: Any
) -> ExtensionRequest:
    """Approve (the date changes; the request keeps the old one) or refuse with a comment."""
    check(user, Action.REVIEW, request)
    if not approve and not comment.strip():
        raise SupervisionError(_("Say why the extension is refused."))
    _check_text(comment)
    with transaction.atomic():
        request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
        if request.state != ExtensionState.PENDING:
            raise SupervisionError(_("This request has already been decided."))
        request.state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
        request.comment = comment.strip()
        request.decided_at = clock.now()
        request.decided_by = _user(user)
        request.save()
        if approve:
            if request.milestone_id is not None:
                milestone = Milestone.objects.get(pk=request.milestone_id)
                milestone.due_on = request.requested_due
                milestone.save()
            else:
                task = Task.objects.get(pk=request.task_id)
                task.deadline = request.requested_due
                task.save()
    return request


# The official document


def notice_document(notice: Notice) -> OfficialDocument:
    """The 督办通知 for ``notice``: the matter, the problem, the requirement and the deadline."""
    task = notice.task
    plan = task.plan
    word = notice.level_word
    source = f"《{plan.title}》" + (f"（{plan.doc_number}）" if plan.doc_number else "")
    matter = f"第{task.number}项重点任务"
    if notice.milestone is not None:
        matter += (
            f"“{notice.milestone.description}”节点（{format_cn_date(notice.milestone.due_on)}）"
        )
    opening = (
        f"根据{source}，你单位牵头负责{matter}：{task.text.rstrip('。')}。"
        f"经督查，该项工作存在以下问题，现予以{word}。"
    )
    paragraphs = [
        Para(opening),
        Para("存在问题", 1),
        *[Para(line.strip()) for line in notice.problem.splitlines() if line.strip()],
        Para("工作要求", 1),
        *[Para(line.strip()) for line in notice.requirement.splitlines() if line.strip()],
        Para("办理时限", 1),
        Para(
            f"请于{format_cn_date(notice.reply_due)}前将办理情况书面报送{notice.issuer}，"
            "并在督办系统中签收、反馈，逾期未反馈的，将予以通报。"
        ),
    ]
    if notice.parent_id is not None and notice.parent is not None:
        paragraphs.insert(
            1,
            Para(
                f"此前已以{notice.parent.doc_number}{notice.parent.level_word}，办理未达要求，现再次{word}。"
            ),
        )
    co_units = list(notice.co_units.all())
    if co_units:
        names = "、".join(u.name for u in co_units)
        paragraphs.insert(-2, Para(f"{names}要积极配合，共同推进。"))
    cc = [f"{leader.leader.name}同志" for leader in task.task_leaders.select_related("leader")]
    cc += [u.name for u in co_units]
    issued = timezone.localtime(notice.issued_at).date()
    return OfficialDocument(
        title=f"关于对第{task.number}项重点任务进行{word}的通知",
        doc_number=notice.doc_number,
        recipients=[notice.unit.name],
        paragraphs=paragraphs,
        issuer=notice.issuer,
        date=issued,
        cc=cc,
        printed_by=notice.issuer,
        printed_on=issued,
    )


def light_events(task: Task) -> list[LightEvent]:
    """The task's recorded lights, oldest first (``duban remind`` records each change of
    colour), each in the plan's own period its day falls in (``escalation.period_for``): what
    the escalation suggestions are computed from."""
    records = light_history(task)
    if not records:
        return []
    periods = [
        PeriodSpan(key=p.code, label=period_label(p), opens_on=p.opens_on, due_on=p.due_on)
        for p in Period.objects.filter(plan_id=task.plan_id)
    ]
    return [LightEvent.within(record.on, record.colour, periods) for record in records]
