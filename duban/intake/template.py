"""The Excel ledger template (台账模板): a notice no parser reads is typed into it once.

``write_template`` writes the blank workbook the upload page and ``duban import --template``
hand out; ``read_template`` reads a filled one back into the same ``ParseResult`` the parser
produces, so that it goes through the same preview and commit as any notice.

Layout of the first sheet (任务), the one the reader needs:

- rows 1–2, the plan: 文件标题, 文号 and 年度, each label followed by its value cell;
- row 3, one line of advice;
- row 4, the header: 序号, 领域（一级标题）, 重点工作任务, 牵头领导, 牵头单位, 责任单位, 完成时限
  (frozen, with input hints on the cells below);
- from row 5, one task a row. A row with only 领域 filled starts that area; a task whose 领域
  is empty belongs to the area above it (so a 领域 cell merged down over its tasks reads too).

The second sheet (填写说明) explains every field; there is no example row to delete. The
workbook carries a defined name, ``MARK``, but a copy that lost it (re-saved by WPS, pasted into
a new workbook) is recognised by its header row: 领域（一级标题） next to the other columns.
A workbook that is no template (``read_template`` returns None) goes to the regular parser.

No Django here: messages are msgids (``N_``, Chinese in the ``# zh:`` comments) that the caller
translates, and ``write_template`` takes the caller's ``translate`` for the sheets' prose.

openpyxl (and the sheet reader, which needs it) is imported when a template is first written or
read, not with this module: the import page's views import it, and the served processes keep
no workbook library for the requests that never touch one (duban/core/lazy.py).
"""

from __future__ import annotations

import functools
import io
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from duban.core.lazy import LazyModule
from duban.exports import xlsx

from .errors import N_, IntakeError
from .parsing import metadata
from .parsing.assemble import check
from .parsing.deadlines import parse_deadline
from .parsing.directory import NameDirectory
from .parsing.numbering import parse_numbering
from .parsing.result import AreaInfo, DocumentInfo, ParseResult, ParseWarning, TaskInfo
from .parsing.targets import extract_targets
from .parsing.text import dedupe, split_leaders, split_units, squeeze
from .readers import problems
from .readers.sniff import ZIP_MAGIC, detect

if TYPE_CHECKING:
    import openpyxl
    from openpyxl import styles as openpyxl_styles
    from openpyxl import utils as openpyxl_utils
    from openpyxl.workbook import defined_name
    from openpyxl.worksheet import datavalidation

    from .readers import sheet as sheet_reader
    from .readers.sheet import Cell
else:
    openpyxl = LazyModule("openpyxl")
    openpyxl_styles = LazyModule("openpyxl.styles")
    openpyxl_utils = LazyModule("openpyxl.utils")
    defined_name = LazyModule("openpyxl.workbook.defined_name")
    datavalidation = LazyModule("openpyxl.worksheet.datavalidation")
    sheet_reader = LazyModule("duban.intake.readers.sheet")

Translate = Callable[[str], str]

MARK = "duban_ledger_template"  # the defined name that marks the workbook as the template
HEADER_ROW = 4
FIRST_ROW = HEADER_ROW + 1
BLANK_ROWS = 200  # rows formatted for typing (more can be added: the reader takes any number)
_SCAN_ROWS = 30  # where the header row is looked for
_MAX_COLUMNS = 40

