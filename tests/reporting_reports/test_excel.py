"""The Excel round trip: 刘芳 of the office downloads 发改委's Q1 template, 王强 fills it in and
uploads it; a workbook with one bad cell writes nothing and says which row and column."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from duban.cli import main
from duban.directory.models import Unit
from duban.reporting.models import Report, ReportVersion, ReviewState
from duban.reporting.services import reports
from duban.reporting.services.report_import import ImportRejected, import_reports
from duban.reporting.services.report_template import report_template, sign
from tests.support.excel import fill, header, load, row_of, save
from tests.support.world import World

FGW_TASKS = ["1", "2", "3", "4", "30", "62", "66", "75"]


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(message)


def at(row: int, column: str = "", sheet: str = "") -> str:
    """How a problem's sentence starts: 第5行「完成进度%」列：, 「指标数值」表第3行：…"""
    params = {"row": row, "column": column, "sheet": sheet, "error": ""}
    if sheet:
        message = (
            "Sheet “%(sheet)s”, row %(row)s, column “%(column)s”: %(error)s"
            if column
            else "Sheet “%(sheet)s”, row %(row)s: %(error)s"
        )
    else:
        message = (
            "Row %(row)s, column “%(column)s”: %(error)s" if column else "Row %(row)s: %(error)s"
        )
    return zh(message) % params


def template(world: World) -> bytes:
    content, _name = report_template(
        period=world.q1, unit=Unit.objects.get(name="发改委"), user=world.office
    )
    return content


def filled(world: World) -> bytes:
    """王强's answers: task 1 with two target values, task 75 done; the rest left empty."""
    book = load(template(world))
    reports_sheet, targets_sheet = book.worksheets[0], book.worksheets[1]
    fill(
        reports_sheet,
        row_of(reports_sheet, "1"),
        **{
            zh("Status"): zh("In progress"),
            zh("Progress %"): 30,
            zh("Progress made"): "一季度开工项目45个，完成投资80亿元。",
            zh("Problems"): "用地报批较慢。",
            zh("Next steps"): "二季度集中开工。",
        },
    )
    fill(
        reports_sheet,
        row_of(reports_sheet, "75"),
        **{
            zh("Status"): zh("Completed"),
            zh("Progress %"): 100,
            zh("Progress made"): "已创建绿色工厂3家。",
        },
    )
    value = zh("Value this period")
    first = row_of(targets_sheet, "1")  # 台账化推进总投资, 项目, 年度完成投资
    fill(targets_sheet, first + 1, **{value: 45})
    fill(targets_sheet, first + 2, **{value: 80.5})
    fill(targets_sheet, row_of(targets_sheet, "75"), **{value: 3})
    return save(book)


def test_the_template_lists_the_units_lead_tasks(client: Client, world: World) -> None:
    office = world.as_office(client)
    fgw = Unit.objects.get(name="发改委")
    url = reverse("reporting:report_template", args=[world.q1.pk])
    response = office.get(url, {"unit": fgw.pk})
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    book = load(response.content)
    reports_sheet, targets_sheet = book.worksheets[0], book.worksheets[1]
    columns = header(reports_sheet)
    assert list(columns)[:7] == [
        zh("No."),
        zh("Key task"),
        zh("Status"),
        zh("Progress %"),
        zh("Progress made"),
        zh("Problems"),
        zh("Next steps"),
    ]
    numbers = [str(row[0].value) for row in reports_sheet.iter_rows(min_row=4)]
    assert numbers == FGW_TASKS
    token_column = reports_sheet.cell(row=3, column=8).column_letter
    assert reports_sheet.column_dimensions[token_column].hidden
    assert reports_sheet.protection.sheet
    [status_rule] = [
        dv for dv in reports_sheet.data_validations.dataValidation if dv.type == "list"
    ]
    assert status_rule.formula1 == '"{}"'.format(
        ",".join(zh(s) for s in ("Not started", "In progress", "Completed", "Lagging"))
    )
    # One row per target of 发改委's tasks: three for task 1, one each for 2, 3, 30, 75.
    assert [str(row[0].value) for row in targets_sheet.iter_rows(min_row=4)] == [
        "1",
        "1",
        "1",
        "2",
        "3",
        "30",
        "75",
    ]
    assert book["duban"].sheet_state == "veryHidden"
    # Excel itself refuses a negative figure, as the import and the web form do.
    [value_rule] = targets_sheet.data_validations.dataValidation
    assert (value_rule.type, value_rule.operator, value_rule.formula1) == (
        "decimal",
        "greaterThanOrEqual",
        "0",
    )
    assert value_rule.error == zh("A number, zero or more.")

    # 王强 may download his own unit's template, not 工信局's; 孙浩 not 发改委's.
    assert world.as_unit("发改委").get(url).status_code == 200
    gxj = Unit.objects.get(name="工信局")
    assert world.as_unit("发改委").get(url, {"unit": gxj.pk}).status_code == 403
    assert world.as_unit("工信局").get(url, {"unit": fgw.pk}).status_code == 403


