"""The data directory (运维 and 数据完整性): `duban check` fails and /healthz answers 503 when
duban cannot save (the directory missing or not writable, free space below DUBAN_MIN_FREE_MB);
what the server writes is private to its account (0700 folders, 0600 files); a full disk gives
the Chinese 存储空间不足 page (507) and leaves no half-written file."""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import OperationalError
from django.test import Client, override_settings

from duban.core import server
from duban.core.storage import SafeFileSystemStorage
from duban.intake import staging
from duban.intake.pipeline import parse_upload
from tests.support.disk import FullDisk
from tests.support.files import png_bytes

HUGE = 2**60  # bytes no disk has free


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def check(**settings: object) -> str:
    out = StringIO()
    with override_settings(**settings):
        call_command("check", stdout=out, stderr=out)
    return out.getvalue()


@pytest.mark.django_db  # other checks may read the database
def test_check_fails_when_the_data_directory_cannot_be_written(tmp_path: Path) -> None:
    assert "no issues" in check(DATA_DIR=tmp_path)
    # A path under a regular file: no account, root neither, can create anything there.
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(SystemCheckError) as failed:
        check(DATA_DIR=blocker / "data")
    assert "duban.E101" in str(failed.value) and str(blocker / "data") in str(failed.value)
    # Not a folder at all (a file named as the data directory).
    with pytest.raises(SystemCheckError):
        check(DATA_DIR=blocker)


@pytest.mark.django_db
def test_check_fails_below_the_free_space_limit(tmp_path: Path) -> None:
    with pytest.raises(SystemCheckError) as failed:
        check(DATA_DIR=tmp_path, MIN_FREE_BYTES=HUGE)
    assert "duban.E102" in str(failed.value) and "DUBAN_MIN_FREE_MB" in str(failed.value)
    assert "no issues" in check(DATA_DIR=tmp_path, MIN_FREE_BYTES=0)


@pytest.mark.django_db
def test_healthz_says_what_is_wrong(client: Client, tmp_path: Path) -> None:
    assert client.get("/healthz").content == b"ok"
    with override_settings(MIN_FREE_BYTES=HUGE):
        low = client.get("/healthz")
    assert low.status_code == 503
    assert b"low disk space" in low.content and b"DUBAN_MIN_FREE_MB" in low.content
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with override_settings(DATA_DIR=blocker / "data"):
        broken = client.get("/healthz")
    assert broken.status_code == 503 and b"data directory" in broken.content


def test_files_are_private(tmp_path: Path, media: Path) -> None:
    # The process writes private files (the settings set the umask at start).
    current = os.umask(0o077)
    os.umask(current)
    assert current == 0o077
    # What an earlier start or a copy left open is closed at the next start.
    data = tmp_path / "data"
    (data / "media").mkdir(parents=True)
    (data / "logs").mkdir()
    for name in ("duban.sqlite3", "duban.sqlite3-wal", "secret_key", "logs/duban.log"):
        (data / name).write_text("")
        (data / name).chmod(0o644)
    for folder in (data, data / "media", data / "logs"):
        folder.chmod(0o755)
    server.make_private(data, folders=(data / "media", data / "logs"))
    assert mode(data) == mode(data / "media") == mode(data / "logs") == 0o700
    for name in ("duban.sqlite3", "duban.sqlite3-wal", "secret_key", "logs/duban.log"):
        assert mode(data / name) == 0o600, name
    # Uploads: 0600 in 0700 folders.
    name = default_storage.save("evidence/2023/08/photo.png", ContentFile(png_bytes()))
    assert mode(media / name) == 0o600
    assert mode((media / name).parent) == mode((media / name).parent.parent) == 0o700


def test_a_full_disk_leaves_no_half_written_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    disk = FullDisk(tmp_path)
    monkeypatch.setattr(os, "fdopen", disk.fdopen)
    storage = SafeFileSystemStorage(location=tmp_path)
    with pytest.raises(OSError) as full:
        storage.save("evidence/photo.png", ContentFile(png_bytes() * 50))
    assert full.value.errno == errno.ENOSPC and server.is_disk_full(full.value)
    assert disk.partial and not disk.partial[0].exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_what_counts_as_a_full_disk() -> None:
    assert server.is_disk_full(OSError(errno.ENOSPC, "No space left on device"))
    assert server.is_disk_full(OSError(errno.EDQUOT, "Disk quota exceeded"))
    assert not server.is_disk_full(OSError(errno.EACCES, "Permission denied"))
    # SQLite, through Django's wrapper.
    try:
        try:
            raise sqlite3.OperationalError("database or disk is full")
        except sqlite3.OperationalError as exc:
            raise OperationalError(*exc.args) from exc
    except OperationalError as wrapped:
        assert server.is_disk_full(wrapped)

    class DiskFull(Exception):  # psycopg.errors.DiskFull's SQLSTATE
        sqlstate = "53100"

    assert server.is_disk_full(DiskFull("could not extend file"))
    assert not server.is_disk_full(ValueError("nothing to do with disks"))


@pytest.mark.urls("tests.security.urls")
@pytest.mark.django_db
def test_a_full_disk_gets_the_chinese_page(client: Client, office_user: object) -> None:
    client.force_login(office_user)  # type: ignore[arg-type]
    client.raise_request_exception = False
    response = client.get("/test/disk-full/")
    assert response.status_code == 507
    page = response.content.decode()
    assert "存储空间不足" in page and "没有保存" in page
    assert response["X-Request-ID"] in page


def test_a_full_disk_leaves_no_half_staged_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An uploaded notice waits under DATA_DIR/imports until it is checked (duban.intake
    .staging); the disk filling up while it is staged leaves nothing there."""
    notice = "2023年重点工作任务分解\n一、项目建设\n1.开工项目45个。（牵头单位：发改委）\n"
    parsed = parse_upload(notice.encode(), "notice.txt")
    real_write_text = Path.write_text

    def filling(path: Path, text: str, *args: Any, **kwargs: Any) -> int:
        real_write_text(path, text[: len(text) // 2], *args, **kwargs)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with override_settings(DATA_DIR=tmp_path):
        monkeypatch.setattr(Path, "write_text", filling)
        with pytest.raises(OSError):
            staging.stage(data=b"notice", filename="notice.txt", parsed=parsed, owner_id=1)
        monkeypatch.undo()
        assert [p for p in (tmp_path / "imports").rglob("*")] == []
        staged = staging.stage(data=b"notice", filename="notice.txt", parsed=parsed, owner_id=1)
        assert staging.load(staged.token, 1).filename == "notice.txt"
