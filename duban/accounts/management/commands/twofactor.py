"""``duban twofactor``: the second factor of every account, seen and reset on the server.

``duban twofactor list`` shows each active account with its role, whether two-factor sign-in is
set up and whether its role requires it (``DUBAN_2FA_REQUIRED_ROLES``); ``duban twofactor
reset NAME`` removes an account's authenticator and recovery codes (a lost phone), so that the
person sets up a new one at the next sign-in. The security administrator resets business
accounts on their page; an administrator's account is reset here only (三权分立). The audit
trail records the reset without a user (the console).
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from duban.accounts.twofactor import services
from duban.audit.context import acting_as
from duban.core.commands import DubanCommand
from duban.core.formatting import format_table


class Command(DubanCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        return _("Two-factor sign-in of the accounts: duban twofactor list | reset NAME")

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="list|reset")
        actions.add_parser("list", help=_("list the accounts and their two-factor sign-in"))
        reset = actions.add_parser("reset", help=_("remove an account's two-factor sign-in"))
        reset.add_argument("name", help=_("the user name"))

    def handle(self, *args: Any, **options: Any) -> None:
        with acting_as(None):
            if options["action"] == "list":
                self.list()
            else:
                self.reset(options["name"])

    def list(self) -> None:
        rows = [[_("Username"), _("Role"), _("Two-factor sign-in"), _("Required")]]
        for user, role, enabled, required in services.accounts_overview():
            rows.append(
                [
                    user.get_username(),
                    role,
                    _("Turned on") if enabled else _("Turned off"),
                    _("Yes") if required else _("No"),
                ]
            )
        if len(rows) == 1:
            self.stdout.write(_("There are no active accounts."))
            return
        self.stdout.write(format_table(rows))

    def reset(self, name: str) -> None:
        user = get_user_model().objects.filter(username=name).first()
        if user is None:
            raise self.fail(_("There is no account “%(name)s”."), name=name)
        if services.reset(by=None, user=user):
            self.stdout.write(
                _(
                    "Two-factor sign-in of %(name)s is reset: at the next sign-in the person sets "
                    "up an authenticator again."
                )
                % {"name": user.get_username()}
            )
        else:
            self.stdout.write(
                _("%(name)s had no two-factor sign-in set up.") % {"name": user.get_username()}
            )
