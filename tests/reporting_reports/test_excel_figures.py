"""The Excel import checks the figures by the web form's rule: a value that is not a plain,
non-negative number is refused naming its row and column; a value more than 3× its target or
lower than last quarter's submitted one is refused unless 「已核实超常数据」 (--confirm-warnings)
accepts it; uploading the same workbook twice writes no new version."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from duban.directory.models import Unit
from duban.reporting.models import Period, Report, ReportVersion
from duban.reporting.services import reports
from duban.reporting.services.periods import open_period, period_label
from duban.reporting.services.report_import import ImportRejected, import_reports
from duban.reporting.services.report_template import report_template
from tests.support.excel import fill, header, load, row_of, save
from tests.support.reporting import q1_input, target
from tests.support.world import World

OVER = "「项目」：900个超过目标值270个的3倍，请确认。"
HINT = "如数据无误，请勾选“已核实超常数据”（命令行加 --confirm-warnings）后重新上传。"


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(message)


def at(row: int) -> str:
    """「指标数值」表第N行「本期数值」列：, where a target's value is refused."""
    params = {
        "row": row,
        "column": zh("Value this period"),
        "sheet": zh("Target values"),
        "error": "",
    }
    return zh("Sheet “%(sheet)s”, row %(row)s, column “%(column)s”: %(error)s") % params


def target_row(sheet: Any, number: str, label: str) -> int:
    columns = header(sheet)
    for cells in sheet.iter_rows(min_row=4):
        measure = sheet.cell(row=cells[0].row, column=columns[zh("Measure")]).value
        if str(cells[0].value) == number and measure == label:
            return int(cells[0].row)
    raise LookupError(label)


def workbook(
    world: World, period: Period | None = None, *, text: str = "开工项目持续推进。", **values: Any
) -> tuple[bytes, dict[str, int]]:
    """发改委's template for ``period`` (Q1), task 1 filled with ``values`` by target label
    (and task 75 done); also the row of each target of task 1 on the second sheet."""
    content, _name = report_template(
        period=period or world.q1, unit=Unit.objects.get(name="发改委"), user=world.office
    )
    book = load(content)
    sheet, targets = book.worksheets[0], book.worksheets[1]
    fill(
        sheet,
        row_of(sheet, "1"),
        **{zh("Status"): zh("In progress"), zh("Progress made"): text},
    )
    fill(
        sheet,
        row_of(sheet, "75"),
        **{zh("Status"): zh("Completed"), zh("Progress made"): "已创建绿色工厂3家。"},
    )
    rows = {label: target_row(targets, "1", label) for label in ("项目", "年度完成投资")}
    for label, value in values.items():
        if isinstance(value, tuple):  # (value, number format)
            cell = targets.cell(row=rows[label], column=header(targets)[zh("Value this period")])
            cell.value, cell.number_format = value
        else:
            fill(targets, rows[label], **{zh("Value this period"): value})
    return save(book), rows


def refused(world: World, data: bytes, period: Period | None = None) -> list[str]:
    with pytest.raises(ImportRejected) as rejected:
        import_reports(data=data, filename="x.xlsx", period=period or world.q1, user=world.fgw)
    return rejected.value.problems


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("1e3", "「项目」：“1e3”是科学计数法，请直接填写普通数字。"),
        ("2E+5", "「项目」：“2E+5”是科学计数法，请直接填写普通数字。"),
        ((1000, "0.00E+00"), "「项目」：“1.00E+03”是科学计数法，请直接填写普通数字。"),
        ("很多", "「项目」：“很多”不是数字。"),
        (-5, "「项目」：-5不能为负数。"),
        ("-5", "「项目」：-5不能为负数。"),
    ],
    ids=["1e3", "2E+5", "scientific-cell", "words", "negative", "negative-text"],
)
def test_a_value_that_is_not_a_plain_number_is_refused(world: World, value: Any, says: str) -> None:
    data, rows = workbook(world, 项目=value, 年度完成投资=80)
    # Refused even with the warnings confirmed: these are errors.
    with pytest.raises(ImportRejected) as rejected:
        import_reports(
            data=data, filename="x.xlsx", period=world.q1, user=world.fgw, confirm_warnings=True
        )
    assert rejected.value.problems == [at(rows["项目"]) + says]
    assert not Report.objects.exists() and not ReportVersion.objects.exists()


def test_more_than_three_times_the_target_needs_confirming(client: Client, world: World) -> None:
    data, rows = workbook(world, 项目=900, 年度完成投资=80)
    assert refused(world, data) == [at(rows["项目"]) + OVER, HINT]
    assert not Report.objects.exists()

    imported = import_reports(
        data=data, filename="x.xlsx", period=world.q1, user=world.fgw, confirm_warnings=True
    )
    assert [item.task.number for item in imported] == ["1", "75"]
    report = Report.objects.get(task=world.task("1"))
    assert report.target_values.get(target_id=target(world.task("1"), "项目")).value == 900
    assert report.confirmed_warning_texts() == [OVER]
    # The office reviewing the submitted report sees what the unit confirmed.
    reports.submit_report(report=report, user=world.fgw)
    url = reverse("reporting:report", args=[world.task("1").pk, world.q1.pk])
    html = world.as_office(client).get(url).content.decode()
    assert "填报单位已确认以下超常数据无误" in html and OVER in html


