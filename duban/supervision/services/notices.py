"""The supervision workflows: notices (issue, sign, reply, accept, press again), 约谈 notes and
extension requests (request, approve, refuse).

Who may do what is the models' rule (``duban.core.permissions.check``): the office
(``Action.REVIEW`` on the task or the notice) issues, accepts, presses, records 约谈 and decides
extensions; an operator of the notice's addressee or co-operating unit, or of the task's lead
unit, signs for and answers a notice (``Action.REPLY``); the lead unit (``Action.REPORT`` on the
task) asks for extensions. Every function takes the acting ``user`` (``None`` is the console,
trusted) and every change is audited through the registered models.

A notice goes to a unit the task reaches (``duban.directory.reach``): a unit named on it, or one
a group on it stands for (the towns and streets behind 各镇（街道）, the units the lead unit named
behind 相关镇（街道）). ``issue_notices`` issues the same notice to several such units at once,
one notice (and one 发文字号) each, so that each answers its own.

Each step says what happened (``.events``) inside its transaction: the notice issued or pressed
again (to its units), the reply (to the office), the reply accepted (to its units), the
extension asked for (to the office) and decided (to the unit that asked).

The period 催办 (one notice per unit listing its missing reports) is ``.period_notices``; the
official documents are ``.documents``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from duban.core import clock
from duban.core.files import CheckedFile, forget, save_upload
from duban.core.permissions import Action, actor, check
from duban.directory.models import Unit
from duban.directory.reach import UnitRef, units_of_group
from duban.ledger.models import Assignment, AssignmentRole, Task, reaches
from duban.lights.services import light_history
from duban.reporting.models import Milestone, Period, SlotUnit
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
from . import events

DEFAULT_AGENCY_CODE = "偃督办"
MAX_TEXT = 3000


class SupervisionError(ValueError):
    """A change that cannot be made as asked; the message says why."""


def agency_code() -> str:
    """The 机关代字 of the office's notices: ``DUBAN_SUPERVISION_AGENCY_CODE`` or 偃督办."""
    return str(getattr(settings, "DUBAN_SUPERVISION_AGENCY_CODE", "") or DEFAULT_AGENCY_CODE)


