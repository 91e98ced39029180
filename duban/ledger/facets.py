"""Filters that apps above the ledger add to it: the lights' 红黄绿灯 (``?light=red``).

The ledger cannot import the apps above it, and what they know of a task is not always a
column (a task's light is decided in Python by ``duban.lights.rules``). So an upper app
registers a ``TaskFacet`` in its ``AppConfig.ready()``: the query parameter, its choices, and
``classify``, which gives the value of every task of a queryset in a fixed number of queries.

A page reads the values once (``FacetValues.read`` over the plan's tasks the person may see),
then ``queries.filter_tasks`` narrows by them (``pk__in``) and ``queries.count_facets`` counts
each choice under the other filters, exactly like the ledger's own filters: the numbers beside
the choices say what choosing them would show, and paging works on the narrowed queryset.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from .models import Task

Classifier = Callable[[QuerySet[Task]], Mapping[int, str]]


@dataclass(frozen=True)
class TaskFacet:
    """One registered filter: ``name`` is its query parameter, ``choices`` its values and
    labels in the order shown, ``classify`` each task's value (a fixed number of queries)."""

    name: str
    label: Any  # the heading of the select (a lazy translation)
    any_label: Any  # its empty option ("all")
    choices: tuple[tuple[str, Any], ...]
    classify: Classifier

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(value for value, _label in self.choices)


_facets: dict[str, TaskFacet] = {}

# The ledger's own parameters, which no registered filter may take.
RESERVED = frozenset(
    {"area", "leader", "lead", "responsible", "status", "q", "sort", "page", "plan"}
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

    by_facet: dict[str, Mapping[int, str]] = field(default_factory=dict)

    @classmethod
    def read(cls, tasks: QuerySet[Task]) -> FacetValues:
        """The values of ``tasks`` (the plan's tasks a person may see) for every facet."""
        return cls({facet.name: facet.classify(tasks) for facet in task_facets()})

    def ids(self, name: str, value: str) -> list[int]:
        """The tasks whose ``name`` is ``value``."""
        return [pk for pk, found in self.by_facet.get(name, {}).items() if found == value]

    def count(self, name: str, task_ids: Iterable[int]) -> dict[str, int]:
        """How many of ``task_ids`` have each value of ``name``."""
        values = self.by_facet.get(name, {})
        return dict(Counter(values[pk] for pk in task_ids if pk in values))
