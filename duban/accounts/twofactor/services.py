"""Two-factor workflows: who must set it up, enrolment, checking a code (with its own limit),
recovery codes, turning it off and the security administrator's reset.

The devices are django-otp's: one ``TOTPDevice`` per account (any authenticator app: the
RFC 6238 code of 6 digits every 30 seconds) and one ``StaticDevice`` holding the account's
recovery codes, each good once. The devices are not on the audit trail as models (a snapshot
would copy the secret key); these workflows record ``OTP_ENROL``, ``OTP_FAILED`` and
``OTP_RESET`` events instead.

Wrong codes at sign-in count on the TOTP device (django-otp's failure counter, its growing
delay turned off): ``TWOFACTOR_MAX_FAILURES`` in a row lock the second step for
``TWOFACTOR_LOCK_MINUTES`` (real time), whatever the password step says. A right code clears
the count; a lock that has run out starts the count afresh.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from duban.accounts.models import Membership, Role
from duban.accounts.permissions import membership
from duban.accounts.services import check_may_change
from duban.audit.models import AuditAction
from duban.audit.signals import record
from duban.core.permissions import Action, check

RECOVERY_CODES = 10
DEVICE_NAME = "authenticator"
RECOVERY_NAME = "recovery"
_SPACES = re.compile(r"[\s-]+")


class CodeProblem(ValueError):
    """A code that does not fit (wrong, malformed), said in the person's language."""


class Locked(Exception):
    """Too many wrong codes in a row: the second step opens again at ``until``."""

    def __init__(self, until: datetime.datetime) -> None:
        super().__init__(until)
        self.until = until


# -- who must, who has --------------------------------------------------------------------------


def required_roles() -> list[str]:
    return [str(role) for role in settings.TWOFACTOR_REQUIRED_ROLES]


def is_required(user: Any) -> bool:
    """Whether the account's role must sign in with a second factor (DUBAN_2FA_REQUIRED_ROLES)."""
    place = membership(user)
    return place is not None and place.role in required_roles()


def required_role_labels() -> list[str]:
    """The required roles by their names in the UI, in the order of ``Role``."""
    wanted = set(required_roles())
    return [str(role.label) for role in Role if role.value in wanted]


def unknown_roles(names: list[str]) -> list[str]:
    return [name for name in names if name not in Role.values]


def device(user: Any, *, confirmed: bool | None = True) -> TOTPDevice | None:
    found = TOTPDevice.objects.filter(user_id=user.pk)
    if confirmed is not None:
        found = found.filter(confirmed=confirmed)
    return found.order_by("pk").first()


def is_enabled(user: Any) -> bool:
    """Whether the account has set up a second factor (a confirmed authenticator)."""
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user_id=user.pk).count()


# -- enrolment ---------------------------------------------------------------------------------


def start_enrolment(user: Any) -> TOTPDevice:
    """The authenticator being set up: the one started earlier (so that a reloaded page shows the
    QR code already scanned), or a new one with a fresh random key."""
    pending = device(user, confirmed=False)
    if pending is not None:
        return pending
    made: TOTPDevice = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return made


def normalise(code: str) -> str:
    """What a person types: spaces and hyphens dropped (``123 456``, ``abcd-efgh``), lower case."""
    return _SPACES.sub("", code or "").lower()


def _is_totp(code: str) -> bool:
    return len(code) == 6 and code.isdigit()


@transaction.atomic
def finish_enrolment(user: Any, code: str) -> list[str]:
    """Confirm the authenticator being set up with a code it shows; returns the new recovery
    codes (to be shown once). Raises ``CodeProblem`` when the code is not its current one."""
    pending = TOTPDevice.objects.select_for_update().filter(user_id=user.pk, confirmed=False)
    candidate = pending.order_by("pk").first()
    if candidate is None:
        raise CodeProblem(_("Start the set-up again: this page was out of date."))
    code = normalise(code)
    if not _is_totp(code) or not candidate.verify_token(code):
        raise CodeProblem(
            _(
                "That code is not the one the app shows now. Check that the phone's time is "
                "right and enter the newest 6-digit code."
            )
        )
    # One authenticator per account: a new one replaces whatever was there.
    TOTPDevice.objects.filter(user_id=user.pk).exclude(pk=candidate.pk).delete()
    candidate.confirmed = True
    candidate.throttle_reset(commit=False)
    candidate.save()
    codes = new_recovery_codes(user)
    record(AuditAction.OTP_ENROL, user, after={"recovery_codes": len(codes)})
    return codes


def renew_recovery_codes(user: Any) -> list[str]:
    """New recovery codes asked for on one's own two-factor page (the old ones stop working)."""
    with transaction.atomic():
        codes = new_recovery_codes(user)
        record(AuditAction.OTP_ENROL, user, after={"recovery_codes": len(codes), "renewed": True})
    return codes