def _user(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def check_text(*texts: str) -> None:
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


# Which units a notice on a task may go to


@dataclass(frozen=True)
class UnitHeading:
    """Units a notice may go to, under how the task reaches them (its own units, or a group)."""

    label: str
    units: list[Unit]


def reachable_units(task: Task) -> list[UnitHeading]:
    """The units a notice on ``task`` may go to: first the units named on it (lead units
    first), then, for each group on it, the units it stands for (各镇（街道） → every active town
    and street; an open placeholder → the units the lead unit named behind it). Each unit once.

    The same units ``reaches_unit`` accepts: both read ``duban.directory.reach``."""
    assignments = list(
        Assignment.objects.filter(task=task)
        .select_related("unit", "group")
        .order_by("role", "position")  # lead before responsible
    )
    slots: dict[int, list[Unit]] = {}
    for slot in SlotUnit.objects.filter(assignment__task=task).select_related("unit"):
        slots.setdefault(slot.assignment_id, []).append(slot.unit)
    seen: set[int] = set()

    def fresh(units: Iterable[Unit]) -> list[Unit]:
        found = [u for u in units if u.pk not in seen]
        seen.update(u.pk for u in found)
        return found

    named = fresh(a.unit for a in assignments if a.unit is not None)
    headings = [UnitHeading(_("Named on the task"), named)] if named else []
    for assignment in assignments:
        group = assignment.group
        if group is None:
            continue
        if group.is_open:
            behind = sorted(slots.get(assignment.pk, []), key=lambda u: (u.code, u.name))
        else:
            behind = list(units_of_group(group).order_by("code", "name"))
        units = fresh(behind)
        if units:
            headings.append(UnitHeading(group.name, units))
    return headings


def task_units(task: Task) -> list[Unit]:
    """Every unit a notice on ``task`` may go to, in the order of ``reachable_units``."""
    return [unit for heading in reachable_units(task) for unit in heading.units]


def lead_units(task: Task) -> list[Unit]:
    return [
        a.unit
        for a in Assignment.objects.filter(task=task, role=AssignmentRole.LEAD, unit__isnull=False)
        .select_related("unit")
        .order_by("position")
        if a.unit is not None
    ]


def reaches_unit(task: Task, unit: Unit) -> bool:
    """Whether ``task`` reaches ``unit`` (named, through a group, behind a placeholder)."""
    return Task.objects.filter(pk=task.pk).filter(reaches(UnitRef.of(unit))).exists()


def not_on_task(task: Task, unit: Unit) -> str:
    return _(
        "%(unit)s is not a unit of task %(number)s: a notice goes to a unit the task names, or "
        "to one that a group on it (such as 各镇（街道）) stands for."
    ) % {"unit": unit.name, "number": task.number}


def check_units(task: Task, units: Iterable[Unit]) -> None:
    for unit in units:
        if not reaches_unit(task, unit):
            raise SupervisionError(not_on_task(task, unit))


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


def check_notice_text(level: str, problem: str, requirement: str, reply_due: date) -> None:
    if level not in NoticeLevel.values:
        raise SupervisionError(_("“%(value)s” is not a level.") % {"value": level})
    if not problem.strip() or not requirement.strip():
        raise SupervisionError(_("Write the problem and the requirement."))
    check_text(problem, requirement)
    if reply_due < clock.today():
        raise SupervisionError(_("The reply deadline cannot be in the past."))


def create_notice(
    *,
    unit: Unit,
    co_units: Sequence[Unit] = (),
    level: str,
    problem: str,
    requirement: str,
    reply_due: date,
    user: Any,
    task: Task | None = None,
    milestone: Milestone | None = None,
    period: Period | None = None,
    tasks: Sequence[Task] = (),
    parent: Notice | None = None,
) -> Notice:
    """Write a notice with the next 发文字号 (inside a transaction; nothing is checked here)."""
    today = clock.today()
    code = agency_code()
    serial = next_serial(today.year, code)
    notice = Notice.objects.create(
        task=task,
        milestone=milestone,
        period=period,
        parent=parent,
        level=level,
        unit=unit,
        problem=problem.strip(),
        requirement=requirement.strip(),
        reply_due=reply_due,
        year=today.year,
        agency_code=code,
        serial=serial,
        doc_number=format_doc_number(code, today.year, serial),
        issuer=_issuer(user),
        issued_at=clock.now(),
        issued_by=_user(user),
    )
    co = [u for u in co_units if u.pk != unit.pk]
    if co:
        notice.co_units.set(co)
    if tasks:
        notice.tasks.set(tasks)
    return notice


def _checked(task: Task, data: NoticeInput, units: Sequence[Unit]) -> list[Unit]:
    """The addressees (default: the first lead unit) once the notice's input is found right."""
    check_notice_text(data.level, data.problem, data.requirement, data.reply_due)
    if data.milestone is not None and data.milestone.refinement.task_id != task.pk:
        raise SupervisionError(_("The milestone belongs to another task."))
    addressed = list(dict.fromkeys(units))
    if not addressed:
        leads = lead_units(task)
        if not leads:
            raise SupervisionError(_("The task has no lead unit to address the notice to."))
        addressed = leads[:1]
    check_units(task, [*addressed, *data.co_units])
    return addressed


def issue_notices(
    *, task: Task, data: NoticeInput, units: Sequence[Unit], user: Any
) -> list[Notice]:
    """The same notice to each of ``units`` (one notice, one 发文字号 each; ``data.unit`` is
    ignored), in one transaction: all are issued or none."""
    check(user, Action.REVIEW, task)
    addressed = _checked(task, data, units)
    co_units = list(data.co_units)
    notices = []
    with transaction.atomic():
        for unit in addressed:
            notice = create_notice(
                task=task,
                milestone=data.milestone,
                unit=unit,
                co_units=co_units,
                level=data.level,
                problem=data.problem,
                requirement=data.requirement,
                reply_due=data.reply_due,
                user=user,
            )
            events.notice_issued(notice)
            notices.append(notice)
    return notices


def issue_notice(*, task: Task, data: NoticeInput, user: Any) -> Notice:
    """One notice to ``data.unit`` (default: the task's first lead unit)."""
    units = [data.unit] if data.unit is not None else []
    [notice] = issue_notices(task=task, data=data, units=units, user=user)
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
    check_text(text)
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
            events.notice_replied(notice, actor(user).unit_id)
    except BaseException:
        forget(written)
        raise
    return notice


def accept_reply(*, notice: Notice, comment: str = "", user: Any) -> Notice:
    check(user, Action.REVIEW, notice)
    check_text(comment)
    with transaction.atomic():
        notice = _locked(notice)
        if notice.state != NoticeState.REPLIED:
            raise SupervisionError(_("Only a replied notice can be accepted."))
        notice.state = NoticeState.ACCEPTED
        notice.office_comment = comment.strip()
        notice.closed_at = clock.now()
        notice.closed_by = _user(user)
        notice.save()
        events.notice_accepted(notice)
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
    """再次督办: close this notice as pressed and issue a follow-up with a new deadline, to the
    same units, on the same task (or the same period and tasks)."""
    check(user, Action.REVIEW, notice)
    if not comment.strip():
        raise SupervisionError(_("Say why the notice is pressed again."))
    check_text(comment)
    with transaction.atomic():
        notice = _locked(notice)
        if notice.state in (NoticeState.ACCEPTED, NoticeState.PRESSED):
            raise SupervisionError(_("This notice is closed."))
        level = level or notice.level
        requirement = requirement.strip() or notice.requirement
        check_notice_text(level, comment, requirement, reply_due)
        co_units = list(notice.co_units.all())
        if notice.task is not None:
            check_units(notice.task, [notice.unit, *co_units])
        follow_up = create_notice(
            task=notice.task,
            milestone=notice.milestone,
            period=notice.period,
            tasks=list(notice.tasks.all()) if notice.period_id is not None else (),
            parent=notice,
            unit=notice.unit,
            co_units=co_units,
            level=level,
            problem=comment,
            requirement=requirement,
            reply_due=reply_due,
            user=user,
        )
        notice.state = NoticeState.PRESSED
        notice.office_comment = comment.strip()
        notice.closed_at = clock.now()
        notice.closed_by = _user(user)
        notice.save()
        events.notice_pressed(follow_up)
    return follow_up


def is_overdue(notice: Notice, today: date | None = None) -> bool:
    today = today or clock.today()
    return notice.state in OPEN_STATES and notice.reply_due < today


def record_summons(*, task: Task, held_on: date, note: str, user: Any) -> Summons:
    check(user, Action.REVIEW, task)
    if not note.strip():
        raise SupervisionError(_("Write the note of the summons."))
    check_text(note)
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
    check_text(reason)
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
    with transaction.atomic():
        request = ExtensionRequest.objects.create(
            task=task,
            milestone=milestone,
            current_due=due,
            requested_due=requested_due,
            reason=reason.strip(),
            unit_id=actor(user).unit_id,
            requested_at=clock.now(),
            requested_by=_user(user),
        )
        events.extension_requested(request)
    return request


def decide_extension(
    *, request: ExtensionRequest, approve: bool, comment: str = "", user: Any
) -> ExtensionRequest:
    """Approve (the date changes; the request keeps the old one) or refuse with a comment."""
    check(user, Action.REVIEW, request)
    if not approve and not comment.strip():
        raise SupervisionError(_("Say why the extension is refused."))
    check_text(comment)
    with transaction.atomic():
        request = (
            ExtensionRequest.objects.select_for_update(of=("self",))
            .select_related("task", "milestone", "unit")
            .get(pk=request.pk)
        )
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
        events.extension_decided(request)
    return request


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
