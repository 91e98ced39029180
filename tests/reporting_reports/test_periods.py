"""刘芳 of the office sets up the year's reporting periods, edits their dates, opens and closes
them; nobody else may."""

from __future__ import annotations

import re
from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from duban.reporting.forms.reports import StandardPeriodsForm
from duban.reporting.models import Period, PeriodKind, PeriodState
from duban.reporting.services import periods
from tests.support.world import World, signed_in


def test_the_standard_dates() -> None:
    specs = {spec.code: spec for spec in periods.standard_periods(2023)}
    assert list(specs) == ["2023Q1", "2023Q2", "2023Q3", "2023Q4", "2023Y"]
    assert [(s.opens_on, s.due_on) for s in specs.values()] == [
        (date(2023, 3, 1), date(2023, 3, 31)),
        (date(2023, 6, 1), date(2023, 6, 30)),
        (date(2023, 9, 1), date(2023, 9, 30)),
        (date(2023, 12, 1), date(2023, 12, 31)),
        (date(2023, 12, 1), date(2023, 12, 31)),
    ]
    assert specs["2023Y"].kind == PeriodKind.YEAR_END and specs["2023Y"].quarter is None
    leap = {spec.code: spec for spec in periods.standard_periods(2024)}
    assert leap["2024Q1"].due_on == date(2024, 3, 31)
    assert periods.quarter_end(2024, 1) == date(2024, 3, 31)
    # The year-end report may be due earlier (or in January of the next year).
    early = periods.standard_periods(2023, year_end_due=date(2023, 12, 20))[-1]
    assert (early.opens_on, early.due_on) == (date(2023, 12, 1), date(2023, 12, 20))
    late = periods.standard_periods(2023, year_end_due=date(2024, 1, 10))[-1]
    assert late.due_on == date(2024, 1, 10)


def test_the_office_creates_edits_opens_and_closes(client: Client, world: World) -> None:
    plan = world.plan
    Period.objects.filter(plan=plan).delete()
    office = world.as_office(client)
    page = reverse("reporting:periods")
    assert office.get(page).status_code == 200

    response = office.post(
        reverse("reporting:periods_create"), {"plan": plan.pk, "year_end_due": "2023-12-25"}
    )
    assert response.status_code == 302
    found = {p.code: p for p in Period.objects.filter(plan=plan)}
    assert found["2023Y"].due_on == date(2023, 12, 25)
    assert all(p.state == PeriodState.PLANNED for p in found.values())
    # Creating again adds nothing.
    office.post(reverse("reporting:periods_create"), {"plan": plan.pk})
    assert Period.objects.filter(plan=plan).count() == 5

    q2 = found["2023Q2"]
    edit = reverse("reporting:period_edit", args=[q2.pk])
    assert office.post(edit, {"opens_on": "2023-07-05", "due_on": "2023-07-01"}).status_code == 400
    assert office.post(edit, {"opens_on": "2023-06-15", "due_on": "2023-07-05"}).status_code == 302
    q2.refresh_from_db()
    assert (q2.opens_on, q2.due_on) == (date(2023, 6, 15), date(2023, 7, 5))

    assert office.post(reverse("reporting:period_open", args=[q2.pk])).status_code == 302
    q2.refresh_from_db()
    assert q2.state == PeriodState.OPEN and q2.opened_at is not None
    html = office.get(page).content.decode()
    assert 'data-period="2023Q2"' in html
    assert office.post(reverse("reporting:period_close", args=[q2.pk])).status_code == 302
    q2.refresh_from_db()
    assert q2.state == PeriodState.CLOSED and q2.closed_at is not None
    # Reopened by the office when it extends the deadline.
    periods.open_period(period=q2, user=world.office)
    assert Period.objects.get(pk=q2.pk).state == PeriodState.OPEN
    with pytest.raises(periods.PeriodError):
        periods.open_period(period=q2, user=world.office)


