"""How an audit event reads to a person: in Chinese, by labels and names, never by ids.

The trail stores what changed as the database holds it (``reviewed_by_id: 5``, ``state:
"submitted"``, ``reviewed_at: "2023-07-24T02:48:00+00:00"``). ``present(events)`` turns each
event into what a task's history and the audit page show:

- the object by its model's name (``报送``) and its own words (``object_repr``);
- each changed field by its label (the field's ``verbose_name``; ``FIELD_LABELS`` names the
  bookkeeping fields that have none: ``reviewed_at`` → 审核时间), the quiet ones left out
  (``id``, ``updated_at``, ``version``, ``position``, fingerprints);
- each value as a person reads it: a choice by its name (已提交), a person by his or her name
  and any other object by its own words, a time in local time to the minute (2023年7月24日
  10:48), a date as 2023年9月16日, yes or no;
- the person who acted by name (the user name only when the account is gone), the result
  (成功, 失败).

The trail sits below the apps whose models it records: it finds a model by its label through
Django's app registry, never by importing it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.core.formatting import format_cn_date, format_cn_datetime

from .models import AuditAction, AuditEvent

# Fields a change never shows: keys, ordering, counters and fingerprints.
QUIET_FIELDS = {
    "id",
    "updated_at",
    "version",
    "position",
    "key",
    "sha256",
    "source_sha256",
    "content_type",
    "size",
    "declared_areas",
    "declared_tasks",
    "summary",
}

# Labels of the bookkeeping fields that carry no verbose_name of their own (who did what when).
FIELD_LABELS: dict[str, Promise] = {
    "created_at": gettext_lazy("created at"),
    "created_by": gettext_lazy("created by"),
    "submitted_at": gettext_lazy("submitted at"),
    "submitted_by": gettext_lazy("submitted by"),
    "reviewed_at": gettext_lazy("reviewed at"),
    "reviewed_by": gettext_lazy("reviewed by"),
    "issued_at": gettext_lazy("issued at"),
    "issued_by": gettext_lazy("issued by"),
    "signed_at": gettext_lazy("signed for at"),
    "signed_by": gettext_lazy("signed for by"),
    "replied_at": gettext_lazy("replied at"),
    "replied_by": gettext_lazy("replied by"),
    "closed_at": gettext_lazy("closed at"),
    "closed_by": gettext_lazy("closed by"),
    "opened_at": gettext_lazy("opened at"),
    "requested_at": gettext_lazy("requested at"),
    "requested_by": gettext_lazy("requested by"),
    "decided_at": gettext_lazy("decided at"),
    "decided_by": gettext_lazy("decided by"),
    "reported_at": gettext_lazy("reported at"),
    "reported_by": gettext_lazy("reported by"),
    "returned_at": gettext_lazy("returned at"),
    "returned_by": gettext_lazy("returned by"),
    "verified_at": gettext_lazy("verified at"),
    "verified_by": gettext_lazy("verified by"),
    "uploaded_at": gettext_lazy("uploaded at"),
    "uploaded_by": gettext_lazy("uploaded by"),
    "recorded_by": gettext_lazy("recorded by"),
    "imported_at": gettext_lazy("imported at"),
    "imported_by": gettext_lazy("imported by"),
    "set_at": gettext_lazy("set at"),
    "set_by": gettext_lazy("set by"),
    "updated_by": gettext_lazy("updated by"),
    "days_late": gettext_lazy("days late"),
    "confirmed_warnings": gettext_lazy("warnings confirmed"),
    "original_name": gettext_lazy("file name"),
    "file": gettext_lazy("file"),
    "state": gettext_lazy("state"),
    "value": gettext_lazy("value"),
    "year": gettext_lazy("year"),
    "quarter": gettext_lazy("quarter"),
    "expected_percent": gettext_lazy("planned progress"),
    "expected_value": gettext_lazy("planned value"),
    "value_max": gettext_lazy("upper value"),
    "op": gettext_lazy("comparison"),
    "agency_code": gettext_lazy("agency code"),
    "serial": gettext_lazy("serial number"),
    "source_name": gettext_lazy("source file"),
}

# Names of the audited models that carry no verbose_name of their own (Django would call them
# by their class name); a new model should have one in its Meta instead.
MODEL_LABELS: dict[str, Promise] = {
    "reporting.refinement": gettext_lazy("refinement"),
    "reporting.milestone": gettext_lazy("milestone"),
    "reporting.quarterplan": gettext_lazy("quarter plan"),
    "reporting.slotunit": gettext_lazy("slot unit"),
    "reporting.reporttargetvalue": gettext_lazy("report target value"),
    "reporting.contribution": gettext_lazy("contribution"),
    "reporting.evidence": gettext_lazy("evidence"),
    "supervision.noticefile": gettext_lazy("notice file"),
    "inspections.inspectiontask": gettext_lazy("inspection task"),
    "inspections.inspectionfile": gettext_lazy("inspection file"),
    "ledger.taskleader": gettext_lazy("task leader"),
    "ledger.importrecord": gettext_lazy("import record"),
}

RESULTS: dict[str, Promise] = {
    "ok": gettext_lazy("Succeeded"),
    "failed": gettext_lazy("Failed"),
}


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass
class Shown:
    """One event as a person reads it."""

    event: AuditEvent
    at: str  # 2023年7月24日 10:48 (with seconds on the audit page)
    who: str  # 刘芳; the user name when the account is gone; 系统
    action: str  # 修改
    kind: str  # 报送 (the model's name), "" for a sign-in that failed
    object: str  # the object's own words when the event was recorded
    result: str  # 成功
    changes: list[Change] = field(default_factory=list)

    @property
    def number(self) -> str:
        """The object's number (its key in its table): all the audit page shows of it."""
        return self.event.object_id

    @property
    def target(self) -> str:
        """What the audit page says the event was about, without business text: the kind of
        object and its number (用户 · 12), the address refused for an access refused."""
        if self.event.action == AuditAction.DENIED:
            after = self.event.after if isinstance(self.event.after, dict) else {}
            return str(after.get("path", ""))
        if self.kind and self.number:
            return f"{self.kind} · {self.number}"
        return self.kind

    @property
    def what(self) -> str:
        """修改报送 (the action and the kind of object; the action alone for a sign-in)."""
        if not self.kind:
            return self.action
        return _("%(action)s %(kind)s") % {"action": self.action, "kind": self.kind}


