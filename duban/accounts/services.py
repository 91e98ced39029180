"""Account workflows shared by the demo command, tests and (later) the admin screens."""

from __future__ import annotations

import secrets
import string

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import transaction

from duban.accounts.models import Membership, Role
from duban.directory.models import Leader, Unit

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
