"""Filters that apps above the ledger add to it: the lights' 红黄绿灯 (``?light=red``).

The ledger cannot import the apps above it, and what they know of a task is not always a
column (a task's light is decided in Python by ``duban.lights.rules``). So an upper app
registers a ``TaskFacet`` in its ``AppConfig.ready()``: the query parameter, its choices, and
``classify``, which gives the value of every task of a queryset in a fixed number of queries.

A page reads the values once (``FacetValues.read`` over the plan's tasks the person may see),
then ``queries.filter_tasks`` narrows by them (``pk__in``) and ``queries.count_facets`` counts
each choice under the other filters, exactly like the ledger's own filters: the numbers beside
the choices say what choosing them would show, and paging works on the narrowed queryset.

Some filters exist for the links of the cockpit (``duban.dashboards.facets``: a period's late,
returned or missing reports, open 督办, open rectification items). They differ in three ways:

- a task may have several values at once (late in 2023Q1 and in 2023Q2): ``classify`` then
  gives a ``frozenset`` of values, and the task is found under each of them;
- their choices may depend on the plan (its periods): ``plan_choices(plan)`` adds them, and
  ``pattern`` (a regular expression) says which values are accepted in the query string;
- they are not ``listed`` in the ledger's filter bar (nor read) unless chosen: a person who
  follows a cockpit link sees that filter, its choices and counts, and can clear it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from .models import Plan, Task

# A task's value, or its values when it has several (a frozenset).
FacetValue = str | frozenset[str]
# ``classify(tasks, user)``: the user whose page it is (None: the console), for the filters
# whose rows are not all seen by everyone who sees the task (a unit's rectification items).
Classifier = Callable[[QuerySet[Task], Any], Mapping[int, FacetValue]]
Choices = tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class TaskFacet:
    """One registered filter: ``name`` is its query parameter, ``choices`` its values and
    labels in the order shown, ``classify`` each task's value (a fixed number of queries) as
    the person sees it."""

    name: str
    label: Any  # the heading of the select (a lazy translation)
    any_label: Any  # its empty option ("all")
    choices: Choices
    classify: Classifier
    # Shown (and read) on every ledger page; when False, only while it is chosen.
    listed: bool = True
    # Choices that depend on the plan (its periods), after ``choices``; values of that kind are
    # accepted from the query string when they match ``pattern`` (a regular expression).
    plan_choices: Callable[[Plan], Choices] | None = None
    pattern: str = ""
    # Every task's value in a plan, the same for everyone who sees the task, when the upper app
    # keeps them (``duban.ledger.memo``): read instead of ``classify`` when the plan is known.
    classify_plan: Callable[[Plan], Mapping[int, FacetValue]] | None = None

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(value for value, _label in self.choices)

    def accepts(self, value: str) -> bool:
        """Is ``value`` one of this filter's (a fixed choice, or of the pattern's form)?"""
        if value in self.values:
            return True
        return bool(self.pattern and value and re.fullmatch(self.pattern, value))

    def choices_for(self, plan: Plan) -> Choices:
        """The choices in the order shown, the plan's own after the fixed ones."""
        extra = self.plan_choices(plan) if self.plan_choices is not None else ()
        return self.choices + tuple(extra)


_facets: dict[str, TaskFacet] = {}

# The ledger's own parameters, which no registered filter may take.
RESERVED = frozenset(
    {"area", "leader", "lead", "responsible", "status", "q", "sort", "page", "page_size", "plan"}
)


def register_task_facet(facet: TaskFacet) -> None:
    """Called from an upper app's ``ready()``; registering the same name again replaces it."""
    if facet.name in RESERVED:
        raise ValueError(f"{facet.name!r} is a parameter of the ledger itself")
    _facets[facet.name] = facet


def task_facets() -> list[TaskFacet]:
    return list(_facets.values())


def task_facet(name: str) -> TaskFacet | None:
    return _facets.get(name)


@dataclass
class FacetValues:
    """Each registered filter's value of each task, read once for one request."""

    by_facet: dict[str, Mapping[int, FacetValue]] = field(default_factory=dict)

    @classmethod
    def read(
        cls,
        tasks: QuerySet[Task],
        chosen: Iterable[str] = (),
        user: Any = None,
        plan: Plan | None = None,
    ) -> FacetValues:
        """The values of ``tasks`` (the plan's tasks ``user`` may see) for every listed facet
        and the ``chosen`` ones (by name), as ``user`` sees them. Given the ``plan``, a facet
        that keeps its values (``classify_plan``) gives every task of the plan: the counts and
        filters only ever ask about the tasks the person may see."""
        wanted = set(chosen)
        return cls(
            {
                facet.name: (
                    facet.classify_plan(plan)
                    if plan is not None and facet.classify_plan is not None
                    else facet.classify(tasks, user)
                )
                for facet in task_facets()
                if facet.listed or facet.name in wanted
            }
        )

    def ids(self, name: str, value: str) -> list[int]:
        """The tasks whose ``name`` is ``value`` (or one of whose values is)."""
        return [pk for pk, found in self.by_facet.get(name, {}).items() if _has(found, value)]

    def count(self, name: str, task_ids: Iterable[int]) -> dict[str, int]:
        """How many of ``task_ids`` have each value of ``name``."""
        values = self.by_facet.get(name, {})
        found: Counter[str] = Counter()
        for pk in task_ids:
            value = values.get(pk)
            if value is None:
                continue
            if isinstance(value, str):
                found[value] += 1
            else:
                for each in value:
                    found[each] += 1
        return dict(found)


def _has(found: FacetValue, value: str) -> bool:
    return found == value if isinstance(found, str) else value in found
