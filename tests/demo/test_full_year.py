"""`duban demo --date 2024-01-20`: the finished year, built once for the whole module (the
package's mid-year demo taken on: conftest.py; the command's output: test_demo_command.py).

The whole of 2023 through the same services as the mid-year demo (test_mid_year.py): every
period closed, each quarter and the year-end report with its late, missing and returned reports,
the completions with their evidence, the tasks missed (one unit's two without an extension: a
veto), the circulars, notices, extensions, inspections (one falsified report) and recognitions
the assessment scores. The full year is the suite's longest fixture: keep it to this module.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from functools import partial
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from duban.assessment.models import Recognition, UnitScore
from duban.assessment.services.compute import assess_plan
from duban.core.workdays import Calendar
from duban.demo.year import DEMO_DATE, FULL_YEAR_DATE, YearBuilder
from duban.directory.models import TOWNSHIP_KINDS, Unit
from duban.inspections.models import Finding, InspectionState, ItemState
from duban.ledger.models import Assignment, Plan, Task, TaskStatus
from duban.lights.models import LightRecord
from duban.reporting.models import (
    Contribution,
    Period,
    PeriodState,
    Report,
    ReportTargetValue,
    ReviewState,
)
from duban.supervision.models import Circular, CircularState, ExtensionRequest, Notice
from tests.support.demo import DemoYear, year_continued

COMMITTED = (ReviewState.SUBMITTED, ReviewState.ACCEPTED, ReviewState.RETURNED)
QUARTERS = ("2023Q1", "2023Q2", "2023Q3", "2023Q4")
MISSED = {"11", "48", "70", "81", "92"}


@pytest.fixture(scope="module")
def built(mid_year: DemoYear, django_db_blocker: pytest.FixtureRequest) -> Iterator[DemoYear]:
    """The mid-year demo (conftest.py) taken on to 2024-01-20: the steps a fresh ``duban demo
    --date 2024-01-20`` takes after 2023-08-15 (test_the_mid_year_demo_is_where_the_full_year_
    begins), at half the cost of building the whole year again."""
    with year_continued(django_db_blocker, mid_year) as steps:
        yield DemoYear(f"{steps}", mid_year.media)


@pytest.fixture
def year(built: DemoYear, db: None, settings: pytest.FixtureRequest) -> DemoYear:
    settings.MEDIA_ROOT = built.media  # type: ignore[attr-defined]
    settings.DUBAN_TODAY = FULL_YEAR_DATE  # type: ignore[attr-defined]
    return built


def what(run: Any) -> str:
    """A planned step's function by name (and a partial's arguments)."""
    if isinstance(run, partial):
        return f"{run.func.__qualname__}{run.args}{sorted(run.keywords.items())}"
    return str(run.__qualname__)


def working_days_late(report: Report) -> int:
    due = report.period.due_on
    return Calendar().count(due, due + dt.timedelta(days=report.days_late))


def test_the_second_half_takes_a_thousand_steps(year: DemoYear) -> None:
    assert 900 < int(year.printed) < 1100


def test_every_period_is_closed(year: DemoYear) -> None:
    periods = dict(Period.objects.values_list("code", "state"))
    assert set(periods) == {*QUARTERS, "2023Y"}
    assert set(periods.values()) == {PeriodState.CLOSED}
    # The office set the year-end report's date in November: 10 January.
    assert Period.objects.get(code="2023Y").due_on == dt.date(2024, 1, 10)


@pytest.mark.parametrize("code", [*QUARTERS, "2023Y"])
def test_each_period_has_late_missing_and_returned_reports(year: DemoYear, code: str) -> None:
    tasks = Task.objects.count()
    reports = list(
        Report.objects.filter(period__code=code, state__in=COMMITTED).select_related("period")
    )
    late = Counter(
        "minor" if working_days_late(r) <= 3 else "major" for r in reports if r.days_late
    )
    assert late["minor"] >= 2 and late["major"] >= 2, late
    returned = Report.objects.filter(
        period__code=code, versions__state=ReviewState.RETURNED
    ).distinct()
    assert returned.filter(state=ReviewState.ACCEPTED).count() >= 3  # corrected, accepted
    missing = tasks - len(reports)
    assert (missing == 0) if code == "2023Q1" else (1 <= missing <= 3), missing
    assert sum(r.state == ReviewState.ACCEPTED for r in reports) >= tasks - 3
    if code != "2023Y":  # the responsible units' parts come with every quarter
        given = Contribution.objects.filter(period__code=code, state=ReviewState.SUBMITTED)
        assert given.count() > 100 and given.filter(unit__name="缑氏镇").count() >= 10


def test_the_year_end_reports_carry_their_evidence(year: DemoYear) -> None:
    reports = Report.objects.filter(period__code="2023Y").exclude(state=ReviewState.DRAFT)
    assert reports.count() == 97  # 财政局 never gave its report on task 70
    assert all(report.evidence.exists() for report in reports)
    # One returned for want of evidence, given again with it, accepted.
    returned = reports.filter(versions__state=ReviewState.RETURNED).distinct().first()
    assert returned is not None and returned.state == ReviewState.ACCEPTED
    first = returned.versions.filter(data__action="submit").order_by("number").first()
    assert first is not None and first.data["evidence"] == []
    # A lead unit's year-end summary, written once, goes with each of its reports.
    names = set(reports.filter(task__number__in=("1", "2")).values_list("evidence__original_name"))
    assert names == {("发改委2023年度重点工作完成情况报告.docx",)}


def test_most_tasks_completed_a_few_early_or_beyond_five_missed(year: DemoYear) -> None:
    status = dict(Task.objects.values_list("number", "status"))
    assert {n for n, s in status.items() if s != TaskStatus.DONE} == MISSED
    # Completed early: a Q2 or Q3 report saying so, accepted, with its acceptance report.
    early = Report.objects.filter(
        period__code__in=("2023Q2", "2023Q3"),
        status=TaskStatus.DONE,
        state=ReviewState.ACCEPTED,
        evidence__isnull=False,
    ).distinct()
    assert set(early.values_list("period__code", flat=True)) == {"2023Q2", "2023Q3"}
    assert early.values("task").distinct().count() >= 4
    # Beyond target: year-end figures above an at-least target.
    beyond = {
        tv.report.task.number
        for tv in ReportTargetValue.objects.filter(
            report__period__code="2023Y", report__state=ReviewState.ACCEPTED, target__op=">="
        ).select_related("target", "report__task")
        if tv.value > tv.target.value
    }
    assert len(beyond) >= 3 and not beyond & MISSED


def test_one_unit_missed_two_lead_tasks_without_an_extension(year: DemoYear) -> None:
    """财政局 (tasks 11 and 70): the veto case. 交通局 missed task 48 after an approved
    extension of its last milestone into 2024."""
    leads = Counter(
        Task.objects.filter(number__in=MISSED, assignments__role="lead").values_list(
            "assignments__unit__name", flat=True
        )
    )
    assert leads["财政局"] == 2 and all(n == 1 for name, n in leads.items() if name != "财政局")
    for number in ("11", "70"):
        assert not ExtensionRequest.objects.filter(task__number=number).exists()
    extended = ExtensionRequest.objects.get(task__number="48", state="approved")
    assert extended.requested_due.year == 2024 and extended.milestone is not None
    assert extended.decided_at is not None and extended.decided_at.date() < dt.date(2023, 12, 31)


def test_an_inspection_found_a_falsified_report(year: DemoYear, client: Client) -> None:
    finding = Finding.objects.get(falsified=True)
    assert finding.task.number == "81" and finding.severity == "serious"
    assert finding.inspection.state == InspectionState.FINISHED
    assert finding.items.get().state == ItemState.CLOSED
    # The report it found false claimed more than the unit later reported.
    claimed = Report.objects.get(task=finding.task, period__code="2023Q3").progress
    corrected = Report.objects.get(task=finding.task, period__code="2023Q4").progress
    assert claimed is not None and corrected is not None and corrected < claimed
    client.force_login(get_user_model().objects.get(username="office"))
    client.cookies["django_language"] = "zh-hans"
    page = client.get(f"/inspections/{finding.inspection_id}/").content.decode()
    assert "核实为虚报瞒报" in page
    # Every rectification item is closed but one, verified.
    states = Counter(Finding.objects.values_list("items__state", flat=True))
    assert states[ItemState.CLOSED] == 7 and states[ItemState.VERIFIED] == 1


def test_circulars_notices_and_recognitions(year: DemoYear) -> None:
    circulars = Circular.objects.order_by("period__code")
    assert [c.period.code for c in circulars] == ["2023Q1", "2023Q2", "2023Q3"]
    assert all(c.state == CircularState.ISSUED for c in circulars)
    for circular in circulars[1:]:
        assert 1 <= circular.criticised_units.count() <= 6
        assert 1 <= circular.praised_units.count() <= 6
    assert circulars[2].praised_units.filter(name="缑氏镇").exists()
    notices = list(Notice.objects.all())
    levels = Counter(n.level for n in notices)
    assert levels["listed"] == 2 and levels["supervise"] >= 5 and levels["urge"] >= 10
    late = [
        n for n in notices if n.replied_at and timezone.localtime(n.replied_at).date() > n.reply_due
    ]
    assert len(late) >= 5 and {n.unit.kind for n in late} >= {"department", "town"}
    waiting = [n for n in notices if n.state in ("issued", "signed")]
    assert [n.task.number for n in waiting if n.task] == ["70"]  # the year-end report
    recognitions = Recognition.objects.order_by("granted_on")
    assert [(r.unit.name, r.points) for r in recognitions] == [("农业农村局", 1), ("工信局", 2)]
    assert all(r.document and r.files.exists() for r in recognitions)


def test_lights_on_every_quarters_due_date(year: DemoYear) -> None:
    """The assessment reads each task's colour per quarter: its last light on or before the
    quarter's due date. Every task has one, and each quarter has every colour."""
    tasks = Task.objects.count()
    for period in Period.objects.filter(code__in=QUARTERS):
        assert LightRecord.objects.filter(on=period.due_on).exists()
        last: dict[int, str] = {}
        for task_id, colour in (
            LightRecord.objects.filter(on__lte=period.due_on)
            .order_by("on")
            .values_list("task_id", "colour")
        ):
            last[task_id] = colour
        colours = Counter(last.values())
        assert len(last) == tasks
        assert colours["green"] > tasks / 2 and colours["yellow"] and colours["red"], colours


