"""`duban demo`: the seed plan as it stood on 2023-08-15 (the default), built once for the
whole module; the finished year: test_full_year.py.

The year takes several seconds to build, so it is built once for the package (conftest.py,
inside a transaction rolled back when the package ends) and every test reads it, each in its
own savepoint.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from duban.audit.models import AuditAction, AuditEvent
from duban.demo.accounts import DEMO_ACCOUNTS
from duban.inspections.models import Inspection, ItemState, RectificationItem
from duban.ledger.models import Plan, Task, TaskStatus
from duban.lights.models import LightRecord
from duban.lights.services import lights_for
from duban.notify.models import Notification
from duban.reporting.models import (
    Contribution,
    Milestone,
    Period,
    PeriodState,
    Refinement,
    Report,
    ReviewState,
)
from duban.supervision.models import Circular, CircularState, ExtensionRequest, Notice
from tests.support.demo import DemoYear

DEMO_DATE = dt.date(2023, 8, 15)
QUARTER = dt.timedelta(days=92)


def counts() -> dict[str, int]:
    models = [
        get_user_model(),
        Task,
        Refinement,
        Milestone,
        Report,
        Contribution,
        Notice,
        ExtensionRequest,
        Inspection,
        RectificationItem,
        Circular,
        LightRecord,
    ]
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def year(mid_year: DemoYear, db: None, settings: pytest.FixtureRequest) -> str:
    settings.MEDIA_ROOT = mid_year.media  # type: ignore[attr-defined]
    settings.DUBAN_TODAY = DEMO_DATE  # type: ignore[attr-defined]
    return mid_year.printed


def plan() -> Plan:
    return Plan.objects.get()


def test_the_output_says_the_year_was_built(year: str) -> None:
    assert "已生成截至2023年8月15日的演示年度数据" in year
    assert "98项任务" in year


def test_the_lights_are_mostly_green_some_yellow_a_few_red(year: str) -> None:
    lights = lights_for(Task.objects.all(), today=DEMO_DATE)
    colours = Counter(str(light.colour) for light in lights.values())
    assert colours["green"] > len(lights) / 2
    assert colours["yellow"] >= 5 and colours["red"] >= 2
    assert colours["yellow"] > colours["red"]
    assert colours["none"] == 0
    # They were recorded on the demo date, and on the days before.
    recorded = Counter(
        LightRecord.objects.filter(on__lte=DEMO_DATE).values_list("colour", flat=True)
    )
    assert recorded["green"] and recorded["yellow"] and recorded["red"]


def test_nothing_is_overdue_by_more_than_a_quarter(year: str) -> None:
    oldest = DEMO_DATE - QUARTER
    for light in lights_for(Task.objects.all(), today=DEMO_DATE).values():
        for reason in light.reasons:
            if reason.colour == "red" and "days" in reason.params:
                assert reason.params["days"] <= 92, reason
    open_tasks = Task.objects.exclude(status=TaskStatus.DONE)
    assert not open_tasks.filter(deadline__lt=oldest).exists()
    # Every milestone of a counted refinement that fell due is reached (or was extended).
    reached = set(
        Report.milestones_reached.through.objects.exclude(
            report__state=ReviewState.DRAFT
        ).values_list("milestone_id", flat=True)
    )
    committed = Milestone.objects.filter(
        refinement__state__in=(ReviewState.SUBMITTED, ReviewState.ACCEPTED),
        due_on__lt=oldest,
    )
    assert committed.exists()
    assert all(m.pk in reached for m in committed)


def test_q1_reports_for_nearly_all_tasks_q2_for_most(year: str) -> None:
    tasks = Task.objects.count()
    done = (ReviewState.SUBMITTED, ReviewState.ACCEPTED)
    q1 = Report.objects.filter(period__code="2023Q1", state__in=done).count()
    q2 = Report.objects.filter(period__code="2023Q2", state__in=done).count()
    assert q1 >= tasks * 0.95
    assert tasks * 0.75 <= q2 < tasks
    q2_states = Counter(
        Report.objects.filter(period__code="2023Q2").values_list("state", flat=True)
    )
    assert q2_states[ReviewState.RETURNED] and q2_states[ReviewState.DRAFT]
    assert q2_states[ReviewState.SUBMITTED]  # some still wait for the office
    late = Report.objects.filter(days_late__gt=0)
    assert late.filter(period__code="2023Q1").exists() and late.filter(period__code="2023Q2")
    # Returned once, then resubmitted and accepted: the versions keep the story.
    again = Report.objects.filter(state=ReviewState.ACCEPTED, versions__state=ReviewState.RETURNED)
    assert again.exists()
    progress = set(Report.objects.values_list("progress", flat=True))
    assert len(progress) > 20  # varied figures
    texts = set(Report.objects.values_list("progress_text", flat=True))
    assert len(texts) > 150


def test_refinements_approved_for_most_tasks_a_few_returned_or_drafts(year: str) -> None:
    states = Counter(Refinement.objects.values_list("state", flat=True))
    assert states[ReviewState.ACCEPTED] >= 85
    assert states[ReviewState.RETURNED] and states[ReviewState.DRAFT]
    submitted = Refinement.objects.filter(state=ReviewState.ACCEPTED)
    assert all(
        r.submitted_at.date() < dt.date(2023, 3, 1) and r.reviewed_at.date() < dt.date(2023, 3, 1)
        for r in submitted
    )


def test_the_periods_stand_as_the_calendar_has_them(year: str) -> None:
    states = dict(Period.objects.values_list("code", "state"))
    assert states["2023Q1"] == PeriodState.CLOSED
    assert states["2023Q2"] == PeriodState.OPEN
    assert states["2023Q3"] == states["2023Q4"] == states["2023Y"] == PeriodState.PLANNED


def test_contributions_from_responsible_units_and_towns(year: str) -> None:
    units = set(Contribution.objects.values_list("unit__name", flat=True))
    assert {"缑氏镇", "工信局"} <= units
    assert len(units) > 10
    assert Contribution.objects.filter(state=ReviewState.SUBMITTED).count() > 100


def test_notices_in_every_state_and_an_extension(year: str) -> None:
    states = Counter(Notice.objects.values_list("state", flat=True))
    for state in ("issued", "signed", "replied", "accepted", "pressed"):
        assert states[state] >= 1, state
    assert all(states[s] >= 2 for s in ("issued", "signed", "replied", "accepted"))
    assert set(Notice.objects.values_list("level", flat=True)) == {"urge", "supervise", "listed"}
    numbers = list(Notice.objects.order_by("serial").values_list("doc_number", flat=True))
    assert numbers[0] == "偃督办〔2023〕1号"
    assert all(n.issued_at.date() <= DEMO_DATE for n in Notice.objects.all())
    decided = ExtensionRequest.objects.get(state="approved")
    assert decided.milestone is not None and decided.milestone.due_on == decided.requested_due
    assert ExtensionRequest.objects.filter(state="pending").exists()


def test_one_inspection_with_open_and_closed_items_and_the_q1_circular(year: str) -> None:
    inspection = Inspection.objects.get()
    assert inspection.findings.count() >= 3
    states = Counter(RectificationItem.objects.values_list("state", flat=True))
    assert states[ItemState.CLOSED] >= 1
    assert states[ItemState.OPEN] >= 1
    assert sum(n for s, n in states.items() if s != ItemState.CLOSED) >= 2
    circular = Circular.objects.get()
    assert circular.state == CircularState.ISSUED
    assert circular.period.code == "2023Q1"
    assert circular.issued_at.date() == dt.date(2023, 4, 24)


def test_every_demo_account_finds_its_pages_full(year: str) -> None:
    users = get_user_model().objects
    for account in DEMO_ACCOUNTS:
        client = Client()
        client.force_login(users.get(username=account.username))
        response = client.get("/", follow=True)
        assert response.status_code == 200, account.username
    # The lead unit's operator has reports, notices and a returned rectification item.
    fgw = users.get(username="fgw")
    assert Report.objects.filter(submitted_by=fgw).count() >= 10
    assert Notice.objects.filter(unit__name="发改委").exists()
    assert RectificationItem.objects.filter(unit__name="发改委").exists()
    goushi = users.get(username="goushi")
    assert Contribution.objects.filter(submitted_by=goushi).count() >= 10
    # The reminders of the demo date are waiting for them.
    for username in ("office", "fgw"):
        assert Notification.objects.filter(user__username=username).exists(), username


def test_a_second_run_adds_nothing(year: str) -> None:
    before = counts()
    out = io.StringIO()
    call_command("demo", stdout=out, stderr=io.StringIO())
    assert "演示年度数据已存在" in out.getvalue()
    assert counts() == before


def test_the_summary_reports_the_mix(year: str) -> None:
    import json

    out = io.StringIO()
    call_command("summary", "--json", "--as-of", "2023-08-15", stdout=out)
    summary = json.loads(out.getvalue())
    lights = summary["tasks"]["by_light"]
    assert lights["green"] > lights["yellow"] > lights["red"] > 0
    assert summary["reports"]["2023Q1"]["missing"] == 0
    assert summary["notices"]["open"] >= 4
    assert summary["rectification"]["open"] >= 2


def test_every_tasks_history_begins_with_its_import_and_never_after_the_demo_date(
    year: str,
) -> None:
    """The history reads in order: imported on 9 January, then the year's events, none later
    than the demo date (nothing stamped with the real day the demo was built)."""
    task = Task.objects.get(number="1")
    events = list(
        AuditEvent.objects.filter(task_id=task.pk).order_by("at", "pk").values_list("at", "action")
    )
    assert len(events) > 3
    first_day = timezone.localtime(events[0][0]).date()
    assert (first_day, events[0][1]) == (dt.date(2023, 1, 9), AuditAction.CREATE)
    days = {
        timezone.localtime(at).date() for at, _ in AuditEvent.objects.values_list("at", "action")
    }
    late = list(
        AuditEvent.objects.filter(at__date__gt=DEMO_DATE).values_list(
            "object_type", "action", "object_repr"
        )[:20]
    )
    assert min(days) >= dt.date(2023, 1, 1) and max(days) <= DEMO_DATE, late


def test_lights_on_each_due_date_and_completions_with_their_evidence(year: str) -> None:
    """The assessment reads each task's colour per quarter (its last light on or before the
    quarter's due date): every task has one for Q1 and Q2. A task completed early says so
    with its acceptance report attached."""
    tasks = Task.objects.count()
    for due in (dt.date(2023, 3, 31), dt.date(2023, 6, 30)):
        assert LightRecord.objects.filter(on=due).exists()
        seen = LightRecord.objects.filter(on__lte=due).values("task").distinct().count()
        assert seen == tasks, due
    done = Report.objects.filter(period__code="2023Q2", status=TaskStatus.DONE)
    assert done.exists()
    assert all(report.evidence.exists() for report in done)
