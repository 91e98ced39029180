"""待办: everything waiting for a person, gathered from the apps that know about it.

The page (``/reporting/todo/``), the count in the navigation bar and the office's home page ask
this module; it knows nothing of any app. Each app that has something to wait on registers a
``Source`` in its ``AppConfig.ready()`` (reporting: reports, refinements, contributions;
supervision: 督办/催办 notices, replies, extensions, escalation suggestions; inspections:
rectification items). A source gives, for a person, one unevaluated queryset per kind of item
(asked of the models' ``restrict``, never of a role) and turns the rows of each into ``Item``s.

- ``todo_for(user)`` — every non-empty section, one query per kind; with ``limit``, each
  section's first ``limit`` items and its full count (one query for every count, then one
  per non-empty kind: the page of a province's office or lead unit holds thousands of items);
- ``counts_for(user)`` / ``count_for(user)`` — each kind's count / the total, in ONE query
  whatever the user and however many sources (each kind's queryset counted, the counts joined
  by ``UNION ALL``);
- ``register(source)`` — called once per source, in ``AppConfig.ready()``.

``count_for(user) == todo_for(user).total`` always: a source must give the same rows to both
(``items`` may drop nothing that ``querysets`` counted).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import CharField, Count, QuerySet, Value

from .permissions import actor


@dataclass(frozen=True)
class Item:
    """One thing waiting: a line people read (already translated) and where to act on it.

    ``task`` is the ledger task it hangs on (None for what hangs on none, e.g. an inspection
    item of no task); ``due_on`` the deadline (shown as 2023年8月15日); ``note`` one more line
    (the office's comment on a returned report, a decision's result); ``period_label`` the
    reporting period in words (2023年第2季度), never its code; ``unit`` who it comes from (the
    office's items) or is for; ``overdue`` marks what is past its deadline.
    """

    title: str
    link: str
    task: Any = None
    due_on: date | None = None
    note: str = ""
    period_label: str = ""
    submitted_at: datetime | None = None
    unit: str = ""
    overdue: bool = False
    # Internal, for pages and tests to find an item (a period's code, an object's pk); never shown.
    key: str = ""


@dataclass(frozen=True)
class Section:
    kind: str
    title: str
    items: list[Item]
    # Information rather than a request (e.g. an extension decided): shown, and counted, alike.
    informational: bool = False
    # How many items wait in all (``items`` may be the first of them: ``todo_for(limit=…)``).
    total: int | None = None

    @property
    def count(self) -> int:
        return len(self.items) if self.total is None else self.total

    @property
    def more(self) -> int:
        """How many items wait beyond those listed."""
        return self.count - len(self.items)

    # Which columns the page needs: only those some item of the section fills.
    @property
    def has_tasks(self) -> bool:
        return any(item.task for item in self.items)

    @property
    def has_periods(self) -> bool:
        return any(item.period_label for item in self.items)

    @property
    def has_due(self) -> bool:
        return any(item.due_on for item in self.items)

    @property
    def has_submitted(self) -> bool:
        return any(item.submitted_at for item in self.items)


@dataclass
class Todo:
    sections: list[Section] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(section.count for section in self.sections)

    def section(self, kind: str) -> Section | None:
        return next((s for s in self.sections if s.kind == kind), None)


class Source:
    """What one app has waiting for people. Subclass, fill in, ``register(Source())``.

    ``kinds`` names every kind the source may give (unique across sources: the page uses them
    as anchors, the count as column names) with its section title (lazy gettext is fine);
    ``order`` places the source's sections on the page (lower first); ``informational`` lists
    the kinds that inform rather than ask.
    """

    name: str = ""
    order: int = 100
    kinds: Mapping[str, Any] = {}
    informational: Sequence[str] = ()

    def querysets(self, user: Any) -> dict[str, QuerySet[Any]]:
        """The user's rows of each kind, unevaluated and ordered as the page shows them; leave
        out the kinds the user can have none of. Ask ``restrict``; no query may run here."""
        return {}

    def items(self, kind: str, queryset: QuerySet[Any]) -> list[Item]:
        """The rows of one kind (the queryset ``querysets`` gave) as Items, one per row."""
        raise NotImplementedError


_sources: list[Source] = []


def register(source: Source) -> Source:
    """Add a source (once: registering the same name again replaces it, so a reloaded app
    does not count twice)."""
    for other in _sources:
        if other.name == source.name:
            continue
        clash = set(other.kinds) & set(source.kinds)
        if clash:
            raise ValueError(f"待办 kinds {sorted(clash)} are already given by {other.name}")
    _sources[:] = [s for s in _sources if s.name != source.name] + [source]
    _sources.sort(key=lambda s: s.order)
    return source


def sources() -> list[Source]:
    return list(_sources)


def _querysets(user: Any) -> list[tuple[Source, str, QuerySet[Any]]]:
    if not actor(user).active:
        return []
    found = []
    for source in _sources:
        for kind, queryset in source.querysets(user).items():
            if kind not in source.kinds:
                raise ValueError(f"待办 source {source.name} gave an undeclared kind {kind}")
            found.append((source, kind, queryset))
    return found


def todo_for(
    user: Any, *, limit: int | None = None, kinds: Sequence[str] | None = None, offset: int = 0
) -> Todo:
    """Every item waiting for ``user``, by section (the empty ones left out).

    With ``limit``: each section's items from ``offset`` (``limit`` of them) and its full count,
    the counts read first in one query so that an empty kind costs nothing. ``kinds``: only
    those sections."""
    todo = Todo()
    found = [entry for entry in _querysets(user) if kinds is None or entry[1] in kinds]
    counts = _counts(user, found) if limit is not None else {}
    for source, kind, queryset in found:
        if limit is not None:
            total = counts.get(kind, 0)
            if not total or offset >= total:
                continue
            items = source.items(kind, queryset[offset : offset + limit])
        else:
            total = None
            items = source.items(kind, queryset)
        if items:
            title = str(source.kinds[kind])
            informational = kind in source.informational
            todo.sections.append(Section(kind, title, items, informational, total))
    return todo


def counts_for(user: Any) -> dict[str, int]:
    """How many items of each kind are waiting, in one query whatever the user (none when
    nothing can be)."""
    return _counts(user, _querysets(user))


def count_for(user: Any) -> int:
    """How many items are waiting, in one query whatever the user (none when nothing can be)."""
    return sum(counts_for(user).values())


def _counts(user: Any, found: list[tuple[Source, str, QuerySet[Any]]]) -> dict[str, int]:
    """Each kind's count in ONE query: ``SELECT kind, COUNT(*) …`` of every kind's queryset,
    joined by ``UNION ALL`` (PostgreSQL plans each part on its own; a row of scalar subqueries
    was planned as one, and took twice as long for a province's lead unit)."""
    parts = [
        queryset.order_by()
        .values(todo_kind=Value(kind, output_field=CharField()))
        .annotate(todo_count=Count("pk"))
        .values("todo_kind", "todo_count")
        for _, kind, queryset in found
        if not queryset.query.is_empty()  # restrict() gave none(): nothing to count
    ]
    if not parts:
        return {}
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return {row["todo_kind"]: int(row["todo_count"]) for row in rows}
