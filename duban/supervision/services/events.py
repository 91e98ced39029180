"""What the supervision workflows tell people (``duban.core.events``): notify listens.

- ``notice_issued`` / ``notice_pressed``: a notice (a follow-up when pressed again) to its
  addressed and co-operating units;
- ``notice_replied``: a unit's reply, to the office;
- ``notice_accepted``: the office accepted the reply, to the notice's units (a reply the office
  does not accept is pressed again: ``notice_pressed``, which says so);
- ``extension_requested``: to the office; ``extension_decided``: to the unit that asked (the
  lead units when it is not known), ``extra["approved"]`` says which.

The workflows call these inside their transaction. The words are in the office's language
(``LANGUAGE_CODE``) whatever the language of the request or job, tasks named by number and
dates written 2023年8月15日.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from duban.core.events import Event, announce
from duban.core.formatting import format_cn_date, shorten
from duban.directory.models import Unit
from duban.ledger.models import Assignment, AssignmentRole, Task
from duban.reporting.services.periods import period_label

from ..models import ExtensionRequest, ExtensionState, Notice

MAX_BODY = 300


def _short(text: str, limit: int = MAX_BODY) -> str:
    return shorten(" ".join(text.split()), limit)


def task_refs(tasks: Iterable[Task]) -> str:
    """第1项、第30项: tasks by number."""
    return "、".join(_("task %(number)s") % {"number": task.number} for task in tasks)


def recipients(notice: Notice) -> tuple[int, ...]:
    """The addressed unit, then the co-operating units."""
    co = [pk for pk in notice.co_units.values_list("pk", flat=True) if pk != notice.unit_id]
    return (notice.unit_id, *co)


def subject(notice: Notice) -> str:
    """What the notice is on: 第1项任务, or 2023年第1季度3项进展未报送."""
    if notice.period_id is not None and notice.period is not None:
        return _("%(count)s missing reports of %(period)s") % {
            "count": notice.tasks.count(),
            "period": period_label(notice.period),
        }
    assert notice.task is not None
    return _("Task %(number)s") % {"number": notice.task.number}


def _link(notice: Notice) -> str:
    return reverse("supervision:notice", args=[notice.pk])


def _notice_event(
    kind: str,
    notice: Notice,
    title: str,
    body: str,
    *,
    unit_ids: tuple[int, ...] = (),
    to_office: bool = False,
    due_on: date | None = None,
) -> Event:
    return Event(
        kind=kind,
        key=f"{kind}:{notice.pk}",
        title=title,
        body=body,
        link=_link(notice),
        unit_ids=unit_ids,
        to_office=to_office,
        task_id=notice.task_id,
        due_on=due_on,
        extra={"notice": notice.pk, "doc_number": notice.doc_number},
    )


def notice_issued(notice: Notice) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        title = _("%(level)s notice %(number)s · %(subject)s") % {
            "level": notice.get_level_display(),
            "number": notice.doc_number,
            "subject": subject(notice),
        }
        body = _("Sign for it and reply by %(due)s.") % {"due": format_cn_date(notice.reply_due)}
        if notice.period_id is not None:
            body = (
                _("Reports missing: %(tasks)s.") % {"tasks": task_refs(notice.listed_tasks())}
                + " "
                + body
            )
        event = _notice_event(
            "notice_issued",
            notice,
            title,
            body,
            unit_ids=recipients(notice),
            due_on=notice.reply_due,
        )
    announce(event)


def notice_pressed(follow_up: Notice) -> None:
    parent = follow_up.parent
    assert parent is not None
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Pressed again: %(level)s notice %(number)s · %(subject)s") % {
            "level": follow_up.get_level_display(),
            "number": follow_up.doc_number,
            "subject": subject(follow_up),
        }
        words = {
            "parent": parent.doc_number,
            "comment": _short(parent.office_comment),
            "due": format_cn_date(follow_up.reply_due),
        }
        if parent.replied_at is not None:
            body = _("The reply to %(parent)s was not accepted: %(comment)s Reply by %(due)s.")
        else:
            body = _("%(parent)s was not answered as required: %(comment)s Reply by %(due)s.")
        event = _notice_event(
            "notice_pressed",
            follow_up,
            title,
            body % words,
            unit_ids=recipients(follow_up),
            due_on=follow_up.reply_due,
        )
    announce(event)


def notice_replied(notice: Notice, unit_id: int | None) -> None:
    """``unit_id``: the unit that answered (an addressed or co-operating unit, or the lead)."""
    unit = Unit.objects.filter(pk=unit_id).first() if unit_id is not None else None
    with translation.override(settings.LANGUAGE_CODE):
        title = _("%(unit)s replied to %(number)s · %(subject)s") % {
            "unit": (unit or notice.unit).name,
            "number": notice.doc_number,
            "subject": subject(notice),
        }
        event = _notice_event(
            "notice_replied", notice, title, _short(notice.reply_text), to_office=True
        )
    announce(event)


def notice_accepted(notice: Notice) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Reply accepted: %(number)s · %(subject)s") % {
            "number": notice.doc_number,
            "subject": subject(notice),
        }
        body = _short(notice.office_comment) or _("The notice is closed.")
        event = _notice_event("notice_accepted", notice, title, body, unit_ids=recipients(notice))
    announce(event)


def _what(request: ExtensionRequest) -> str:
    if request.milestone_id is not None and request.milestone is not None:
        return _("Milestone “%(what)s”") % {"what": request.milestone.description}
    return _("The task's deadline")


def _extension_link(request: ExtensionRequest) -> str:
    return reverse("ledger:task", args=[request.task_id]) + "#supervision"


def extension_requested(request: ExtensionRequest) -> None:
    task = request.task
    unit = request.unit
    with translation.override(settings.LANGUAGE_CODE):
        title = _("%(unit)s asks for an extension · task %(number)s") % {
            "unit": unit.name if unit is not None else _("The lead unit"),
            "number": task.number,
        }
        body = _("%(what)s: from %(current)s to %(requested)s. Reason: %(reason)s") % {
            "what": _what(request),
            "current": format_cn_date(request.current_due),
            "requested": format_cn_date(request.requested_due),
            "reason": _short(request.reason),
        }
        event = Event(
            kind="extension_requested",
            key=f"extension_requested:{request.pk}",
            title=title,
            body=body,
            link=_extension_link(request),
            to_office=True,
            task_id=task.pk,
            extra={"extension": request.pk},
        )
    announce(event)


def lead_unit_ids(task: Task) -> tuple[int, ...]:
    ids = Assignment.objects.filter(task=task, role=AssignmentRole.LEAD, unit__isnull=False)
    return tuple(ids.order_by("position").values_list("unit_id", flat=True))


def extension_decided(request: ExtensionRequest) -> None:
    task = request.task
    approved = request.state == ExtensionState.APPROVED
    units = (request.unit_id,) if request.unit_id is not None else lead_unit_ids(task)
    with translation.override(settings.LANGUAGE_CODE):
        words = {
            "number": task.number,
            "what": _what(request),
            "current": format_cn_date(request.current_due),
            "requested": format_cn_date(request.requested_due),
            "comment": _short(request.comment),
        }
        if approved:
            title = _("Extension approved · task %(number)s") % words
            body = _("%(what)s is now %(requested)s (it was %(current)s).") % words
            if request.comment:
                body += " " + _("Comment: %(comment)s") % words
        else:
            title = _("Extension refused · task %(number)s") % words
            body = _("%(what)s stays %(current)s. Reason: %(comment)s") % words
        event = Event(
            kind="extension_decided",
            key=f"extension_decided:{request.pk}",
            title=title,
            body=body,
            link=_extension_link(request),
            unit_ids=units,
            task_id=task.pk,
            extra={"extension": request.pk, "approved": approved},
        )
    announce(event)
