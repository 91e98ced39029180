"""DUBAN_TODAY pins the date duban takes for today: the clock, the banner, the check, and the
lights, lateness and reminders that follow it exactly as they follow the real date."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, time
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings
from django.utils import timezone

from duban.audit.models import AuditEvent
from duban.core import clock
from duban.env import env_date
from duban.lights.rules import Colour
from duban.lights.services import light_for, set_override
from duban.notify.models import NotificationItem
from duban.notify.reminders import compute
from duban.reporting.services import reports
from tests.support.clock import SHANGHAI, at
from tests.support.world import World

BANNER = "演示环境：系统日期为2023年8月15日"
AUGUST_15 = date(2023, 8, 15)


# --- the clock ------------------------------------------------------------------------------


def test_unset_the_clock_is_the_real_local_date_and_time() -> None:
    with override_settings(DUBAN_TODAY=None), at(2025, 1, 2):
        assert clock.pinned_date() is None
        assert clock.today() == date(2025, 1, 2)
        assert clock.now() == timezone.now()


def test_duban_today_pins_the_date_and_the_time_of_day_runs_on() -> None:
    real = datetime(2025, 1, 2, 14, 30, tzinfo=SHANGHAI)
    with override_settings(DUBAN_TODAY=AUGUST_15), time_machine.travel(real, tick=False):
        assert clock.pinned_date() == AUGUST_15
        assert clock.today() == AUGUST_15
        now = timezone.localtime(clock.now())
        assert timezone.is_aware(now)
        assert (now.date(), now.time()) == (AUGUST_15, time(14, 30))


def test_pinned_wins_for_its_block_then_the_setting_again() -> None:
    with override_settings(DUBAN_TODAY=AUGUST_15):
        with clock.pinned(date(2023, 4, 5)):
            assert clock.today() == date(2023, 4, 5)
            assert timezone.localtime(clock.now()).time() == time(9, 0)
        assert clock.today() == AUGUST_15


def test_a_date_that_does_not_exist_is_refused_naming_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ImproperlyConfigured, match="DUBAN_TODAY='2023-13-01' is not a date"):
        env_date("DUBAN_TODAY", environ={"DUBAN_TODAY": "2023-13-01"})
    assert env_date("DUBAN_TODAY", environ={"DUBAN_TODAY": " "}) is None
    assert env_date("DUBAN_TODAY", environ={"DUBAN_TODAY": "2023-08-15"}) == AUGUST_15
    result = _duban_check(tmp_path, "2023-13-01")
    assert result.returncode == 1
    assert "DUBAN_TODAY='2023-13-01' is not a date" in result.stderr


# --- `duban check` ----------------------------------------------------------------------------


def _duban_check(tmp_path: Path, today: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DUBAN_TODAY"}
    env["DUBAN_DATA_DIR"] = str(tmp_path)
    if today is not None:
        env["DUBAN_TODAY"] = today
    return subprocess.run(
        [sys.executable, "-m", "duban", "check"], env=env, capture_output=True, text=True
    )


def test_duban_check_warns_when_the_date_is_pinned(tmp_path: Path) -> None:
    result = _duban_check(tmp_path, "2023-08-15")
    assert result.returncode == 0, result.stderr
    assert "(duban.W001)" in result.stderr
    assert (
        "DUBAN_TODAY 已设置为 2023-08-15：系统日期被固定，仅用于培训和演示；生产环境请删除此变量。"
        in result.stderr
    )


def test_duban_check_is_quiet_in_production(tmp_path: Path) -> None:
    result = _duban_check(tmp_path, None)
    assert result.returncode == 0, result.stderr
    assert "duban.W001" not in result.stdout + result.stderr
    assert "no issues" in result.stdout


# --- the banner -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_page_says_the_date_is_pinned(world: World, client: Client) -> None:
    with override_settings(DUBAN_TODAY=AUGUST_15):
        sign_in_page = client.get("/accounts/login/").content.decode()
        assert BANNER in sign_in_page
        office = world.as_office()
        for url in ("/", "/ledger/tasks/", f"/ledger/tasks/{world.task('1').pk}/"):
            page = office.get(url).content.decode()
            assert 'class="demo-clock" role="status"' in page, url
            assert BANNER in page, url
        office.cookies["django_language"] = "en"
        english = office.get("/").content.decode()
        assert "Demonstration: the system date is 2023年8月15日" in english


@pytest.mark.django_db
def test_no_banner_in_production(world: World, client: Client) -> None:
    with override_settings(DUBAN_TODAY=None):
        for page in (client.get("/accounts/login/"), world.as_office().get("/")):
            text = page.content.decode()
            assert "demo-clock" not in text and "演示环境" not in text


# --- what follows the pinned date: as time_machine at that date -----------------------------


@pytest.mark.django_db
def test_task_1_is_red_on_5_april_pinned_as_on_the_real_day(world: World) -> None:
    with override_settings(DUBAN_TODAY=None), at(2023, 4, 5):
        travelled = light_for(world.task("1"))
    with override_settings(DUBAN_TODAY=date(2023, 4, 5)):
        pinned = light_for(world.task("1"))
    # Before 31 March the same task is not red: the light reads the pinned date, not the real one.
    with override_settings(DUBAN_TODAY=None), at(2023, 3, 1):
        travelled_earlier = light_for(world.task("1"))
    with override_settings(DUBAN_TODAY=date(2023, 3, 1)):
        earlier = light_for(world.task("1"))
    assert travelled.colour == Colour.RED
    assert (pinned.colour, pinned.computed, pinned.reasons) == (
        travelled.colour,
        travelled.computed,
        travelled.reasons,
    )
    assert earlier.colour == travelled_earlier.colour != Colour.RED


@pytest.mark.django_db
def test_the_task_page_shows_the_pinned_days_light(world: World) -> None:
    with override_settings(DUBAN_TODAY=date(2023, 4, 5)):
        page = world.as_office().get(f"/ledger/tasks/{world.task('1').pk}/").content.decode()
    assert "演示环境：系统日期为2023年4月5日" in page
    assert 'data-light="red"' in page
    with override_settings(DUBAN_TODAY=None), at(2023, 3, 1):
        colour = light_for(world.task("1")).colour
    with override_settings(DUBAN_TODAY=date(2023, 3, 1)):
        page = world.as_office().get(f"/ledger/tasks/{world.task('1').pk}/").content.decode()
    assert colour != Colour.RED
    assert f'data-light="{colour}"' in page and 'data-light="red"' not in page


@pytest.mark.django_db
def test_a_report_submitted_on_the_pinned_day_is_late_by_that_day(world: World) -> None:
    with override_settings(DUBAN_TODAY=date(2023, 4, 5)):
        report = reports.save_report(
            task=world.task("1"),
            period=world.q1,
            user=world.fgw,
            data=reports.ReportInput(progress=30, progress_text="一季度推进情况。"),
            version=0,
            submit=True,
        )
    report.refresh_from_db()
    assert report.days_late == 5  # due 31 March
    assert report.submitted_at is not None
    assert timezone.localtime(report.submitted_at).date() == date(2023, 4, 5)
    # Its history is dated that day too: the versions, the audit trail, the notifications.
    day = date(2023, 4, 5)
    assert {timezone.localtime(v.created_at).date() for v in report.versions.all()} == {day}
    events = AuditEvent.objects.filter(object_type="reporting.report", object_id=str(report.pk))
    assert events and {timezone.localtime(e.at).date() for e in events} == {day}
    told = NotificationItem.objects.filter(kind="report_submitted")
    assert told and {timezone.localtime(i.created_at).date() for i in told} == {day}


@pytest.mark.django_db
def test_an_override_is_stamped_with_the_pinned_day(world: World) -> None:
    with override_settings(DUBAN_TODAY=date(2023, 6, 1)):
        first = set_override(world.office, world.task("1"), Colour.RED, "征地受阻。")
    with override_settings(DUBAN_TODAY=date(2023, 7, 3)):
        again = set_override(world.office, world.task("1"), Colour.YELLOW, "已部分解决。")
    assert timezone.localtime(first.set_at).date() == date(2023, 6, 1)
    assert again.pk == first.pk and timezone.localtime(again.set_at).date() == date(2023, 7, 3)


@pytest.mark.django_db
def test_reminders_are_those_of_the_pinned_day(world: World) -> None:
    # Three days before 2023Q1 is due (31 March): reminded that it is due, nothing overdue yet.
    with override_settings(DUBAN_TODAY=date(2023, 3, 28)):
        pinned = compute()
        asked_for = compute(date(2023, 4, 2))  # `duban remind --date` still names any day
    with override_settings(DUBAN_TODAY=None), at(2023, 3, 28):
        travelled = compute()
    assert sorted(r.key for r in pinned) == sorted(r.key for r in travelled)
    fgw = {r.kind for r in pinned if r.user == world.fgw}
    assert "report_due" in fgw and "report_overdue" not in fgw
    assert "report_overdue" in {r.kind for r in asked_for if r.user == world.fgw}
