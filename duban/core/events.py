"""Things that happened that someone must hear about (督办 issued, a report returned, …).

A workflow in a lower app cannot import ``duban.notify`` (it sits above them all), so it says
what happened here and notify, which listens (``NotifyConfig.ready``), tells the people
concerned: the operators of ``unit_ids`` and, when ``to_office`` is set, the supervision
office. Nothing here knows who those people are or how they are told.

Send inside the workflow's transaction with ``announce(Event(...))``: the receiver writes its
notifications in the same transaction, so a rolled-back action tells nobody.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.dispatch import Signal

# Sent with ``event=Event(...)``.
happened = Signal()


@dataclass(frozen=True)
class Event:
    """What happened, for whom, in words for people (already translated, lazily is fine).

    ``kind`` is a stable internal name ("notice_issued", "report_returned", …) used to group
    and to find; it is never shown. ``key`` makes the event unique (a second announcement of
    the same key tells nobody again); ``title`` is one line, ``body`` may be longer.
    """

    kind: str
    key: str
    title: Any
    body: Any = ""
    link: str = ""
    unit_ids: tuple[int, ...] = ()
    to_office: bool = False
    task_id: int | None = None
    due_on: date | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def announce(event: Event, sender: Any = None) -> None:
    happened.send(sender=sender or Event, event=event)
