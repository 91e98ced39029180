"""The second factor's pages: the code at sign-in, setting up an authenticator, one's own
two-factor page (new recovery codes, turning it off), and the reset of another's.

Recovery codes are shown once, in the answer to the POST that made them, marked not to be
cached; the database keeps them only to check them.
"""

from __future__ import annotations

import datetime

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from duban.audit.context import client_address
from duban.core.formatting import format_cn_datetime
from duban.core.permissions import Action, requires

from .. import sessions
from . import ENROL, FREE, STATE_KEY, VERIFIED, VERIFY, mark, next_url, qr, services
from .forms import CodeForm


def _locked_message(until: datetime.datetime) -> str:
    return _(
        "Too many wrong codes: the second step of signing in is locked until %(time)s. "
        "Try again then, or ask the security administrator."
    ) % {"time": format_cn_datetime(timezone.localtime(until))}


def _codes_page(request: HttpRequest, codes: list[str], *, enrolled: bool) -> HttpResponse:
    context = {"codes": codes, "enrolled": enrolled, "next": next_url(request)}
    response = render(request, "accounts/twofactor/codes.html", context)
    add_never_cache_headers(response)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The code a signed-in session owes before it may use duban."""
    if request.session.get(STATE_KEY) != VERIFY:
        return redirect(next_url(request))
    user = request.user
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.verify(
                user, form.cleaned_data["code"], address=client_address(request)
            )
        except services.Locked as locked:
            logout(request)
            messages.error(request, _locked_message(locked.until))
            return redirect(settings.LOGIN_URL)
        except services.CodeProblem as problem:
            form.add_error("code", str(problem))
        else:
            target = next_url(request)
            request.session.cycle_key()
            mark(request, VERIFIED)
            django_otp.login(request, device)
            sessions.claim(request, user)
            if isinstance(device, StaticDevice):
                left = services.recovery_codes_left(user)
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code; %(left)d are left. Make new ones on "
                        "your two-factor page if they run low."
                    )
                    % {"left": left},
                )
            return redirect(target)
    until = services.locked_until(user)
    context = {"form": form, "locked": _locked_message(until) if until else ""}
    return render(request, "accounts/twofactor/verify.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator: scan the QR code (or type the key), confirm with a code."""
    user = request.user
    form = CodeForm(request.POST or None, digits_only=True)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.finish_enrolment(user, form.cleaned_data["code"])
        except services.CodeProblem as problem:
            form.add_error("code", str(problem))
        else:
            enrolling = request.session.get(STATE_KEY) == ENROL
            if enrolling:
                request.session.cycle_key()
                sessions.claim(request, user)
            mark(request, VERIFIED)
            device = services.device(user)
            if device is not None:
                django_otp.login(request, device)
            return _codes_page(request, codes, enrolled=True)
    device = services.start_enrolment(user)
    context = {
        "form": form,
        "qr": qr.svg(device.config_url, title=_("QR code for the authenticator app")),
        "key": qr.manual_key(device.bin_key),
        "required": request.session.get(STATE_KEY) == ENROL,
        "replacing": services.is_enabled(user),
        "issuer": settings.OTP_TOTP_ISSUER,
    }
    return render(request, "accounts/twofactor/setup.html", context)


@require_http_methods(["GET"])
def manage(request: HttpRequest) -> HttpResponse:
    """One's own second factor: whether it is on, recovery codes left, what one may do."""
    user = request.user
    context = {
        "enabled": services.is_enabled(user),
        "required": services.is_required(user),
        "codes_left": services.recovery_codes_left(user),
        "required_roles": services.required_role_labels(),
        "form": CodeForm(autofocus=False),
    }
    return render(request, "accounts/twofactor/manage.html", context)


@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """A fresh set of recovery codes (the old ones stop working), shown once."""
    user = request.user
    if not services.is_enabled(user):
        messages.error(request, _("Set up two-factor sign-in first."))
        return redirect("twofactor:manage")
    codes = services.renew_recovery_codes(user)
    return _codes_page(request, codes, enrolled=False)


@require_POST
def turn_off(request: HttpRequest) -> HttpResponse:
    """One's own second factor off, with a current code (never for a role that requires it)."""
    form = CodeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a current code to turn two-factor sign-in off."))
        return redirect("twofactor:manage")
    try:
        services.turn_off(request.user, form.cleaned_data["code"], address=client_address(request))
    except services.Locked as locked:
        messages.error(request, _locked_message(locked.until))
    except services.CodeProblem as problem:
        messages.error(request, str(problem))
    else:
        mark(request, FREE)
        messages.success(request, _("Two-factor sign-in is off for your account."))
    return redirect("twofactor:manage")


@requires(Action.MANAGE_USERS)
@require_POST
def reset(request: HttpRequest, pk: int) -> HttpResponse:
    """The security administrator removes a person's second factor (a lost phone)."""
    user = get_object_or_404(get_user_model(), pk=pk)
    if user.pk == request.user.pk:
        raise PermissionDenied(_("You cannot reset your own two-factor sign-in."))
    had = services.reset(by=request.user, user=user)
    name = user.get_username()
    if had:
        messages.success(
            request,
            _(
                "Two-factor sign-in of %(name)s is reset: at the next sign-in the person sets up "
                "an authenticator again."
            )
            % {"name": name},
        )
    else:
        messages.info(request, _("%(name)s had no two-factor sign-in set up.") % {"name": name})
    return redirect("accounts:user_edit", pk=user.pk)
