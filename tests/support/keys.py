"""Compare a parse with an answer key as the keys' READMEs describe (NFKC, no whitespace)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any


def norm(value: Any) -> Any:
    if isinstance(value, str):
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))
    if isinstance(value, list):
        return [norm(v) for v in value]
    return value


def target_matches(expected: dict[str, Any], actual: dict[str, Any]) -> bool:
    if expected["value"] != actual["value"] or expected["value_max"] != actual["value_max"]:
        return False
    units = {norm(expected["unit"])}
    if norm(expected["unit"]) == "个工作日":
        units.add("工作日")
    if norm(actual["unit"]) not in units:
        return False
    ops = {expected["op"]} | ({">="} if expected["op"] == "=" else set())
    return actual["op"] in ops


def seed_differences(parsed: dict[str, Any], key: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    for name, value in key["document"].items():
        if norm(parsed["document"].get(name)) != norm(value):
            problems.append(f"document.{name}: {parsed['document'].get(name)!r} != {value!r}")
    got_areas = [(a["number"], norm(a["title"])) for a in parsed["areas"]]
    want_areas = [(a["number"], norm(a["title"])) for a in key["areas"]]
    if got_areas != want_areas:
        problems.append(f"areas: {got_areas} != {want_areas}")
    if len(parsed["tasks"]) != len(key["tasks"]):
        problems.append(f"task count {len(parsed['tasks'])} != {len(key['tasks'])}")
    for got, want in zip(parsed["tasks"], key["tasks"], strict=False):
        for name in ("number", "area", "text", "lead_leaders", "lead_units", "responsible_units"):
            if norm(got[name]) != norm(want[name]):
                problems.append(f"task {want['number']}.{name}: {got[name]!r} != {want[name]!r}")
        for target in want.get("targets_must_include", []):
            if not any(target_matches(target, t) for t in got["targets"]):
                problems.append(f"task {want['number']} misses target {target}")
    return problems


FIELDS = ("lead_leaders", "lead_units", "responsible_units", "deadline")


def corpus_differences(
    parsed: list[dict[str, Any]], key: dict[str, Any], cut_entry: str | None = None
) -> list[str]:
    """Compare both ways: every keyed task is found, with exactly the key's number, leaders,
    units and deadline (a truncated, missing or extra name is a difference); and every task
    of the parse is a keyed one, or the excerpt's cut entry as the very last task. An entry
    the key lists as ``unreadable`` (mojibake no reader can key) is not judged either way."""
    problems: list[str] = []
    unreadable = {norm(label) for label in key.get("unreadable", [])}
    used: set[int] = set()
    for want in key["tasks"]:
        start = norm(want["text_starts_with"])
        match = next(
            (
                i
                for i, t in enumerate(parsed)
                if i not in used and norm(t["text"]).startswith(start)
            ),
            None,
        )
        if match is None:
            problems.append(f"{want['number']}: no task starts with {want['text_starts_with']!r}")
            continue
        used.add(match)
        got = parsed[match]
        if want["number"] is not None and norm(str(got["number"])) != norm(str(want["number"])):
            problems.append(f"{want['number']}: number {got['number']!r} != {want['number']!r}")
        for name in FIELDS:
            if norm(got[name]) != norm(want[name]):
                problems.append(f"{want['number']}.{name}: {got[name]!r} != {want[name]!r}")
    for i, got in enumerate(parsed):
        if i in used:
            continue
        is_cut_entry = (
            cut_entry is not None and i == len(parsed) - 1 and norm(cut_entry) in norm(got["text"])
        )
        if not is_cut_entry and norm(str(got["number"])) not in unreadable:
            fields = {name: got[name] for name in FIELDS if got[name]}
            problems.append(
                f"invented task {got['number']!r} (#{i + 1} of {len(parsed)}): "
                f"{got['text'][:30]!r} {fields}"
            )
    return problems


# --- Field score over a corpus (docs/parsing.md "Generality") --------------------------------

SCORED = ("number", *FIELDS)


def corpus_score(
    parsed: list[dict[str, Any]] | None, key: dict[str, Any]
) -> tuple[int, int, list[str]]:
    """(fields right, fields counted, differences) of one notice.

    Each keyed task counts five fields (number, leaders, lead units, responsible units,
    deadline); a keyed task the parse lacks loses all five. Precision counts the same: a task
    the parse invents (neither keyed nor the excerpt's cut entry in last place) adds five fields
    to the count, all wrong. ``parsed`` None is a refusal ("no tasks"): every field is lost."""
    keyed = key["tasks"]
    total = len(SCORED) * len(keyed)
    if parsed is None:
        return 0, total, ["refused: no tasks"]
    problems = corpus_differences(parsed, key, key.get("cut_entry"))
    missing = sum(1 for p in problems if ": no task starts with " in p)
    invented = sum(1 for p in problems if p.startswith("invented task "))
    wrong = sum(
        1
        for p in problems
        if not p.startswith("invented task ") and ": no task starts with " not in p
    )
    total += len(SCORED) * invented
    right = total - len(SCORED) * (missing + invented) - wrong
    return right, total, problems
