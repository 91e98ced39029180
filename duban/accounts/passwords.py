"""Passwords that must change (等保 身份鉴别: 口令定期更换), and the change a sign-in may owe.

The rules a new password must meet are validators (duban/accounts/validators.py); every
password saved is recorded (``PasswordRecord``: its hash, when, and whether someone else gave
it). A password is owed a change at the next sign-in when

- someone else gave it: a reset by the office or the security administrator, ``duban admin
  reset-password``, a new account's initial password (``give_password``); or
- it is older than ``DUBAN_PASSWORD_MAX_AGE_DAYS`` (90; 0: passwords never expire).

The sign-in step (``after_sign_in``) notes that in the session and sends the person to the
change page; the gate keeps them there (the pages of the second factor come first, sign-out
stays open) until the password is changed. Accounts ``duban demo`` and the test world make
(``ensure_account``) keep their password without owing a change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from . import sessions
from .models import PasswordRecord

OWED_KEY = "duban_password_owed"
GIVEN, EXPIRED = "given", "expired"

REASONS = {
    GIVEN: _(
        "Your password was set by someone else (a new account or a reset): choose your own "
        "before you go on."
    ),
    EXPIRED: _("Your password is older than %(days)d days: choose a new one before you go on."),
}


def give_password(user: Any, password: str) -> None:
    """Set a password someone else chose or made for ``user`` (saved by the caller's
    ``user.save()``): the person must change it at the next sign-in."""
    user.set_password(password)
    user._duban_must_change_password = True


def set_at(user: Any) -> dt.datetime | None:
    """When the account's current password was set: its newest record, else when the account
    was made (a password saved before duban kept records)."""
    record = PasswordRecord.objects.filter(user_id=user.pk).order_by("-set_at", "-pk").first()
    if record is not None:
        return record.set_at
    joined: dt.datetime | None = getattr(user, "date_joined", None)
    return joined


def owed_change(user: Any) -> str | None:
    """Why the account must change its password before going on (``GIVEN``, ``EXPIRED``), or
    None."""
    record = PasswordRecord.objects.filter(user_id=user.pk).order_by("-set_at", "-pk").first()
    if record is not None and record.must_change:
        return GIVEN
    days = settings.PASSWORD_MAX_AGE_DAYS
    since = record.set_at if record is not None else getattr(user, "date_joined", None)
    if days and since is not None and timezone.now() - since > dt.timedelta(days=days):
        return EXPIRED
    return None


def reason_text(reason: str) -> str:
    return str(REASONS.get(reason, REASONS[GIVEN])) % {"days": settings.PASSWORD_MAX_AGE_DAYS}


def change_url(request: HttpRequest) -> str:
    """The change page, leading back to this page (for a GET) once the password is changed."""
    url = reverse("password_change")
    if request.method == "GET" and request.path_info != url:
        return f"{url}?{urlencode({'next': request.get_full_path()})}"
    return url


def after_sign_in(request: HttpRequest, user: AbstractBaseUser) -> HttpResponse | None:
    reason = owed_change(user)
    if reason is None:
        return None
    request.session[OWED_KEY] = reason
    url = reverse("password_change")
    target = request.POST.get("next") or request.GET.get("next")
    return redirect(f"{url}?{urlencode({'next': target})}" if target else url)


def gate(request: HttpRequest) -> HttpResponse | None:
    """While a change is owed, every page but the change page (and those always open) leads
    to it."""
    if OWED_KEY not in request.session:
        return None
    if sessions.always_open(request) or request.path_info == reverse("password_change"):
        return None
    return redirect(change_url(request))


def changed(request: HttpRequest) -> None:
    """The person chose a new password: nothing is owed any more."""
    request.session.pop(OWED_KEY, None)
