"""System checks of the two-factor settings, shown by ``duban check`` (and before serving)."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.utils.translation import gettext as _

from duban.accounts.models import Role
from duban.accounts.permissions import ADMIN_ROLES

from . import services


@register(Tags.security)
def required_roles_known(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """A misspelt role in DUBAN_2FA_REQUIRED_ROLES would silently require nothing of it."""
    unknown = services.unknown_roles(services.required_roles())
    if not unknown:
        return []
    return [
        Error(
            _("DUBAN_2FA_REQUIRED_ROLES names roles duban does not have: %(names)s.")
            % {"names": ", ".join(unknown)},
            hint=_("Use these names, separated by commas: %(names)s; or none.")
            % {"names": ", ".join(Role.values)},
            id="duban.E210",
        )
    ]


@register(Tags.security, deploy=True)
def administrators_use_two_factor(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """``check --deploy``: 等保 level 3 asks a second factor of the office and administrators."""
    missing = [
        role for role in (Role.OFFICE, *ADMIN_ROLES) if role not in services.required_roles()
    ]
    if not missing:
        return []
    return [
        Warning(
            _("Two-factor sign-in is not required of: %(roles)s.")
            % {"roles": "、".join(str(Role(role).label) for role in missing)},
            hint=_(
                "等保 level 3 asks a second factor of the office and the administrators: add "
                "them to DUBAN_2FA_REQUIRED_ROLES."
            ),
            id="duban.W210",
        )
    ]