def test_only_the_office_manages_periods(world: World) -> None:
    q1 = world.q1
    for user in (world.fgw, world.zhulei, world.gongxin):
        visitor = signed_in(Client(), user)
        assert visitor.get(reverse("reporting:periods")).status_code == 403
        assert visitor.post(reverse("reporting:period_close", args=[q1.pk])).status_code == 403
        assert visitor.get(reverse("reporting:period_edit", args=[q1.pk])).status_code == 403
        with pytest.raises(PermissionDenied):
            periods.close_period(period=q1, user=user)
    assert Period.objects.get(pk=q1.pk).state == PeriodState.OPEN
    # Everyone who sees tasks sees the period's list of reports (their tasks only).
    wang = world.as_unit("发改委")
    html = wang.get(reverse("reporting:period_reports", args=[q1.pk])).content.decode()
    assert 'data-task="1"' in html and 'data-task="5"' not in html
    assert reverse("reporting:report_template", args=[q1.pk]) in html


def test_the_periods_command(world: World) -> None:
    out = StringIO()
    call_command("periods", "close", "2023Q1", stdout=out)
    assert Period.objects.get(code="2023Q1").state == PeriodState.CLOSED
    call_command("periods", "open", "2023Q2", stdout=out)
    call_command("periods", "list", "--year", "2023", stdout=out)
    assert "2023Q2" in out.getvalue() and "2023年6月30日" in out.getvalue()
    with pytest.raises(CommandError) as refused:
        call_command("periods", "close", "2023Q3", stdout=out)
    assert refused.value.returncode == 2
    with pytest.raises(CommandError):
        call_command("periods", "open", "2099Q1", stdout=out)


def test_the_edit_page_shows_iso_dates_and_saves(client: Client, world: World) -> None:
    """<input type="date"> accepts only ISO values: a localized value (2023/03/31, 2023年3月31日)
    leaves the browser's fields empty and the save fails."""
    q1 = world.q1
    office = world.as_office(client)
    edit = reverse("reporting:period_edit", args=[q1.pk])
    html = office.get(edit).content.decode()
    assert re.search(r'<input type="date" name="opens_on" value="2023-03-01"', html)
    assert re.search(r'<input type="date" name="due_on" value="2023-03-31"', html)
    assert "2023年第1季度报送时间" in html

    response = office.post(edit, {"opens_on": "2023-03-02", "due_on": "2023-04-03"}, follow=True)
    html = response.content.decode()
    assert "2023年第1季度已保存。" in html and "2023Q1" not in _messages(html)
    q1.refresh_from_db()
    assert (q1.opens_on, q1.due_on) == (date(2023, 3, 2), date(2023, 4, 3))
    # Saved again, the page shows the new dates as the browser needs them.
    html = office.get(edit).content.decode()
    assert 'name="due_on" value="2023-04-03"' in html

    # A bad date: a Chinese error, the value kept for correction, nothing changed.
    for bad in (
        {"opens_on": "2023-02-30", "due_on": "2023-04-03"},
        {"opens_on": "", "due_on": "2023-04-03"},
        {"opens_on": "2023-05-01", "due_on": "2023-04-03"},
    ):
        response = office.post(edit, bad)
        assert response.status_code == 400
        errors = re.findall(r'<p class="errors" role="alert">(.*?)</p>', response.content.decode())
        assert errors and all(re.search(r"[\u4e00-\u9fff]", e) for e in errors), errors
        assert not any(re.search(r"[A-Za-z]{3,}", e) for e in errors), errors
        q1.refresh_from_db()
        assert (q1.opens_on, q1.due_on) == (date(2023, 3, 2), date(2023, 4, 3))

    # Opening and closing name the period in Chinese too.
    html = office.post(reverse("reporting:period_close", args=[q1.pk]), follow=True)
    assert "2023年第1季度已关闭。" in html.content.decode()


def test_the_standard_periods_form_takes_an_iso_date() -> None:
    form = StandardPeriodsForm(initial={"year_end_due": date(2023, 12, 25)})
    assert 'value="2023-12-25"' in str(form["year_end_due"])


def _messages(html: str) -> str:
    return " ".join(re.findall(r'class="message [^"]*">(.*?)<', html))
