"""王强 types the figures of task 1's report in the web form: a figure that is not a plain,
non-negative number is refused with a Chinese message naming the target; a figure more than 3×
its target, or lower than the previous quarter's submitted one, is only saved once he ticks
「我已核实以上数据无误」, and the office then sees what he confirmed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from duban.reporting.models import Report, ReportVersion
from duban.reporting.services import figures, reports
from duban.reporting.services.periods import open_period, period_label
from tests.support.reporting import q1_input, target
from tests.support.world import World

CONFIRM = "我已核实以上数据无误"


def edit_url(world: World, code: str = "2023Q1", number: str = "1") -> str:
    return reverse("reporting:report_edit", args=[world.task(number).pk, world.period(code).pk])


def page_url(world: World, code: str = "2023Q1", number: str = "1") -> str:
    return reverse("reporting:report", args=[world.task(number).pk, world.period(code).pk])


def form(world: World, version: int = 0, **figures_by_label: str) -> dict[str, object]:
    """Task 1's report with the figures given by target label (项目, 年度完成投资, …)."""
    task = world.task("1")
    data: dict[str, object] = {
        "version": version,
        "status": "in_progress",
        "progress": "",
        "progress_text": "一季度开工项目45个，完成投资80亿元。",
        "problems": "",
        "next_steps": "",
    }
    for label, value in figures_by_label.items():
        data[f"target_{target(task, label)}"] = value
    return data


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("1e3", "“1e3”是科学计数法，请直接填写普通数字"),
        ("2E+5", "“2E+5”是科学计数法"),
        ("很多", "“很多”不是数字"),
        ("-5", "-5不能为负数"),
        ("12.345678", "“12.345678”位数过多（最多4位小数，且小于1万亿）"),
    ],
)
def test_a_figure_that_is_not_a_plain_number_is_refused(
    client: Client, world: World, typed: str, says: str
) -> None:
    wang = world.as_unit("发改委", client)
    response = wang.post(edit_url(world), form(world, 项目=typed))
    assert response.status_code == 400
    html = response.content.decode()
    assert f"「项目」：{says}" in html
    assert not Report.objects.exists() and not ReportVersion.objects.exists()


def test_plain_numbers_are_taken(client: Client, world: World) -> None:
    wang = world.as_unit("发改委", client)
    response = wang.post(edit_url(world), form(world, 项目="1,20", 年度完成投资="８０.5"))
    assert response.status_code == 302, response.content.decode()[:2000]
    report = Report.objects.get()
    values = {tv.target.label: tv.value for tv in report.target_values.select_related("target")}
    assert values == {"项目": Decimal("120"), "年度完成投资": Decimal("80.5")}
    assert report.confirmed_warnings == []


def test_more_than_three_times_the_target_needs_confirming(client: Client, world: World) -> None:
    wang = world.as_unit("发改委", client)
    # 项目: the target is 270个; 900 is more than 3× (810). Neither saving nor submitting
    # writes anything without the box ticked: the form comes back with the warning.
    for button in ("save", "submit"):
        response = wang.post(edit_url(world), {**form(world, 项目="900"), button: ""})
        assert response.status_code == 400
        html = response.content.decode()
        assert "「项目」：900个超过目标值270个的3倍，请确认。" in html
        assert CONFIRM in html and 'name="confirm_warnings"' in html
        assert 'value="900"' in html  # what he typed stays
        assert not Report.objects.exists() and not ReportVersion.objects.exists()

    # Exactly 3× is no warning, and the box is not offered.
    response = wang.get(edit_url(world))
    assert 'name="confirm_warnings"' not in response.content.decode()

    # Ticked: saved, and the confirmed warning is kept on the report.
    response = wang.post(edit_url(world), {**form(world, 项目="900"), "confirm_warnings": "on"})
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.target_values.get().value == Decimal("900")
    assert report.confirmed_warning_texts() == ["「项目」：900个超过目标值270个的3倍，请确认。"]

    # Saving again with the same figure is not asked again; a new unusual figure is.
    response = wang.post(edit_url(world), {**form(world, 1, 项目="900"), "submit": ""})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == "submitted" and report.version == 2

    # The office sees what the unit confirmed on the report it reviews.
    html = world.as_office().get(page_url(world)).content.decode()
    assert 'id="confirmed-warnings"' in html
    assert "填报单位已确认以下超常数据无误" in html
    assert "「项目」：900个超过目标值270个的3倍，请确认。" in html
    assert 'id="review"' in html


def test_a_new_unusual_figure_is_asked_again(client: Client, world: World) -> None:
    wang = world.as_unit("发改委", client)
    data = {**form(world, 项目="900"), "confirm_warnings": "on"}
    assert wang.post(edit_url(world), data).status_code == 302
    response = wang.post(edit_url(world), form(world, 1, 项目="1000"))
    assert response.status_code == 400
    assert "「项目」：1000个超过目标值270个的3倍" in response.content.decode()
    report = Report.objects.get()
    assert report.version == 1 and report.target_values.get().value == Decimal("900")


def q1_submitted(world: World, **values: Decimal) -> Report:
    task = world.task("1")
    data = q1_input(target_values={target(task, label): v for label, v in values.items()})
    return reports.save_report(
        task=task, period=world.q1, user=world.fgw, data=data, version=0, submit=True
    )


