"""Account workflows shared by the demo command, tests and (later) the admin screens."""

from __future__ import annotations

import secrets
import string

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import transaction

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
def ensure_office_admin(*, username: str, password: str) -> AbstractUser:
    """Create the supervision office's administrator, or reset its password if it exists.

    Until roles exist, the office administrator is a Django superuser.
    """
    user_model = get_user_model()
    user, _created = user_model.objects.get_or_create(username=username)
    user.is_staff = True
    user.is_superuser = True
    user.is_active = True
    user.set_password(password)
    user.save()
    return user
