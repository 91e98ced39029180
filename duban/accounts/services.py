"""Account workflows shared by the demo command, tests and the user management pages.

The management workflows (``create_user``, ``update_user``, ``set_active``, ``reset_password``)
take keyword arguments and the acting user ``by``, check that ``by`` may manage users, that the
account is one ``by`` may change (``Membership.objects.restrict(by, Action.CHANGE)``) and that
the role given is one ``by`` may give (``managed_roles(by)``): ``PermissionDenied`` otherwise.
They raise ``AccountProblem`` with a message per field for anything the person must correct,
so that a page or a command can call them alike. ``by=None`` is the server's console (``duban
admin``), which alone makes administrator accounts (三权分立). Their changes reach the audit
trail under ``by``'s name. Accounts are never deleted (the audit trail
points at them): they are deactivated, and a deactivated account is signed out at its next
request.

A person's full name (姓名) is kept whole in ``first_name``: ``get_full_name()`` then reads
"朱蕾", not a Western "first last".
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.accounts.models import Membership, Role
from duban.accounts.passwords import give_password
from duban.accounts.permissions import ADMIN_ROLES, managed_roles
from duban.audit.context import acting_as, current
from duban.audit.models import AuditAction
from duban.audit.signals import record
from duban.core.permissions import Action, check
from duban.directory.models import Leader, Unit

# The refusal for an account one may not change: an administrator's, one's own kind, one's own.
NOT_YOURS = gettext_lazy(
    "You may not change this account: office accounts are the security administrator's to "
    "manage, administrator accounts are managed only on the server (duban admin)."
)

# Roles whose account must name a unit: an operator reports for it, the office is a unit too.
ROLES_WITH_UNIT = (Role.UNIT_OPERATOR, Role.OFFICE)

# No 0/O, 1/l/I: demo passwords are read off a terminal and typed by hand.
_PASSWORD_ALPHABET = "".join(ch for ch in string.ascii_letters + string.digits if ch not in "0O1lI")


def generate_password(length: int = 12) -> str:
    """A random password with at least one lower-case letter, upper-case letter and digit."""
    while True:
        password = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(length))
        if (
            any(ch.islower() for ch in password)
            and any(ch.isupper() for ch in password)
            and any(ch.isdigit() for ch in password)
        ):
            return password


def made_password(user: Any) -> str:
    """A random password for ``user`` that the password policy accepts (it nearly always
    does: three kinds of character, 12 long; not if it happened to contain the user name)."""
    while True:
        password = generate_password()
        try:
            password_validation.validate_password(password, user)
        except ValidationError:
            continue
        return password


@transaction.atomic
def ensure_account(
    username: str,
    password: str,
    role: str,
    *,
    unit: Unit | None = None,
    leader: Leader | None = None,
) -> AbstractUser:
    """Create an account with its Membership, or reset an existing one to exactly this.

    Reset, not merged: the demo and tests rely on a re-run giving the same accounts back,
    whatever was changed in between (password, role, unit). Never staff nor superuser: those
    Django flags grant nothing in duban, and the Django admin site is off by default.
    """
    if role == Role.LEADER and leader is None:
        raise ValueError("a leader account needs its Leader")
    if role == Role.UNIT_OPERATOR and unit is None:
        raise ValueError("a unit operator account needs its Unit")
    user_model = get_user_model()
    user, _created = user_model.objects.get_or_create(username=username)
    user.is_staff = user.is_superuser = False
    user.is_active = True
    user.set_password(password)
    user.save()
    Membership.objects.update_or_create(
        user=user, defaults={"role": role, "unit": unit, "leader": leader}
    )
    return user


def ensure_office_account(
    *, username: str, password: str, unit: Unit | None = None
) -> AbstractUser:
    """An account of the supervision office (督查室): an ordinary office account, no superuser."""
    return ensure_account(username, password, Role.OFFICE, unit=unit)


# --- Managing accounts (the user management pages) ---------------------------------------------


class AccountProblem(ValueError):
    """What the person must correct, as messages per form field ("" for the whole form)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(message for messages in errors.values() for message in messages))
        self.errors = errors


def find_users(
    *,
    text: str = "",
    role: str = "",
    unit: Unit | None = None,
    active: bool | None = None,
) -> QuerySet[AbstractUser]:
    """Accounts by user name or full name, role, unit and active flag, in user-name order."""
    users = (
        get_user_model()
        .objects.select_related("membership__unit", "membership__leader")
        .order_by("username")
    )
    for term in text.split():
        users = users.filter(
            Q(username__icontains=term)
            | Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
        )
    if role:
        users = users.filter(membership__role=role)
    if unit is not None:
        users = users.filter(membership__unit=unit)
    if active is not None:
        users = users.filter(is_active=active)
    return users


@contextmanager
def _as(by: Any) -> Iterator[None]:
    """One transaction, whose changes the audit trail gives to ``by`` (from a command too)."""
    with transaction.atomic(), acting_as(by, current().address):
        yield


def _place(
    by: Any,
    role: str,
    unit: Unit | None,
    leader: Leader | None,
    *,
    current_unit: Unit | None = None,
) -> tuple[Unit | None, Leader | None]:
    """The unit and leader an account of ``role`` keeps, or AccountProblem (also for a role
    ``by`` may not give: an administrator's, made only on the server)."""
    errors: dict[str, list[str]] = {}
    if role not in Role.values:
        errors["role"] = [_("Choose a role.")]
    elif by is not None and role not in managed_roles(by):
        refusal = (
            _(
                "You may not give the role “%(role)s”: administrator accounts are made only "
                "on the server (duban admin)."
            )
            if role in ADMIN_ROLES
            else _("You may not give the role “%(role)s”; ask the security administrator.")
        )
        errors["role"] = [refusal % {"role": Role(role).label}]
    if role in ROLES_WITH_UNIT and unit is None:
        errors["unit"] = [
            _("A unit operator reports for a unit: choose it.")
            if role == Role.UNIT_OPERATOR
            else _("An office account belongs to the office's own unit: choose it.")
        ]
    if unit is not None and not unit.active and unit != current_unit:
        errors["unit"] = [_("This unit is no longer active.")]
    if role == Role.LEADER and leader is None:
        errors["leader"] = [_("A leader account belongs to a leader: choose who.")]
    if errors:
        raise AccountProblem(errors)
    return unit, leader if role == Role.LEADER else None


