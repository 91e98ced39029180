"""`duban backup` and `duban restore`: a round trip that compares every table and every file,
on the engine the suite runs on (SQLite, then PostgreSQL), and the archives restore refuses."""

from __future__ import annotations

import io
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from duban.core import backup
from tests.support.factories import build_yanshi
from tests.support.files import pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump and sqlite3 see committed rows


def _rows(database: dict[str, Any]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order."""
    found = {}
    with backup.open_database(database) as (conn, engine):
        cursor = conn.cursor()
        for table in backup._tables(cursor, engine):
            cursor.execute(f'SELECT * FROM "{table}"')
            found[table] = sorted((tuple(row) for row in cursor.fetchall()), key=repr)
    return found


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def source(tmp_path: Path) -> backup.Target:
    """The test database with a directory, a plan, accounts and uploaded files in it."""
    build_yanshi()
    get_user_model().objects.create_user("备份员", password="Beifen#2024", email="b@example.cn")
    media = tmp_path / "media"
    for name, data in {
        "evidence/2023/05/a1b2.pdf": pdf_bytes(),
        "evidence/2023/05/c3d4.png": png_bytes(),
        "supervision/2023/06/回复.pdf": pdf_bytes() + "\n% 中文".encode(),
    }.items():
        (media / name).parent.mkdir(parents=True, exist_ok=True)
        (media / name).write_bytes(data)
    secret = tmp_path / "secret_key"
    secret.write_text("the-old-key\n")
    signing = tmp_path / "audit_key"
    signing.write_text("the-audit-key\n")
    return backup.Target(dict(connection.settings_dict), media, secret, signing)


@pytest.fixture
def empty(tmp_path: Path) -> Iterator[backup.Target]:
    """An empty target on the same engine: a new SQLite file or a new PostgreSQL database."""
    restored = tmp_path / "restored"
    restored.mkdir()
    database = dict(connection.settings_dict)
    if connection.vendor == "postgresql":
        database["NAME"] = f"{connection.settings_dict['NAME']}_restored"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{database["NAME"]}"')
            cursor.execute(f'CREATE DATABASE "{database["NAME"]}"')
    else:
        database["NAME"] = restored / "duban.sqlite3"
    yield backup.Target(
        database, restored / "media", restored / "secret_key", restored / "audit_key"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{database["NAME"]}" WITH (FORCE)')


def test_the_round_trip_keeps_every_table_and_file(
    source: backup.Target, empty: backup.Target, tmp_path: Path
) -> None:
    archive = backup.create(tmp_path / "backups", source=source)

    assert archive.name.startswith("duban-backup-") and archive.name.endswith(".tar.gz")
    assert archive.stat().st_mode & 0o777 == 0o600
    manifest = backup.verify(archive)
    assert manifest["engine"] == ("postgresql" if connection.vendor == "postgresql" else "sqlite")
    assert manifest["tables"]["directory_unit"] > 10 and manifest["tables"]["ledger_task"] == 6

    backup.restore(archive, target=empty)

    before, after = _rows(source.database), _rows(empty.database)
    assert set(after) == set(before) and len(before) > 30
    for table in before:
        assert after[table] == before[table], table
    assert _files(empty.media_root) == _files(source.media_root)
    assert len(_files(empty.media_root)) == 3
    assert empty.secret_key is not None and empty.secret_key.read_text() == "the-old-key\n"
    # Audit archives made before the backup still verify after the restore.
    assert empty.audit_key is not None and empty.audit_key.read_text() == "the-audit-key\n"
    restored_file = empty.media_root / "evidence/2023/05/a1b2.pdf"
    assert restored_file.stat().st_mode & 0o777 == 0o600


def test_restore_refuses_a_target_that_is_not_empty(
    source: backup.Target, empty: backup.Target, tmp_path: Path
) -> None:
    archive = backup.create(tmp_path, source=source)

    with pytest.raises(backup.BackupError, match="数据库不是空的"):
        backup.restore(archive, target=source)  # the live database itself

    stray = empty.media_root / "evidence" / "stray.pdf"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"%PDF-1.4")
    with pytest.raises(backup.BackupError, match="已有文件"):
        backup.restore(archive, target=empty)
    assert backup.is_empty(empty.database)  # nothing was written


def _rewrite(archive: Path, out: Path, change: dict[str, bytes | None]) -> Path:
    """A copy of the archive with members replaced (bytes), removed (None) or added."""
    with tarfile.open(archive, "r:gz") as src, tarfile.open(out, "w:gz") as dst:
        for info in src:
            data = src.extractfile(info).read()  # type: ignore[union-attr]
            if info.name in change:
                replaced = change.pop(info.name)
                if replaced is None:
                    continue
                data = replaced
                info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
        for name, data in change.items():
            assert data is not None
            info = tarfile.TarInfo(name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    return out


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"media/evidence/2023/05/c3d4.png": png_bytes(3, 3)}, "校验值不符"),
        ({"media/evidence/2023/05/a1b2.pdf": None}, "缺少"),
        ({"media/evil.pdf": b"%PDF-1.4"}, "清单中没有"),
        ({"../../etc/cron.d/duban": b"* * * * * root sh"}, "意外的条目"),
        ({"manifest.json": None}, "没有清单"),
    ],
)
def test_a_tampered_archive_is_refused_before_anything_is_written(
    source: backup.Target,
    empty: backup.Target,
    tmp_path: Path,
    change: dict[str, bytes | None],
    why: str,
) -> None:
    archive = backup.create(tmp_path, source=source)
    bad = _rewrite(archive, tmp_path / "bad.tar.gz", dict(change))

    with pytest.raises(backup.BackupError, match=why):
        backup.restore(bad, target=empty)

    assert backup.is_empty(empty.database) and not empty.media_root.exists()


def test_a_truncated_archive_is_refused(source: backup.Target, tmp_path: Path) -> None:
    archive = backup.create(tmp_path, source=source)
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])

    with pytest.raises(backup.BackupError, match="不是可用的督办备份"):
        backup.verify(cut)


def test_the_commands(source: backup.Target, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = source.media_root
    settings.DATA_DIR = tmp_path
    out = io.StringIO()

    call_command("backup", str(tmp_path / "out"), stdout=out)

    [archive] = (tmp_path / "out").glob("duban-backup-*.tar.gz")
    assert "备份已写入" in out.getvalue() and "3 个文件" in out.getvalue()
    out = io.StringIO()
    call_command("restore", str(archive), "--check", stdout=out)
    assert "完整" in out.getvalue()
    with pytest.raises(CommandError, match="数据库不是空的"):
        call_command("restore", str(archive))  # into the running installation: refused
    with pytest.raises(CommandError, match="不存在"):
        call_command("restore", str(tmp_path / "nothing.tar.gz"))