# The columns as the office names them: the format itself, so never translated.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("number", "序号"),
    ("area", "领域（一级标题）"),
    ("text", "重点工作任务"),
    ("lead_leaders", "牵头领导"),
    ("lead_units", "牵头单位"),
    ("responsible_units", "责任单位"),
    ("deadline", "完成时限"),
)
HEADERS = dict(COLUMNS)
# Other names a clerk may give a column of a marked workbook.
_ALIASES = {
    "number": ("编号",),
    "area": ("领域", "一级标题", "所属领域"),
    "text": ("重点任务", "工作任务", "任务内容", "重点工作"),
    "lead_leaders": ("责任领导", "牵头区领导", "牵头市领导", "牵头县领导"),
    "lead_units": ("牵头部门",),
    "responsible_units": ("责任部门", "配合单位", "责任单位（配合单位）"),
    "deadline": ("完成时间", "时限", "完成期限"),
}
# The plan's cells above the header: label → key.
META: tuple[tuple[str, str], ...] = (
    ("title", "文件标题"),
    ("doc_number", "文号"),
    ("year", "年度"),
)
_META_ALIASES = {
    "title": ("标题", "通知标题", "文件名称"),
    "doc_number": ("发文字号", "文件编号"),
    "year": ("年份",),
}
WIDTHS = {
    "number": 9,
    "area": 22,
    "text": 52,
    "lead_leaders": 12,
    "lead_units": 20,
    "responsible_units": 26,
    "deadline": 16,
}
# Deadlines that are no date: long-term tasks. The ledger keeps no deadline for them.
_NO_DATE = re.compile(r"^(?:长期|长期坚持|持续|持续推进|常态化|常态化推进|长期推进|无)$")
_YEAR = re.compile(r"^((?:19|20)\d{2})\s*(?:年|年度)?$")


@dataclass(frozen=True)
class _Styles:
    input_fill: Any  # the plan's value cells
    note_font: Any
    title_font: Any


@functools.cache
def _styles() -> _Styles:
    """The template's own styles, made (and openpyxl imported) by the first template written."""
    return _Styles(
        input_fill=openpyxl_styles.PatternFill(
            fill_type="solid", start_color="FFF9E6", end_color="FFF9E6"
        ),
        note_font=openpyxl_styles.Font(name=xlsx.FONT_NAME, size=10, italic=True, color="595959"),
        title_font=openpyxl_styles.Font(name=xlsx.FONT_NAME, size=14, bold=True),
    )


def _key(text: str) -> str:
    """A header or label as compared: no whitespace, full-width brackets, no colon or star."""
    text = re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")
    return text.strip("*＊★:：")


_COLUMN_KEYS = {
    _key(name): key
    for key, names in ((k, (HEADERS[k], *_ALIASES[k])) for k, _h in COLUMNS)
    for name in names
}
_META_KEYS = {
    _key(name): key
    for key, names in ((k, (label, *_META_ALIASES[k])) for k, label in META)
    for name in names
}


# --- Writing ----------------------------------------------------------------------------------


def template_name(translate: Translate | None = None) -> str:
    """The file name the template is handed out under (重点工作台账模板.xlsx)."""
    tr = translate or (lambda s: s)
    return tr(N_("Key-task ledger template")) + ".xlsx"


