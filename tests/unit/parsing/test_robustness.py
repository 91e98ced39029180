"""Whatever a clerk feeds it, the parser answers with tasks or a clear refusal, never a crash.

Mutations of the seed and the corpus (shuffled, truncated, spliced, with stray markers) and
random table rows stand in for the notices nobody has seen yet.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from duban.intake.blocks import Block
from duban.intake.errors import IntakeError
from duban.intake.parsing.parser import parse_blocks

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
TEXTS = [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "corpus").glob("*.txt"))] + [
    (FIXTURES / "seed" / "yanshi-2023-notice.txt").read_text(encoding="utf-8")
]
SPLICES = ["|", "（", "）", "：", "\t", "★", "1.", "一、", "牵头单位：", "由", "负责落实。", "、"]
CELLS = ["序号", "重点任务", "牵头单位", "责任单位", "1", "2.甲", "张三", "发改委", "", "一、乙"]


def mutate(rng: random.Random, text: str) -> list[str]:
    lines = text.splitlines()
    match rng.randrange(5):
        case 0:
            rng.shuffle(lines)
        case 1:
            lines = [line for line in lines if rng.random() > 0.3]
        case 2:
            lines = [line[: rng.randrange(len(line) + 1)] for line in lines]
        case 3:
            lines += rng.choice(TEXTS).splitlines()
        case _:
            joined = "\n".join(lines)
            at = rng.randrange(len(joined) + 1)
            lines = (joined[:at] + rng.choice(SPLICES) + joined[at:]).splitlines()
    return lines


@pytest.mark.parametrize("seed", range(4))
def test_mutated_notices_parse_or_are_refused(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(60):
        blocks = [Block.paragraph(line) for line in mutate(rng, rng.choice(TEXTS)) if line.strip()]
        try:
            result = parse_blocks(blocks)
        except IntakeError as refusal:
            assert refusal.code == "no_tasks"
        else:
            assert result.tasks and all(isinstance(t["text"], str) for t in result.tasks)


def test_random_table_rows_parse_or_are_refused() -> None:
    rng = random.Random(7)
    for _ in range(300):
        rows = [
            Block.row([rng.choice(CELLS) for _ in range(rng.randrange(7))])
            for _ in range(rng.randrange(1, 8))
        ]
        try:
            parse_blocks(rows)
        except IntakeError as refusal:
            assert refusal.code == "no_tasks"
