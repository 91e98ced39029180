"""What is worked out from many rows, kept in the process and current with the audit trail.

Some of what the ledger, the cockpit and the navigation show is no column: a task's light is
worked out in Python from its reports, milestones, refinement and the date (``duban.lights``),
a period's late or missing reports likewise (``duban.dashboards.facets``), the 待办 count from a
dozen kinds of waiting items. Working out a whole plan's lights on every page costs about 0.1 s
for 2,000 tasks and seconds for 20,000.

Every change of business data leaves an event in the audit trail, in the same transaction
(``duban.audit.signals``: code saves audited models one by one), and the events are a hash
chain. So the trail's last change, ``trail()`` — one query on its primary key, asked once per
request — says whether anything changed since a value was worked out (sign-ins, exports,
the API's uses of a token and refusals are events too, and change nothing kept here):

- ``PlanMemo`` keeps each task's value, per plan and day. When the trail has moved it reads the
  events since (one more query): those that name a task (``AuditEvent.task_id``: a report
  saved, a refinement approved, a light set by hand, the task changed) recompute those tasks
  only; an event of a kind that concerns every task (``global_types``: a period opened or
  closed, the lights' thresholds, the plan's year) recomputes the plan. Under a surge of
  reports each look recomputes the few tasks written since, not the plan.
- ``TrailCache`` keeps a value per key (the 待办 count per person, the directory as the
  ledger reads it) while the trail has not moved, on the same day, for at most ``max_age``
  seconds. The trail's query also fingerprints the groups' members (a many-to-many ``set``
  that leaves no event of its own), so that a new member counts as a move.
- An event remembered that is gone or has another hash (a backup restored, a test's
  transaction rolled back) starts again: the hash chain names the whole history up to it.

Every process keeps its own values (gunicorn's workers each) and looks at the shared trail, so
all agree with the database. A change made around the ORM's ``save`` (``QuerySet.update``,
``bulk_create``, SQL by hand) leaves no event: a ``PlanMemo`` does not see it until that task's
next event or the next day, a ``TrailCache`` until ``max_age``.

Within one request the trail is asked once (``request_started`` begins a request), and at every
use after the request writes an event (it reads its own writes); outside a request (commands,
tests calling the services) at every use.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, NamedTuple, TypeVar

from django.core.signals import request_finished, request_started
from django.db.models import F, Func, QuerySet, Subquery
from django.db.models.signals import post_save
from django.utils.translation import get_language

from duban.audit.models import AuditAction, AuditEvent
from duban.core import clock
from duban.directory.models import Group

from .models import Task

V = TypeVar("V")

# More changes than this since the last look: recompute the plan rather than read them all.
MAX_EVENTS = 500
# Plans (each on a day) kept per memo: the newest plan today is what people look at.
MAX_PLANS = 3
# Tasks worked out at a time when a plan is worked out again.
CHUNK = 2000

_local = threading.local()  # the request being served by this thread: its token


class Trail(NamedTuple):
    """Where the audit trail stands: its last change (``CHANGES``), ``(id, hash)`` (None while
    there is none), and a fingerprint of the one table of business data written without an
    event of its own (the groups' members, a many-to-many ``set``): their count and a sum over
    their rows."""

    event: tuple[int, str] | None
    members: tuple[int, int]


def trail() -> Trail:
    """Where the trail stands: asked once per request (one query), and again after the request
    writes an event; at every call outside a request."""
    token = getattr(_local, "token", None)
    if token is not None and getattr(_local, "trail_token", None) is token:
        found: Trail = _local.trail
        return found
    found = _read_trail()
    if token is not None:
        _local.trail_token, _local.trail = token, found
    return found


def in_request() -> bool:
    """Whether this thread serves a request that has written nothing yet: a look at the trail
    is then asked once for the whole request."""
    return getattr(_local, "token", None) is not None


# The events that change data; a sign-in, an export, an access token's use or a refusal is
# recorded too, and changes nothing kept here.
CHANGES = (AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE, AuditAction.CONFIG)


def _read_trail() -> Trail:
    members = Group.members.through.objects.order_by()
    row = (
        AuditEvent.objects.filter(action__in=CHANGES)
        .order_by("-pk")
        .annotate(
            _members=Subquery(members.values(n=Func(F("pk"), function="COUNT"))),
            _sum=Subquery(
                members.values(n=Func(F("unit_id") * 1000003 + F("group_id"), function="SUM"))
            ),
        )
        .values_list("pk", "hash", "_members", "_sum")
        .first()
    )
    if row is None:
        return Trail(None, (-1, -1))
    return Trail((row[0], row[1]), (row[2] or 0, row[3] or 0))


def _events_between(
    then: tuple[int, str], now: tuple[int, str]
) -> list[tuple[int, str, int | None, str]] | None:
    """The changes after ``then`` up to ``now``: ``(id, hash, task id, object type)`` each;
    None when they cannot be told (more than ``MAX_EVENTS``, or ``then`` is gone or has
    another hash: a backup restored, a transaction rolled back) — work everything out again.

    The events between two given ones (ids and hashes: the hash chain names the whole history
    up to each) never change, so the few last answers are kept: the memos and caches of one
    request that last looked at the same place ask the database once."""
    found = _BETWEEN.get((then, now), _UNKNOWN)
    if found is not _UNKNOWN:
        return found
    result = _read_events_between(then, now)
    _BETWEEN[(then, now)] = result
    while len(_BETWEEN) > 16:
        _BETWEEN.pop(next(iter(_BETWEEN)), None)
    return result


_BETWEEN: dict[tuple[tuple[int, str], tuple[int, str]], Any] = {}
_UNKNOWN = object()


def _read_events_between(
    then: tuple[int, str], now: tuple[int, str]
) -> list[tuple[int, str, int | None, str]] | None:
    since = list(
        AuditEvent.objects.filter(pk__gte=then[0], pk__lte=now[0], action__in=CHANGES)
        .order_by("pk")
        .values_list("pk", "hash", "task_id", "object_type")[: MAX_EVENTS + 2]
    )
    if (
        len(since) > MAX_EVENTS
        or not since
        or (since[0][0], since[0][1]) != then
        or (since[-1][0], since[-1][1]) != now
    ):
        return None
    return since[1:]


# The kinds of data (``object_type`` prefixes) the ledger's tasks, their units and who may see
# them are read from: the ledger's own tables, the directory, and the units a lead unit names
# behind an open placeholder (相关镇（街道） → 缑氏镇: reporting's ``SlotUnit``, which the
# ledger's unit filters and the permission rule read). A value worked out from these only is
# kept across every other change: ``TrailCache(moved_by=LEDGER_DATA)``.
LEDGER_DATA = ("ledger.", "directory.", "reporting.slotunit")


@dataclass(frozen=True)
class _Kept(Generic[V]):
    event: tuple[int, str] | None  # the last event seen (id, hash); None: the trail was empty
    values: dict[int, V]


class PlanMemo(Generic[V]):
    """``compute(tasks, day)`` gives the value of each task of a queryset of one plan's tasks
    (those it leaves out have none); ``values(plan_id)`` gives every task's, kept current."""

    def __init__(
        self,
        name: str,
        compute: Callable[[QuerySet[Task], date], Mapping[int, V]],
        global_types: Iterable[str] = (),
        *,
        per_language: bool = False,
        alike: Callable[[V], Hashable] | None = None,
    ) -> None:
        self.name = name
        self.compute = compute
        self.global_types = frozenset(global_types)
        # What makes two values alike (None: none is): alike values are kept once.
        self.alike = alike
        # Values that hold words (a period's name, a state's label) are kept per language.
        self.per_language = per_language
        self._kept: dict[tuple[int, date, str], _Kept[V]] = {}  # by plan and day, oldest first
        self._derived: dict[Any, tuple[Mapping[int, V], Any]] = {}
        self._lock = threading.Lock()

    def _key(self, plan_id: int, today: date) -> tuple[int, date, str]:
        return (plan_id, today, (get_language() or "") if self.per_language else "")

    def values(self, plan_id: int, today: date | None = None) -> Mapping[int, V]:
        """Every task's value in the plan on ``today`` (the clock's by default), current with
        the trail. Days are kept apart (a summary of a past day leaves today's alone)."""
        today = today or clock.today()
        key = self._key(plan_id, today)
        now = trail().event
        kept = self._kept.get(key)
        if kept is not None and kept.event == now:
            return kept.values
        with self._lock:
            kept = self._refresh(plan_id, today, self._kept.pop(key, None), now)
            self._kept[key] = kept
            while len(self._kept) > MAX_PLANS:
                self._kept.pop(next(iter(self._kept)))
            return kept.values

    def derived(
        self,
        plan_id: int,
        name: str,
        derive: Callable[[Mapping[int, V]], Any],
        today: date | None = None,
    ) -> Any:
        """``derive(values)`` of the plan's values, worked out once per state of them (the
        colour of every light, for the ledger's light filter: not 20,000 look-ups a page)."""
        values = self.values(plan_id, today)
        key = (self._key(plan_id, today or clock.today()), name)
        found = self._derived.get(key)
        if found is None or found[0] is not values:
            found = (values, derive(values))
            self._derived[key] = found
            while len(self._derived) > 4 * MAX_PLANS:
                self._derived.pop(next(iter(self._derived)))
        return found[1]

    def kept(self, plan_id: int, today: date | None = None) -> bool:
        """Whether the plan's values are kept (for ``today``): using them costs no more than
        a look at the trail."""
        return self._key(plan_id, today or clock.today()) in self._kept

    def forget(self) -> None:
        """Drop everything kept (the next use recomputes)."""
        with self._lock:
            self._kept.clear()

    def _refresh(
        self, plan_id: int, today: date, kept: _Kept[V] | None, now: tuple[int, str] | None
    ) -> _Kept[V]:
        if kept is None or kept.event is None or now is None:
            return self._rebuild(plan_id, today, now)
        if kept.event == now:
            return kept
        events = _events_between(kept.event, now)
        if events is None:
            return self._rebuild(plan_id, today, now)
        if any(object_type in self.global_types for *_rest, object_type in events):
            return self._rebuild(plan_id, today, now)
        changed = {task_id for _pk, _hash, task_id, _type in events if task_id is not None}
        values = kept.values
        if changed:
            found = self.compute(Task.objects.filter(plan_id=plan_id, pk__in=changed), today)
            values = dict(values)
            for task_id in changed:
                if task_id in found:
                    values[task_id] = found[task_id]
                else:
                    values.pop(task_id, None)
        return _Kept(now, values)

    def _rebuild(self, plan_id: int, today: date, now: tuple[int, str] | None) -> _Kept[V]:
        # ``now`` was read before computing: whatever is written meanwhile comes after it and
        # is looked at next time. A few thousand tasks at a time: a plan of 20,000 holds less
        # memory at once, and alike values are kept once (``alike``).
        ids = list(Task.objects.filter(plan_id=plan_id).order_by().values_list("pk", flat=True))
        values: dict[int, V] = {}
        shared: dict[Hashable, V] = {}
        for start in range(0, len(ids), CHUNK):
            chunk = Task.objects.filter(pk__in=ids[start : start + CHUNK])
            for pk, value in self.compute(chunk, today).items():
                key = self.alike(value) if self.alike is not None else None
                values[pk] = value if key is None else shared.setdefault(key, value)
        return _Kept(now, values)


class TrailCache(Generic[V]):
    """Values that change only with the audit trail, the day and the time: each kept for a key
    while the trail has not moved, on the same day, for at most ``max_age`` seconds (what
    depends on the time of day, or on a change the trail does not record, follows within it).

    ``moved_by``: the kinds of data the value is worked out from, as the trail names them
    (``object_type`` prefixes: ``"ledger."``, ``"directory."``). When the trail has moved,
    the events since are read (one query) and the value is kept if none of them is of those
    kinds and the groups' members are as they were: a report submitted or a light set by hand
    does not make the ledger's units and counts be read again."""

    def __init__(
        self, max_age: float, size: int = 2000, *, moved_by: Iterable[str] | None = None
    ) -> None:
        self.max_age = max_age
        self.size = size
        self.moved_by = tuple(moved_by) if moved_by is not None else None
        self._kept: dict[Hashable, tuple[Trail, date, float, V]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        now, today, moment = trail(), clock.today(), time.monotonic()
        kept = self._kept.get(key)
        if kept is not None and kept[1] == today and moment - kept[2] < self.max_age:
            if kept[0] == now:
                return kept[3]
            if self._untouched(kept[0], now):
                with self._lock:  # the same value, seen current at ``now``; as old as it was
                    if key in self._kept:
                        self._kept[key] = (now, today, kept[2], kept[3])
                return kept[3]
        value = compute()
        with self._lock:
            self._kept.pop(key, None)
            self._kept[key] = (now, today, moment, value)
            while len(self._kept) > self.size:
                self._kept.pop(next(iter(self._kept)))
        return value

    def _untouched(self, then: Trail, now: Trail) -> bool:
        """Whether nothing of ``moved_by``'s kinds changed from ``then`` to ``now``."""
        if self.moved_by is None or then.members != now.members:
            return False
        if then.event is None or now.event is None:
            return False
        since = _events_between(then.event, now.event)
        return since is not None and not any(
            object_type.startswith(self.moved_by) for *_rest, object_type in since
        )

    def clear(self) -> None:
        """Forget every value (tests that count what a first request reads)."""
        with self._lock:
            self._kept.clear()


def _request_started(**kwargs: Any) -> None:
    _local.token = object()


def _request_finished(**kwargs: Any) -> None:
    _local.token = None


def _event_written(instance: AuditEvent, **kwargs: Any) -> None:
    """This thread wrote a change: from now on in this request, every use asks the trail."""
    if instance.action in CHANGES:
        _local.token = None


def connect() -> None:
    """Called from ``LedgerConfig.ready()``: outside a request (commands, tests calling the
    services) every use asks the trail."""
    request_started.connect(_request_started, dispatch_uid="duban.ledger.memo.started")
    request_finished.connect(_request_finished, dispatch_uid="duban.ledger.memo.finished")
    post_save.connect(_event_written, sender=AuditEvent, dispatch_uid="duban.ledger.memo.event")