def test_round_trip_writes_drafts_with_the_values(client: Client, world: World) -> None:
    wang = world.as_unit("发改委", client)
    page = reverse("reporting:report_import", args=[world.q1.pk])
    assert wang.get(page).status_code == 200
    data = filled(world)
    response = wang.post(page, {"file": _file("发改委一季度.xlsx", data)})
    assert response.status_code == 302, response.content.decode()[:3000]

    task1, task75 = world.task("1"), world.task("75")
    assert set(Report.objects.values_list("task__number", flat=True)) == {"1", "75"}
    report = Report.objects.get(task=task1)
    assert report.state == ReviewState.DRAFT and report.submitted_at is None
    assert (report.status, report.progress, report.problems) == (
        "in_progress",
        30,
        "用地报批较慢。",
    )
    values = {tv.target.label: tv.value for tv in report.target_values.select_related("target")}
    assert values == {"项目": Decimal("45"), "年度完成投资": Decimal("80.5")}
    done = Report.objects.get(task=task75)
    assert (done.status, done.progress) == ("done", 100)
    version = ReportVersion.objects.get(report=report)
    assert version.created_by == world.fgw and version.data["source"] == "excel:发改委一季度.xlsx"

    # The next template carries the drafts; importing it again changes nothing and writes no
    # new version: every row is 未变化.
    again = load(template(world))
    sheet = again.worksheets[0]
    assert (
        sheet.cell(row=row_of(sheet, "1"), column=header(sheet)[zh("Problems")]).value
        == "用地报批较慢。"
    )
    imported = import_reports(
        data=save(again), filename="again.xlsx", period=world.q1, user=world.fgw
    )
    assert [(item.task.number, item.changed) for item in imported] == [("1", False), ("75", False)]
    report.refresh_from_db()
    assert report.version == 1 and report.problems == "用地报批较慢。"
    assert ReportVersion.objects.count() == 2
    assert {
        tv.target.label: tv.value for tv in report.target_values.select_related("target")
    } == values

    # The unit then submits its drafts itself.
    reports.submit_report(report=report, user=world.fgw)
    # A submitted report's row is not in the next template, and may not be filled in.
    book = load(template(world))
    sheet = book.worksheets[0]
    row = row_of(sheet, "1")
    assert sheet.cell(row=row, column=header(sheet)[zh("Status")]).value is None
    fill(sheet, row, **{zh("Status"): zh("Completed")})
    with pytest.raises(ImportRejected) as refused:
        import_reports(data=save(book), filename="x.xlsx", period=world.q1, user=world.fgw)
    assert refused.value.problems[0].startswith(at(row))


def _file(name: str, data: bytes) -> object:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_one_bad_cell_writes_nothing(client: Client, world: World) -> None:
    book = load(filled(world))
    sheet = book.worksheets[0]
    row = row_of(sheet, "75")
    fill(sheet, row, **{zh("Progress %"): 150})
    wang = world.as_unit("发改委", client)
    page = reverse("reporting:report_import", args=[world.q1.pk])
    response = wang.post(page, {"file": _file("bad.xlsx", save(book))})
    assert response.status_code == 400
    html = response.content.decode()
    error = zh("“%(value)s” is not a whole number from 0 to 100") % {"value": 150}
    assert at(row, zh("Progress %")) + error in html
    assert not Report.objects.exists()


