"""`duban parse` starts light (docs/configuration.md, "Start-up time"): no other app, no system
checks, no reader library it does not need, and prints exactly what a full start prints."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command
from openpyxl import Workbook

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "seed" / "yanshi-2023-notice.txt"
HEAVY = ("openpyxl", "pdfminer", "lxml", "docx", "charset_normalizer", "django.db.models")

# Runs `duban parse` as the console script does, then reports what the process imported.
PROBE = """
import json, sys
from duban.cli import main
code = main(sys.argv[1:])
sys.stdout.flush()
heavy = [name for name in {heavy!r} if name in sys.modules]
apps = __import__("django.apps").apps.apps
print(json.dumps({{"code": code, "heavy": heavy,
                  "apps": [c.name for c in apps.get_app_configs()]}}), file=sys.stderr)
"""


def probe(*args: str) -> tuple[str, dict[str, object]]:
    run = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    report = json.loads(run.stderr.strip().splitlines()[-1])
    return run.stdout, report


def test_parse_of_a_text_notice_imports_no_reader_library_and_no_orm() -> None:
    out, report = probe("parse", str(SEED))
    assert report == {"code": 0, "heavy": [], "apps": ["duban.intake"]}
    assert "10个方面，98项任务" in out


def test_the_light_start_prints_what_the_full_start_prints() -> None:
    for args in ([str(SEED)], [str(SEED), "--json", "--directory", "demo"]):
        light, _ = probe("parse", *args)
        full = io.StringIO()
        call_command("parse", *args, stdout=full)  # this process has every app
        assert light == full.getvalue()


def test_a_spreadsheet_loads_its_reader_when_it_is_read(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["序号", "重点任务", "牵头单位", "完成时限"])
    sheet.append([1, "新建5G基站200个，实现重点区域全覆盖。", "工信局", "2023年10月底"])
    workbook.save(tmp_path / "tasks.xlsx")
    out, report = probe("parse", str(tmp_path / "tasks.xlsx"))
    assert report["code"] == 0 and "openpyxl" in report["heavy"]  # type: ignore[operator]
    assert "新建5G基站200个" in out and "牵头单位：工信局" in out


def test_errors_still_come_in_chinese_with_status_2(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "duban", "parse", str(tmp_path / "missing.txt")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert "找不到文件" in run.stderr
