"""The public corpus in two halves: tuned (the parser was developed on it) and held out.

tests/fixtures/corpus/tuned/ and held-out/ hold real notices (excerpts as published) with keys
written by reading them (README.md there). The parser is developed against the tuned half only;
the held-out half is scored, never read while changing the parser. ``score_half`` gives the
figures docs/parsing.md reports (``python -m tests.support.corpus`` prints them).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from duban.intake.errors import IntakeError
from duban.intake.pipeline import parse_file
from tests.support.keys import corpus_score

ROOT = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
HALVES = ("tuned", "held-out")


def notices(half: str) -> list[str]:
    return sorted(
        p.stem
        for p in (ROOT / half).glob("*.txt")
        if (ROOT / half / f"{p.stem}.expected.json").exists()
    )


def key_of(half: str, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (ROOT / half / f"{name}.expected.json").read_text(encoding="utf-8")
    )
    return data


def parse_tasks(half: str, name: str) -> list[dict[str, Any]] | None:
    """The parse's tasks, or None when the parser refuses the notice (no tasks)."""
    try:
        tasks: list[dict[str, Any]] = parse_file(ROOT / half / f"{name}.txt").as_dict()["tasks"]
    except IntakeError as error:
        if error.code != "no_tasks":
            raise
        return None
    return tasks


@dataclass
class NoticeScore:
    name: str
    family: str
    right: int
    total: int
    keyed: int
    problems: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.right / self.total if self.total else 1.0


@dataclass
class HalfScore:
    half: str
    notices: list[NoticeScore]

    @property
    def right(self) -> int:
        return sum(n.right for n in self.notices)

    @property
    def total(self) -> int:
        return sum(n.total for n in self.notices)

    @property
    def share(self) -> float:
        return self.right / self.total if self.total else 1.0


def score_notice(half: str, name: str) -> NoticeScore:
    key = key_of(half, name)
    right, total, problems = corpus_score(parse_tasks(half, name), key)
    return NoticeScore(name, key.get("family", ""), right, total, len(key["tasks"]), problems)


def score_half(half: str) -> HalfScore:
    return HalfScore(half, [score_notice(half, name) for name in notices(half)])


def report(halves: tuple[str, ...] = HALVES, details: bool = False) -> str:
    lines: list[str] = []
    for half in halves:
        scored = score_half(half)
        tasks = sum(n.keyed for n in scored.notices)
        lines.append(
            f"{half}: {len(scored.notices)} notices, {tasks} keyed tasks, "
            f"{scored.right}/{scored.total} fields = {scored.share:.1%}"
        )
        families: dict[str, list[NoticeScore]] = {}
        for notice in scored.notices:
            families.setdefault(notice.family, []).append(notice)
        for family, members in sorted(families.items()):
            right = sum(n.right for n in members)
            total = sum(n.total for n in members)
            share = right / total if total else 1.0
            lines.append(f"  {family}: {len(members)} notices, {right}/{total} = {share:.1%}")
        if details:
            for notice in scored.notices:
                lines.append(f"    {notice.name} {notice.family} {notice.share:.1%}")
                lines.extend(f"      {p}" for p in notice.problems)
    return "\n".join(lines)


if __name__ == "__main__":
    chosen = tuple(a for a in sys.argv[1:] if a in HALVES) or HALVES
    print(report(chosen, details="-v" in sys.argv))
