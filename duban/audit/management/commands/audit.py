"""``duban audit``: the audit trail's integrity, and its archives for off-site keeping.

``duban audit verify`` walks the chain from the first event to the last and either says it is
intact (how many events, the last hash) or names the first broken link and exits with status 1.
``duban audit export --from 2023-01-01 --to 2023-06-30 FILE`` writes those days' events as a
signed archive (JSON lines and a seal: docs/audit.md); ``duban audit verify-archive FILE
[--key-file KEY]`` checks one, here or wherever it is kept (status 1 if it fails). Nothing here
deletes an event: the trail is kept whole (网络安全法: at least six months).
"""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.commands import DubanCommand
from duban.core.formatting import format_cn_date, format_cn_datetime

from ... import integrity
from ...models import AuditAction
from ...signals import record

BROKEN = 1


def _at(moment: dt.datetime | None) -> str:
    if moment is None:
        return "—"
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return format_cn_datetime(moment, seconds=True)


def broken_message(broken: integrity.Break) -> str:
    """The first broken link, in words."""
    where = {"position": broken.position, "id": broken.event_id, "at": _at(broken.at)}
    if broken.kind == integrity.Broken.CHANGED:
        template = _(
            "The chain is broken at event %(position)s (number %(id)s, %(at)s): its content "
            "does not give its hash; it was changed after it was recorded."
        )
    elif broken.kind == integrity.Broken.LINK:
        template = _(
            "The chain is broken at event %(position)s (number %(id)s, %(at)s): it does not "
            "follow the event before it; an event before it was removed, inserted or changed."
        )
    else:
        template = _(
            "Event %(position)s (number %(id)s, %(at)s) was hashed with %(algorithm)s, which "
            "this machine cannot compute: the chain cannot be checked from there."
        )
        where["algorithm"] = broken.algorithm.upper()
    return template % where


class Command(DubanCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        return _("The audit trail: duban audit verify | export | verify-archive")

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="verify|export|verify-archive"
        )
        actions.add_parser("verify", help=_("check the audit trail's chain"))
        export = actions.add_parser("export", help=_("write a signed archive of the trail"))
        export.add_argument(
            "--from", dest="since", required=True, help=_("first day, e.g. 2023-01-01")
        )
        export.add_argument(
            "--to", dest="until", required=True, help=_("last day, e.g. 2023-06-30")
        )
        export.add_argument("file", help=_("the archive file to write"))
        archive = actions.add_parser("verify-archive", help=_("check a signed archive"))
        archive.add_argument("file", help=_("the archive file"))
        archive.add_argument(
            "--key-file",
            help=_("the file holding the audit key (default: this instance's key)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "verify":
            self.verify()
        elif action == "export":
            self.export(options["since"], options["until"], Path(options["file"]))
        else:
            self.verify_archive(Path(options["file"]), options.get("key_file"))

    # --- verify --------------------------------------------------------------------------

    def verify(self) -> None:
        walked = integrity.verify_trail()
        if not integrity.guards_installed():
            self.stderr.write(
                _(
                    "Warning: the database's guard against changing the trail is missing; "
                    "run duban migrate to put it back."
                )
            )
        if walked.broken is not None:
            raise CommandError(broken_message(walked.broken), returncode=BROKEN)
        if walked.count == 0:
            self.stdout.write(_("The audit trail is empty."))
            return
        self.stdout.write(
            _(
                "The audit trail is intact: %(count)s events (numbers %(first)s to %(last)s); "
                "the last hash (%(algorithm)s) is %(hash)s."
            )
            % {
                "count": walked.count,
                "first": walked.first_id,
                "last": walked.last_id,
                "algorithm": "/".join(sorted(a.upper() for a in walked.algorithms)),
                "hash": walked.last_hash,
            }
        )

    # --- export --------------------------------------------------------------------------

    def _day(self, text: str) -> dt.date:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            message = _("“%(value)s” is not a date; write it as 2023-08-15.")
            raise self.fail(message, value=text) from None

    def export(self, since_text: str, until_text: str, path: Path) -> None:
        since, until = self._day(since_text), self._day(until_text)
        if since > until:
            raise self.fail(_("The first day comes after the last day."))
        if path.exists():
            raise self.fail(_("%(file)s exists already; name a new file."), file=path)
        if not path.parent.is_dir():
            raise self.fail(_("There is no folder %(folder)s."), folder=path.parent)
        try:
            written = integrity.write_archive(path, since, until, integrity.audit_key())
        except integrity.EmptyRange:
            raise self.fail(
                _("No event was recorded from %(since)s to %(until)s."),
                since=format_cn_date(since),
                until=format_cn_date(until),
            ) from None
        walked = written.walk
        # The export is itself an event of the trail, and anchors the archive in the chain.
        record(
            AuditAction.EXPORT,
            after={
                "file": path.name,
                "filters": {"from": since.isoformat(), "to": until.isoformat()},
                "rows": walked.count,
                "first_id": walked.first_id,
                "last_id": walked.last_id,
                "last_hash": walked.last_hash,
                "signature": written.signature,
            },
        )
        self.stdout.write(
            _(
                "Wrote %(count)s events (numbers %(first)s to %(last)s) to %(file)s; the last "
                "hash is %(hash)s."
            )
            % {
                "count": walked.count,
                "first": walked.first_id,
                "last": walked.last_id,
                "file": path,
                "hash": walked.last_hash,
            }
        )
        if walked.broken is not None:
            raise CommandError(broken_message(walked.broken), returncode=BROKEN)

    # --- verify-archive ------------------------------------------------------------------

    def verify_archive(self, path: Path, key_file: str | None) -> None:
        if key_file:
            try:
                key = Path(key_file).read_text(encoding="utf-8").strip().encode("utf-8")
            except (OSError, UnicodeDecodeError):
                raise self.fail(_("Cannot read the key file %(file)s."), file=key_file) from None
        else:
            key = integrity.audit_key()
        try:
            checked = integrity.read_archive(path, key)
        except integrity.NotAnArchive:
            raise self.fail(_("%(file)s is not an audit archive of duban."), file=path) from None
        if checked.problem == integrity.ArchiveProblem.SIGNATURE:
            raise CommandError(
                _(
                    "The archive's signature does not match: the file was changed, or it was "
                    "signed with another key."
                ),
                returncode=BROKEN,
            )
        if checked.walk.broken is not None:
            raise CommandError(broken_message(checked.walk.broken), returncode=BROKEN)
        if checked.problem == integrity.ArchiveProblem.COUNT:
            raise CommandError(
                _("The archive's seal does not match its events: events are missing."),
                returncode=BROKEN,
            )
        walked = checked.walk
        self.stdout.write(
            _(
                "The archive is intact and its signature is valid: %(count)s events (numbers "
                "%(first)s to %(last)s) recorded from %(since)s to %(until)s; the last hash is "
                "%(hash)s."
            )
            % {
                "count": walked.count,
                "first": walked.first_id,
                "last": walked.last_id,
                "since": _header_day(checked.header.get("from")),
                "until": _header_day(checked.header.get("to")),
                "hash": walked.last_hash,
            }
        )


def _header_day(text: Any) -> str:
    try:
        return format_cn_date(dt.date.fromisoformat(str(text)))
    except ValueError:
        return str(text)
