"""Backing up and restoring an installation: the database, the uploaded files and the secret key
in one archive, with a manifest of checksums (``duban backup``, ``duban restore``).

The archive (``duban-backup-YYYYmmdd-HHMMSS.tar.gz``, mode 0600) holds:

- ``database/duban.sqlite3`` — a consistent copy of a running SQLite database made with SQLite's
  online backup API — or ``database/duban.pgdump``, ``pg_dump --format=custom`` of the
  PostgreSQL database, dumped in the same snapshot the row counts are read in;
- ``media/…`` — every uploaded file under ``MEDIA_ROOT``;
- ``secret_key`` — the instance's key, when it lives in the data directory;
- ``audit_key`` — the key audit archives are signed with (``duban audit export``), when it
  lives in the data directory, so that a restored installation still verifies its archives;
- ``manifest.json`` (last) — the format, duban's version, the engine, when, the sha256 and size
  of every other member and the row count of every table.

``verify`` reads the whole archive and checks every member against the manifest (and nothing
more, nothing less, no name leaving its folder). ``restore`` verifies first, refuses a target
that is not empty (a database with tables, a file under ``MEDIA_ROOT``), then writes the
database and the files, checking each file's digest as it is written and every table's row
count at the end. Nothing here reads a role or a business model: the database is copied whole.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any
from zlib import error as zlib_error  # a damaged gzip stream, while it is read

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

from duban import __version__

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/duban.sqlite3"
PG_MEMBER = "database/duban.pgdump"
SECRET_MEMBER = "secret_key"
AUDIT_KEY_MEMBER = "audit_key"
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """What went wrong, in words for the operator; nothing was changed unless it says so."""


@dataclass(frozen=True)
class Target:
    """Where a backup is read from or restored to: the database (a Django ``DATABASES`` entry),
    the upload folder and the secret key file (None: the key comes from DUBAN_SECRET_KEY)."""

    database: dict[str, Any]
    media_root: Path
    secret_key: Path | None
    audit_key: Path | None = None

    @classmethod
    def current(cls) -> Target:
        secret = Path(settings.DATA_DIR) / "secret_key"
        return cls(
            database=dict(connections["default"].settings_dict),
            media_root=Path(settings.MEDIA_ROOT),
            secret_key=secret if not os.environ.get("DUBAN_SECRET_KEY") else None,
            audit_key=(
                Path(settings.DATA_DIR) / AUDIT_KEY_MEMBER
                if not getattr(settings, "DUBAN_AUDIT_KEY", "")
                else None
            ),
        )

    @property
    def engine(self) -> str:
        return "postgresql" if "postgresql" in self.database["ENGINE"] else "sqlite"


# --- Reading a database -----------------------------------------------------------------------


def _pg_env(database: dict[str, Any]) -> dict[str, str]:
    """libpq's variables for pg_dump and pg_restore: the password never on a command line."""
    env = dict(os.environ)
    for key, name in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        value = str(database.get(key) or "")
        if value:
            env[name] = value
        else:
            env.pop(name, None)
    return env


def _pg_connect(database: dict[str, Any]) -> Any:
    import psycopg  # the optional driver: only an installation on PostgreSQL has it

    params = {
        "dbname": database.get("NAME"),
        "user": database.get("USER"),
        "password": database.get("PASSWORD"),
        "host": database.get("HOST"),
        "port": database.get("PORT"),
    }
    conninfo = psycopg.conninfo.make_conninfo(**{k: str(v) for k, v in params.items() if v})
    return psycopg.connect(conninfo)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(cursor: Any, engine: str) -> list[str]:
    if engine == "postgresql":
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = ANY(current_schemas(false)) "
            "ORDER BY tablename"
        )
    else:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    return [row[0] for row in cursor.fetchall()]


def _counts(cursor: Any, engine: str) -> dict[str, int]:
    counts = {}
    for table in _tables(cursor, engine):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
        counts[table] = int(cursor.fetchone()[0])
    return counts


