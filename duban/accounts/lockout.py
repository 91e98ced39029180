"""Locking sign-in after repeated failures (等保 身份鉴别: 登录失败处理), with django-axes.

django-axes counts the failed sign-ins (``AccessAttempt``, per user name, address and browser)
and refuses to check a password while a lock holds. duban's settings (settings.py):
``DUBAN_LOCKOUT_FAILURES`` (5) failures on one account, each less than
``DUBAN_LOCKOUT_MINUTES`` (15) after the one before, lock the account for that many minutes
after the last one; as many failures from one address, on any accounts, lock the address. A
try while locked does not push the opening time on, so the page can say when it opens.

This module reads those counts for duban: when a lock opens (``locked_until``), the locked
accounts and addresses (the user management page), the Chinese lockout page
(``lockout_response``, django-axes' ``AXES_LOCKOUT_CALLABLE``), the early unlock by whoever
manages the account (audited ``unlock``) and the ``lockout`` event each new lock leaves in the
audit trail. Times are the real time (django-axes uses ``timezone.now``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.audit.context import client_address
from duban.audit.models import AuditAction
from duban.audit.signals import record
from duban.core.formatting import format_cn_datetime
from duban.core.permissions import Action, check

from .permissions import unlocks_addresses
from .services import check_may_change

ACCOUNT, ADDRESS = "account", "address"
# Too Many Requests: the sign-in page again, with the lock's reason and end.
LOCKED_STATUS = 429


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check before the password, for sign-ins over the web (with a request);
    a password checked without one (a command, a test) has no address to count and is let
    through to Django's own backend."""

    def authenticate(self, request: Any, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


def window() -> dt.timedelta:
    """How long failures count and a lock lasts (DUBAN_LOCKOUT_MINUTES, as django-axes has it)."""
    cool_off: dt.timedelta = settings.AXES_COOLOFF_TIME
    return cool_off


def limit() -> int:
    """How many failures lock (DUBAN_LOCKOUT_FAILURES, as django-axes has it)."""
    return int(settings.AXES_FAILURE_LIMIT)


def _live() -> Any:
    return AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - window())


def _locked(field: str, values: list[str] | None = None) -> dict[str, dt.datetime]:
    """The locked user names (``field="username"``) or addresses, with when each opens."""
    attempts = _live().exclude(**{f"{field}__isnull": True})
    if values is not None:
        attempts = attempts.filter(**{f"{field}__in": values})
    rows = (
        attempts.values(field)
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=limit())
        .order_by(field)
    )
    return {row[field]: row["last"] + window() for row in rows}


def locked_accounts(usernames: list[str] | None = None) -> dict[str, dt.datetime]:
    """Locked user names (all, or among ``usernames``) and when each lock opens."""
    return _locked("username", usernames)


def locked_addresses() -> dict[str, dt.datetime]:
    """Locked addresses and when each lock opens."""
    return _locked("ip_address")


def locked_until(*, username: str | None = None, address: str | None = None) -> dt.datetime | None:
    """When sign-in for this user name from this address opens again; None if it is open."""
    ends: list[dt.datetime] = []
    if username:
        ends += locked_accounts([username]).values()
    if address:
        ends += [until for found, until in locked_addresses().items() if found == address]
    return max(ends) if ends else None


def lockout_message(*, username: str, address: str | None) -> str:
    """Why sign-in is refused and when it opens, in the person's words."""
    account = locked_accounts([username]).get(username) if username else None
    by_address = locked_addresses().get(address or "")
    if account is not None and (by_address is None or account >= by_address):
        return _(
            "Too many failed sign-ins: the account %(name)s is locked until %(time)s. The "
            "security administrator can unlock it sooner."
        ) % {"name": username, "time": format_cn_datetime(timezone.localtime(account))}
    until = by_address or timezone.now() + window()
    return _(
        "Too many failed sign-ins from this computer (%(address)s): signing in from it is "
        "locked until %(time)s. The security administrator can unlock it sooner."
    ) % {"address": address or "—", "time": format_cn_datetime(timezone.localtime(until))}


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """The sign-in page saying that sign-in is locked and until when (AXES_LOCKOUT_CALLABLE)."""
    username = str((credentials or {}).get("username") or request.POST.get("username", ""))
    message = lockout_message(username=username, address=client_address(request))
    context = {
        "form": AuthenticationForm(request, initial={"username": username}),
        "next": request.POST.get("next", ""),
        "lockout": message,
    }
    return render(request, "registration/login.html", context, status=LOCKED_STATUS)


def locked_out(
    sender: Any, request: HttpRequest, username: str | None, ip_address: str | None, **kwargs: Any
) -> None:
    """django-axes' ``user_locked_out``: a ``lockout`` event when a lock begins (not for each
    try refused while it holds, which django-axes signals too and the trail has as failed
    sign-ins)."""
    if getattr(request, "axes_failures_since_start", None) is None:
        return
    name = username or ""
    locked = []
    if name and name in locked_accounts([name]):
        locked.append(ACCOUNT)
    if ip_address and ip_address in locked_addresses():
        locked.append(ADDRESS)
    user = get_user_model().objects.filter(username=name).first() if name else None
    record(
        AuditAction.LOCKOUT,
        user,
        address=ip_address,
        result="failed",
        label=name[:150],
        after={"username": name, "address": ip_address or "", "locked": locked},
    )


def unlock(*, by: Any, user: AbstractUser) -> bool:
    """Lift the lock on ``user``'s sign-in now (its failures are forgotten); recorded as an
    ``unlock`` event. Whoever may change the account may unlock it. Whether it was locked."""
    check(by, Action.MANAGE_USERS)
    check_may_change(by, user)
    username = user.get_username()
    was_locked = username in locked_accounts([username])
    AxesProxyHandler.reset_attempts(username=username)
    record(AuditAction.UNLOCK, user, user=by, after={"username": username, "locked": was_locked})
    return was_locked


def unlock_address(*, by: Any, address: str) -> bool:
    """Lift the lock on an address (the security administrator, or the console)."""
    if by is not None and not unlocks_addresses(by):
        raise PermissionDenied(_("Only the security administrator unlocks an address."))
    was_locked = address in locked_addresses()
    AxesProxyHandler.reset_attempts(ip_address=address)
    record(AuditAction.UNLOCK, None, user=by, after={"address": address, "locked": was_locked})
    return was_locked
