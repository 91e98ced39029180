"""`python manage.py check --deploy` is clean with the production settings docs/deploy.md
documents (its environment file, read from the page itself), and gunicorn, which that page
runs, is installed with duban."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

DEPLOY = Path(settings.REPO_DIR) / "docs" / "deploy.md"


def documented_environment() -> dict[str, str]:
    text = DEPLOY.read_text(encoding="utf-8")
    block = re.search(r"<!-- production-env[^>]*-->\s*```sh\n(.*?)```", text, re.DOTALL)
    assert block, "docs/deploy.md lost its production environment block"
    lines = [line for line in block.group(1).splitlines() if line and not line.startswith("#")]
    return dict(line.split("=", 1) for line in lines)


def test_check_deploy_is_clean_with_the_documented_settings(tmp_path: Path) -> None:
    documented = documented_environment()
    assert documented["DUBAN_HTTPS"] == "true" and documented["DUBAN_BEHIND_PROXY"] == "true"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DUBAN_", "DJANGO_"))}
    # Only the data directory moves to the test's own folder (not /var/lib/duban).
    env |= {**documented, "DUBAN_DATA_DIR": str(tmp_path / "duban")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.REPO_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert (tmp_path / "duban").stat().st_mode & 0o777 == 0o700


def test_gunicorn_serves_duban_wsgi() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--check-config", "duban.wsgi:application"],
        cwd=settings.REPO_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
