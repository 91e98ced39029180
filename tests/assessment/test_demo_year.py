"""``duban assess 2023 --json`` on the finished demo year (``duban demo --date 2024-01-20``):
every town, street and department on a task has a score, a grade and items that sum to it,
ranks and grades hold within each group, and no 优秀 beyond the quota.

The full year is built once for this module (tests/support/demo.py: ``full_year``)."""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from duban.assessment.models import UnitScore
from duban.directory.models import TOWNSHIP_KINDS, Unit
from duban.ledger.models import Assignment
from tests.support.demo import full_year


@pytest.fixture(scope="module")
def assessed(
    django_db_setup: None,
    django_db_blocker: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, Any]]:
    """What ``duban assess 2023 --json`` printed on the finished year, and what the directory
    says should be in it."""
    with full_year(django_db_blocker, Path(tmp_path_factory.mktemp("full-year"))):
        out = io.StringIO()
        call_command("assess", "2023", "--json", stdout=out, stderr=io.StringIO())
        named = set(
            Assignment.objects.filter(unit__isnull=False, unit__active=True).values_list(
                "unit__name", flat=True
            )
        )
        yield {
            "printed": json.loads(out.getvalue()),
            "townships": set(
                Unit.objects.filter(kind__in=TOWNSHIP_KINDS, active=True).values_list(
                    "name", flat=True
                )
            ),
            "named": named,
            "stored": UnitScore.objects.count(),
        }


def test_assess_2023_scores_every_township_and_department(
    assessed: dict[str, Any], db: None
) -> None:
    data = assessed["printed"]
    assert data["plan"]["year"] == 2023 and data["as_of"] == "2024-01-20"
    assert data["state"] == "draft" and assessed["stored"] == len(data["units"])
    units = {unit["unit"]: unit for unit in data["units"]}
    # Every town and street (through 各镇（街道）) and every unit a task names is scored.
    assert assessed["townships"] <= set(units)
    assert assessed["named"] <= set(units)
    groups: dict[str, list[dict[str, Any]]] = {"townships": [], "departments": []}
    for unit in data["units"]:
        assert unit["items"], unit["unit"]
        assert Decimal(unit["score"]) == sum(Decimal(i["points"]) for i in unit["items"])
        assert unit["grade"] in ("excellent", "good", "fair", "poor") and unit["rank"] >= 1
        if unit["vetoed"]:
            assert unit["grade"] == "poor" and unit["vetoes"]
        for pool in ("completion", "pace", "reporting", "response"):
            assert sum(Decimal(i["points"]) for i in unit["items"] if i["component"] == pool) >= 0
        assert all(i["text"] for i in unit["items"])
        groups[unit["group"]].append(unit)
    assert {u["unit"] for u in groups["townships"]} == assessed["townships"]
    for members in groups.values():
        excellent = Counter(u["grade"] for u in members)["excellent"]
        assert excellent <= len(members) * 25 // 100
        ranked = sorted(members, key=lambda u: u["rank"])
        scores = [Decimal(u["score"]) for u in ranked]
        assert scores == sorted(scores, reverse=True) and ranked[0]["rank"] == 1
