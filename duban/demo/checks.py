"""``duban check --deploy``: demo accounts left on a server.

``duban demo`` makes one account per role with a single password it prints; on a server others
reach, whoever saw that printout signs in as the office or an administrator. The deployment
check names every demo account still able to sign in (active, with a password), so the
operator deactivates them (``duban admin deactivate NAME``, or the user management page).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.checks import CheckMessage, Warning, register
from django.db import DatabaseError
from django.utils.translation import gettext as _

from .accounts import DEMO_ACCOUNTS


@register(deploy=True)
def demo_accounts_left(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    names = [account.username for account in DEMO_ACCOUNTS]
    try:
        left = [
            user.get_username()
            for user in get_user_model()
            .objects.filter(username__in=names, is_active=True)
            .order_by("username")
            if user.has_usable_password()
        ]
    except DatabaseError:  # no database yet (before `duban migrate`): no accounts either
        return []
    if not left:
        return []
    return [
        Warning(
            _(
                "The demo accounts %(names)s can still sign in, with the password `duban demo` "
                "printed. Deactivate them on a server others reach: duban admin deactivate NAME."
            )
            % {"names": ", ".join(left)},
            id="duban.W301",
        )
    ]
