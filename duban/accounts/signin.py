"""Signing in, in steps: the password (with its lockout), then what the account still owes
before it may use duban — a second factor, a new password — enforced by one gate.

``SignInView`` checks the password form (django-axes counts failures and locks); once the
password is right it runs ``STEPS`` in order: each may answer with a redirect (to the second
factor, to the password change page) and may mark the session. ``SignInGateMiddleware`` then
lets a signed-in request through only when every ``GATES`` function has nothing to say: a gate
answers with a redirect (or a page) while the session still owes something, and names the
paths it leaves open (its own pages, sign-out, static files).

Steps and gates live in the modules that own them (passwords.py, sessions.py, twofactor/) and
are listed here so that the order is visible in one place.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import views as auth_views
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse

from . import passwords, sessions, twofactor

Step = Callable[[HttpRequest, AbstractBaseUser], HttpResponse | None]
Gate = Callable[[HttpRequest], HttpResponse | None]


def _one_session(request: HttpRequest, user: AbstractBaseUser) -> HttpResponse | None:
    """The session becomes the account's one now, unless a second factor is still owed: then
    the two-factor pages claim it once the code is given (an older session lives on until)."""
    if not twofactor.owed(request):
        sessions.claim(request, user)
    return None


def _steps() -> list[Step]:
    # The session's start, then the second factor, then the claim to be the account's one
    # session (only once no second factor is owed), then a password that must change
    # (changed only after the second factor).
    return [sessions.after_sign_in, twofactor.after_sign_in, _one_session, passwords.after_sign_in]


def _gates() -> list[Gate]:
    return [sessions.gate, twofactor.gate, passwords.gate]


class SignInView(auth_views.LoginView):
    redirect_authenticated_user = True

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        user = form.get_user()
        response = super().form_valid(form)
        # Every step runs (each marks what the session owes, held by its gate); the first
        # redirect wins: a password owed after the second factor is asked for after it.
        answers = [step(self.request, user) for step in _steps()]
        return next((answer for answer in answers if answer is not None), response)


class SignInGateMiddleware:
    """After AuthenticationMiddleware: holds a signed-in session to what it still owes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            for gate in _gates():
                answer = gate(request)
                if answer is not None:
                    return answer
        return self.get_response(request)