def test_a_cumulative_figure_lower_than_last_quarters_needs_confirming(
    client: Client, world: World
) -> None:
    q1_submitted(world, 项目=Decimal("100"))
    q2 = world.period("2023Q2")
    open_period(period=q2, user=world.office)
    wang = world.as_unit("发改委", client)
    response = wang.post(edit_url(world, "2023Q2"), form(world, 项目="80"))
    assert response.status_code == 400
    html = response.content.decode()
    expected = (
        f"「项目」：80个低于上季度（{period_label(world.q1)}）报送的100个，"
        "请确认数据是否为全年累计值。"
    )
    assert expected in html and CONFIRM in html
    assert not Report.objects.filter(period=q2).exists()

    # The same or a higher figure is what a year-to-date value does: no question.
    response = wang.post(edit_url(world, "2023Q2"), form(world, 项目="100"))
    assert response.status_code == 302
    # Lower again, confirmed this time.
    data = {**form(world, 1, 项目="80"), "confirm_warnings": "on"}
    assert wang.post(edit_url(world, "2023Q2"), data).status_code == 302
    report = Report.objects.get(period=q2)
    assert report.target_values.get().value == Decimal("80")
    assert report.confirmed_warning_texts() == [expected]


def test_a_draft_of_last_quarter_is_not_compared(client: Client, world: World) -> None:
    task = world.task("1")
    data = q1_input(target_values={target(task, "项目"): Decimal("100")})
    reports.save_report(task=task, period=world.q1, user=world.fgw, data=data, version=0)
    q2 = world.period("2023Q2")
    open_period(period=q2, user=world.office)
    wang = world.as_unit("发改委", client)
    assert wang.post(edit_url(world, "2023Q2"), form(world, 项目="80")).status_code == 302


def test_the_service_refuses_what_the_form_refuses(world: World) -> None:
    """The console and imports call save_report directly: the same rule applies there."""
    task = world.task("1")
    negative = q1_input(target_values={target(task, "项目"): Decimal("-1")})
    with pytest.raises(reports.FiguresRejected) as refused:
        reports.save_report(task=task, period=world.q1, user=None, data=negative, version=0)
    assert "「项目」：-1不能为负数。" in str(refused.value)
    big = q1_input(target_values={target(task, "项目"): Decimal("811")})
    with pytest.raises(reports.FiguresUnconfirmed) as unconfirmed:
        reports.save_report(task=task, period=world.q1, user=None, data=big, version=0)
    assert [note.target_id for note in unconfirmed.value.notes] == [target(task, "项目")]
    assert not Report.objects.exists()
    big.confirmed = True
    report = reports.save_report(task=task, period=world.q1, user=None, data=big, version=0)
    assert report.confirmed_warnings[0]["target"] == target(task, "项目")


# --- The arithmetic (duban.reporting.services.figures, no database) ---------------------------


def goal(op: str = "=", value: str = "10", **kw: object) -> figures.Goal:
    return figures.Goal(label="指标", unit="个", op=op, value=Decimal(value), **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("12", Decimal("12")),
        (" 1,234.5 ", Decimal("1234.5")),
        ("１２", Decimal("12")),
        (0.30000000000000004, Decimal("0.3")),
        (1000.0, Decimal("1000")),
        (7, Decimal("7")),
        ("-0", Decimal("0")),
        ("", None),
        (None, None),
    ],
)
def test_read_figure_takes_plain_numbers(typed: object, read: Decimal | None) -> None:
    assert figures.read_figure(typed, "指标") == read


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1e3", figures.EXPONENT),
        ("2E+5", figures.EXPONENT),
        ("1.5e-2", figures.EXPONENT),
        ("１ｅ３", figures.EXPONENT),
        ("abc", figures.NOT_A_NUMBER),
        ("1.2.3", figures.NOT_A_NUMBER),
        (True, figures.NOT_A_NUMBER),
        (float("nan"), figures.NOT_A_NUMBER),
        ("-3", figures.NEGATIVE),
        (-0.5, figures.NEGATIVE),
        ("1000000000000", figures.TOO_MANY_DIGITS),
        ("0.00001", figures.TOO_MANY_DIGITS),
    ],
)
def test_read_figure_refuses(typed: object, message: str) -> None:
    with pytest.raises(figures.FigureError) as refused:
        figures.read_figure(typed, "指标")
    assert refused.value.message == message and refused.value.params["target"] == "指标"


def test_check_figure_warnings() -> None:
    assert figures.check_figure(goal(), Decimal(30)) == []  # exactly 3×
    [over] = figures.check_figure(goal(), Decimal("30.01"))
    assert over.message == figures.OVER_TARGET and over.warning
    # A range is measured against its upper end; a zero target has no multiple.
    assert figures.check_figure(goal("range", "1", value_max=Decimal(2)), Decimal(6)) == []
    assert figures.check_figure(goal(value="0"), Decimal(100)) == []
    # Lower than last quarter: a warning for a cumulative target, not for a ceiling (<=).
    below = figures.check_figure(goal(previous=Decimal(5), previous_period="Q1"), Decimal(4))
    assert [f.message for f in below] == [figures.BELOW_PREVIOUS]
    assert figures.check_figure(goal("<=", "40", previous=Decimal(30)), Decimal(20)) == []
    assert figures.check_figure(goal(">=", previous=Decimal(5)), Decimal(5)) == []
    [negative] = figures.check_figure(goal(), Decimal(-1))
    assert not negative.warning
