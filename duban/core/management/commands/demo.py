"""``duban demo``: accounts to try the product with, printed with their passwords.

Idempotent: a re-run resets the passwords (a hash cannot be printed again), so whoever set
the instance up can always get back in.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from duban.accounts.services import ensure_office_admin, generate_password
from duban.core.formatting import format_table

OFFICE_USERNAME = "office"
SERVE_URL = "http://127.0.0.1:8000"


class Command(BaseCommand):
    help = "Create the demo accounts (or reset their passwords) and print them."

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("DUBAN_DEMO_PASSWORD") or generate_password()
        ensure_office_admin(username=OFFICE_USERNAME, password=password)
        rows = [
            [_("Username"), _("Role"), _("Password")],
            [OFFICE_USERNAME, _("Supervision office administrator"), password],
        ]
        self.stdout.write(_("Demo accounts:"))
        self.stdout.write(format_table(rows))
        self.stdout.write(_("Sign in at %(url)s") % {"url": SERVE_URL})
