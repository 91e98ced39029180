"""The server's own files: private to its account, writable, with room to write.

- ``make_private(data_dir)`` (called by the settings at every start, after ``os.umask(0o077)``):
  the data directory and its folders 0700, the database, the secret key and the logs 0600, so
  that what an earlier version or a hand-made copy left readable to others is closed at the next
  start. Everything the process writes afterwards is private through the umask, uploads through
  ``FILE_UPLOAD_PERMISSIONS``.
- ``storage_problems()``: what stops duban from saving — the data directory missing or not
  writable (tried by writing a file, since ``os.access`` says yes to root whatever the mode), or
  less free space than ``DUBAN_MIN_FREE_MB``. ``duban check`` reports them as errors
  (``duban.core.checks``) and ``/healthz`` answers 503 with them.
- ``is_disk_full(exc)``: whether an exception is a full disk (``ENOSPC``/``EDQUOT`` from a file,
  SQLite's "database or disk is full", PostgreSQL's SQLSTATE 53100), which the error handler
  turns into the Chinese 存储空间不足 page (507) instead of a 500.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
# Files at the top of the data directory that are the installation's secrets or its data.
_PRIVATE_FILES = ("duban.sqlite3", "duban.sqlite3-wal", "duban.sqlite3-shm", "secret_key")
_DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
_DISK_FULL_SQLSTATE = "53100"  # PostgreSQL: disk_full


def _chmod(path: Path, mode: int) -> None:
    try:
        if stat.S_IMODE(path.lstat().st_mode) != mode and not path.is_symlink():
            path.chmod(mode)
    except OSError:
        # Not ours (another account's data directory, read by `duban check`): leave it; the
        # storage check says whether duban can write there.
        pass


def make_private(data_dir: Path, *, folders: Iterable[Path] = ()) -> None:
    """Close the data directory to other accounts: itself and ``folders`` (media, logs,
    imports) 0700, the database files and the secret key 0600. Not recursive: what lies inside
    the folders was written private (umask, upload permissions) or is shut in by its folder."""
    _chmod(data_dir, PRIVATE_DIR)
    for name in _PRIVATE_FILES:
        path = data_dir / name
        if path.exists():
            _chmod(path, PRIVATE_FILE)
    for folder in folders:
        if folder.is_dir():
            _chmod(folder, PRIVATE_DIR)
            if folder.name == "logs":
                for log in folder.iterdir():
                    if log.is_file():
                        _chmod(log, PRIVATE_FILE)


@dataclass(frozen=True)
class StorageProblem:
    code: str  # "missing", "not_writable", "low_space"
    path: Path
    free_bytes: int = 0
    limit_bytes: int = 0


def probe_writable(path: Path) -> bool:
    """Whether a file can really be created (and removed) in ``path``."""
    try:
        fd, name = tempfile.mkstemp(dir=path, prefix=".duban-probe-")
    except OSError:
        return False
    os.close(fd)
    try:
        os.unlink(name)
    except OSError:
        return False
    return True


def free_bytes(path: Path) -> int:
    return shutil.disk_usage(path).free


def storage_problems(data_dir: Path, min_free_bytes: int) -> list[StorageProblem]:
    """What stops duban from saving into ``data_dir``; nothing when all is well.
    ``min_free_bytes`` 0 leaves free space unchecked."""
    if not data_dir.is_dir():
        return [StorageProblem("missing", data_dir)]
    problems = []
    if not probe_writable(data_dir):
        problems.append(StorageProblem("not_writable", data_dir))
    if min_free_bytes:
        free = free_bytes(data_dir)
        if free < min_free_bytes:
            problems.append(StorageProblem("low_space", data_dir, free, min_free_bytes))
    return problems


def is_disk_full(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or what caused it) is a full disk or an exhausted quota."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in _DISK_FULL_ERRNOS:
            return True
        if getattr(exc, "sqlstate", None) == _DISK_FULL_SQLSTATE:
            return True
        if getattr(exc, "pgcode", None) == _DISK_FULL_SQLSTATE:
            return True
        if "database or disk is full" in str(exc):  # SQLite's SQLITE_FULL
            return True
        exc = exc.__cause__ or exc.__context__
    return False
