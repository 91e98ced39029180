"""``duban demo [--date YYYY-MM-DD] [--empty]``: the Yanshi directory, the seed ledger and one
account per role (duban/demo/accounts.py), printed with the password; then the demo year
(duban/demo/year/) as it stood on the demo date: by default 2023-08-15 (the year half way), or
``DUBAN_TODAY`` when it lies between 2023-01-01 and 2024-03-31; ``--date 2024-01-20`` gives the
finished year (docs/demo.md). ``--empty`` stops after the bare import.

The demo accounts share one password, printed: fit for a machine nobody else reaches. Where
duban answers beyond this machine (``DUBAN_ALLOWED_HOSTS`` names a host other than a loopback
name) the command refuses unless ``--force``; ``duban check --deploy`` flags demo accounts left
on a server (duban/demo/checks.py). The password (``DUBAN_DEMO_PASSWORD``, else a random one)
must pass the password policy like any other.

Idempotent: a re-run loads nothing twice, leaves a year already built as it is (it adds no
step to it) and resets the accounts and their password (a hash cannot be printed again), so
whoever set the instance up can always get back in. The accounts
are made with ``ensure_account``, which resets an existing one to exactly what the list says:
the administrators too, as the demo runs on the server like ``duban admin``.
"""

from __future__ import annotations

import datetime as dt
import os
from argparse import ArgumentParser
from contextlib import nullcontext
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duban.accounts.services import ensure_account, generate_password
from duban.core import clock
from duban.core.commands import DubanCommand
from duban.core.formatting import format_cn_date, format_table
from duban.demo.accounts import (
    DEMO_ACCOUNTS,
    OFFICE_UNIT,
    OFFICE_UNIT_FULL_NAME,
    OFFICE_USERNAME,
    DemoAccount,
)
from duban.demo.year import (
    DEMO_DATE,
    FIRST_DATE,
    IMPORTED_ON,
    LAST_DATE,
    YEAR,
    build_year,
    year_built,
)
from duban.directory.files import DEMO_FILE, DirectoryFileError, read_directory_file
from duban.directory.models import Leader, Unit, UnitKind
from duban.directory.services import DirectoryIndex, create_unit, load_directory
from duban.intake.services import import_demo_plan
from duban.reporting.services.periods import create_standard_periods

SERVE_URL = "http://127.0.0.1:8000"

# Host names that reach only this machine. Django's test client adds "testserver" to the
# allowed hosts while tests run; it names no machine.
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]", "testserver"})


def outside_hosts(hosts: list[str]) -> list[str]:
    """The allowed host names that reach beyond this machine ("*" included)."""
    return [
        host
        for host in hosts
        if host.lower().lstrip(".") not in LOOPBACK_HOSTS
        and not host.lower().endswith(".localhost")
        and not host.startswith("127.")
    ]


def policy_problems(password: str) -> list[str]:
    """What the password policy says of the demo password for any demo account (not the
    history: a re-run gives the accounts their password again)."""
    for account in DEMO_ACCOUNTS:
        try:
            password_validation.validate_password(password, User(username=account.username))
        except ValidationError as exc:
            return list(exc.messages)
    return []


