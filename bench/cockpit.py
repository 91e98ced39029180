"""Cockpit benchmarks: how long the cockpit's page and its JSON take on the demo year.

Run with ``make bench`` (after ``bench/run.py``) or ``.venv/bin/python bench/cockpit.py``: it
builds the demo year (``duban demo --date 2023-08-15``) in a throwaway SQLite database, then
asks each page several times as the office, a leader and a viewer, through Django's test
client (the whole request: middleware, permission, queries, template, no network). The
figures go to docs/benchmarks.md, between the cockpit markers after the hand-measured part
(``bench/run.py`` keeps that part as it is).

Target (issue #10): every page, HTML and JSON, in under 300 ms with the demo data (the median
of the requests; the CPU time and the slowest request are shown too).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from demo_world import DEMO_DATE, open_demo  # noqa: E402

TARGET_MS = 300.0
PAGES = ("/cockpit/", "/cockpit/data.json", "/ledger/?report=2023Q2-late", "/ledger/")
PEOPLE = (("office", "督查室"), ("zhulei", "领导（朱蕾）"), ("chaxun", "查阅人员"))
START = "<!-- cockpit: bench/cockpit.py writes what follows, up to the end marker -->"
END = "<!-- /cockpit -->"
REPEAT = 15


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="duban-bench-") as data_dir:
        return measure(data_dir)


def measure(data_dir: str) -> int:
    open_demo(data_dir)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    rows = []
    worst = 0.0
    for username, who in PEOPLE:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        for url in PAGES:
            client.get(url)  # warm up: templates, translations, the session's first write
            samples, cpu = [], []
            for _ in range(REPEAT):
                start, start_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                samples.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
            assert response.status_code == 200, (username, url, response.status_code)
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            median = statistics.median(samples)
            if url.startswith("/cockpit/"):
                worst = max(worst, median)
            rows.append(
                f"| {who} | `{url}` | {median:.0f} ms | {statistics.median(cpu):.0f} ms | "
                f"{max(samples):.0f} ms | {len(captured.captured_queries)} | "
                f"{len(response.content) // 1024} KB |"
            )
    verdict = "yes" if worst < TARGET_MS else "NO"
    section = "\n".join(
        [
            START,
            "",
            "## The cockpit on the demo year (`bench/cockpit.py`)",
            "",
            f"- Date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}; demo year at "
            f"{DEMO_DATE}, 98 tasks, SQLite; Django's test client, {REPEAT} requests each; "
            f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} when it ended.",
            "",
            "| who | page | median | CPU (median) | slowest | queries | size |",
            "|---|---|---|---|---|---|---|",
            *rows,
            "",
            f"Cockpit page and JSON under {TARGET_MS:.0f} ms (median): {verdict}. CPU is the "
            "process's own time (SQLite runs in it), which other work on the machine does not "
            "inflate as it does the wall-clock time. The ledger pages behind the cockpit's "
            "links are listed for comparison.",
            "",
            END,
        ]
    )
    connection.close()
    print(section)
    target = ROOT / "docs" / "benchmarks.md"
    text = target.read_text(encoding="utf-8")
    if START in text and END in text:
        before, rest = text.split(START, 1)
        text = before + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    target.write_text(text, encoding="utf-8")
    return 0 if verdict == "yes" else 1


if __name__ == "__main__":
    raise SystemExit(main())
