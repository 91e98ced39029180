"""Running a reader on a hostile file within a time and memory budget.

``within_budget(call)`` runs ``call`` and returns its result (or the exception it raised) with
what it cost: CPU seconds and the growth of the process's peak resident memory, which counts
what C libraries (lxml, zlib) allocate too (Linux: the high-water mark is reset first through
/proc/self/clear_refs); where that cannot be measured, the peak of Python's own allocations
(tracemalloc).
"""

from __future__ import annotations

import contextlib
import ctypes
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SECONDS = 5.0
MEGABYTES = 300


def _kb(field: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    with contextlib.suppress(OSError):  # give freed memory back: RSS is then what is used
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


@dataclass
class Cost:
    result: Any
    error: BaseException | None
    seconds: float
    python_mb: float  # tracemalloc's peak, where the resident set cannot be measured; else 0
    resident_mb: float  # growth of the peak resident set; 0 where it cannot be measured

    def check(self, seconds: float = SECONDS, megabytes: float = MEGABYTES) -> None:
        assert self.seconds < seconds, f"{self.seconds:.1f} s"
        assert self.python_mb < megabytes, f"{self.python_mb:.0f} MB (Python)"
        assert self.resident_mb < megabytes, f"{self.resident_mb:.0f} MB (resident)"


def within_budget(call: Callable[[], Any]) -> Cost:
    """Run ``call`` and measure it. Memory is the growth of the peak resident set where Linux
    lets it be reset (it counts every allocation, Python's and C libraries'); elsewhere
    tracemalloc's peak of Python's own allocations (it also slows allocations down, so it is
    not used where the resident set can be measured)."""
    measured = _reset_peak()
    before = _kb("VmRSS") or 0
    if not measured:
        tracemalloc.start()
    started = time.process_time()
    result, error = None, None
    try:
        result = call()
    except Exception as exc:
        error = exc
    finally:
        spent = time.process_time() - started
        peak = 0
        if not measured:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    grown = max(0, (_kb("VmHWM") or before) - before) if measured else 0
    return Cost(result, error, spent, peak / 2**20, grown / 1024)
