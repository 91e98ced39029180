"""Build block streams from inline text so each test shows the layout it exercises."""

from __future__ import annotations

from typing import Any

from duban.intake.blocks import Block
from duban.intake.parsing.directory import NameDirectory
from duban.intake.parsing.parser import parse_blocks


def lines(text: str) -> list[Block]:
    return [Block.paragraph(line) for line in text.strip().splitlines() if line.strip()]


def parse_text(text: str, directory: NameDirectory | None = None) -> dict[str, Any]:
    return parse_blocks(lines(text), directory=directory).as_dict()


def task_rows(result: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (t["number"], t["lead_leaders"], t["lead_units"], t["responsible_units"])
        for t in result["tasks"]
    ]


def codes(result: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(w["code"], w["task"]) for w in result["warnings"]]
