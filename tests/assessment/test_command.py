"""``duban assess YEAR [--json] [--as-of DATE] [--dry-run]``: the table, the JSON and its keys,
storing the draft as the office's button does, a frozen year printed unchanged, and bad input
refused in Chinese with exit status 2."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from duban.assessment.models import Assessment, AssessmentState, UnitScore
from duban.assessment.services.workflow import open_publicity, publish
from duban.core import clock
from tests.support import assessment as rec
from tests.support.world import World

D = dt.date


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("assess", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def as_json(*args: str) -> dict[str, Any]:
    return json.loads(run(*args, "--json"))


BAD = [
    (["二〇二三"], "不是年份"),
    (["2022"], "没有2022年的台账"),
    (["2023", "--as-of", "2023-13-01"], "不是日期"),
    (["2023", "--as-of", "2022-12-31"], "之前的日期"),
]


def test_bad_input_is_refused_in_chinese_and_changes_nothing(world: World) -> None:
    for args, message in BAD:
        with pytest.raises(CommandError, match=message) as caught:
            run(*args)
        assert caught.value.returncode == 2
    assert not Assessment.objects.exists()


def test_json_has_every_unit_with_items_summing_to_its_score(world: World) -> None:
    rec.report(world.task("1"), world.q1, submitted=D(2023, 4, 6))
    data = as_json("2023", "--as-of", "2023-04-20")
    assert set(data) == {"plan", "as_of", "state", "scheme", "units"}
    assert data["plan"]["year"] == 2023 and data["as_of"] == "2023-04-20"
    assert data["state"] == "draft" and data["scheme"]["version"] == 1
    units = {u["unit"]: u for u in data["units"]}
    assert {"发改委", "缑氏镇"} <= set(units)
    for unit in data["units"]:
        assert set(unit) == {
            "unit", "unit_id", "kind", "group", "score", "rank", "grade", "grade_label",
            "vetoed", "vetoes", "items",
        }  # fmt: skip
        assert Decimal(unit["score"]) == sum(Decimal(i["points"]) for i in unit["items"])
        assert unit["group"] in ("townships", "departments") and unit["grade_label"]
    late = next(i for i in units["发改委"]["items"] if i["rule"] == "report_late_minor")
    assert set(late) == {
        "key", "component", "rule", "points", "computed_points", "text", "task", "source",
    }  # fmt: skip
    assert late["text"] == "任务1：2023年第1季度报告逾期3个工作日" and late["task"] == "1"
    assert late["source"]["type"] == "report" and late["source"]["link"].startswith("/reporting/")
    # It stored the draft, as the office's 计算 does.
    assert UnitScore.objects.filter(assessment__plan=world.plan).count() == len(data["units"])


def test_the_table_lists_units_and_their_items(world: World) -> None:
    text = run("2023", "--as-of", "2023-04-20")
    assert "2023年度考核" in text and "2023年4月20日" in text
    assert "发改委" in text and "区直部门" in text and "镇（街道）" in text
    assert "任务3：2023年第1季度报告未报送" in text


def test_a_dry_run_stores_nothing(world: World) -> None:
    data = as_json("2023", "--as-of", "2023-04-20", "--dry-run")
    assert data["state"] is None and data["units"]
    assert not Assessment.objects.exists()


def test_a_published_year_is_printed_unchanged(world: World) -> None:
    before = as_json("2023", "--as-of", "2023-04-20")
    assessment = Assessment.objects.get(plan=world.plan)
    with clock.pinned(D(2023, 4, 21)):
        open_publicity(None, assessment)
    with clock.pinned(D(2023, 5, 8)):
        publish(None, assessment)
    rec.report(world.task("3"), world.q1, submitted=D(2023, 4, 25))  # the record changes
    after = as_json("2023", "--as-of", "2023-06-30")
    assert after["state"] == AssessmentState.PUBLISHED and after["as_of"] == "2023-04-20"
    assert after["units"] == before["units"]
    assert "已发布并锁定" in run("2023")
