"""Static files as the server hands them out: hashed names, compressed copies, long caching.

``duban collectstatic`` (which every ``duban serve`` runs first) copies each file into
STATIC_ROOT under its plain name and under a name with a hash of its content
(``vendor/echarts.min.3b1f….js``), with a gzip and, where the brotli package is installed (it
comes with duban), a brotli copy beside each text file, and writes the manifest
``staticfiles.json`` that maps the one name to the other. Pages name the hashed files; WhiteNoise
(the middleware in settings.MIDDLEWARE) serves them in the encoding the browser accepts and with
``Cache-Control: max-age=315360000, public, immutable``: a browser asks once per version, and a
new version of a file has a new name. Plain names are served too, cached for a minute.

``StaticFilesStorage`` is WhiteNoise's ``CompressedManifestStaticFilesStorage`` with two
changes:

- a file the manifest does not know and STATIC_ROOT does not hold (an upgrade whose
  ``collectstatic`` was forgotten) is named by its plain name, instead of failing every page
  that uses it with an error 500: the page shows, that file is missing (404 in the access
  log). Not logged here: WhiteNoise asks for such names on purpose when it starts;
- a file whose compressed copies were made from this very version of it is not compressed
  again (WhiteNoise would, at every collectstatic: 4.5 s at each start of ``duban serve``,
  brotli's highest quality on ECharts being most of it). A hashed name (``name.<12 hex>.ext``)
  always holds the same content, so its copies are current if they exist; a plain name's
  copies carry its modification time (WhiteNoise sets it), which collectstatic renews when it
  copies a changed file. Copies are written to a temporary name and renamed, so one that
  exists is whole.
"""

from __future__ import annotations

import os
import re
from typing import Any

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage

# Django's manifest names: the name, 12 hex digits of the content's MD5, the extension.
_HASHED_NAME = re.compile(r"\.[0-9a-f]{12}\.[^./]+$")


class UnchangedSkippingCompressor(Compressor):
    def compress(self, path: str) -> list[str]:
        copies = self.up_to_date_copies(path)
        return copies if copies is not None else list(super().compress(path))

    def up_to_date_copies(self, path: str) -> list[str] | None:
        """The compressed copies of ``path``, when all exist and were made from it as it is."""
        modified = os.stat(path).st_mtime
        hashed = bool(_HASHED_NAME.search(path))
        suffixes = [".br"] * self.use_brotli + [".gz"] * self.use_gzip
        for suffix in suffixes:
            try:
                copy = os.stat(path + suffix)
            except FileNotFoundError:
                return None
            if not hashed and abs(copy.st_mtime - modified) > 0.001:
                return None
        return [path + suffix for suffix in suffixes] or None

    def write_data(self, path: str, data: bytes, suffix: str, stat_result: Any) -> str:
        temporary = f"{path}{suffix}.{os.getpid()}.tmp"
        super().write_data(path, data, f"{suffix}.{os.getpid()}.tmp", stat_result)
        os.replace(temporary, path + suffix)
        return path + suffix


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def create_compressor(self, **kwargs: Any) -> Compressor:
        return UnchangedSkippingCompressor(**kwargs)

    def stored_name(self, name: str) -> str:
        try:
            return str(super().stored_name(name))
        except ValueError:  # neither in the manifest nor in STATIC_ROOT
            return name
