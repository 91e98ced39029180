"""The 序号 (task number) of each row of a filled report template must be the one the template
wrote: a row whose number was changed is refused, says which row and column, and writes nothing.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from duban.directory.models import Unit
from duban.reporting.models import Report, ReportVersion
from duban.reporting.services.report_import import ImportRejected, import_reports
from duban.reporting.services.report_template import report_template
from tests.support.excel import fill, header, load, row_of, save
from tests.support.world import World


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(message)


def en(message: str) -> str:
    with translation.override("en"):
        return translation.gettext(message)


def filled_with_number(world: World, number: object) -> tuple[bytes, int]:
    """发改委's Q1 template, task 1 and task 75 filled in validly; only task 1's 序号 changed."""
    content, _name = report_template(
        period=world.q1, unit=Unit.objects.get(name="发改委"), user=world.office
    )
    book = load(content)
    sheet = book.worksheets[0]
    row = row_of(sheet, "1")
    fill(
        sheet,
        row,
        **{
            zh("Status"): zh("In progress"),
            zh("Progress %"): 30,
            zh("Progress made"): "一季度开工项目45个，完成投资80亿元。",
        },
    )
    fill(
        sheet,
        row_of(sheet, "75"),
        **{zh("Status"): zh("Completed"), zh("Progress %"): 100, zh("Progress made"): "已完成。"},
    )
    column = header(sheet)[zh("No.")]
    assert str(sheet.cell(row=row, column=column).value) == "1"
    if number is not None:
        sheet.cell(row=row, column=column, value=number)
    return save(book), row


def test_the_valid_workbook_is_imported(world: World) -> None:
    """The control: the same workbook with its 序号 untouched is accepted."""
    data, _row = filled_with_number(world, None)
    imported = import_reports(data=data, filename="ok.xlsx", period=world.q1, user=world.fgw)
    assert sorted(item.task.number for item in imported) == ["1", "75"]


@pytest.mark.parametrize(
    "changed", ["2", 2, "11", "任务1"], ids=["text-2", "number-2", "11", "words"]
)
def test_a_changed_number_is_refused_naming_the_row_and_column(
    world: World, changed: object
) -> None:
    data, row = filled_with_number(world, changed)
    with translation.override("zh-hans"), pytest.raises(ImportRejected) as refused:
        import_reports(data=data, filename="序号.xlsx", period=world.q1, user=world.fgw)
    problems = refused.value.problems
    assert len(problems) == 1, problems
    expected = zh("Row %(row)s, column “%(column)s”: %(error)s") % {
        "row": row,
        "column": zh("No."),
        "error": zh("“%(value)s” does not match the row's task (task %(number)s)")
        % {"value": changed, "number": "1"},
    }
    assert problems[0] == expected
    assert f"第{row}行" in problems[0] and "「序号」" in problems[0]
    assert not Report.objects.exists()
    assert not ReportVersion.objects.exists()


def test_the_message_in_english(world: World) -> None:
    data, row = filled_with_number(world, "2")
    with translation.override("en"), pytest.raises(ImportRejected) as refused:
        import_reports(data=data, filename="no.xlsx", period=world.q1, user=world.fgw)
    assert refused.value.problems == [
        f"Row {row}, column “{en('No.')}”: “2” does not match the row's task (task 1)"
    ]
    assert not Report.objects.exists()


def test_an_emptied_number_is_refused(world: World) -> None:
    data, row = filled_with_number(world, "")
    with pytest.raises(ImportRejected) as refused:
        import_reports(data=data, filename="x.xlsx", period=world.q1, user=world.fgw)
    [problem] = refused.value.problems
    assert problem.startswith(
        zh("Row %(row)s, column “%(column)s”: %(error)s")
        % {"row": row, "column": zh("No."), "error": ""}
    )
    assert not Report.objects.exists()


def test_the_command_refuses_it_too(world: World, tmp_path: object) -> None:
    from pathlib import Path

    data, _row = filled_with_number(world, "2")
    path = Path(str(tmp_path)) / "发改委.xlsx"
    path.write_bytes(data)
    with pytest.raises(CommandError) as refused:
        call_command("reports", "import", str(path), "--period", "2023Q1", "--user", "fgw")
    assert refused.value.returncode == 2
    assert not Report.objects.exists()
    assert not ReportVersion.objects.exists()