def write_template(translate: Translate | None = None) -> bytes:
    """The blank template: the 任务 sheet to fill in and the 填写说明 sheet."""
    tr = translate or (lambda s: s)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = tr(N_("Tasks"))
    _plan_area(sheet, tr)
    keys = [key for key, _header in COLUMNS]
    for column, key in enumerate(keys, start=1):
        sheet.cell(row=HEADER_ROW, column=column, value=HEADERS[key])
        sheet.column_dimensions[openpyxl_utils.get_column_letter(column)].width = WIDTHS[key]
    xlsx.style_header(sheet[HEADER_ROW][: len(keys)])
    sheet.row_dimensions[HEADER_ROW].height = 24
    last = HEADER_ROW + BLANK_ROWS
    style = xlsx.styles()
    for row in sheet.iter_rows(min_row=FIRST_ROW, max_row=last, max_col=len(keys)):
        for cell in row:
            cell.font = style.body_font
            cell.border = style.border
            cell.alignment = style.wrap
    deadline_column = openpyxl_utils.get_column_letter(keys.index("deadline") + 1)
    for row in range(FIRST_ROW, last + 1):
        sheet[f"{deadline_column}{row}"].number_format = 'yyyy"年"m"月"d"日"'
    _hints(sheet, keys, last, tr)
    sheet.freeze_panes = f"A{FIRST_ROW}"
    xlsx.print_a4_landscape(sheet, header_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    header_range = f"$A${HEADER_ROW}:${openpyxl_utils.get_column_letter(len(keys))}${HEADER_ROW}"
    quoted = sheet.title.replace("'", "''")
    workbook.defined_names[MARK] = defined_name.DefinedName(
        MARK, attr_text=f"'{quoted}'!{header_range}"
    )
    _instructions(workbook.create_sheet(tr(N_("How to fill in"))), tr)
    workbook.active = 0
    return xlsx.workbook_bytes(workbook)


def _plan_area(sheet: Any, tr: Translate) -> None:
    style, own = xlsx.styles(), _styles()
    labels = dict(META)
    cells = (
        (1, 1, labels["title"], "B1:G1"),
        (2, 1, labels["doc_number"], "B2:D2"),
        (2, 5, labels["year"], "F2:G2"),
    )
    for row, column, label, value_range in cells:
        cell = sheet.cell(row=row, column=column, value=label)
        cell.font = style.header_font
        cell.fill = style.header_fill
        cell.border = style.border
        cell.alignment = style.centered
        sheet.merge_cells(value_range)
        for line in sheet[value_range]:
            for target in line:
                target.border = style.border
                target.fill = own.input_fill
                target.font = style.body_font
                target.alignment = openpyxl_styles.Alignment(vertical="center", wrap_text=True)
    sheet.row_dimensions[1].height = 36
    sheet.row_dimensions[2].height = 22
    sheet.merge_cells("A3:G3")
    note = sheet["A3"]
    note.value = tr(
        N_(
            "One task a row below the header. Separate several units or leaders with “、”. "
            "Write deadlines as 2023年6月30日 or 2023-06-30. See the sheet “%(sheet)s”."
        )
    ) % {"sheet": tr(N_("How to fill in"))}
    note.font = own.note_font
    note.alignment = openpyxl_styles.Alignment(vertical="center", wrap_text=True)
    sheet.row_dimensions[3].height = 30
    year = datavalidation.DataValidation(
        type="whole",
        operator="between",
        formula1="2000",
        formula2="2100",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=tr(N_("Year")),
        error=tr(N_("Write the year as four digits, such as 2023.")),
    )
    sheet.add_data_validation(year)
    year.add("F2")


def _hints(sheet: Any, keys: list[str], last: int, tr: Translate) -> None:
    """Input messages Excel and WPS show on the cells of each column."""
    hints = {
        "number": N_("The task's number in the notice: 1, 2, 3… Each number once."),
        "area": N_(
            "The area (first-level heading) the task belongs to. Empty: the area of the row above."
        ),
        "text": N_("The task as the notice words it."),
        "lead_leaders": N_("Leaders' names; several separated by “、”."),
        "lead_units": N_("Lead units; several separated by “、”."),
        "responsible_units": N_("Responsible units; several separated by “、”. May be empty."),
        "deadline": N_("2023年6月30日 or 2023-06-30; empty when there is no deadline."),
    }
    for column, key in enumerate(keys, start=1):
        letter = openpyxl_utils.get_column_letter(column)
        validation = datavalidation.DataValidation(
            allow_blank=True,
            showInputMessage=True,
            promptTitle=HEADERS[key],
            prompt=tr(hints[key]),
        )
        sheet.add_data_validation(validation)
        validation.add(f"{letter}{FIRST_ROW}:{letter}{last}")


def _instructions(sheet: Any, tr: Translate) -> None:
    style = xlsx.styles()
    sheet.column_dimensions["A"].width = 20
    sheet.column_dimensions["B"].width = 90
    sheet["A1"] = tr(N_("How to fill in the key-task ledger template"))
    sheet["A1"].font = _styles().title_font
    sheet.merge_cells("A1:B1")
    intro = tr(
        N_(
            "When duban cannot read a notice, type its tasks into the sheet “%(sheet)s”, one "
            "task a row, save the workbook and upload it on duban's import page: you check "
            "every task in the preview before anything enters the ledger."
        )
    ) % {"sheet": tr(N_("Tasks"))}
    sheet["A2"] = intro
    sheet.merge_cells("A2:B2")
    sheet["A2"].alignment = style.wrap
    sheet["A2"].font = style.body_font
    sheet.row_dimensions[2].height = xlsx.row_height([(intro, 110)])
    rows: list[tuple[str, str]] = [
        (
            dict(META)["title"],
            N_(
                "The notice's title, e.g. 关于印发2023年政府工作报告重点工作任务分解的通知. Empty: "
                "the file name is used."
            ),
        ),
        (dict(META)["doc_number"], N_("The document number, e.g. 偃政〔2023〕6号; may be empty.")),
        (
            dict(META)["year"],
            N_("The year of the tasks, four digits (2023). May be empty when the title has it."),
        ),
        (HEADERS["number"], N_("The task's number in the notice (1, 2, 3…); each number once.")),
        (
            HEADERS["area"],
            N_(
                "The first-level heading the task comes under, e.g. 一、扎实推进项目建设. Write "
                "it on the area's first task (or on a row of its own) and leave it empty on the "
                "tasks below: they belong to the same area. A notice without areas leaves the "
                "whole column empty."
            ),
        ),
        (HEADERS["text"], N_("The task as the notice words it. Every task needs it.")),
        (
            HEADERS["lead_leaders"],
            N_("The leaders' names; several separated by “、”, e.g. 朱蕾、薛超峰."),
        ),
        (
            HEADERS["lead_units"],
            N_(
                "The units that lead the task, separated by “、”, e.g. 发改委、财政局. Use the "
                "names of the unit directory; a name it does not know is asked about on import."
            ),
        ),
        (
            HEADERS["responsible_units"],
            N_("The responsible units, separated by “、”; may be empty."),
        ),
        (
            HEADERS["deadline"],
            N_(
                "A date: 2023年6月30日 or 2023-06-30 (2023年6月底 and 年底前 are read too). Empty "
                "when the task has no deadline."
            ),
        ),
    ]
    header = sheet.cell(row=4, column=1, value=tr(N_("Cell")))
    explanation = sheet.cell(row=4, column=2, value=tr(N_("What to write")))
    xlsx.style_header([header, explanation])
    for offset, (name, text) in enumerate(rows, start=5):
        explained = tr(text)
        for column, value in ((1, name), (2, explained)):
            cell = sheet.cell(row=offset, column=column, value=value)
            cell.font = style.header_font if column == 1 else style.body_font
            cell.border = style.border
            cell.alignment = style.wrap
        sheet.row_dimensions[offset].height = xlsx.row_height([(explained, 90)])
    after = 5 + len(rows) + 1
    rules = [
        N_(
            "Keep the header row (row %(row)s) as it is and do not delete its columns; add or "
            "delete task rows as you need."
        ),
        N_("Names in one cell are separated by “、” (a comma, a semicolon or a new line also do)."),
        N_("A row with only the area filled starts that area."),
    ]
    for offset, rule in enumerate(rules, start=after):
        text = tr(rule) % {"row": HEADER_ROW} if "%(row)s" in rule else tr(rule)
        cell = sheet.cell(row=offset, column=1, value="• " + text)
        sheet.merge_cells(start_row=offset, start_column=1, end_row=offset, end_column=2)
        cell.font = style.body_font
        cell.alignment = style.wrap


# --- Reading ----------------------------------------------------------------------------------


@dataclass
class _Found:
    """Where a template's table is: the sheet, the header row and each column's number."""

    sheet: str
    row: int
    columns: dict[str, int] = field(default_factory=dict)


def read_template(
    data: bytes, filename: str = "", *, directory: NameDirectory | None = None
) -> ParseResult | None:
    """A filled template as the parser's ``ParseResult``; None when the workbook is no template.

    Raises IntakeError for a template that cannot be imported as it is (no task, a header
    missing a column, a task without text, an unreadable date, a number used twice…), naming
    the sheet, row and column and what to do.
    """
    if not data.startswith(ZIP_MAGIC):
        return None
    try:
        if detect(data, filename) != "xlsx":  # also refuses a zip bomb before inflating
            return None
    except IntakeError:
        return None  # the regular reader says what is wrong with the file
    found = _find(data)
    if found is None:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(
                io.BytesIO(sheet_reader.tame_merges(data)), data_only=True
            )
        sheet = workbook[found.sheet]
    except Exception:  # openpyxl reports damage with KeyError, ValueError, TypeError…
        raise problems.corrupt(sheet_reader.LABEL) from None
    return _Reading(found, _grid(sheet), filename, directory).result()


def _find(data: bytes) -> _Found | None:
    """The template's table, found cheaply (read-only, the first rows): by its mark, or in a
    copy that lost it, by the header row. Raises IntakeError for a marked workbook whose
    header is damaged."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        return None  # the regular reader says what is wrong with the file
    try:
        marked = MARK in workbook.defined_names
        best: tuple[int, _Found] | None = None
        for sheet in workbook.worksheets:
            if sheet.sheet_state != "visible":
                continue
            rows = sheet.iter_rows(max_row=_SCAN_ROWS, max_col=_MAX_COLUMNS, values_only=True)
            for number, values in enumerate(rows, start=1):
                columns: dict[str, int] = {}
                for column, value in enumerate(values, start=1):
                    key = (
                        _COLUMN_KEYS.get(_key(sheet_reader.render(value)))
                        if value is not None
                        else None
                    )
                    if key is not None and key not in columns:
                        columns[key] = column
                exact = {_key(sheet_reader.render(v)) for v in values if v is not None}
                ours = _key(HEADERS["area"]) in exact and len(columns) >= 4
                if not (ours or marked) or len(columns) < 2:
                    continue
                candidate = _Found(sheet.title, number, columns)
                if len(columns) == len(COLUMNS):
                    return candidate
                if best is None or len(columns) > best[0]:
                    best = (len(columns), candidate)
    except Exception:
        return None
    finally:
        workbook.close()
    if best is not None:
        missing = [HEADERS[key] for key, _h in COLUMNS if key not in best[1].columns]
        raise IntakeError(
            "template_header",
            # zh: “%(sheet)s”工作表第%(row)s行的表头缺少%(columns)s列。
            N_("Sheet “%(sheet)s”, row %(row)s: the header lacks the column %(columns)s."),
            # zh: 请按模板恢复表头（%(headers)s），没有内容的列留空即可；也可以重新下载模板，
            # 把任务复制进去。
            N_(
                "Put the header back as the template has it (%(headers)s), leaving a column "
                "empty where there is nothing to write, or download the template again and copy "
                "the tasks into it."
            ),
            sheet=best[1].sheet,
            row=best[1].row,
            columns="、".join(f"“{name}”" for name in missing),
            headers="、".join(HEADERS.values()),
        )
    if marked:
        raise IntakeError(
            "template_header",
            # zh: 这是系统的台账模板，但找不到表头（%(headers)s）。
            N_("This is duban's ledger template, but its header row (%(headers)s) is missing."),
            # zh: 请重新下载模板，把任务复制到表头下面后再上传。
            N_("Download the template again, copy the tasks below its header and upload it."),
            headers="、".join(HEADERS.values()),
        )
    return None


def _grid(sheet: Any) -> dict[int, dict[int, Cell]]:
    """Cell texts by row and column, merged cells given their top-left value, as the sheet
    reader builds them (only the template's columns)."""
    return sheet_reader.sparse_grid(sheet, _MAX_COLUMNS)


def _line(cells: dict[int, Cell]) -> str:
    """A row as the parser's lines write a table row: its cells joined by " | " (a cell merged
    across columns once)."""
    texts: list[str] = []
    previous = None
    for column in range(1, max(cells) + 1):
        text, origin = cells.get(column, ("", None))
        if origin is None or origin != previous:
            texts.append(text.replace("\n", " "))
        previous = origin
    return " | ".join(texts)


def _area_title(text: str) -> str:
    """An area as the parser titles it: without its numbering (一、) or closing punctuation."""
    title = squeeze(text)
    numbering = parse_numbering(title)
    if numbering is not None and numbering.rest:
        title = numbering.rest
    return title.rstrip("。.；;：:") or title


class _Reading:
    """One pass over the rows below the header."""

    def __init__(
        self,
        found: _Found,
        grid: dict[int, dict[int, Cell]],
        filename: str,
        directory: NameDirectory | None,
    ) -> None:
        self.found = found
        self.grid = grid
        self.filename = filename
        self.directory = directory
        self.lines = [_line(grid[row]) for row in sorted(grid)]
        self.line_of = {row: index for index, row in enumerate(sorted(grid))}

    def cell(self, row: int, key: str) -> str:
        return self.grid.get(row, {}).get(self.found.columns[key], ("", None))[0]

    def result(self) -> ParseResult:
        document = self.document()
        year = document["year"]
        areas: list[AreaInfo] = []
        area_numbers: dict[str, int] = {}
        tasks: list[TaskInfo] = []
        task_rows: list[int] = []
        current: int | None = None
        keys = [key for key, _header in COLUMNS]
        data_rows = sorted(r for r in self.grid if r > self.found.row)
        for row in data_rows:
            values = {key: self.cell(row, key) for key in keys}
            if not any(values.values()):
                continue
            if values["area"]:
                title = _area_title(values["area"])
                if title not in area_numbers:
                    area_numbers[title] = len(areas) + 1
                    areas.append({"number": area_numbers[title], "title": title})
                current = area_numbers[title]
            rest = {k: v for k, v in values.items() if k != "area"}
            if not any(rest.values()):
                continue  # a row of its own for the area
            tasks.append(self.task(row, values, current, year))
            task_rows.append(row)
        if not tasks:
            raise IntakeError(
                "template_empty",
                # zh: 模板中没有任务：“%(sheet)s”工作表第%(row)s行的表头下面没有填写任何任务。
                N_(
                    "The template holds no tasks: nothing is filled in below the header "
                    "(sheet “%(sheet)s”, row %(row)s)."
                ),
                # zh: 请在表头下面每行填写一项任务（至少填写序号和重点工作任务），保存后重新上传。
                N_(
                    "Type one task a row below the header (at least its number and its text), "
                    "save the workbook and upload it again."
                ),
                sheet=self.found.sheet,
                row=self.found.row,
            )
        self.refuse_repeats(tasks, task_rows)
        warnings_found: list[ParseWarning] = []
        check(document, areas, tasks, warnings_found, self.directory)
        return ParseResult(
            document=document, areas=areas, tasks=tasks, warnings=warnings_found, lines=self.lines
        )

    def document(self) -> DocumentInfo:
        found: dict[str, tuple[int, str]] = {}
        for row in sorted(r for r in self.grid if r < self.found.row):
            cells = [text for _column, (text, _origin) in sorted(self.grid[row].items())]
            for index, text in enumerate(cells):
                key = _META_KEYS.get(_key(text))
                if key is None or key in found:
                    continue
                following = [value for value in cells[index + 1 :] if value != text]
                value = following[0] if following else ""
                if _META_KEYS.get(_key(value)):
                    value = ""  # the next label: this one was left empty
                found[key] = (row, value)
        title = squeeze(found.get("title", (0, ""))[1]) or self.title_from_filename()
        doc_number = squeeze(found.get("doc_number", (0, ""))[1]) or None
        year_row, year_text = found.get("year", (0, ""))
        year: int | None = None
        if year_text:
            match = _YEAR.match(year_text.strip())
            if match is None:
                raise IntakeError(
                    "template_year",
                    # zh: “%(sheet)s”工作表第%(row)s行的年度“%(text)s”不是年份。
                    N_("Sheet “%(sheet)s”, row %(row)s: the year “%(text)s” is not a year."),
                    # zh: 请写成四位数字，例如2023。
                    N_("Write the year as four digits, such as 2023."),
                    sheet=self.found.sheet,
                    row=year_row,
                    text=year_text,
                )
            year = int(match.group(1))
        if year is None:
            year = metadata.find_year(title, doc_number, None)
        return {
            "title": title,
            "doc_number": doc_number,
            "issuer": metadata.find_issuer(title, []),
            "date": None,
            "year": year,
            "declared_areas": None,
            "declared_tasks": None,
        }

    def title_from_filename(self) -> str | None:
        stem = PurePath(self.filename).stem.strip()
        if not stem or _key(stem).startswith(("重点工作台账模板", "Key-taskledgertemplate")):
            return None  # the template's own name says nothing about the notice
        return stem

    def task(
        self, row: int, values: dict[str, str], area: int | None, year: int | None
    ) -> TaskInfo:
        where = {"sheet": self.found.sheet, "row": row}
        raw_number = squeeze(values["number"]).strip("、.．,，")
        text = squeeze(values["text"])
        if not raw_number and not text:
            raise IntakeError(
                "template_no_task",
                # zh: “%(sheet)s”工作表第%(row)s行填写了内容，但没有序号和重点工作任务。
                N_(
                    "Sheet “%(sheet)s”, row %(row)s: the row has cells filled in but neither a "
                    "number nor a task."
                ),
                # zh: 请把这些内容填到所属任务的那一行，或删除这一行。
                N_("Move what it holds to the row of its task, or delete the row."),
                **where,
            )
        if not raw_number:
            raise IntakeError(
                "template_no_number",
                # zh: “%(sheet)s”工作表第%(row)s行的任务在“%(column)s”列没有填写序号。
                N_(
                    "Sheet “%(sheet)s”, row %(row)s: the task has no number in the column "
                    "“%(column)s”."
                ),
                # zh: 请按通知给每项任务填写序号（1、2、3……）。
                N_("Give every task its number as the notice does (1, 2, 3…)."),
                column=HEADERS["number"],
                **where,
            )
        number: int | str = int(raw_number) if raw_number.isdigit() else raw_number
        if not text:
            raise IntakeError(
                "template_no_text",
                # zh: “%(sheet)s”工作表第%(row)s行：第%(number)s项任务有序号，
                # 但“%(column)s”列没有内容。
                N_(
                    "Sheet “%(sheet)s”, row %(row)s: task %(number)s has a number but nothing in "
                    "the column “%(column)s”."
                ),
                # zh: 请在该单元格填写任务内容，或删除这一行。
                N_("Type the task into that cell, or delete the row."),
                number=number,
                column=HEADERS["text"],
                **where,
            )
        lead = dedupe(split_units(values["lead_units"]))
        responsible = dedupe(split_units(values["responsible_units"]))
        return {
            "number": number,
            "area": area,
            "text": text,
            "lead_leaders": dedupe(split_leaders(values["lead_leaders"])),
            "lead_units": lead,
            "responsible_units": [name for name in responsible if name not in lead],
            "deadline": self.deadline(row, values["deadline"], year),
            "targets": extract_targets(text),
            "source": [self.line_of[row], self.line_of[row]],
            "confidence": 1.0,  # typed by a person: nothing guessed (check may still doubt)
            "doubtful": [],
        }

    def deadline(self, row: int, text: str, year: int | None) -> str | None:
        text = squeeze(text)
        if not text or _NO_DATE.match(text):
            return None
        parsed = parse_deadline(text, year)
        if parsed is None:
            raise IntakeError(
                "template_deadline",
                # zh: “%(sheet)s”工作表第%(row)s行“%(column)s”列的“%(text)s”不是日期。
                N_(
                    "Sheet “%(sheet)s”, row %(row)s: “%(text)s” in the column “%(column)s” is "
                    "not a date."
                ),
                # zh: 请写成2023年6月30日或2023-06-30，没有完成时限的请留空。
                N_("Write it as 2023年6月30日 or 2023-06-30, or leave the cell empty."),
                sheet=self.found.sheet,
                row=row,
                column=HEADERS["deadline"],
                text=text,
            )
        return parsed.isoformat()

    def refuse_repeats(self, tasks: list[TaskInfo], rows: list[int]) -> None:
        """A number used twice (in one area, where numbering restarts in each area)."""
        restarts = sum(1 for t in tasks if t["number"] == 1) > 1
        first: dict[tuple[int | None, int | str], int] = {}
        for task, row in zip(tasks, rows, strict=True):
            key = (task["area"] if restarts else None, task["number"])
            if key in first:
                raise IntakeError(
                    "template_repeat",
                    # zh: “%(sheet)s”工作表第%(row)s行的序号“%(number)s”与第%(first)s行重复。
                    N_(
                        "Sheet “%(sheet)s”, row %(row)s: the number %(number)s is already used "
                        "in row %(first)s."
                    ),
                    # zh: 请给每项任务不同的序号。
                    N_("Give each task a number of its own."),
                    sheet=self.found.sheet,
                    row=row,
                    number=task["number"],
                    first=first[key],
                )
            first[key] = row
