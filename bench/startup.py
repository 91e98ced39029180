"""Whole-process time of `duban parse` on the seed notice (issue 13: under 0.3 s).

    .venv/bin/python bench/startup.py [--runs 5]

Runs `.venv/bin/duban parse duban/demo/data/yanshi-2023-notice.txt` as a new process RUNS
times, output discarded, and prints the best and the median wall time, as `time` would show
them. What keeps it short is in docs/configuration.md ("Start-up time").
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DUBAN = ROOT / ".venv" / "bin" / "duban"
SEED = ROOT / "duban" / "demo" / "data" / "yanshi-2023-notice.txt"
TARGET_S = 0.3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([DUBAN, "parse", SEED], check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    best = min(times)
    print(
        f"duban parse (whole process, {runs} runs): best {best:.3f} s, "
        f"median {statistics.median(times):.3f} s, target < {TARGET_S} s: "
        f"{'met' if best < TARGET_S else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
