"""The served processes load the document libraries on first use (docs/deploy.md): importing every
view, as the master of `duban serve` does before it forks its workers, imports none of openpyxl,
python-docx, lxml and PIL; the first export does, and works."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from django.urls import reverse
from openpyxl import load_workbook

from tests.support.world import World

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("openpyxl", "docx", "lxml", "PIL")

# A fresh process loads what `duban serve` loads before the fork, reports which of the heavy
# libraries that imported, then writes a ledger workbook through the view module's lazy writer.
PROBE = """
import json, sys
import django
django.setup()
from duban.core import server_wsgi
server_wsgi.load_everything()
heavy = {heavy!r}
before = [name for name in heavy if name in sys.modules]
from duban.ledger import downloads
content = downloads.ledger_xlsx.build_ledger_xlsx("台账", [{{"number": "1", "text": "任务"}}])
after = [name for name in heavy if name in sys.modules]
print(json.dumps({{"before": before, "after": after, "xlsx": content[:2] == b"PK"}}))
"""


def test_loading_every_view_imports_no_document_library(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DUBAN_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "duban.settings",
    }
    run = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        env=env,
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["before"] == []
    # The first workbook brings openpyxl (and the lxml and PIL it uses), not python-docx.
    assert "openpyxl" in report["after"] and "docx" not in report["after"]
    assert report["xlsx"] is True


def test_the_ledger_export_works_through_its_lazy_writer(world: World) -> None:
    response = world.as_office().get(reverse("ledger:export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert sheet["A1"].value == world.plan.title
    numbers = [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert len(numbers) == world.plan.tasks.count()
