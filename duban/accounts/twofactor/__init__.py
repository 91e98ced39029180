"""Two-factor sign-in (等保 level 3: a second factor): TOTP codes from any authenticator app,
recovery codes for a lost phone (django-otp's devices, duban's pages).

After the right password, ``after_sign_in`` (a step of ``duban.accounts.signin.SignInView``)
notes in the session what the account still owes: a code (``verify``: it has an authenticator),
setting one up (``enrol``: its role is in ``DUBAN_2FA_REQUIRED_ROLES`` and it has none), or
nothing (``free``). ``gate`` (run by ``SignInGateMiddleware`` on every signed-in request) keeps
such a session on its page (the code, or the set-up) until it is paid, leaving sign-out, static
files, the language switch and /healthz open. A session begun elsewhere (Django's admin site, a
test's ``force_login``) has no note yet: the gate works it out from the account on its first
request, so no way in skips the second factor. A free session whose role comes to require the
second factor is sent to set it up.

The workflows are in ``services``; the pages in ``views`` (routes in ``urls``, namespace
``twofactor`` under /accounts/2fa/).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .. import sessions
from . import services

STATE_KEY = "duban_2fa"
NEXT_KEY = "duban_2fa_next"
VERIFIED = "verified"  # a code was given (or the authenticator set up) in this session
VERIFY = "verify"  # the account has an authenticator: a code is owed
ENROL = "enrol"  # the role requires one and the account has none: set-up is owed
FREE = "free"  # neither required nor set up


def state_of(user: Any) -> str:
    if services.is_enabled(user):
        return VERIFY
    if services.is_required(user):
        return ENROL
    return FREE


def after_sign_in(request: HttpRequest, user: AbstractBaseUser) -> HttpResponse | None:
    state = state_of(user)
    request.session[STATE_KEY] = state
    if state == FREE:
        return None
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        request.session[NEXT_KEY] = target
    return HttpResponseRedirect(reverse(_page_of(state)))


def owed(request: HttpRequest) -> bool:
    """Whether the session still owes a code or the set-up of an authenticator."""
    return request.session.get(STATE_KEY) in (VERIFY, ENROL)


def next_url(request: HttpRequest) -> str:
    """Where a finished second step leads: the page first asked for, or the home page."""
    return str(request.session.pop(NEXT_KEY, "") or reverse(settings.LOGIN_REDIRECT_URL))


def mark(request: HttpRequest, state: str) -> None:
    request.session[STATE_KEY] = state


def gate(request: HttpRequest) -> HttpResponse | None:
    state = request.session.get(STATE_KEY)
    if state is None or (state == FREE and services.is_required(request.user)):
        state = state_of(request.user)
        request.session[STATE_KEY] = state
    if state in (VERIFIED, FREE):
        return None
    page = reverse(_page_of(state))
    if request.path == page or sessions.always_open(request):
        return None
    if request.method == "GET" and not request.headers.get("HX-Request"):
        request.session.setdefault(NEXT_KEY, request.get_full_path())
    if request.headers.get("HX-Request"):
        answer = HttpResponse(status=204)
        answer["HX-Redirect"] = page
        return answer
    return HttpResponseRedirect(page)


def _page_of(state: str) -> str:
    return "twofactor:verify" if state == VERIFY else "twofactor:setup"
