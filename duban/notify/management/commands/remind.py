"""``duban remind``: create today's reminders and send every pending delivery.

Safe to run every few minutes from cron: a reminder is added once to each person's notification
of the day (its key), a delivery is sent once, failures wait for their backoff. ``--dry-run``
lists what would be created and sends nothing; ``--date 2023-03-28`` computes the reminders of
another day.
"""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from duban.audit.context import acting_as
from duban.core.commands import DubanCommand
from duban.core.formatting import format_table
from duban.lights.services import record_lights
from duban.notify.models import DeliveryState
from duban.notify.services import deliver_pending, run_reminders


class Command(DubanCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        return _("Create due reminders and send pending notifications (safe to run from cron).")

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help=_("list what would be sent, send nothing")
        )
        parser.add_argument(
            "--date", type=self._date, help=_("compute the reminders of this day (YYYY-MM-DD)")
        )
        parser.add_argument(
            "--no-send",
            action="store_true",
            help=_("create reminders, leave sending to the worker"),
        )

    def _date(self, value: str) -> date:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.fail(_("%(value)s is not a date (YYYY-MM-DD)."), value=value) from None

    def handle(self, *args: Any, **options: Any) -> None:
        with acting_as(None):
            if not options["dry_run"]:
                record_lights(options.get("date"))  # each task's light history, once a day
            result = run_reminders(options.get("date"), dry_run=options["dry_run"])
            if options["dry_run"]:
                rows = [
                    [
                        r.user.get_username(),
                        r.kind,
                        r.due_on.isoformat() if r.due_on else "—",
                        r.title,
                    ]
                    for r in result.reminders
                ]
                if rows:
                    self.stdout.write(format_table(rows))
                self.stdout.write(
                    _("%(count)s reminders would be sent.") % {"count": len(result.reminders)}
                )
                return
            made = _("%(items)s new items in %(count)s notifications, %(deliveries)s queued.")
            self.stdout.write(
                made
                % {
                    "items": len(result.items),
                    "count": len(result.notifications),
                    "deliveries": len(result.deliveries),
                }
            )
            if options["no_send"]:
                return
            tried = deliver_pending()
            sent = sum(1 for d in tried if d.state == DeliveryState.SENT)
            failed = sum(1 for d in tried if d.state == DeliveryState.FAILED)
            self.stdout.write(
                _("%(sent)s sent, %(retry)s to retry, %(failed)s failed.")
                % {"sent": sent, "retry": len(tried) - sent - failed, "failed": failed}
            )
