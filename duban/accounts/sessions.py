"""Sessions (等保 身份鉴别 and 访问控制: 登录连接超时, 会话): how long one lasts and how many an
account may have.

- **Idle timeout** (``DUBAN_SESSION_IDLE_MINUTES``, default 30): a session ends once that long
  passes without a request (``IdleTimeoutMiddleware`` in middleware.py). The clock is touched
  at most every ``touch_interval()`` seconds — a minute, and never more than a tenth of the
  limit — so it works at any configured value, one minute included.
- **Absolute lifetime** (``DUBAN_SESSION_MAX_HOURS``, default 12): a session ends that long
  after its sign-in however busy it is.
- **One session per account** (``DUBAN_SINGLE_SESSION``, default on): each sign-in writes a
  new token to the account's ``SignedInSession`` and to its own session; an older session,
  carrying another token, ends at its next request and its sign-in page says why.

Every ending is a ``session_ended`` event in the audit trail with its reason. Security timing
uses the real time (``time.time``), never duban.core.clock's pinned demonstration date.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.audit.context import client_address
from duban.audit.models import AuditAction
from duban.audit.signals import record

from .models import SignedInSession

SIGNED_IN_AT_KEY = "duban_signed_in_at"
TOKEN_KEY = "duban_session_token"

# Why a session ended, as the audit trail records it.
IDLE, LIFETIME, REPLACED = "idle", "lifetime", "replaced"


def touch_interval() -> float:
    """How often a busy session re-saves its idle clock: a minute at most (a write per click
    would be wasted), a tenth of the idle limit at most (so the limit holds within 10%)."""
    return min(60.0, settings.SESSION_IDLE_MINUTES * 60 / 10)


def always_open(request: HttpRequest) -> bool:
    """Paths no gate holds back: sign-out, the sign-in page, static files, the health check,
    the language switch."""
    path = request.path_info
    return (
        path.startswith(settings.STATIC_URL)
        or path in (reverse("logout"), reverse("login"), reverse("healthz"))
        or path == reverse("set_language")
    )


def end(request: HttpRequest, reason: str, message: str) -> HttpResponse | None:
    """End the request's session for ``reason`` (recorded) and tell the person ``message`` on
    the sign-in page, where they are sent (back to this page once signed in again); a path
    always open goes on, signed out."""
    user = request.user
    record(
        AuditAction.SESSION_ENDED,
        user,  # type: ignore[arg-type]
        user=user,
        address=client_address(request),
        after={"reason": reason},
    )
    logout(request)
    messages.info(request, message)
    if always_open(request):
        return None
    return redirect_to_login(request.get_full_path())


def after_sign_in(request: HttpRequest, user: AbstractBaseUser) -> HttpResponse | None:
    """Note when the session began. It becomes the account's one session (``claim``) only once
    it is fully signed in: a session still owing a second factor ends nobody's session, or a
    stolen password alone could sign the real person out (signin.py orders the steps)."""
    request.session[SIGNED_IN_AT_KEY] = time.time()
    return None


def claim(request: HttpRequest, user: Any) -> None:
    """With single sessions, make the request's session the account's one: any older session
    ends at its next request, told why."""
    if settings.SINGLE_SESSION:
        token = secrets.token_hex(16)
        SignedInSession.objects.update_or_create(
            user_id=user.pk, defaults={"token": token, "signed_in_at": timezone.now()}
        )
        request.session[TOKEN_KEY] = token


def gate(request: HttpRequest) -> HttpResponse | None:
    """End a session past its lifetime, or one a newer sign-in of the account replaced."""
    if always_open(request):
        return None
    session = request.session
    now = time.time()
    signed_in_at = session.get(SIGNED_IN_AT_KEY)
    if not isinstance(signed_in_at, int | float):
        # A session made without the sign-in page (a test's force_login): its life starts now.
        session[SIGNED_IN_AT_KEY] = now
    elif now - signed_in_at > settings.SESSION_MAX_HOURS * 3600:
        message = _(
            "You were signed out: a session lasts at most %(hours)d hours. Please sign in again."
        ) % {"hours": settings.SESSION_MAX_HOURS}
        return end(request, LIFETIME, message)
    token = session.get(TOKEN_KEY)
    if settings.SINGLE_SESSION and token and token != current_token(request.user):
        message = _(
            "You were signed out because your account signed in somewhere else; an account "
            "has one session at a time. If that was not you, change your password."
        )
        return end(request, REPLACED, message)
    return None


def current_token(user: Any) -> str | None:
    """The token of the account's newest sign-in, if any."""
    return SignedInSession.objects.filter(user_id=user.pk).values_list("token", flat=True).first()
