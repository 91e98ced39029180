"""``duban admin``: the administrators of 三权分立, made and reset on the server only.

``duban admin create ROLE NAME [--full-name X] [--password-stdin]`` makes a system, security or
audit administrator (``system_admin``/``系统管理员``, ``security_admin``/``安全管理员``,
``audit_admin``/``审计管理员``) with a random password printed once, or the password read from
standard input; ``duban admin list`` lists the administrator accounts; ``duban admin
reset-password NAME [--password-stdin]`` gives an account a new password (the person changes
it at the next sign-in; the password policy applies); ``duban admin deactivate NAME`` and
``duban admin activate NAME`` end or restore an account's sign-in; ``duban admin unlock NAME``
(or ``--address ADDRESS``) lifts a sign-in lock after too many failures (audited), for when the
security administrator is the one locked out.

No page creates, changes or resets an administrator's account: whoever could would take over
that administrator's powers. The console is the server's operator; the audit trail records its
changes without a user (as the console). No account is ever a Django superuser.
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.utils.translation import gettext as _

from duban.accounts import lockout, services
from duban.accounts.models import Role
from duban.accounts.permissions import ADMIN_ROLES
from duban.audit.context import acting_as
from duban.core.commands import DubanCommand
from duban.core.formatting import format_table

ROLE_NAMES: dict[str, str] = {
    "system_admin": Role.SYSTEM_ADMIN,
    "system": Role.SYSTEM_ADMIN,
    "系统管理员": Role.SYSTEM_ADMIN,
    "security_admin": Role.SECURITY_ADMIN,
    "security": Role.SECURITY_ADMIN,
    "安全管理员": Role.SECURITY_ADMIN,
    "audit_admin": Role.AUDIT_ADMIN,
    "audit": Role.AUDIT_ADMIN,
    "审计管理员": Role.AUDIT_ADMIN,
}


class Command(DubanCommand):
    # Tests hand the password in through call_command(..., stdin=io.StringIO(...)).
    stealth_options = ("stdin",)

    @property
    def help(self) -> str:  # type: ignore[override]
        return _(
            "Administrator accounts (system, security, audit), on the server only: "
            "duban admin create | list | reset-password | deactivate | activate"
        )

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(
            dest="action",
            required=True,
            metavar="create|list|reset-password|deactivate|activate|unlock",
        )
        create = actions.add_parser("create", help=_("create an administrator account"))
        create.add_argument(
            "role", help="system_admin | security_admin | audit_admin (系统/安全/审计管理员)"
        )
        create.add_argument("name", help=_("the user name"))
        create.add_argument("--full-name", default="", help=_("the person's full name"))
        create.add_argument(
            "--password-stdin",
            action="store_true",
            help=_("read the password from standard input instead of making a random one"),
        )
        actions.add_parser("list", help=_("list the administrator accounts"))
        reset = actions.add_parser("reset-password", help=_("give an account a new password"))
        reset.add_argument("name", help=_("the user name"))
        reset.add_argument(
            "--password-stdin",
            action="store_true",
            help=_("read the password from standard input instead of making a random one"),
        )
        unlock = actions.add_parser(
            "unlock", help=_("lift a sign-in lock after too many failed tries")
        )
        unlock.add_argument("name", nargs="?", default="", help=_("the user name"))
        unlock.add_argument("--address", default="", help=_("unlock this address instead"))
        for name, text in (
            ("deactivate", _("end an account's sign-in (never deleted)")),
            ("activate", _("let a deactivated account sign in again")),
        ):
            sub = actions.add_parser(name, help=text)
            sub.add_argument("name", help=_("the user name"))

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        with acting_as(None):
            if action == "create":
                self.create(options)
            elif action == "list":
                self.list()
            elif action == "reset-password":
                self.reset(options)
            elif action == "unlock":
                self.unlock(options)
            else:
                user = self.account(options["name"])
                services.set_active(by=None, user=user, active=action == "activate")
                done = (
                    _("The account %(name)s is active again.")
                    if action == "activate"
                    else _("The account %(name)s is deactivated; it can no longer sign in.")
                )
                self.stdout.write(done % {"name": user.get_username()})

    def create(self, options: dict[str, Any]) -> None:
        role = ROLE_NAMES.get(options["role"].strip().lower())
        if role is None:
            raise self.fail(
                _(
                    "“%(role)s” is not an administrator role; use system_admin, security_admin "
                    "or audit_admin (系统管理员、安全管理员、审计管理员)."
                ),
                role=options["role"],
            )
        name = options["name"].strip()
        if get_user_model().objects.filter(username__iexact=name).exists():
            raise self.fail(
                _(
                    "The user name “%(name)s” is taken; choose another, or reset its password "
                    "with duban admin reset-password %(name)s."
                ),
                name=name,
            )
        password = self.read_password(options) if options["password_stdin"] else ""
        try:
            user, shown = services.create_user(
                by=None,
                username=name,
                full_name=options["full_name"] or name,
                role=role,
                password=password,
            )
        except services.AccountProblem as problem:
            raise self.fail("%(error)s", error=problem) from problem
        self.stdout.write(
            _("Created the %(role)s account %(name)s.")
            % {"role": Role(role).label, "name": user.get_username()}
        )
        if shown:
            self.show_password(shown)

    def list(self) -> None:
        users = (
            get_user_model()
            .objects.filter(membership__role__in=ADMIN_ROLES)
            .select_related("membership")
            .order_by("membership__role", "username")
        )
        rows = [[_("Username"), _("Role"), _("Full name of the person"), _("Status")]]
        for user in users:
            status = _("Active") if user.is_active else _("Inactive")
            role = user.membership.get_role_display()
            rows.append([user.get_username(), role, user.get_full_name(), status])
        if len(rows) == 1:
            self.stdout.write(
                _("There is no administrator account yet: duban admin create ROLE NAME")
            )
            return
        self.stdout.write(format_table(rows))

    def reset(self, options: dict[str, Any]) -> None:
        user = self.account(options["name"])
        password = self.read_password(options) if options["password_stdin"] else ""
        try:
            shown = services.reset_password(by=None, user=user, password=password)
        except services.AccountProblem as problem:
            raise self.fail("%(error)s", error=problem) from problem
        self.stdout.write(_("Set a new password for %(name)s.") % {"name": user.get_username()})
        if shown:
            self.show_password(shown)

    def unlock(self, options: dict[str, Any]) -> None:
        address = options["address"].strip()
        if address:
            was_locked = lockout.unlock_address(by=None, address=address)
            name = address
        elif options["name"].strip():
            user = self.account(options["name"].strip())
            was_locked = lockout.unlock(by=None, user=user)
            name = user.get_username()
        else:
            raise self.fail(_("Name the account to unlock, or give --address."))
        done = _("%(name)s may sign in again.") if was_locked else _("%(name)s was not locked.")
        self.stdout.write(done % {"name": name})

    def account(self, name: str) -> AbstractUser:
        user: AbstractUser | None = get_user_model().objects.filter(username=name).first()
        if user is None:
            raise self.fail(_("There is no account “%(name)s”."), name=name)
        return user

    def read_password(self, options: dict[str, Any]) -> str:
        stdin: IO[str] = options.get("stdin") or sys.stdin
        password = stdin.readline().rstrip("\r\n")
        if not password:
            raise self.fail(_("No password on standard input."))
        return password

    def show_password(self, password: str) -> None:
        self.stdout.write(f"{_('Password (shown once, stored nowhere else):')} {password}")