def create_user(
    *,
    by: Any,
    username: str,
    full_name: str,
    role: str,
    unit: Unit | None = None,
    leader: Leader | None = None,
    password: str = "",
) -> tuple[AbstractUser, str]:
    """A new active account with its membership; returns it and the password to show once.

    With ``password``, that password (Django's password validators apply) and "" is returned;
    without, a random password is set and returned, to be shown once and never again.
    """
    check(by, Action.MANAGE_USERS)
    user_model = get_user_model()
    username = username.strip()
    name = " ".join(full_name.split())[:150]
    user = user_model(username=username, first_name=name, is_active=True)
    errors: dict[str, list[str]] = {}
    if not name:
        errors["full_name"] = [_("Enter the person's full name.")]
    try:
        user_model._meta.get_field("username").run_validators(username)
        if not username:
            raise ValidationError(_("Enter a user name."))
    except ValidationError as exc:
        errors["username"] = list(exc.messages)
    else:
        if user_model.objects.filter(username__iexact=username).exists():
            errors["username"] = [_("The user name “%(name)s” is taken.") % {"name": username}]
    if password:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            errors["password"] = list(exc.messages)
    try:
        unit, leader = _place(by, role, unit, leader)
    except AccountProblem as problem:
        errors.update(problem.errors)
    if errors:
        raise AccountProblem(errors)
    shown = "" if password else made_password(user)
    with _as(by):
        # Someone else chose it: the person changes it at the first sign-in.
        give_password(user, password or shown)
        user.save()
        Membership.objects.create(user=user, role=role, unit=unit, leader=leader)
    return user, shown


def check_may_change(by: Any, user: AbstractUser) -> None:
    """The account must be one ``by`` may change (``Membership``'s rule); an account without a
    membership is changed by nobody in the application."""
    membership = Membership.objects.filter(user_id=user.pk).first()
    if by is not None and membership is None:
        raise PermissionDenied(NOT_YOURS)
    if membership is not None:
        check(by, Action.CHANGE, membership, why=NOT_YOURS)


def update_user(
    *,
    by: Any,
    user: AbstractUser,
    full_name: str,
    role: str,
    unit: Unit | None = None,
    leader: Leader | None = None,
) -> AbstractUser:
    """Change an account's full name, role, unit and leader.

    Nobody changes their own role: a manager of users could otherwise give up that right by
    mistake, or a security administrator make himself the office and read business data.
    """
    check(by, Action.MANAGE_USERS)
    membership = Membership.objects.filter(user_id=user.pk).select_related("unit").first()
    current_role = membership.role if membership is not None else None
    if user.pk == getattr(by, "pk", None) and role != current_role:
        raise AccountProblem(
            {"role": [_("You cannot change your own role; ask another administrator.")]}
        )
    check_may_change(by, user)
    errors: dict[str, list[str]] = {}
    name = " ".join(full_name.split())[:150]
    if not name:
        errors["full_name"] = [_("Enter the person's full name.")]
    try:
        current_unit = membership.unit if membership is not None else None
        unit, leader = _place(by, role, unit, leader, current_unit=current_unit)
    except AccountProblem as problem:
        errors.update(problem.errors)
    if errors:
        raise AccountProblem(errors)
    with _as(by):
        if user.first_name != name or user.last_name:
            user.first_name, user.last_name = name, ""
            user.save(update_fields=["first_name", "last_name"])
        if membership is None:
            membership = Membership(user_id=user.pk)
        membership.role, membership.unit, membership.leader = role, unit, leader
        membership.save()
    return user


def set_active(*, by: Any, user: AbstractUser, active: bool) -> AbstractUser:
    """Deactivate (sign-in refused, sessions end) or reactivate an account; never delete it."""
    check(by, Action.MANAGE_USERS)
    if not active and user.pk == getattr(by, "pk", None):
        raise AccountProblem({"": [_("You cannot deactivate your own account.")]})
    check_may_change(by, user)
    with _as(by):
        if user.is_active != active:
            user.is_active = active
            user.save(update_fields=["is_active"])
    return user


def reset_password(*, by: Any, user: AbstractUser, password: str = "") -> str:
    """Give the account a new random password, to be shown once, and return it; its sessions
    end, and the person must change it at the next sign-in. With ``password`` (the console's
    ``--password-stdin``), that one, checked by the password policy, and "" is returned."""
    check(by, Action.MANAGE_USERS)
    check_may_change(by, user)
    if password:
        try:
            password_validation.validate_password(password, user)  # type: ignore[arg-type]
        except ValidationError as exc:
            raise AccountProblem({"password": list(exc.messages)}) from exc
    shown = "" if password else made_password(user)
    with _as(by):
        # The person changes it at the next sign-in (duban/accounts/passwords.py).
        give_password(user, password or shown)
        user.save(update_fields=["password"])
        # The trail shows passwords only as set or not, so this change would leave no trace.
        record(
            AuditAction.PASSWORD, user, before={"password": "******"}, after={"password": "reset"}
        )
    return shown