def model_of(event: AuditEvent) -> type[models.Model] | None:
    if not event.object_type:
        return None
    try:
        return apps.get_model(event.object_type)
    except (LookupError, ValueError):
        return None


def kind_of(event: AuditEvent) -> str:
    """The model's name: its own verbose_name, else the table's, else Django's."""
    model = model_of(event)
    if model is None:
        return ""
    if "verbose_name" not in model._meta.original_attrs and event.object_type in MODEL_LABELS:
        return str(MODEL_LABELS[event.object_type])
    return str(model._meta.verbose_name)


def result_of(event: AuditEvent) -> str:
    shown = RESULTS.get(event.result)
    return str(shown) if shown is not None else event.result


def person(user: Any) -> str:
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return str(full or user.get_username())


def label_of(model_field: models.Field[Any, Any]) -> str:
    """The field's verbose name; when it has none of its own, the table's label, or for a
    link to another object that object's name (a milestone's ``unit``: 单位)."""
    own = str(model_field.verbose_name)
    if own != model_field.name.replace("_", " "):
        return own
    if model_field.name in FIELD_LABELS:
        return str(FIELD_LABELS[model_field.name])
    related = model_field.related_model
    if model_field.is_relation and isinstance(related, type):
        shown = MODEL_LABELS.get(related._meta.label_lower)
        return str(shown if shown is not None else related._meta.verbose_name)
    return own


def _fields(model: type[models.Model]) -> dict[str, models.Field[Any, Any]]:
    return {f.attname: f for f in model._meta.concrete_fields}


class _Names:
    """The names of the objects the changes point at, fetched once per model."""

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
        self.found: dict[tuple[type[models.Model], str], str] = {}

    def want(self, model: type[models.Model], pk: Any) -> None:
        if pk is not None and pk != "":
            self.wanted[model].add(pk)

    def fetch(self) -> None:
        user_model = get_user_model()
        for model, pks in self.wanted.items():
            for obj in model._default_manager.filter(pk__in=pks):
                name = person(obj) if issubclass(model, user_model) else str(obj)
                self.found[(model, str(obj.pk))] = name

    def name(self, model: type[models.Model], pk: Any) -> str:
        return self.found.get((model, str(pk)), _("(deleted)"))


def _changed(event: AuditEvent, model: type[models.Model] | None) -> list[tuple[Any, Any, Any]]:
    """(field, before, after) of an update's changed fields that are shown."""
    if model is None:
        return []
    if event.action != AuditAction.UPDATE and not (
        event.action == AuditAction.CONFIG and event.before is not None and event.after is not None
    ):
        return []
    fields = _fields(model)
    changed = []
    for name, before, after in event.changes():
        model_field = fields.get(name)
        if model_field is None or model_field.name in QUIET_FIELDS:
            continue  # a field since removed, or one nobody reads
        if model_field.name == "password":
            continue  # only ever "set"
        changed.append((model_field, before, after))
    return changed


def _value(model_field: Any, value: Any, names: _Names) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if model_field.is_relation and model_field.many_to_one:
        return names.name(model_field.related_model, value)
    choices = dict(model_field.flatchoices) if model_field.choices else None
    if choices is not None and value in choices:
        return str(choices[value])
    if isinstance(model_field, models.DateTimeField) and isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return format_cn_datetime(moment)
    if isinstance(model_field, models.DateField) and isinstance(value, str):
        try:
            return format_cn_date(dt.date.fromisoformat(value[:10]))
        except ValueError:
            return value
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(model_field, models.FileField):
        return str(value).rsplit("/", 1)[-1]
    if isinstance(value, list):
        if all(isinstance(item, str | int | float) for item in value):
            return "；".join(str(item) for item in value)
        return _("(changed)")
    if isinstance(value, dict):
        return _("(changed)")
    return str(value)


def present(events: Iterable[AuditEvent], *, seconds: bool = False) -> list[Shown]:
    """The events as a person reads them (the names they point at fetched in one go)."""
    events = list(events)
    names = _Names()
    pending: list[tuple[AuditEvent, list[tuple[Any, Any, Any]]]] = []
    for event in events:
        changed = _changed(event, model_of(event))
        for model_field, before, after in changed:
            if model_field.is_relation and model_field.many_to_one:
                names.want(model_field.related_model, before)
                names.want(model_field.related_model, after)
        if event.user_id is not None:
            names.want(get_user_model(), event.user_id)
        pending.append((event, changed))
    names.fetch()
    user_model = get_user_model()
    shown = []
    for event, changed in pending:
        if event.user_id is not None:
            who = names.found.get((user_model, str(event.user_id)), event.username)
        else:
            who = event.username or _("system")
        at = timezone.localtime(event.at) if timezone.is_aware(event.at) else event.at
        shown.append(
            Shown(
                event=event,
                at=format_cn_datetime(at, seconds=seconds),
                who=who,
                action=str(event.get_action_display()),
                kind=kind_of(event),
                object=event.object_repr,
                result=result_of(event),
                changes=[
                    Change(label_of(f), _value(f, before, names), _value(f, after, names))
                    for f, before, after in changed
                ],
            )
        )
    return shown