class Command(DubanCommand):
    help = (
        "Load the demo directory, create the demo accounts (or reset them) and print them, "
        "and build the demo year up to the demo date."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--date",
            metavar="YYYY-MM-DD",
            help=(
                "the demo date, 2023-01-01 to 2024-03-31 (default 2023-08-15, or DUBAN_TODAY "
                "when it lies in that range; 2024-01-20: the finished year)"
            ),
        )
        parser.add_argument(
            "--empty",
            action="store_true",
            help="only the directory, the accounts and the bare import: no demo year",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=(
                "create the demo accounts even though DUBAN_ALLOWED_HOSTS lets other machines "
                "reach duban"
            ),
        )

    def demo_date(self, given: str | None) -> dt.date:
        if given is None:
            pinned = clock.pinned_date()
            return pinned if pinned is not None and FIRST_DATE <= pinned <= LAST_DATE else DEMO_DATE
        try:
            chosen = dt.date.fromisoformat(given.strip())
        except ValueError:
            raise self.fail(
                _("“%(value)s” is not a date; write it as 2023-08-15."), value=given
            ) from None
        if not FIRST_DATE <= chosen <= LAST_DATE:
            raise self.fail(
                _("The demo year is %(year)s: choose a date from %(first)s to %(last)s."),
                year=str(YEAR),
                first=format_cn_date(FIRST_DATE),
                last=format_cn_date(LAST_DATE),
            )
        return chosen

    def handle(self, *args: Any, **options: Any) -> None:
        outside = outside_hosts(list(settings.ALLOWED_HOSTS))
        if outside and not options["force"]:
            raise self.fail(
                _(
                    "duban answers beyond this machine (DUBAN_ALLOWED_HOSTS: %(hosts)s): the demo "
                    "accounts, with one printed password, do not belong there. Run the demo on a "
                    "machine of its own, or add --force if you really mean to."
                ),
                hosts=", ".join(outside),
            )
        password = os.environ.get("DUBAN_DEMO_PASSWORD", "")
        if password and policy_problems(password):
            raise self.fail(
                _("DUBAN_DEMO_PASSWORD does not meet the password policy: %(problems)s"),
                problems=" ".join(policy_problems(password)),
            )
        while not password or policy_problems(password):
            password = generate_password()
        until = None if options["empty"] else self.demo_date(options.get("date"))
        built = steps = 0
        # A demo year is set up when the year begins (IMPORTED_ON): the directory, the accounts
        # and the import come first in every history, before the year's own dated events.
        setting_up = clock.pinned(IMPORTED_ON) if until is not None else nullcontext()
        with transaction.atomic(), setting_up:
            self.load_directory()
            for account in DEMO_ACCOUNTS:
                self.ensure(account, password)
            # The seed notice, imported by the office as a clerk would (its 缙氏镇 typo
            # resolved to 缑氏镇); a second run finds it unchanged and writes nothing.
            outcome = import_demo_plan(user=User.objects.get(username=OFFICE_USERNAME))
            # The four quarters and the year-end report, planned: the office opens them.
            create_standard_periods(plan=outcome.plan, user=None)
            if until is not None:
                built = year_built(outcome.plan)
                if not built:
                    steps = build_year(outcome.plan, until)
        self.stdout.write(
            _("Ledger: %(title)s, %(tasks)s tasks.")
            % {"title": outcome.plan.title, "tasks": outcome.plan.tasks.count()}
        )
        if until is not None and built:
            self.stdout.write(_("The demo year is already there; nothing was added to it."))
        elif until is not None:
            self.stdout.write(
                _("The demo year up to %(date)s: %(steps)s steps.")
                % {"date": format_cn_date(until), "steps": steps}
            )
        rows = [[_("Username"), _("Role"), _("Unit or leader"), _("Password")]]
        rows += [
            [a.username, a.role_label, a.unit or a.leader or "—", password] for a in DEMO_ACCOUNTS
        ]
        self.stdout.write(_("Demo accounts:"))
        self.stdout.write(format_table(rows))
        self.stdout.write(_("Sign in at %(url)s") % {"url": SERVE_URL})

    def load_directory(self) -> None:
        """Load what is missing; if the office has since edited the directory in a way the
        file contradicts (a renamed unit), keep the office's version and say so."""
        try:
            load_directory(read_directory_file(DEMO_FILE))
        except DirectoryFileError as exc:
            self.stderr.write(
                _("The demo directory was not loaded again; your changes are kept. %(error)s")
                % {"error": exc}
            )
        if not DirectoryIndex.load().resolve(OFFICE_UNIT).resolved:
            create_unit(OFFICE_UNIT, UnitKind.DEPARTMENT, OFFICE_UNIT_FULL_NAME)

    def ensure(self, account: DemoAccount, password: str) -> None:
        unit = self.unit(account) if account.unit else None
        leader = Leader.objects.filter(name=account.leader).first() if account.leader else None
        if account.leader and leader is None:
            message = _("The directory has no leader “%(name)s” for the demo account %(user)s.")
            raise self.fail(message, name=account.leader, user=account.username)
        # An ordinary account of its role: none is staff or a Django superuser (三权分立).
        user = ensure_account(account.username, password, account.role, unit=unit, leader=leader)
        if user.first_name != account.full_name or user.last_name:
            user.first_name, user.last_name = account.full_name, ""
            user.save(update_fields=["first_name", "last_name"])

    def unit(self, account: DemoAccount) -> Unit:
        """The account's unit, found as a notice would name it (it may have been renamed)."""
        unit_id = DirectoryIndex.load().resolve(account.unit).unit_id
        if unit_id is None:
            message = _("The directory has no unit “%(name)s” for the demo account %(user)s.")
            raise self.fail(message, name=account.unit, user=account.username)
        return Unit.objects.get(pk=unit_id)
