"""Checking the chain, and the signed archive for off-site keeping (docs/audit.md).

- ``verify_trail()`` walks the trail in the order it was written and returns the first broken
  link: an event whose content no longer gives its hash (changed), or one that does not follow
  the event before it (an event before it removed, inserted, or changed with its hash
  recomputed). ``duban audit verify``.
- ``write_archive(path, since, until)`` writes the events of those days as one file of JSON
  lines: a header, one line per event (with its hashes), and a seal with the count, the chain's
  ends and an HMAC signature over everything before it, keyed with the instance's audit key
  (``DUBAN_AUDIT_KEY``, else ``audit_key`` in the data directory). ``duban audit export``.
- ``read_archive(path, key)`` checks such a file: its signature, its count, every event's hash
  and every link. ``duban audit verify-archive``.

The archive holds a contiguous stretch of the chain: from the first event recorded on ``since``
to the last recorded on ``until``, by the order of writing, so every link inside it is checked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from duban.core import clock
from duban.env import load_or_create_secret

from . import chain, guards
from .models import AuditEvent

FORMAT = "duban-audit-archive"
VERSION = 1
CHUNK = 2000
KEY_FILE = "audit_key"
# What a line of the archive holds of an event.
COLUMNS = ("id", *chain.FIELDS, "prev_hash", "hash", "algorithm")


class Broken:
    CHANGED = "changed"  # the content does not give the stored hash
    LINK = "link"  # the previous hash is not the hash of the event before
    ALGORITHM = "algorithm"  # hashed with an algorithm this machine lacks


@dataclass(frozen=True)
class Break:
    position: int  # 1 for the first event walked
    event_id: int
    at: dt.datetime | None
    kind: str  # Broken.*
    algorithm: str = ""


@dataclass
class Walk:
    count: int = 0
    first_id: int | None = None
    last_id: int | None = None
    first_prev_hash: str = ""
    last_hash: str = ""
    algorithms: set[str] = field(default_factory=set)
    broken: Break | None = None

    @property
    def intact(self) -> bool:
        return self.broken is None


def _moment(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None


class Walker:
    """Checks events one by one in the order they were written, keeping the first broken
    link; after it, only counts (the seal of an archive still needs the count and the ends).
    ``expected_prev`` is the previous hash the first must carry (None: whatever it carries)."""

    def __init__(self, expected_prev: str | None = chain.GENESIS) -> None:
        self.result = Walk()
        self.previous = expected_prev

    def step(self, event: Mapping[str, Any]) -> None:
        result = self.result
        result.count += 1
        if result.first_id is None:
            result.first_id = event["id"]
            result.first_prev_hash = event["prev_hash"]
        result.last_id = event["id"]
        result.last_hash = event["hash"]
        algorithm = event["algorithm"]
        result.algorithms.add(algorithm)
        if result.broken is not None:
            return
        kind = ""
        if not chain.available(algorithm):
            kind = Broken.ALGORITHM
        elif self.previous is not None and event["prev_hash"] != self.previous:
            kind = Broken.LINK
        elif chain.compute(event, event["prev_hash"], algorithm) != event["hash"]:
            kind = Broken.CHANGED
        if kind:
            result.broken = Break(result.count, event["id"], _moment(event["at"]), kind, algorithm)
        self.previous = event["hash"]


def walk(events: Iterable[Mapping[str, Any]], expected_prev: str | None = chain.GENESIS) -> Walk:
    walker = Walker(expected_prev)
    for event in events:
        walker.step(event)
    return walker.result


def _rows(queryset: Any) -> Iterator[dict[str, Any]]:
    return queryset.order_by("pk").values(*COLUMNS).iterator(chunk_size=CHUNK)


def verify_trail() -> Walk:
    """The whole trail, from its first event."""
    return walk(_rows(AuditEvent.objects.all()))


def guards_installed() -> bool:
    return guards.installed(connection)


# --- the archive ---------------------------------------------------------------------------


def audit_key() -> bytes:
    """The key archives are signed with: ``DUBAN_AUDIT_KEY``, else the data directory's
    ``audit_key`` file (made, mode 0600, on first use)."""
    configured = getattr(settings, "DUBAN_AUDIT_KEY", "")
    if configured:
        return str(configured).encode("utf-8")
    return load_or_create_secret(Path(settings.DATA_DIR) / KEY_FILE).encode("utf-8")


def key_id(key: bytes) -> str:
    """Which key signed an archive, without saying the key."""
    return hashlib.sha256(b"duban.audit.key-id:" + key).hexdigest()[:12]


def _signature_algorithm() -> str:
    return "hmac-" + chain.ALGORITHM


def _sign(key: bytes, data: bytes, algorithm: str) -> str:
    digest = algorithm.removeprefix("hmac-")
    if not algorithm.startswith("hmac-") or not chain.available(digest):
        raise chain.UnknownAlgorithm(algorithm)
    return hmac.new(key, data, digest).hexdigest()


def _line(data: Mapping[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def _event_line(row: Mapping[str, Any]) -> bytes:
    data = {name: row[name] for name in COLUMNS}
    data["at"] = chain.utc_text(row["at"])
    return _line({"type": "event", **data})


class EmptyRange(Exception):
    """No event was recorded in the days asked for."""


def archive_range(since: dt.date, until: dt.date) -> tuple[int, int]:
    """The numbers of the first event recorded on ``since`` or later and of the last recorded
    on ``until`` or earlier (local days)."""
    events = AuditEvent.objects.all()
    first = events.filter(at__date__gte=since).order_by("pk").values_list("pk", flat=True).first()
    last = events.filter(at__date__lte=until).order_by("-pk").values_list("pk", flat=True).first()
    if first is None or last is None or first > last:
        raise EmptyRange
    return first, last


@dataclass(frozen=True)
class Written:
    path: Path
    walk: Walk
    signature: str


def write_archive(path: Path, since: dt.date, until: dt.date, key: bytes) -> Written:
    """Write the archive (all at once: a temporary file renamed into place, mode 0600)."""
    first, last = archive_range(since, until)
    rows = _rows(AuditEvent.objects.filter(pk__gte=first, pk__lte=last))
    header = {
        "type": "header",
        "format": FORMAT,
        "version": VERSION,
        "from": since.isoformat(),
        "to": until.isoformat(),
        "written_at": chain.utc_text(clock.now()),
    }
    signed = hmac.new(key, digestmod=_signature_algorithm().removeprefix("hmac-"))
    walker = Walker(expected_prev=None)
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:

            def put(data: bytes) -> None:
                handle.write(data)
                signed.update(data)

            put(_line(header))
            for row in rows:
                put(_event_line(row))
                walker.step(row)
            walked = walker.result
            seal = {
                "type": "seal",
                "count": walked.count,
                "first_id": walked.first_id,
                "last_id": walked.last_id,
                "first_prev_hash": walked.first_prev_hash,
                "last_hash": walked.last_hash,
                "key_id": key_id(key),
                "signature_algorithm": _signature_algorithm(),
                "signature": signed.hexdigest(),
            }
            handle.write(_line(seal))
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Written(path, walked, str(seal["signature"]))


class NotAnArchive(Exception):
    """The file is not a duban audit archive (or is cut short)."""


class ArchiveProblem:
    SIGNATURE = "signature"  # the HMAC does not match: changed, or another key
    COUNT = "count"  # the seal's count or chain ends disagree with the events


@dataclass
class Checked:
    header: dict[str, Any]
    seal: dict[str, Any]
    walk: Walk
    problem: str = ""  # ArchiveProblem.*, "" when the signature and the seal hold

    @property
    def intact(self) -> bool:
        return not self.problem and self.walk.intact


def read_archive(path: Path, key: bytes) -> Checked:
    """Check an archive: its signature, its seal, and the chain of its events."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise NotAnArchive(str(exc)) from exc
    lines = raw.splitlines(keepends=True)
    try:
        parsed = [json.loads(line) for line in lines]
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NotAnArchive(str(exc)) from exc
    if (
        len(parsed) < 2
        or not all(isinstance(item, dict) for item in parsed)
        or parsed[0].get("type") != "header"
        or parsed[0].get("format") != FORMAT
        or parsed[-1].get("type") != "seal"
        or any(item.get("type") != "event" for item in parsed[1:-1])
    ):
        raise NotAnArchive(str(path))
    header, seal, events = parsed[0], parsed[-1], parsed[1:-1]
    try:
        walked = walk(events, expected_prev=None)
    except (KeyError, TypeError, ValueError) as exc:
        raise NotAnArchive(str(exc)) from exc
    checked = Checked(header, seal, walked)
    body = b"".join(lines[:-1])
    try:
        expected = _sign(key, body, str(seal.get("signature_algorithm", "")))
    except chain.UnknownAlgorithm:
        expected = ""
    if not expected or not hmac.compare_digest(expected, str(seal.get("signature", ""))):
        checked.problem = ArchiveProblem.SIGNATURE
    elif (
        seal.get("count") != walked.count
        or seal.get("last_hash") != walked.last_hash
        or seal.get("first_prev_hash") != walked.first_prev_hash
    ):
        checked.problem = ArchiveProblem.COUNT
    return checked