@contextmanager
def open_database(database: dict[str, Any]) -> Iterator[tuple[Any, str]]:
    """A plain DB-API connection to ``database`` (not Django's) and its engine."""
    engine = "postgresql" if "postgresql" in database["ENGINE"] else "sqlite"
    if engine == "postgresql":
        connection = _pg_connect(database)
    else:
        connection = sqlite3.connect(str(database["NAME"]))
    try:
        yield connection, engine
    finally:
        connection.close()


def table_counts(database: dict[str, Any]) -> dict[str, int]:
    """Every table of the database and its number of rows."""
    with open_database(database) as (connection, engine):
        cursor = connection.cursor()
        return _counts(cursor, engine)


def is_empty(database: dict[str, Any]) -> bool:
    """Whether the database has no tables (a SQLite file that does not exist has none)."""
    if "postgresql" not in database["ENGINE"] and not Path(str(database["NAME"])).exists():
        return True
    with open_database(database) as (connection, engine):
        return not _tables(connection.cursor(), engine)


def _pg_tool(name: str) -> str:
    """pg_dump or pg_restore: on PATH, else the newest of Debian's /usr/lib/postgresql/N/bin."""
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda path: int(path.parts[-3]) if path.parts[-3].isdigit() else 0,
    )
    if versions:
        return str(versions[-1])
    raise BackupError(
        _(
            "%(tool)s was not found; install the PostgreSQL client "
            "(apt-get install postgresql-client)."
        )
        % {"tool": name}
    )


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(
            _("%(tool)s failed: %(error)s")
            % {"tool": Path(command[0]).name, "error": result.stderr.strip()[-2000:]}
        )


def _snapshot_sqlite(database: dict[str, Any], into: Path) -> dict[str, int]:
    """A consistent copy of the live database (SQLite's online backup API); its row counts."""
    source = sqlite3.connect(str(database["NAME"]))
    try:
        copy = sqlite3.connect(str(into))
        try:
            source.backup(copy)
            counts = _counts(copy.cursor(), "sqlite")
        finally:
            copy.close()
    finally:
        source.close()
    return counts


def _snapshot_pg(database: dict[str, Any], into: Path) -> dict[str, int]:
    """pg_dump in the snapshot the row counts are read in: the counts describe the dump."""
    connection = _pg_connect(database)
    try:
        connection.isolation_level = 3  # psycopg.IsolationLevel.REPEATABLE_READ
        with connection.transaction():
            cursor = connection.cursor()
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _counts(cursor, "postgresql")
            _run(
                [
                    _pg_tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={into}",
                ],
                _pg_env(database),
            )
    finally:
        connection.close()
    return counts


# --- Writing an archive -----------------------------------------------------------------------


