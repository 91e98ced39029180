"""``duban audit export --from --to FILE`` writes a signed archive for off-site keeping (JSON
lines: a header, the events with their hashes, a seal with the chain's ends and an HMAC);
``duban audit verify-archive FILE`` checks it; the export is itself recorded."""

from __future__ import annotations

import datetime as dt
import io
import json
import stat
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from duban.audit import integrity
from duban.audit.models import AuditAction, AuditEvent
from duban.audit.signals import record
from duban.core import clock
from tests.support.audit import tamper

pytestmark = pytest.mark.django_db

KEY = "a-test-key-for-the-audit-archives"


@pytest.fixture(autouse=True)
def _key(settings: pytest.FixtureRequest) -> None:
    settings.DUBAN_AUDIT_KEY = KEY  # type: ignore[attr-defined]


def events_on(day: dt.date, count: int) -> list[AuditEvent]:
    with clock.pinned(day):
        return [record(AuditAction.LOGIN, label=f"user{i}") for i in range(count)]


def audit(*args: str) -> str:
    out = io.StringIO()
    call_command("audit", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_an_archive_holds_the_days_asked_for_and_verifies(db: None, tmp_path: Path) -> None:
    events_on(dt.date(2023, 3, 31), 2)
    april = events_on(dt.date(2023, 4, 3), 3) + events_on(dt.date(2023, 4, 28), 2)
    events_on(dt.date(2023, 5, 2), 1)
    path = tmp_path / "audit-2023-04.jsonl"

    said = audit("export", "--from", "2023-04-01", "--to", "2023-04-30", str(path))

    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    header, *events, seal = lines
    assert header["format"] == "duban-audit-archive" and header["from"] == "2023-04-01"
    assert [e["id"] for e in events] == [e.pk for e in april]
    assert [e["hash"] for e in events] == [e.hash for e in april]
    assert seal["count"] == 5 and seal["last_hash"] == april[-1].hash
    assert seal["first_prev_hash"] == april[0].prev_hash  # where it hangs in the chain
    assert seal["signature_algorithm"] == "hmac-sm3" and len(seal["signature"]) == 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert april[-1].hash in said

    # The export is an event of the trail: what was written, from which days, its seal.
    exported = AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("pk")
    assert exported.after is not None
    assert exported.after["filters"] == {"from": "2023-04-01", "to": "2023-04-30"}
    assert (exported.after["rows"], exported.after["last_hash"]) == (5, april[-1].hash)
    assert exported.after["signature"] == seal["signature"]

    checked = audit("verify-archive", str(path))
    assert april[-1].hash in checked and "5" in checked


def test_a_changed_archive_fails_its_signature(db: None, tmp_path: Path) -> None:
    events_on(dt.date(2023, 4, 3), 3)
    path = tmp_path / "audit.jsonl"
    audit("export", "--from", "2023-04-03", "--to", "2023-04-03", str(path))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"username": "user1"', '"username": "user9"'), "utf-8")
    with pytest.raises(CommandError) as failed:
        audit("verify-archive", str(path))
    assert failed.value.returncode == 1
    checked = integrity.read_archive(path, KEY.encode())
    assert checked.problem == integrity.ArchiveProblem.SIGNATURE


def test_an_archive_checks_with_its_key_file_elsewhere(
    db: None, tmp_path: Path, settings: pytest.FixtureRequest
) -> None:
    events_on(dt.date(2023, 4, 3), 2)
    path = tmp_path / "audit.jsonl"
    audit("export", "--from", "2023-04-03", "--to", "2023-04-03", str(path))
    key_file = tmp_path / "audit_key"
    key_file.write_text(KEY + "\n", encoding="utf-8")
    settings.DUBAN_AUDIT_KEY = "another instance's key"  # type: ignore[attr-defined]
    with pytest.raises(CommandError):
        audit("verify-archive", str(path))  # this instance's key did not sign it
    assert "2" in audit("verify-archive", str(path), "--key-file", str(key_file))


def test_an_archive_cut_short_is_not_an_archive(db: None, tmp_path: Path) -> None:
    events_on(dt.date(2023, 4, 3), 3)
    path = tmp_path / "audit.jsonl"
    audit("export", "--from", "2023-04-03", "--to", "2023-04-03", str(path))
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")  # the seal is gone
    with pytest.raises(CommandError) as failed:
        audit("verify-archive", str(path))
    assert failed.value.returncode == 2


def test_an_archive_of_a_broken_chain_says_where(db: None, tmp_path: Path) -> None:
    written = events_on(dt.date(2023, 4, 3), 3)
    tamper("UPDATE audit_auditevent SET username = 'zhangsan' WHERE id = %s", [written[1].pk])
    path = tmp_path / "audit.jsonl"
    with pytest.raises(CommandError) as failed:
        audit("export", "--from", "2023-04-03", "--to", "2023-04-03", str(path))
    assert failed.value.returncode == 1 and str(written[1].pk) in str(failed.value)
    assert path.exists()  # what is there is kept all the same, signed as it is
    checked = integrity.read_archive(path, KEY.encode())
    assert checked.problem == "" and checked.walk.broken is not None
    assert checked.walk.broken.event_id == written[1].pk


@pytest.mark.parametrize(
    ("since", "until", "why"),
    [
        ("2023-04-31", "2023-05-01", "2023-04-31"),
        ("2023-05-01", "2023-04-01", ""),
        ("2019-01-01", "2019-12-31", "2019"),
    ],
)
def test_bad_ranges_are_refused_and_write_nothing(
    db: None, tmp_path: Path, since: str, until: str, why: str
) -> None:
    events_on(dt.date(2023, 4, 3), 1)
    path = tmp_path / "audit.jsonl"
    with pytest.raises(CommandError) as failed:
        audit("export", "--from", since, "--to", until, str(path))
    assert failed.value.returncode == 2 and why in str(failed.value)
    assert not path.exists() and list(tmp_path.iterdir()) == []


def test_an_existing_file_is_never_overwritten(db: None, tmp_path: Path) -> None:
    events_on(dt.date(2023, 4, 3), 1)
    path = tmp_path / "audit.jsonl"
    path.write_text("kept", encoding="utf-8")
    with pytest.raises(CommandError):
        audit("export", "--from", "2023-04-03", "--to", "2023-04-03", str(path))
    assert path.read_text(encoding="utf-8") == "kept"


def test_the_key_is_made_once_in_the_data_directory(
    settings: pytest.FixtureRequest, tmp_path: Path
) -> None:
    settings.DUBAN_AUDIT_KEY = ""  # type: ignore[attr-defined]
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    key = integrity.audit_key()
    assert key == integrity.audit_key() and len(key) >= 40
    assert stat.S_IMODE((tmp_path / "audit_key").stat().st_mode) == 0o600
