"""Parser benchmarks: the seed's parse time and how the time grows with document size.

Run with ``make bench``; results are written to docs/benchmarks.md with the machine noted.
Targets (issue #2): the seed parses in under 50 ms (median) and time grows linearly.
"""

from __future__ import annotations

import os
import platform
import re
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from duban.intake.errors import IntakeError  # noqa: E402
from duban.intake.parsing.parser import parse_blocks  # noqa: E402
from duban.intake.pipeline import parse_file  # noqa: E402
from duban.intake.readers import read_file  # noqa: E402

SEED = ROOT / "duban" / "demo" / "data" / "yanshi-2023-notice.txt"
SEED_TARGET_MS = 50.0
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
CORPUS_TARGET_MS = 1000.0


def median_ms(action: Callable[[], object], repeat: int) -> float:
    action()  # warm up caches and imports
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def scaled_notice(tasks: int) -> str:
    """The seed's areas repeated (and renumbered) until the notice holds ``tasks`` tasks."""
    text = SEED.read_text(encoding="utf-8")
    first_area = text.index("## 一、")
    head, body = text[:first_area], text[first_area:]
    body = body[: body.rindex("2023年5月4日")]
    out, number = [head], 0
    while number < tasks:
        for line in body.splitlines():
            match = re.match(r"^(\d+)\. ", line)
            if match:
                number += 1
                if number > tasks:
                    break
                line = f"{number}. " + line[match.end() :]
            out.append(line)
        else:
            continue
        break
    out.append("2023年5月4日")
    return "\n".join(out)


def parse_or_refuse(path: Path) -> object:
    """A notice's parse; a refusal (no tasks found) takes its time too."""
    try:
        return parse_file(path)
    except IntakeError as error:
        return error


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def main() -> int:
    from duban.intake.blocks import Block

    seed_blocks = read_file(SEED)
    seed_parse = median_ms(lambda: parse_blocks(seed_blocks), repeat=50)
    seed_total = median_ms(lambda: parse_blocks(read_file(SEED)), repeat=50)
    rows = []
    for size in (250, 500, 1000):
        blocks = [
            Block.paragraph(line) for line in scaled_notice(size).splitlines() if line.strip()
        ]
        assert len(parse_blocks(blocks).tasks) == size
        rows.append((size, median_ms(lambda b=blocks: parse_blocks(b), repeat=7)))
    notices = sorted(CORPUS.rglob("*.txt"), key=lambda p: p.stat().st_size)
    largest = notices[-1]
    largest_ms = median_ms(lambda: parse_or_refuse(largest), repeat=20)
    slowest_ms, slowest = max(
        (median_ms(lambda p=p: parse_or_refuse(p), repeat=3), p) for p in notices
    )
    corpus_ok = "yes" if max(largest_ms, slowest_ms) < CORPUS_TARGET_MS else "NO"
    per_task = [ms / size for size, ms in rows]
    ratio = per_task[-1] / per_task[0]
    verdict = "yes" if seed_parse < SEED_TARGET_MS else "NO"
    linear = "yes" if ratio < 1.5 else "NO"
    lines = [
        "# Benchmarks",
        "",
        "Made by `make bench` (`bench/run.py`); medians of repeated runs.",
        "",
        f"- Machine: {machine()}",
        f"- Date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        "",
        "## Parsing the seed notice (98 tasks, 33 KB text)",
        "",
        "| what | median |",
        "|---|---|",
        f"| parse (blocks → tasks, targets, warnings) | {seed_parse:.1f} ms |",
        f"| read the file and parse | {seed_total:.1f} ms |",
        "",
        f"Target under {SEED_TARGET_MS:.0f} ms: {verdict}.",
        "",
        "## The public corpus (tests/fixtures/corpus)",
        "",
        "| notice | size | median (read and parse) |",
        "|---|---|---|",
        f"| largest: {largest.relative_to(CORPUS)} | {largest.stat().st_size / 1024:.1f} KB "
        f"| {largest_ms:.1f} ms |",
        f"| slowest: {slowest.relative_to(CORPUS)} | {slowest.stat().st_size / 1024:.1f} KB "
        f"| {slowest_ms:.1f} ms |",
        "",
        f"Target under {CORPUS_TARGET_MS:.0f} ms: {corpus_ok}.",
        "",
        "## Growth with document size (the seed's areas repeated)",
        "",
        "| tasks | median | per task |",
        "|---|---|---|",
        *[f"| {size} | {ms:.1f} ms | {ms / size:.3f} ms |" for size, ms in rows],
        "",
        f"Per-task time at 1,000 tasks is {ratio:.2f}× that at 250 tasks; "
        f"linear (under 1.5×): {linear}.",
        "",
    ]
    report = "\n".join(lines)
    target = ROOT / "docs" / "benchmarks.md"
    # Figures measured by hand (whole-suite times) follow the marker and are kept as they are.
    if target.exists() and KEPT_MARKER in (old := target.read_text(encoding="utf-8")):
        report += "\n" + KEPT_MARKER + old.split(KEPT_MARKER, 1)[1]
    target.write_text(report, encoding="utf-8")
    print(report)
    return 0 if verdict == "yes" and linear == "yes" and corpus_ok == "yes" else 1


KEPT_MARKER = "<!-- measured by hand: make bench keeps what follows -->"


if __name__ == "__main__":
    raise SystemExit(main())
