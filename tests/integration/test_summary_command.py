"""`duban summary [--json] [--as-of DATE]`: the plan at a glance, consistent with the database,
every JSON key documented in docs/summary.md."""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from duban.core import clock
from duban.inspections import services as inspections
from duban.lights.services import lights_for
from duban.reporting.services.reports import save_report
from duban.supervision.models import NoticeLevel
from duban.supervision.services.notices import NoticeInput, issue_notice, sign_notice
from tests.support.inspections import plan_inspection, record_finding
from tests.support.reporting import q1_input
from tests.support.world import World

DOCS = Path(__file__).resolve().parents[2] / "docs" / "summary.md"
AS_OF = date(2023, 4, 20)


def summary(*args: str) -> str:
    out = io.StringIO()
    call_command("summary", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def some_work(world: World) -> None:
    """A Q1 report submitted and one drafted, two notices (one signed), one item."""
    with clock.pinned(date(2023, 3, 30)):
        save_report(
            task=world.task("1"),
            period=world.q1,
            user=world.fgw,
            data=q1_input(),
            version=None,
            submit=True,
        )
        save_report(
            task=world.task("2"), period=world.q1, user=world.fgw, data=q1_input(), version=None
        )
    with clock.pinned(date(2023, 4, 3)):
        for number in ("3", "4"):
            notice = issue_notice(
                task=world.task(number),
                data=NoticeInput(NoticeLevel.URGE, "进展滞后。", "加快推进。", date(2023, 4, 10)),
                user=world.office,
            )
        sign_notice(notice=notice, user=world.fgw)
    with clock.pinned(date(2023, 5, 9)):
        finding = record_finding(world, plan_inspection(world))
        inspections.raise_item(
            finding=finding, text="限期开工。", deadline=date(2023, 6, 30), user=world.office
        )


def key_paths(value: Any, prefix: str = "") -> set[str]:
    """Every key as a dotted path; a period code reads ``<code>``, as the documentation has it."""
    if not isinstance(value, dict):
        return set()
    found = set()
    for key, inner in value.items():
        name = "<code>" if prefix == "reports." else key
        found.add(prefix + name)
        found |= key_paths(inner, f"{prefix}{name}.")
    return found


def test_json_counts_agree_with_the_database(world: World) -> None:
    some_work(world)
    data = json.loads(summary("--json", "--as-of", "2023-04-20"))
    assert set(data) == {"plan", "as_of", "tasks", "reports", "notices", "rectification"}
    assert data["plan"] == {
        "id": world.plan.pk,
        "title": world.plan.title,
        "doc_number": "偃政〔2023〕6号",
        "year": 2023,
    }
    assert data["as_of"] == "2023-04-20"
    tasks = data["tasks"]
    assert tasks["total"] == 98
    lights = Counter(
        str(light.colour) for light in lights_for(world.plan.tasks.all(), AS_OF).values()
    )
    assert tasks["by_light"] == {c: lights.get(c, 0) for c in ("green", "yellow", "red", "none")}
    assert sum(tasks["by_light"].values()) == 98
    assert tasks["by_status"] == {"not_started": 98, "in_progress": 0, "done": 0, "lagging": 0}
    assert list(data["reports"]) == ["2023Q1", "2023Q2", "2023Q3", "2023Q4", "2023Y"]
    assert data["reports"]["2023Q1"] == {
        "label": "2023年第1季度",
        "state": "open",
        "due_on": "2023-03-31",
        "draft": 1,
        "submitted": 1,
        "accepted": 0,
        "returned": 0,
        "missing": 97,
    }
    assert data["reports"]["2023Q2"]["state"] == "planned"
    assert data["notices"] == {
        "open": 2,
        "by_level": {"urge": 2, "supervise": 0, "listed": 0},
        "by_state": {"issued": 1, "signed": 1, "replied": 0},
        "overdue": 2,
    }
    assert data["rectification"] == {
        "open": 1,
        "by_state": {"open": 1, "reported": 0, "returned": 0, "verified": 0},
        "overdue": 0,
    }
    # Before the notices' reply date nothing is overdue; the lights follow the date too.
    early = json.loads(summary("--json", "--as-of", "2023-04-05"))
    assert early["notices"]["overdue"] == 0 and early["as_of"] == "2023-04-05"


def test_every_json_key_is_documented(world: World) -> None:
    """Each key is in docs/summary.md: as its dotted path, or (the counts under ``by_light``,
    ``by_state`` …) its parent's path with the key itself in the parent's description."""
    some_work(world)
    docs = DOCS.read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z_0-9.<>]+)`", docs))
    rows = {
        path: line
        for line in docs.splitlines()
        if line.startswith("| `")
        for path in re.findall(r"`([a-z_0-9.<>]+)`", line.split("|")[1])
    }
    for path in key_paths(json.loads(summary("--json"))):
        if path in documented and path in rows:
            continue
        parent, _dot, key = path.rpartition(".")
        assert parent in rows and f"`{key}`" in rows[parent], path


def test_the_default_date_is_duban_s_today(world: World) -> None:
    with clock.pinned(date(2023, 4, 1)):
        data = json.loads(summary("--json"))
    assert data["as_of"] == "2023-04-01"


def test_the_table_is_in_chinese(world: World) -> None:
    some_work(world)
    text = summary("--as-of", "2023-04-20")
    assert "截至2023年4月20日" in text
    for words in (
        "任务：98项",
        "绿灯",
        "报送期",
        "2023年第1季度",
        "2023年年终",
        "未报送",
        "未办结的督办通知：2件",
        "催办",
        "已签收",
    ):
        assert words in text, words
    assert "未销号的整改事项：1项" in text
    assert not re.search(r"\b(Tasks|Reports|open|draft|green)\b", text)
    assert "2023Q1" not in text  # periods by their names, not their codes


@pytest.mark.parametrize("value", ["2023-02-30", "tomorrow"])
def test_a_bad_date_is_refused_in_chinese(world: World, value: str) -> None:
    with pytest.raises(CommandError, match="不是日期"):
        summary("--as-of", value)


@pytest.mark.django_db
def test_without_a_plan_it_says_so() -> None:
    with pytest.raises(CommandError, match="导入"):
        summary("--json")
