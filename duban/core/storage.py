"""The storage behind every uploaded file (``STORAGES["default"]`` in the settings).

Django's ``FileSystemStorage`` leaves what it had written when a write fails half-way (a full
disk: ``ENOSPC``); this one removes its own half-written file and lets the error go on, so a full
disk leaves no partial files (the error handler shows 存储空间不足, duban.core.views), and the
database transaction around the save rolls back its row. Files and folders are created private
(``FILE_UPLOAD_PERMISSIONS`` 0600, ``FILE_UPLOAD_DIRECTORY_PERMISSIONS`` 0700).
"""

from __future__ import annotations

import os
from contextlib import suppress
from typing import Any

from django.core.files.storage import FileSystemStorage


class SafeFileSystemStorage(FileSystemStorage):
    def _save(self, name: str, content: Any) -> str:
        path = self.path(name)
        # Only a file this call creates is removed: a name already taken is left to its owner
        # (Django then picks another name, which the store's random names never need).
        existed = os.path.lexists(path)
        try:
            return super()._save(name, content)  # type: ignore[misc]
        except OSError:
            if not existed:
                # OSError: never created (its folder could not be made).
                with suppress(OSError):
                    os.remove(path)
            raise