def new_recovery_codes(user: Any) -> list[str]:
    """A fresh set of recovery codes; the old ones stop working."""
    static, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    static.token_set.all().delete()
    codes = [StaticToken.random_token() for _n in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


# -- checking a code at sign-in ----------------------------------------------------------------


def locked_until(user: Any) -> datetime.datetime | None:
    authenticator = device(user)
    return _lock_of(authenticator) if authenticator is not None else None


def _lock_of(authenticator: TOTPDevice) -> datetime.datetime | None:
    failures = authenticator.throttling_failure_count
    last = authenticator.throttling_failure_timestamp
    if failures < settings.TWOFACTOR_MAX_FAILURES or last is None:
        return None
    until: datetime.datetime = last + datetime.timedelta(minutes=settings.TWOFACTOR_LOCK_MINUTES)
    return until if until > timezone.now() else None


def verify(user: Any, code: str, *, address: str | None = None) -> TOTPDevice | StaticDevice:
    """The device that accepts ``code`` (the authenticator's 6 digits or an unused recovery
    code, which is then used up). A wrong code raises ``CodeProblem`` and counts; the last one
    allowed, or any code while locked, raises ``Locked``. Failures are on the audit trail."""
    with transaction.atomic():
        authenticator = (
            TOTPDevice.objects.select_for_update()
            .filter(user_id=user.pk, confirmed=True)
            .order_by("pk")
            .first()
        )
        if authenticator is None:
            raise CodeProblem(_("This account has no second factor set up."))
        until = _lock_of(authenticator)
        if until is not None:
            raise Locked(until)
        if authenticator.throttling_failure_count >= settings.TWOFACTOR_MAX_FAILURES:
            authenticator.throttle_reset()  # an old lock has run out: count afresh
        code = normalise(code)
        accepted: TOTPDevice | StaticDevice | None = None
        if _is_totp(code):
            if authenticator.verify_token(code):  # counts a failure itself
                accepted = authenticator
        else:
            static = StaticDevice.objects.filter(user_id=user.pk).first()
            if static is not None and code and static.verify_token(code):
                accepted = static
            else:
                authenticator.throttle_increment()
        if accepted is not None:
            if accepted is not authenticator:
                authenticator.throttle_reset()
            return accepted
        until = _lock_of(authenticator)
    record(
        AuditAction.OTP_FAILED,
        user,
        user=user,
        address=address,
        result="locked" if until is not None else "failed",
        after={"failures": authenticator.throttling_failure_count},
    )
    if until is not None:
        raise Locked(until)
    left = settings.TWOFACTOR_MAX_FAILURES - authenticator.throttling_failure_count
    raise CodeProblem(
        _("That code is wrong. %(left)d more wrong codes lock the sign-in for %(minutes)d minutes.")
        % {"left": left, "minutes": settings.TWOFACTOR_LOCK_MINUTES}
    )


# -- turning it off, resetting -----------------------------------------------------------------


def _remove_devices(user: Any) -> bool:
    had = is_enabled(user)
    TOTPDevice.objects.filter(user_id=user.pk).delete()
    StaticDevice.objects.filter(user_id=user.pk).delete()
    return had


def turn_off(user: Any, code: str, *, address: str | None = None) -> None:
    """One's own second factor off, proven by a current code; not for a role that must have it."""
    if is_required(user):
        raise CodeProblem(
            _("Your role must sign in with a second factor; it cannot be turned off.")
        )
    verify(user, code, address=address)
    with transaction.atomic():
        _remove_devices(user)
        record(
            AuditAction.OTP_RESET, user, before={"two_factor": True}, after={"two_factor": False}
        )


def reset(*, by: Any, user: AbstractBaseUser) -> bool:
    """Remove an account's second factor (a lost phone): it sets one up again at its next
    sign-in. ``by`` must manage users and may change that account (the security administrator
    for business accounts); ``by=None`` is the server's console (``duban twofactor reset``),
    the only way for an administrator's account. Returns whether there was one to remove."""
    if by is not None:
        check(by, Action.MANAGE_USERS)
        check_may_change(by, user)  # type: ignore[arg-type]
    with transaction.atomic():
        had = _remove_devices(user)
        record(
            AuditAction.OTP_RESET,
            user,
            before={"two_factor": had},
            after={"two_factor": False},
            user=by,
        )
    return had


def accounts_overview() -> list[tuple[Any, str, bool, bool]]:
    """(account, role label, set up, required) for every active account, by role and name: what
    ``duban twofactor list`` prints."""
    enabled = set(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))
    wanted = set(required_roles())
    rows = []
    places = (
        Membership.objects.filter(user__is_active=True)
        .select_related("user")
        .order_by("role", "user__username")
    )
    for place in places:
        rows.append(
            (
                place.user,
                str(place.get_role_display()),
                place.user_id in enabled,
                place.role in wanted,
            )
        )
    return rows
