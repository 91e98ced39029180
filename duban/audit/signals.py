"""Change logging for every audited model: before and after, who, when, from where.

A model joins the trail with ``register(Model, task=...)`` (``task`` finds the task an object
belongs to, so a task page can show its history). Bulk operations bypass signals, so code that
writes audited models saves them one by one.

A model that is a setting the office or the system administrator edits (a notification
channel, the traffic-light thresholds, the assessment scheme) registers with ``config=True``:
its creation, change and deletion are CONFIG events (before only: deleted; after only:
created). ``masked`` names fields whose values never reach the trail as they are: a webhook
address keeps only its scheme and host (``mask_url``), a secret only that it is set
(``mask_secret``), each with a short keyed fingerprint so that a change still shows.

Exports record what was exported and with which filters (``record_export``).
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import HttpRequest, QueryDict
from django.utils.crypto import salted_hmac

from duban.core.files import file_served

from .context import client_address, current
from .models import AuditAction, AuditEvent

TaskOf = Callable[[Any], int | None]
Mask = Callable[[Any], Any]
_registry: dict[type[models.Model], TaskOf] = {}
_config: set[type[models.Model]] = set()
_masks: dict[type[models.Model], dict[str, Mask]] = {}
_SECRET_FIELDS = {"password"}


def register(
    model: type[models.Model],
    task: TaskOf | None = None,
    *,
    config: bool = False,
    masked: dict[str, Mask] | None = None,
) -> None:
    """Record the model's changes: as CONFIG events if it is a setting (``config``), with the
    fields in ``masked`` passed through their mask."""
    _registry[model] = task or (lambda obj: getattr(obj, "task_id", None))
    if config:
        _config.add(model)
    if masked:
        _masks[model] = dict(masked)


def fingerprint(value: str) -> str:
    """Eight hex digits keyed with the instance's secret: equal values, equal fingerprints;
    nothing to read the value back from."""
    return salted_hmac("duban.audit.mask", value).hexdigest()[:8]


def mask_url(value: Any) -> str:
    """``https://oapi.dingtalk.com/… #1a2b3c4d``: the path and query (the access token) and
    any user name or password in the address never reach the trail."""
    if not value:
        return ""
    parts = urlsplit(str(value))
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        port = ""
    return f"{parts.scheme}://{parts.hostname or ''}{port}/… #{fingerprint(str(value))}"


def mask_secret(value: Any) -> str:
    """``****** #1a2b3c4d`` for a secret that is set, "" for none."""
    return f"****** #{fingerprint(str(value))}" if value else ""


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The object's concrete fields as JSON values; secrets only say that they are set."""
    data: dict[str, Any] = {}
    masks = _masks.get(type(obj), {})
    for field in obj._meta.concrete_fields:
        name = field.attname
        value = getattr(obj, name)
        if field.name in _SECRET_FIELDS:
            data[field.name] = "******" if value else ""
            continue
        if field.name in masks:
            data[name] = masks[field.name](value)
            continue
        if field.name == "last_login":
            continue
        data[name] = _json(value)
    return data


def _json(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if hasattr(value, "name") and hasattr(value, "storage"):  # a FieldFile
        return value.name or ""
    if isinstance(value, str | int | float | bool | list | dict) or value is None:
        return value
    return str(value)


def record(
    action: str,
    obj: models.Model | None = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    user: Any = None,
    address: str | None = None,
    task_id: int | None = None,
    result: str = "ok",
    label: str = "",
) -> AuditEvent:
    """Write one event; the acting user and address come from the request or command context."""
    acting = current()
    user = user if user is not None else acting.user
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    return AuditEvent.objects.create(
        user=user if authenticated else None,
        username=(user.get_username() if authenticated else label)[:150],
        address=address if address is not None else acting.address,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        task_id=task_id,
        before=before,
        after=after,
        result=result,
    )


def _meaningful(model: type[models.Model], data: dict[str, Any] | None) -> dict[str, Any] | None:
    if data is None:
        return None
    stamps = {f.attname for f in model._meta.concrete_fields if getattr(f, "auto_now", False)}
    return {k: v for k, v in data.items() if k not in stamps}


def _before(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if sender not in _registry or kwargs.get("raw"):
        return
    previous = sender._default_manager.filter(pk=instance.pk).first() if instance.pk else None
    instance._audit_before = snapshot(previous) if previous is not None else None  # type: ignore[attr-defined]


def _saved(
    sender: type[models.Model], instance: models.Model, created: bool, **kwargs: Any
) -> None:
    if sender not in _registry or kwargs.get("raw"):
        return
    before = getattr(instance, "_audit_before", None)
    after = snapshot(instance)
    if not created and _meaningful(sender, before) == _meaningful(sender, after):
        return  # saved without a change (only an auto_now timestamp moved): nothing happened
    if sender in _config:
        action = AuditAction.CONFIG
    else:
        action = AuditAction.CREATE if created else AuditAction.UPDATE
    record(
        action,
        instance,
        before=None if created else before,
        after=after,
        task_id=_registry[sender](instance),
    )


def _deleted(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if sender not in _registry:
        return
    task_id = _registry[sender](instance)
    action = AuditAction.CONFIG if sender in _config else AuditAction.DELETE
    record(action, instance, before=snapshot(instance), task_id=task_id)


def query_filters(query: QueryDict) -> dict[str, Any]:
    """A request's query parameters as an export's filters: each name with its value (a list
    when repeated), empty ones left out."""
    filters: dict[str, Any] = {}
    for name, values in query.lists():
        given = [value for value in values if value != ""]
        if given:
            filters[name] = given[0] if len(given) == 1 else given
    return filters


def record_export(
    request: HttpRequest | None,
    obj: models.Model | None,
    *,
    file: str,
    filters: dict[str, Any] | None = None,
    rows: int | None = None,
    task_id: int | None = None,
    **extra: Any,
) -> AuditEvent:
    """An EXPORT event: the file, how many rows, and the filters it was made with (the
    request's query parameters unless given)."""
    if filters is None:
        filters = query_filters(request.GET) if request is not None else {}
    after: dict[str, Any] = {"file": file, "filters": filters}
    if rows is not None:
        after["rows"] = rows
    after.update(extra)
    return record(AuditAction.EXPORT, obj, after=after, task_id=task_id)


def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(AuditAction.LOGIN, user, user=user, address=client_address(request) if request else None)


def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(
            AuditAction.LOGOUT,
            user,
            user=user,
            address=client_address(request) if request else None,
        )


def _login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    record(
        AuditAction.LOGIN_FAILED,
        address=client_address(request) if request is not None else None,
        result="failed",
        label=str(credentials.get("username", ""))[:150],
    )


def _served(sender: Any, stored: models.Model, task_id: int | None, **kwargs: Any) -> None:
    record(AuditAction.DOWNLOAD, stored, task_id=task_id)


def connect() -> None:
    """Listen for changes; each app registers its own audited models when it starts."""
    pre_save.connect(_before, dispatch_uid="duban.audit.before")
    post_save.connect(_saved, dispatch_uid="duban.audit.saved")
    post_delete.connect(_deleted, dispatch_uid="duban.audit.deleted")
    user_logged_in.connect(_logged_in, dispatch_uid="duban.audit.login")
    user_logged_out.connect(_logged_out, dispatch_uid="duban.audit.logout")
    user_login_failed.connect(_login_failed, dispatch_uid="duban.audit.login_failed")
    file_served.connect(_served, dispatch_uid="duban.audit.file_served")