class _Hashing(io.RawIOBase):
    """Reads a file through, keeping its sha256."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _add(archive: tarfile.TarFile, name: str, path: Path) -> dict[str, Any]:
    info = tarfile.TarInfo(name)
    stat = path.stat()
    info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
    with path.open("rb") as handle:
        reader = _Hashing(handle)
        archive.addfile(info, reader)
    return {"sha256": reader.digest.hexdigest(), "size": stat.st_size}


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def create(directory: Path | None = None, *, source: Target | None = None) -> Path:
    """Write one archive of the installation into ``directory`` (default DATA_DIR/backups);
    its path."""
    source = source or Target.current()
    directory = Path(directory or Path(settings.DATA_DIR) / "backups")
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = timezone.localtime(timezone.now()).strftime("%Y%m%d-%H%M%S")
    final = directory / f"duban-backup-{stamp}.tar.gz"
    number = 1
    while final.exists():
        number += 1
        final = directory / f"duban-backup-{stamp}-{number}.tar.gz"
    members: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(dir=directory, prefix=".backup-") as work:
        workdir = Path(work)
        os.chmod(workdir, 0o700)
        partial = workdir / "archive.tar.gz"
        if source.engine == "postgresql":
            member, dump = PG_MEMBER, workdir / "duban.pgdump"
            counts = _snapshot_pg(source.database, dump)
        else:
            member, dump = SQLITE_MEMBER, workdir / "duban.sqlite3"
            counts = _snapshot_sqlite(source.database, dump)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            members[member] = _add(archive, member, dump)
            dump.unlink()
            if source.secret_key is not None and source.secret_key.is_file():
                members[SECRET_MEMBER] = _add(archive, SECRET_MEMBER, source.secret_key)
            if source.audit_key is not None and source.audit_key.is_file():
                members[AUDIT_KEY_MEMBER] = _add(archive, AUDIT_KEY_MEMBER, source.audit_key)
            for path in _media_files(source.media_root):
                name = MEDIA_PREFIX + path.relative_to(source.media_root).as_posix()
                try:
                    members[name] = _add(archive, name, path)
                except FileNotFoundError:  # removed since it was listed: its row went too
                    continue
            manifest = {
                "format": FORMAT,
                "app": "duban",
                "version": __version__,
                "created_at": timezone.now().isoformat(),
                "engine": source.engine,
                "members": members,
                "tables": counts,
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
            archive.addfile(info, io.BytesIO(data))
        os.replace(partial, final)
    return final


# --- Reading an archive -----------------------------------------------------------------------


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "\\" in name or not name:
        return False
    if name in (MANIFEST, SQLITE_MEMBER, PG_MEMBER, SECRET_MEMBER, AUDIT_KEY_MEMBER):
        return True
    return name.startswith(MEDIA_PREFIX) and len(path.parts) > 1


def _bad(archive: Path, why: str) -> BackupError:
    return BackupError(
        _("%(file)s is not a usable duban backup: %(why)s") % {"file": archive.name, "why": why}
    )


def _open(archive: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(archive, mode="r:gz")
    except FileNotFoundError:
        raise BackupError(_("%(file)s does not exist.") % {"file": archive}) from None
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise _bad(archive, str(exc)) from None


def verify(archive: Path) -> dict[str, Any]:
    """The manifest, once every member of the archive has been read and matches it."""
    archive = Path(archive)
    seen: dict[str, dict[str, Any]] = {}
    manifest: dict[str, Any] | None = None
    try:
        with _open(archive) as tar:
            for info in tar:
                if not info.isfile() or not _safe_name(info.name) or info.name in seen:
                    raise _bad(archive, _("unexpected entry %(name)s") % {"name": info.name})
                handle = tar.extractfile(info)
                assert handle is not None
                if info.name == MANIFEST:
                    try:
                        manifest = json.loads(handle.read(16 * CHUNK).decode("utf-8"))
                    except (UnicodeDecodeError, ValueError):
                        raise _bad(archive, _("the manifest cannot be read")) from None
                    continue
                digest = hashlib.sha256()
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
                seen[info.name] = {"sha256": digest.hexdigest(), "size": info.size}
    except (tarfile.TarError, OSError, EOFError, zlib_error) as exc:
        raise _bad(archive, str(exc) or type(exc).__name__) from None
    if not isinstance(manifest, dict) or manifest.get("app") != "duban":
        raise _bad(archive, _("it has no manifest"))
    if manifest.get("format") != FORMAT:
        raise _bad(
            archive, _("its format %(format)s is not known") % {"format": manifest.get("format")}
        )
    expected = manifest.get("members")
    if not isinstance(expected, dict) or not isinstance(manifest.get("tables"), dict):
        raise _bad(archive, _("the manifest is incomplete"))
    for name, facts in sorted(expected.items()):
        if name not in seen:
            raise _bad(archive, _("%(name)s is missing") % {"name": name})
        if seen[name] != facts:
            raise _bad(archive, _("%(name)s does not match its checksum") % {"name": name})
    extra = sorted(set(seen) - set(expected))
    if extra:
        raise _bad(archive, _("%(name)s is not in the manifest") % {"name": extra[0]})
    database = PG_MEMBER if manifest.get("engine") == "postgresql" else SQLITE_MEMBER
    if database not in seen:
        raise _bad(archive, _("it holds no database"))
    return manifest


# --- Restoring --------------------------------------------------------------------------------


def _media_has_files(root: Path) -> bool:
    return root.is_dir() and any(p.is_file() for p in root.rglob("*"))


def check_empty(target: Target) -> None:
    """BackupError unless the target's database has no tables and its upload folder no files."""
    if not is_empty(target.database):
        raise BackupError(
            _(
                "The database is not empty; restore only into a new, empty database (and an "
                "empty data directory). Nothing was changed."
            )
        )
    if _media_has_files(target.media_root):
        raise BackupError(
            _(
                "%(folder)s already holds files; restore only into an empty data directory. "
                "Nothing was changed."
            )
            % {"folder": target.media_root}
        )


