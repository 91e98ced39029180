"""`duban parse`: the summary, the JSON, and a clear refusal of what it cannot read."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SEED = FIXTURES / "seed" / "yanshi-2023-notice.txt"


def duban(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "duban", *args], capture_output=True, text=True, timeout=60
    )


def test_summary_lists_areas_tasks_and_names_in_chinese() -> None:
    run = duban("parse", str(SEED))
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert (
        out.splitlines()[0]
        == "洛阳市偃师区人民政府关于印发政府工作报告2023年重点工作责任分解的通知"
    )
    assert "偃政〔2023〕6号" in out and "2023年5月4日" in out
    assert "10个方面，98项任务" in out
    assert "1. 围绕实体经济扩投资，培育现代化偃师建设新动能工作（12项任务）" in out
    assert "牵头单位：发改委" in out
    assert len([line for line in out.splitlines() if line.startswith("  ") and ". " in line]) == 98


def test_json_follows_the_documented_schema() -> None:
    run = duban("parse", str(SEED), "--json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert set(data) == {"document", "areas", "tasks", "warnings", "lines"}
    assert set(data["document"]) == {
        "title",
        "doc_number",
        "issuer",
        "date",
        "year",
        "declared_areas",
        "declared_tasks",
    }
    assert set(data["tasks"][0]) == {
        "number",
        "area",
        "text",
        "lead_leaders",
        "lead_units",
        "responsible_units",
        "deadline",
        "targets",
        "source",
        "confidence",
        "doubtful",
    }
    first, last = data["tasks"][0]["source"]
    assert data["lines"][first].startswith("1.") and first <= last
    assert data["tasks"][0]["confidence"] == 1.0 and data["tasks"][0]["doubtful"] == []
    assert set(data["tasks"][0]["targets"][0]) == {
        "label",
        "value",
        "value_max",
        "unit",
        "op",
        "source",
    }
    assert data["tasks"][7]["targets"][0] == {
        "label": "企业启动上市程序",
        "value": 1,
        "value_max": 2,
        "unit": "家",
        "op": "range",
        "source": "力争1—2家企业启动上市程序",
    }


def test_directory_check_reports_the_typo_with_its_correction() -> None:
    run = duban("parse", str(SEED), "--json", "--directory", "demo")
    warnings = json.loads(run.stdout)["warnings"]
    assert [(w["code"], w["task"]) for w in warnings] == [("unknown_unit", 17)]
    assert "缙氏镇" in warnings[0]["message"] and "缑氏镇" in warnings[0]["message"]


def test_english_messages_on_request() -> None:
    run = duban("parse", str(FIXTURES / "corpus" / "006.txt"), "--language", "en")
    assert "Task 13 names no lead unit." in run.stdout


def test_covering_notice_exits_2_saying_no_tasks_were_found() -> None:
    run = duban("parse", str(FIXTURES / "corpus" / "033.txt"))
    assert run.returncode == 2
    assert "未找到任何任务" in run.stderr
    # A covering notice: the refusal names the attachment that holds the task list.
    assert "任务清单“2020年政府工作报告重点工作责任分解”在附件中" in run.stderr
    assert run.stdout == ""


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.txt", b"", "文件是空的"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, ".docx"),
        ("binary.txt", bytes(range(256)) * 8, "不是可读取的文档"),
        ("scan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "不支持"),
    ],
)
def test_bad_files_exit_2_with_a_clear_message(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    run = duban("parse", str(path))
    assert run.returncode == 2, run.stdout
    assert expected in run.stderr
    assert "Traceback" not in run.stderr


def test_missing_file_and_oversized_file(tmp_path: Path) -> None:
    run = duban("parse", str(tmp_path / "nope.txt"))
    assert (run.returncode, "找不到文件" in run.stderr) == (2, True)
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (2 * 1024 * 1024 + 10))
    run = subprocess.run(
        [sys.executable, "-m", "duban", "parse", str(big)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**__import__("os").environ, "DUBAN_MAX_UPLOAD_MB": "2"},
    )
    assert run.returncode == 2
    assert "2 MB" in run.stderr
