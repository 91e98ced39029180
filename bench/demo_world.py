"""The demo year in a throwaway (or kept) SQLite database, set up in this process for the
in-process benchmarks (bench/ledger.py, bench/cockpit.py, bench/api_frameworks.py).

``open_demo(data_dir)`` sets the environment (the demo date as today, demo accounts signing in
without a second factor, as ``make run``), sets Django up, migrates and builds the demo year
unless the directory holds it already, collects the static files when asked (pages name them
as the served application does) and lets the test client's host in.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEMO_DATE = "2023-08-15"
DEMO_PASSWORD = "Bench-demo-2023"


def open_demo(data_dir: str, *, static: bool = False) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="duban.settings",
        DUBAN_DATA_DIR=data_dir,
        DUBAN_DB_ENGINE="sqlite",
        DUBAN_TODAY=DEMO_DATE,
        DUBAN_DEMO_PASSWORD=DEMO_PASSWORD,
        # The demo signs in without phones (as `make run`): no second factor to set up first.
        DUBAN_2FA_REQUIRED_ROLES="none",
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from duban.ledger.models import Task

    quiet = io.StringIO()
    call_command("migrate", verbosity=0, stdout=quiet)
    if not Task.objects.exists():
        call_command("demo", "--date", DEMO_DATE, stdout=quiet, stderr=quiet)
    if static:
        call_command("collectstatic", interactive=False, verbosity=0, stdout=quiet)
    settings.ALLOWED_HOSTS = ["*"]  # after the demo, which refuses a server open to all