def test_the_mid_year_demo_is_where_the_full_year_begins(year: DemoYear) -> None:
    """The steps up to the mid-year date are the same whatever the demo date (but for the
    demo date's own lights and reminders): the finished year begins as the mid-year demo
    stands, whose figures test_mid_year.py checks."""
    plan = Plan.objects.get()

    def planned(until: dt.date) -> list[tuple[dt.date, int, str]]:
        builder = YearBuilder(plan, until)
        builder.plan_year()
        return [(s.day, s.seq, what(s.run)) for s in builder.steps if s.day < DEMO_DATE]

    mid, full = planned(DEMO_DATE), planned(FULL_YEAR_DATE)
    assert mid == full and len(mid) > 800
    # What the first half produced: the notices the mid-year demo numbers 1, 2, …
    first = Notice.objects.filter(issued_at__date__lte=DEMO_DATE).order_by("serial")
    assert first[0].doc_number == "偃督办〔2023〕1号" and first.count() == 14


def test_the_demo_accounts_find_their_pages(year: DemoYear) -> None:
    users = get_user_model().objects
    for username in ("office", "zhulei", "fgw", "goushi"):
        client = Client()
        client.force_login(users.get(username=username))
        assert client.get("/", follow=True).status_code == 200, username


def test_every_rule_of_the_default_scheme_fires_on_some_unit(year: DemoYear) -> None:
    """The finished year is varied enough for the assessment (docs/assessment.md): every rule
    the default scheme counts fires on some unit, and both vetoes on the units the story
    gives them."""
    results = assess_plan(Plan.objects.get(), FULL_YEAR_DATE)
    fired = {item.rule for result in results for item in result.items}
    expected = {
        "completion",
        "pace_red",
        "pace_yellow",
        "report_late_minor",
        "report_late_major",
        "report_missing",
        "report_returned",
        "notice_late_reply",
        "notice_supervise",
        "notice_listed",
        "early",
        "beyond_target",
        "praised",
        "criticised",
        "recognition",
        "falsified",
    }
    assert expected <= fired, expected - fired
    vetoes = {
        result.unit.name: sorted(v["code"] for v in result.vetoes)
        for result in results
        if result.vetoed
    }
    assert vetoes == {"财政局": ["missed_tasks"], "生态环境局": ["falsified"]}


def test_assess_2023_scores_every_township_and_department(year: DemoYear) -> None:
    """``duban assess 2023 --json`` on the finished year: every town, street and department on
    a task has a score, a grade and items that sum to it; ranks and the 优秀 quota hold."""
    out = io.StringIO()
    call_command("assess", "2023", "--json", stdout=out, stderr=io.StringIO())
    data = json.loads(out.getvalue())
    assessed = {
        "townships": set(
            Unit.objects.filter(kind__in=TOWNSHIP_KINDS, active=True).values_list("name", flat=True)
        ),
        "named": set(
            Assignment.objects.filter(unit__isnull=False, unit__active=True).values_list(
                "unit__name", flat=True
            )
        ),
        "stored": UnitScore.objects.count(),
    }
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