def test_a_cumulative_value_lower_than_last_quarters_needs_confirming(world: World) -> None:
    task = world.task("1")
    data = q1_input(target_values={target(task, "项目"): Decimal("100")})
    reports.save_report(
        task=task, period=world.q1, user=world.fgw, data=data, version=0, submit=True
    )
    q2 = world.period("2023Q2")
    open_period(period=q2, user=world.office)
    workbook_data, rows = workbook(world, q2, 项目=80)
    lower = (
        f"「项目」：80个低于上季度（{period_label(world.q1)}）报送的100个，"
        "请确认数据是否为全年累计值。"
    )
    assert refused(world, workbook_data, q2) == [at(rows["项目"]) + lower, HINT]
    assert not Report.objects.filter(period=q2).exists()
    import_reports(
        data=workbook_data, filename="x.xlsx", period=q2, user=world.fgw, confirm_warnings=True
    )
    assert Report.objects.get(task=task, period=q2).confirmed_warning_texts() == [lower]


def test_the_import_page_has_the_box(client: Client, world: World) -> None:
    wang = world.as_unit("发改委", client)
    page = reverse("reporting:report_import", args=[world.q1.pk])
    assert "已核实超常数据" in wang.get(page).content.decode()
    data, rows = workbook(world, 项目=900)
    response = wang.post(page, {"file": SimpleUploadedFile("一季度.xlsx", data)})
    assert response.status_code == 400
    html = response.content.decode()
    assert at(rows["项目"]) + OVER in html and HINT in html
    assert not Report.objects.exists()
    response = wang.post(
        page, {"file": SimpleUploadedFile("一季度.xlsx", data), "confirm_warnings": "on"}
    )
    assert response.status_code == 302
    assert Report.objects.get(task=world.task("1")).confirmed_warning_texts() == [OVER]


def test_the_command_confirms_with_a_flag(world: World, tmp_path: Path) -> None:
    data, _rows = workbook(world, 项目=900)
    path = tmp_path / "发改委.xlsx"
    path.write_bytes(data)
    with pytest.raises(CommandError) as failed:
        call_command("reports", "import", str(path), "--period", "2023Q1", "--user", "fgw")
    assert OVER in str(failed.value) and "--confirm-warnings" in str(failed.value)
    assert not Report.objects.exists()
    call_command(
        "reports", "import", str(path), "--period", "2023Q1", "--user", "fgw", "--confirm-warnings"
    )
    assert Report.objects.get(task=world.task("1")).confirmed_warning_texts() == [OVER]


def test_uploading_the_same_workbook_again_writes_nothing(client: Client, world: World) -> None:
    wang = world.as_unit("发改委", client)
    page = reverse("reporting:report_import", args=[world.q1.pk])
    data, _rows = workbook(world, 项目=45, 年度完成投资=80.5)
    assert wang.post(page, {"file": SimpleUploadedFile("a.xlsx", data)}).status_code == 302
    assert ReportVersion.objects.count() == 2
    before = {r.pk: (r.version, r.progress_text) for r in Report.objects.all()}

    response = wang.post(page, {"file": SimpleUploadedFile("a.xlsx", data)}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "未变化：任务1、75的报告与已保存的一致，未写入新版本。" in html
    assert ReportVersion.objects.count() == 2
    assert {r.pk: (r.version, r.progress_text) for r in Report.objects.all()} == before

    # One row changed: that report gets a new version, the other stays as it is.
    changed, _rows = workbook(world, text="二季度开工项目60个。", 项目=45, 年度完成投资=80.5)
    imported = import_reports(data=changed, filename="b.xlsx", period=world.q1, user=world.fgw)
    assert [(i.task.number, i.changed) for i in imported] == [("1", True), ("75", False)]
    assert ReportVersion.objects.count() == 3
    task1 = Report.objects.get(task=world.task("1"))
    assert (task1.version, task1.progress_text) == (2, "二季度开工项目60个。")
    assert Report.objects.get(task=world.task("75")).version == 1

    # A changed figure is a change too.
    figure, _rows = workbook(world, text="二季度开工项目60个。", 项目=46, 年度完成投资=80.5)
    imported = import_reports(data=figure, filename="c.xlsx", period=world.q1, user=world.fgw)
    assert [(i.task.number, i.changed) for i in imported] == [("1", True), ("75", False)]
    assert ReportVersion.objects.count() == 4


def test_the_command_says_what_was_unchanged(world: World, tmp_path: Path) -> None:
    data, _rows = workbook(world, 项目=45)
    path = tmp_path / "发改委.xlsx"
    path.write_bytes(data)
    call_command("reports", "import", str(path), "--period", "2023Q1", "--user", "fgw")
    out = StringIO()
    call_command("reports", "import", str(path), "--period", "2023Q1", "--user", "fgw", stdout=out)
    assert "未变化：任务1、75" in out.getvalue()
    assert ReportVersion.objects.count() == 2
