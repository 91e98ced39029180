"""The one place that asks who may see or do what (NetBox's way).

Every domain model whose rows belong to someone has a ``RestrictedQuerySet``: its app says, in
the model's own ``permitted(who, action)``, which rows a person may see or act on. Views, lists,
counts, exports, downloads, services and 待办 ask only these:

- ``Model.objects.restrict(user, action)`` — the rows ``user`` may ``action``;
- ``can(user, action, obj)`` — may ``user`` ``action`` this object (or, without an object, does
  the person hold that capability at all: manage the ledger, manage accounts, read the trail);
- ``check(user, action, obj)`` — the same, raising ``PermissionDenied`` (services; ``None`` is
  the console or a background job, which may);
- ``@requires(action)`` or ``@requires(action, Model)`` on a view.

The person is an ``Actor``: what the rules need (the unit they act for, the leader they are,
whether they read every task, which capabilities they hold). ``duban.accounts`` alone turns an
account's role into an Actor and registers that reading here when the app starts; no other code
looks at roles. Administrators (三权分立) hold only their own capability and read no business data.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

from django.apps import apps
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import EmptyResultSet, PermissionDenied
from django.core.signals import request_finished, request_started
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _


class Action(StrEnum):
    # What a person does to one object; each model answers for the ones it knows.
    VIEW = "view"  # read it and what hangs on it
    CHANGE = "change"  # edit, add to or delete it (whoever owns the draft, or the office)
    REFINE = "refine"  # a task: write its refinement (the lead unit)
    REPORT = "report"  # a task: write its reports (the lead unit)
    CONTRIBUTE = "contribute"  # a task: contribute to its report (a responsible unit)
    REVIEW = "review"  # approve, return, accept, verify, decide (the office)
    REPLY = "reply"  # answer what was addressed to one's unit: sign, reply, report on an item
    DOWNLOAD = "download"  # download its file(s)
    # What a person may do at all (asked without an object).
    READ_LEDGER = "read_ledger"  # business data at all: the ledger, its pages and exports
    MANAGE_LEDGER = "manage_ledger"  # import notices, edit the directory, open periods, issue
    MANAGE_USERS = "manage_users"  # create, change, deactivate, reset business accounts
    MANAGE_SETTINGS = "manage_settings"  # channels and system settings (system administrator)
    READ_AUDIT = "read_audit"  # read the audit trail (audit administrator)


OBJECT_ACTIONS = (
    Action.VIEW,
    Action.CHANGE,
    Action.REFINE,
    Action.REPORT,
    Action.CONTRIBUTE,
    Action.REVIEW,
    Action.REPLY,
    Action.DOWNLOAD,
)
CAPABILITIES = (
    Action.READ_LEDGER,
    Action.MANAGE_LEDGER,
    Action.MANAGE_USERS,
    Action.MANAGE_SETTINGS,
    Action.READ_AUDIT,
)


@dataclass(frozen=True)
class Actor:
    """What the rules know of a person: never a role, only what follows from it.

    ``unit_id`` is the unit the person acts for (a unit's operator), ``leader_id`` the leader the
    person is (a leader's account); ``reads_all`` says the person reads every task (the office,
    viewers); ``grants`` are the capabilities held (``Action.READ_LEDGER`` and the like).
    """

    user_id: int | None = None
    active: bool = False
    unit_id: int | None = None
    unit_kind: str | None = None
    unit_active: bool = True
    leader_id: int | None = None
    reads_all: bool = False
    grants: frozenset[Action] = field(default_factory=frozenset)
    # The kinds of account (by their accounts-app name) this person may create and change.
    manages_accounts_of: frozenset[str] = field(default_factory=frozenset)

    def may(self, capability: Action) -> bool:
        return self.active and capability in self.grants

    @property
    def manages(self) -> bool:
        """Runs the ledger (the office): sees everything and reviews every workflow."""
        return self.may(Action.MANAGE_LEDGER)

    @property
    def reads_business(self) -> bool:
        return self.may(Action.READ_LEDGER)


NOBODY = Actor()

_source: Callable[[Any], Actor] | None = None


def register_actor_source(source: Callable[[Any], Actor]) -> None:
    """Called once by duban.accounts when it starts: how an account becomes an Actor."""
    global _source
    _source = source


def actor(user: Any) -> Actor:
    if user is None or not getattr(user, "is_authenticated", False):
        return NOBODY
    if _source is None:  # pragma: no cover - duban.accounts is always installed
        raise RuntimeError("duban.accounts has not registered how to read an account")
    return _source(user)


M = TypeVar("M", bound=models.Model)


class RestrictedQuerySet(models.QuerySet[M]):
    """A QuerySet that can say which of its rows a person may see or act on.

    A model takes part by giving its manager a subclass that overrides ``permitted``; the
    ``actions`` it lists are the ones the permission matrix tests for it.
    """

    actions: tuple[Action, ...] = (Action.VIEW,)

    def restrict(self, user: Any, action: Action | str = Action.VIEW) -> RestrictedQuerySet[M]:
        who = actor(user)
        if not who.active:
            return self.none()
        return self.permitted(who, Action(action))

    def permitted(self, who: Actor, action: Action) -> RestrictedQuerySet[M]:
        """The rows ``who`` may ``action``; nothing unless the model says otherwise."""
        return self.none()


def registered_models() -> Iterator[type[models.Model]]:
    """Every model whose rows are restricted (the permission matrix walks these)."""
    for model in apps.get_models():
        if isinstance(model._default_manager.all(), RestrictedQuerySet):
            yield model


def can(user: Any, action: Action | str, obj: models.Model | None = None) -> bool:
    """May ``user`` do ``action`` to ``obj`` (or hold the capability, without an object)?"""
    action = Action(action)
    if obj is None:
        return actor(user).may(action)
    if obj.pk is None:
        return False
    queryset = type(obj)._default_manager.filter(pk=obj.pk)
    if not isinstance(queryset, RestrictedQuerySet):
        raise TypeError(f"{type(obj).__name__} has no restrict(): it is not a restricted model")
    restricted = queryset.restrict(user, action)
    if restricted is queryset:
        # The rule adds no condition (the office reads every task): ``obj`` is one of the rows,
        # no query needed — a task page asks this of half a dozen panels.
        return True
    if restricted.query.is_empty():  # the rule gives nothing (``none()``)
        return False
    answers: dict[Any, bool] | None = getattr(_asked, "answers", None)
    if answers is None:
        return restricted.exists()
    # In a request, the same question (the same rows: may she report on it, refine it?) is
    # asked of the database once, until something is saved or deleted.
    try:
        sql, params = restricted.query.sql_with_params()
    except EmptyResultSet:  # a condition that no row can meet (``pk__in=[]``)
        return False
    try:
        question = (sql, tuple(params))
        if question not in answers:
            answers[question] = restricted.exists()
    except TypeError:  # a parameter that cannot be a key: ask the database
        return restricted.exists()
    return answers[question]


_asked = threading.local()  # ``answers`` of the request this thread serves (None outside one)


def _request_started(**kwargs: Any) -> None:
    _asked.answers = {}


def _request_finished(**kwargs: Any) -> None:
    _asked.answers = None


def _saved(**kwargs: Any) -> None:
    """Something was saved or deleted: the answers may have changed."""
    if getattr(_asked, "answers", None):
        _asked.answers = {}


def connect() -> None:
    """Called from ``CoreConfig.ready()``: the answers of ``can`` are kept for one request."""
    request_started.connect(_request_started, dispatch_uid="duban.core.permissions.started")
    request_finished.connect(_request_finished, dispatch_uid="duban.core.permissions.finished")
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_saved, dispatch_uid=f"duban.core.permissions.{id(signal)}")


def check(
    user: Any, action: Action | str, obj: models.Model | None = None, *, why: Any = None
) -> None:
    """``PermissionDenied`` (saying ``why``, when given) unless ``user`` may; ``None`` (the
    console, a job) always may."""
    if user is not None and not can(user, action, obj):
        raise PermissionDenied(why or _("You do not have permission to do this."))


V = TypeVar("V", bound=Callable[..., HttpResponseBase])


def requires(
    action: Action, model: type[models.Model] | None = None, *, kwarg: str = "pk"
) -> Callable[[V], V]:
    """A view decorator: sign-in first, then 404 for what does not exist, 403 for what the
    person may not do (a task that exists but is someone else's answers 403, never 404)."""

    def decorate(view: V) -> V:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            target = None
            if model is not None:
                target = get_object_or_404(model._default_manager.all(), pk=kwargs[kwarg])
            check(request.user, action, target)
            return view(request, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