def _write_member(tar: tarfile.TarFile, info: tarfile.TarInfo, path: Path, sha256: str) -> None:
    """Write one member to ``path`` (a private temporary file renamed into place), checking its
    digest on the way."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle = tar.extractfile(info)
    assert handle is not None
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".restore-")
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as out:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != sha256:
            raise BackupError(_("%(name)s changed while it was restored.") % {"name": info.name})
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _restore_database(target: Target, engine: str, dump: Path) -> None:
    if engine == "postgresql":
        _run(
            [
                _pg_tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={target.database['NAME']}",
                str(dump),
            ],
            _pg_env(target.database),
        )
        return
    name = Path(str(target.database["NAME"]))
    source = sqlite3.connect(str(dump))
    try:
        destination = sqlite3.connect(str(name))
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    os.chmod(name, 0o600)


def restore(archive: Path, *, target: Target | None = None) -> dict[str, Any]:
    """Restore a verified archive into an empty target; the manifest. Raises BackupError (and
    changes nothing) when the archive does not match its manifest, was made on the other
    database engine, or the target is not empty."""
    archive = Path(archive)
    target = target or Target.current()
    manifest = verify(archive)
    if manifest["engine"] != target.engine:
        raise BackupError(
            _(
                "This backup is of a %(made)s database and cannot be restored into %(here)s; "
                "set DUBAN_DB_ENGINE to match. Nothing was changed."
            )
            % {"made": manifest["engine"], "here": target.engine}
        )
    check_empty(target)
    members = manifest["members"]
    database_member = PG_MEMBER if target.engine == "postgresql" else SQLITE_MEMBER
    media_root = target.media_root
    media_root.mkdir(mode=0o700, parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media_root.parent, prefix=".restore-") as work:
        dump = Path(work) / "database"
        with _open(archive) as tar:
            for info in tar:
                name = info.name
                if name == MANIFEST:
                    continue
                sha256 = members[name]["sha256"]
                if name == database_member:
                    _write_member(tar, info, dump, sha256)
                    _restore_database(target, target.engine, dump)
                    dump.unlink()
                elif name == SECRET_MEMBER:
                    if target.secret_key is not None:
                        _write_member(tar, info, target.secret_key, sha256)
                elif name == AUDIT_KEY_MEMBER:
                    if target.audit_key is not None:
                        _write_member(tar, info, target.audit_key, sha256)
                else:
                    relative = name.removeprefix(MEDIA_PREFIX)
                    _write_member(tar, info, media_root / relative, sha256)
    counts = table_counts(target.database)
    if counts != manifest["tables"]:
        differ = sorted(
            table
            for table in set(counts) | set(manifest["tables"])
            if counts.get(table) != manifest["tables"].get(table)
        )
        raise BackupError(
            _("The restored database does not match the manifest (table %(table)s).")
            % {"table": differ[0]}
        )
    return manifest
