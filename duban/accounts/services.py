"""Account workflows shared by the demo command, tests and the user management pages.

The management workflows (``create_user``, ``update_user``, ``set_active``, ``reset_password``)
take keyword arguments and the acting user ``by``, check that ``by`` may manage users
(``PermissionDenied`` otherwise) and raise ``AccountProblem`` with a message per field for
anything the person must correct, so that a page or a command can call them alike. Their
changes reach the audit trail under ``by``'s name. Accounts are never deleted (the audit trail
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

from duban.accounts.models import Membership, Role
from duban.accounts.permissions import Action, can
from duban.audit.context import acting_as, current
from duban.audit.models import AuditAction
from duban.audit.signals import record
from duban.directory.models import Leader, Unit

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


@transaction.atomic
def ensure_account(
    username: str,
    password: str,
    role: str,
    *,
    unit: Unit | None = None,
    leader: Leader | None = None,
    is_staff: bool = False,
    is_superuser: bool = False,
) -> AbstractUser:
    """Create an account with its Membership, or reset an existing one to exactly this.

    Reset, not merged: the demo and tests rely on a re-run giving the same accounts back,
    whatever was changed in between (password, role, staff flag, unit).
    """
    if role == Role.LEADER and leader is None:
        raise ValueError("a leader account needs its Leader")
    if role == Role.UNIT_OPERATOR and unit is None:
        raise ValueError("a unit operator account needs its Unit")
    user_model = get_user_model()
    user, _created = user_model.objects.get_or_create(username=username)
    user.is_staff = is_staff or is_superuser
    user.is_superuser = is_superuser
    user.is_active = True
    user.set_password(password)
    user.save()
    Membership.objects.update_or_create(
        user=user, defaults={"role": role, "unit": unit, "leader": leader}
    )
    return user


def ensure_office_admin(*, username: str, password: str, unit: Unit | None = None) -> AbstractUser:
    """The supervision office's administrator: role office, and a Django superuser until
    the product's own permissions cover the admin's tasks."""
    return ensure_account(
        username, password, Role.OFFICE, unit=unit, is_staff=True, is_superuser=True
    )


# --- Managing accounts (the user management pages) ---------------------------------------------


class AccountProblem(ValueError):
    """What the person must correct, as messages per form field ("" for the whole form)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(message for messages in errors.values() for message in messages))
        self.errors = errors


def may_change(by: Any, user: AbstractUser) -> bool:
    """May ``by`` change this account? Managers of users may, but only a superuser changes a
    superuser: an office clerk who could reset the superuser's password would become one."""
    return can(by, Action.MANAGE_USERS) and (not user.is_superuser or bool(by.is_superuser))


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


def _require(by: Any, user: AbstractUser | None = None) -> None:
    if not can(by, Action.MANAGE_USERS) or (user is not None and not may_change(by, user)):
        raise PermissionDenied


@contextmanager
def _as(by: Any) -> Iterator[None]:
    """One transaction, whose changes the audit trail gives to ``by`` (from a command too)."""
    with transaction.atomic(), acting_as(by, current().address):
        yield


def _place(
    role: str, unit: Unit | None, leader: Leader | None, *, current_unit: Unit | None = None
) -> tuple[Unit | None, Leader | None]:
    """The unit and leader an account of ``role`` keeps, or AccountProblem."""
    errors: dict[str, list[str]] = {}
    if role not in Role.values:
        errors["role"] = [_("Choose a role.")]
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
    _require(by)
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
        unit, leader = _place(role, unit, leader)
    except AccountProblem as problem:
        errors.update(problem.errors)
    if errors:
        raise AccountProblem(errors)
    shown = "" if password else generate_password()
    with _as(by):
        user.set_password(password or shown)
        user.save()
        Membership.objects.create(user=user, role=role, unit=unit, leader=leader)
    return user, shown


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
    _require(by, user)
    membership = Membership.objects.filter(user_id=user.pk).select_related("unit").first()
    current_role = membership.role if membership is not None else None
    if user.pk == getattr(by, "pk", None) and role != current_role:
        raise AccountProblem(
            {"role": [_("You cannot change your own role; ask another administrator.")]}
        )
    errors: dict[str, list[str]] = {}
    name = " ".join(full_name.split())[:150]
    if not name:
        errors["full_name"] = [_("Enter the person's full name.")]
    try:
        current_unit = membership.unit if membership is not None else None
        unit, leader = _place(role, unit, leader, current_unit=current_unit)
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
    _require(by, user)
    if not active and user.pk == getattr(by, "pk", None):
        raise AccountProblem({"": [_("You cannot deactivate your own account.")]})
    with _as(by):
        if user.is_active != active:
            user.is_active = active
            user.save(update_fields=["is_active"])
    return user


def reset_password(*, by: Any, user: AbstractUser) -> str:
    """Give the account a new random password, to be shown once; its sessions end."""
    _require(by, user)
    password = generate_password()
    with _as(by):
        user.set_password(password)
        user.save(update_fields=["password"])
        # The trail shows passwords only as set or not, so this change would leave no trace.
        record(AuditAction.UPDATE, user, before={"password": "******"}, after={"password": "reset"})
    return password
