"""A disk that fills up while a file is written: for the full-disk tests (tests/security)."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any


class FullDisk:
    """Installed as ``os.fdopen`` (monkeypatch): a file opened for writing under ``root``
    takes half of the first thing written to it, really on the disk, and then the disk is full
    (``ENOSPC``), as when a disk fills up during an upload. ``partial`` lists those files."""

    def __init__(self, root: Path) -> None:
        self.root = str(root)
        self.partial: list[Path] = []
        self.real_fdopen = os.fdopen

    def fdopen(self, fd: int, *args: Any, **kwargs: Any) -> Any:
        handle = self.real_fdopen(fd, *args, **kwargs)
        path = os.readlink(f"/proc/self/fd/{fd}")
        if not path.startswith(self.root):
            return handle
        return _Filling(self, handle, Path(path))


class _Filling:
    def __init__(self, disk: FullDisk, handle: Any, path: Path) -> None:
        self.disk, self.handle, self.path = disk, handle, path

    def write(self, data: bytes) -> int:
        self.handle.write(data[: len(data) // 2])
        self.handle.flush()
        assert self.path.stat().st_size > 0  # half a file is on the disk now
        self.disk.partial.append(self.path)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def close(self) -> None:
        self.handle.close()