def test_every_cell_is_checked(world: World) -> None:
    # 王强's task 2 report is already submitted.
    reports.save_report(
        task=world.task("2"),
        period=world.q1,
        user=world.fgw,
        data=reports.ReportInput(progress_text="电池箔项目试生产。"),
        version=0,
        submit=True,
    )
    book = load(filled(world))
    sheet, targets_sheet = book.worksheets[0], book.worksheets[1]
    columns = header(sheet)
    token = columns[zh("Task identifier (do not change)")]
    status, progress, text = zh("Status"), zh("Progress %"), zh("Progress made")
    rows = {number: row_of(sheet, number) for number in FGW_TASKS}
    fill(sheet, rows["2"], **{status: zh("Completed"), text: "想改"})  # submitted already
    fill(sheet, rows["3"], **{status: "差不多", text: "…"})  # not a status
    fill(sheet, rows["4"], **{status: zh("In progress"), progress: "七成"})  # not a number
    fill(sheet, rows["30"], **{status: zh("In progress"), text: "长" * (reports.MAX_TEXT + 1)})
    fill(sheet, rows["62"], **{progress: 50})  # no status
    # 66: a task of another unit, with a correctly signed identifier; 75: a forged one.
    other = world.task("5")
    sheet.cell(row=rows["66"], column=token, value=f"{other.pk}-{sign(f'task:{other.pk}')}")
    fill(sheet, rows["66"], **{status: zh("In progress"), zh("No."): 5})
    sheet.cell(row=rows["75"], column=token, value=f"{world.task('1').pk}-0000000000")
    value = zh("Value this period")
    fill(targets_sheet, row_of(targets_sheet, "3"), **{value: "很多"})

    with pytest.raises(ImportRejected) as refused:
        import_reports(data=save(book), filename="bad.xlsx", period=world.q1, user=world.fgw)
    problems = refused.value.problems
    text_of = "\n".join(problems)
    assert len(problems) == 9, text_of
    assert problems[0].startswith(at(rows["2"]))  # already submitted
    assert problems[1].startswith(at(rows["3"], status))
    assert "差不多" in problems[1] and zh("In progress") in problems[1]
    assert problems[2].startswith(at(rows["4"], progress)) and "七成" in problems[2]
    assert problems[3].startswith(at(rows["30"], text)) and str(reports.MAX_TEXT) in problems[3]
    assert problems[4].startswith(at(rows["62"], status))
    assert problems[5].startswith(at(rows["66"])) and "5" in problems[5] and "发改委" in problems[5]
    assert problems[6].startswith(at(rows["75"]))
    target_row = row_of(targets_sheet, "3")
    assert (
        problems[7].startswith(at(target_row, value, zh("Target values"))) and "很多" in problems[7]
    )
    # 75's row no longer says it is task 75, so its target value has no row to go with.
    assert problems[8].startswith(at(row_of(targets_sheet, "75"), "", zh("Target values")))
    assert Report.objects.count() == 1  # only the submitted one, untouched
    assert ReportVersion.objects.count() == 1


def test_wrong_period_unit_or_file(world: World) -> None:
    data = filled(world)
    q2 = world.period("2023Q2")
    with pytest.raises(ImportRejected) as refused:
        import_reports(data=data, filename="x.xlsx", period=q2, user=None)
    assert any("2023Q1" in p and "2023Q2" in p for p in refused.value.problems)
    with pytest.raises(ImportRejected) as refused:
        import_reports(
            data=data,
            filename="x.xlsx",
            period=world.q1,
            user=None,
            unit=Unit.objects.get(name="工信局"),
        )
    assert "工信局" in refused.value.problems[0]
    with pytest.raises(ImportRejected):
        import_reports(data=b"not a workbook", filename="x.xlsx", period=world.q1, user=None)
    from openpyxl import Workbook

    with pytest.raises(ImportRejected):
        import_reports(data=save(Workbook()), filename="x.xlsx", period=world.q1, user=None)
    # 孙浩 of 工信局 may not import 发改委's reports.
    with pytest.raises(PermissionDenied):
        import_reports(data=data, filename="x.xlsx", period=world.q1, user=world.gongxin)
    from duban.reporting.services.periods import close_period

    close_period(period=world.q1, user=None)
    with pytest.raises(ImportRejected) as refused:
        import_reports(data=data, filename="x.xlsx", period=world.q1, user=None)
    assert "2023Q1" in refused.value.problems[0]
    assert not Report.objects.exists()


def test_the_command_imports_and_submits(world: World, tmp_path: Path) -> None:
    path = tmp_path / "发改委.xlsx"
    out = StringIO()
    call_command(
        "reports", "template", "--unit", "发改委", "--period", "2023Q1", "-o", str(path), stdout=out
    )
    assert path.exists()
    path.write_bytes(filled(world))
    call_command(
        "reports",
        "import",
        str(path),
        "--period",
        "2023Q1",
        "--submit",
        "--user",
        "fgw",
        stdout=out,
    )
    assert "1、75" in out.getvalue()
    report = Report.objects.get(task=world.task("1"))
    assert report.state == ReviewState.SUBMITTED and report.submitted_by == world.fgw

    with pytest.raises(CommandError) as refused:
        call_command("reports", "import", str(path), "--period", "2023Q1", stdout=out)
    assert refused.value.returncode == 2
    with pytest.raises(CommandError):
        call_command("reports", "import", str(path), "--period", "2031Q1", stdout=out)


@pytest.mark.django_db(transaction=True)
def test_the_command_exits_2_and_lists_the_problems(
    world_committed: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    world = world_committed
    book = load(filled(world))
    sheet = book.worksheets[0]
    row = row_of(sheet, "1")
    fill(sheet, row, **{zh("Progress %"): -5, zh("Status"): "完成了"})
    path = tmp_path / "bad.xlsx"
    path.write_bytes(save(book))
    with pytest.raises(SystemExit) as exit_info:
        main(["reports", "import", str(path), "--period", "2023Q1", "--unit", "发改委"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert at(row, zh("Status")) in err
    assert at(row, zh("Progress %")) in err
    assert "bad.xlsx" in err
    assert not Report.objects.exists()
