"""The current assessment scores on the cockpit: the office's from the first computation, leaders'
and viewers' once publicity has opened (``duban.assessment.services.results.current_scores``);
each unit's bar links to its tasks in the ledger."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from bs4 import BeautifulSoup

from duban.assessment.models import Assessment, AssessmentState, Grade, Group, UnitScore
from duban.assessment.services.schemes import current_scheme
from duban.core import clock
from tests.support.world import World


@pytest.fixture
def assessed(world: World) -> Assessment:
    """2023 computed (hand-built): 缑氏镇 92.5 (excellent), 首阳山街道 58 vetoed (poor), 发改委
    85 (good)."""
    assessment = Assessment.objects.create(
        plan=world.plan, scheme=current_scheme(), as_of=clock.today(), computed_at=clock.now()
    )
    for name, group, score, rank, grade, vetoed in (
        ("缑氏镇", Group.TOWNSHIPS, "92.50", 1, Grade.EXCELLENT, False),
        ("首阳山街道", Group.TOWNSHIPS, "58.00", 2, Grade.POOR, True),
        ("发改委", Group.DEPARTMENTS, "85.00", 1, Grade.GOOD, False),
    ):
        UnitScore.objects.create(
            assessment=assessment,
            unit=world.unit(name),
            group=group,
            score=Decimal(score),
            rank=rank,
            grade=grade,
            vetoed=vetoed,
        )
    return assessment


def scores(data: dict[str, Any]) -> dict[str, list[tuple[str, float, str, str]]]:
    return {
        chart["key"]: [
            (name, cell["value"], cell["text"], cell["url"])
            for name, cell in zip(chart["categories"], chart["series"][0]["data"], strict=True)
        ]
        for chart in data["charts"]
        if chart["key"].startswith("scores_")
    }


def test_the_office_sees_the_computed_scores(world: World, assessed: Assessment) -> None:
    data = world.as_office().get("/cockpit/data.json").json()
    goushi, shouyang, fgw = (world.unit(n).pk for n in ("缑氏镇", "首阳山街道", "发改委"))
    assert scores(data) == {
        "scores_departments": [("发改委", 85.0, "85.00分，良好", f"/ledger/units/{fgw}/")],
        "scores_townships": [
            ("缑氏镇", 92.5, "92.50分，优秀", f"/ledger/units/{goushi}/"),
            ("首阳山街道", 58.0, "58.00分，较差（一票否决）", f"/ledger/units/{shouyang}/"),
        ],
    }
    chart = next(c for c in data["charts"] if c["key"] == "scores_townships")
    assert [cell["colour"] for cell in chart["series"][0]["data"]] == ["#2e7d32", "#c62828"]
    page = BeautifulSoup(world.as_office().get("/cockpit/").content, "lxml")
    assert page.select_one("#chart-scores_townships h2").get_text() == "考核得分：镇（街道）"


def test_others_see_them_once_publicity_opens(world: World, assessed: Assessment) -> None:
    for client in (world.as_viewer(), world.as_leader("朱蕾")):
        assert scores(client.get("/cockpit/data.json").json()) == {}
    assessed.state = AssessmentState.PUBLICITY
    assessed.save(update_fields=["state"])
    viewer = scores(world.as_viewer().get("/cockpit/data.json").json())
    assert [name for name, *_rest in viewer["scores_townships"]] == ["缑氏镇", "首阳山街道"]
    leader = scores(world.as_leader("朱蕾").get("/cockpit/data.json").json())
    assert set(leader) == {"scores_departments", "scores_townships"}
