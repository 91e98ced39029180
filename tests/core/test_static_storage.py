"""The static files' storage (duban/core/server_static.py): a page still renders when a file
was not collected, and collectstatic compresses a file only when it changed."""

from __future__ import annotations

import os
from pathlib import Path

import brotli
import pytest
from django.conf import settings
from django.core.files.base import ContentFile

from duban import settings as production
from duban.core.server_static import StaticFilesStorage, UnchangedSkippingCompressor

CSS = b"body { color: #333; }\n" * 200  # compresses well


def test_production_settings_use_the_hashing_compressing_storage() -> None:
    # The suite itself names files plainly (tests/conftest.py); the settings module does not.
    backend = production.STORAGES["staticfiles"]["BACKEND"]
    assert backend == "duban.core.server_static.StaticFilesStorage"
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in production.MIDDLEWARE
    assert production.MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") == (
        production.MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
    )
    assert settings.WHITENOISE_ALLOW_ALL_ORIGINS is False


def test_a_file_missing_from_the_manifest_and_the_folder_keeps_its_plain_name(
    tmp_path: Path,
) -> None:
    storage = StaticFilesStorage(location=tmp_path, base_url="/static/")
    storage._save("duban.css", ContentFile(CSS))
    storage.save_manifest()  # an empty manifest: collectstatic has not run since an upgrade
    hashed = storage.url("duban.css")  # present in the folder: hashed from its content
    assert (
        hashed.startswith("/static/duban.")
        and hashed.endswith(".css")
        and hashed != "/static/duban.css"
    )
    assert storage.url("new-in-this-version.js") == "/static/new-in-this-version.js"


def compressed(path: Path) -> dict[str, int]:
    return {suffix: os.stat(f"{path}{suffix}").st_ino for suffix in (".br", ".gz")}


def test_unchanged_files_are_not_compressed_again(tmp_path: Path) -> None:
    compressor = UnchangedSkippingCompressor(quiet=True)
    plain, hashed = tmp_path / "duban.css", tmp_path / "duban.0123456789ab.css"
    for path in (plain, hashed):
        path.write_bytes(CSS)
        assert sorted(compressor.compress(str(path))) == [f"{path}.br", f"{path}.gz"]
    assert brotli.decompress((tmp_path / "duban.css.br").read_bytes()) == CSS
    made = {path: compressed(path) for path in (plain, hashed)}

    # collectstatic again: nothing changed, nothing rewritten (same files, same inodes).
    for path in (plain, hashed):
        assert sorted(compressor.compress(str(path))) == [f"{path}.br", f"{path}.gz"]
        assert compressed(path) == made[path]

    # A hashed name holds the same content whatever its file's time (Django rewrites it).
    os.utime(hashed, (1, 1))
    compressor.compress(str(hashed))
    assert compressed(hashed) == made[hashed]

    # A plain name copied anew with new content is compressed anew.
    plain.write_bytes(CSS + b"p { margin: 0; }\n")
    os.utime(plain, (2_000_000_000, 2_000_000_000))
    compressor.compress(str(plain))
    assert compressed(plain) != made[plain]
    assert brotli.decompress((tmp_path / "duban.css.br").read_bytes()).endswith(b"margin: 0; }\n")
    assert not list(tmp_path.glob("*.tmp"))  # copies are written aside and renamed


@pytest.mark.parametrize("missing", [".br", ".gz"])
def test_a_missing_copy_is_made_again(tmp_path: Path, missing: str) -> None:
    compressor = UnchangedSkippingCompressor(quiet=True)
    path = tmp_path / "behaviours.js"
    path.write_bytes(CSS)
    compressor.compress(str(path))
    Path(f"{path}{missing}").unlink()
    compressor.compress(str(path))
    assert Path(f"{path}{missing}").exists()
