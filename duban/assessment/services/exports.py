"""The assessment's documents: the result table (Excel per ranking group, and a GB/T 9704
document as .docx and PDF through duban.exports' official writers) and each unit's score sheet
(every item with its source: the record's type in words, its document or task number and a
link to its page).

The callers (the download views) pass the scores the person may see
(``results.scores_for``): a document never holds a line its reader could not see on the page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.core import clock
from duban.core.formatting import format_cn_date
from duban.core.lazy import LazyModule
from duban.exports import xlsx
from duban.exports.official import OfficialDocument, Para, Table
from duban.inspections.models import Finding
from duban.lights.display import colour_label
from duban.lights.models import LightRecord
from duban.reporting.models import Contribution, Report
from duban.reporting.services.periods import period_label
from duban.supervision.models import Circular, ExtensionRequest, Notice

from ..models import (
    Assessment,
    AssessmentState,
    Component,
    Grade,
    Group,
    Recognition,
    ScoreItem,
    UnitScore,
)
from .schemes import rules_of

if TYPE_CHECKING:
    import openpyxl
    from openpyxl import styles as openpyxl_styles
    from openpyxl import utils as openpyxl_utils
else:
    # The workbooks' library: loaded for the first workbook written, not by the pages that
    # import this module for ``sources_of`` (duban/core/lazy.py).
    openpyxl = LazyModule("openpyxl")
    openpyxl_styles = LazyModule("openpyxl.styles")
    openpyxl_utils = LazyModule("openpyxl.utils")

# The record an item comes from (ScoreItem.source_type), as people call it.
SOURCE_TYPES: dict[str, Any] = {
    "report": gettext_lazy("Progress report"),
    "contribution": gettext_lazy("Contribution to a report"),
    "light_record": gettext_lazy("Light record"),
    "notice": gettext_lazy("Supervision notice"),
    "circular": gettext_lazy("Circular"),
    "finding": gettext_lazy("Inspection finding"),
    "recognition": gettext_lazy("Recognition from a higher level"),
    "task": gettext_lazy("Key task"),
    "extension": gettext_lazy("Extension request"),
}


@dataclass(frozen=True)
class Source:
    """Where an item's points come from: the kind of record, which one, and its page."""

    kind: str  # 进展报送, 督办通知, … ("" for the arithmetic items: a pool's base, a cap)
    reference: str  # 第1项 · 2023年第2季度, 偃督办〔2023〕3号, …
    link: str  # the page (a path), "" for none


def _task_number(item: ScoreItem) -> str:
    return _("Task %(number)s") % {"number": item.task.number} if item.task is not None else ""


def _join(*parts: str) -> str:
    return " · ".join(part for part in parts if part)


def _references(items: Sequence[ScoreItem]) -> dict[tuple[str, int], str]:
    """Each source record's words, read with one query per kind of record."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for item in items:
        if item.source_type and item.source_id is not None:
            wanted[item.source_type].add(item.source_id)
    found: dict[tuple[str, int], str] = {}
    if wanted.get("report"):
        for report in Report.objects.filter(pk__in=wanted["report"]).select_related(
            "task", "period"
        ):
            found["report", report.pk] = _join(
                _("Task %(number)s") % {"number": report.task.number},
                period_label(report.period),
            )
    if wanted.get("contribution"):
        for part in Contribution.objects.filter(pk__in=wanted["contribution"]).select_related(
            "task", "period"
        ):
            found["contribution", part.pk] = _join(
                _("Task %(number)s") % {"number": part.task.number}, period_label(part.period)
            )
    if wanted.get("light_record"):
        for light in LightRecord.objects.filter(pk__in=wanted["light_record"]).select_related(
            "task"
        ):
            found["light_record", light.pk] = _join(
                _("Task %(number)s") % {"number": light.task.number},
                format_cn_date(light.on),
                str(colour_label(light.colour)),
            )
    if wanted.get("notice"):
        for notice in Notice.objects.filter(pk__in=wanted["notice"]):
            found["notice", notice.pk] = _join(notice.doc_number, notice.get_level_display())
    if wanted.get("circular"):
        for circular in Circular.objects.filter(pk__in=wanted["circular"]):
            found["circular", circular.pk] = circular.doc_number or circular.title
    if wanted.get("finding"):
        for finding in Finding.objects.filter(pk__in=wanted["finding"]).select_related(
            "inspection", "task"
        ):
            found["finding", finding.pk] = _join(
                finding.inspection.topic,
                _("Task %(number)s") % {"number": finding.task.number},
                format_cn_date(finding.found_on),
            )
    if wanted.get("recognition"):
        for recognition in Recognition.objects.filter(pk__in=wanted["recognition"]):
            found["recognition", recognition.pk] = _join(
                recognition.document, format_cn_date(recognition.granted_on)
            )
    if wanted.get("extension"):
        for request in ExtensionRequest.objects.filter(pk__in=wanted["extension"]).select_related(
            "task"
        ):
            found["extension", request.pk] = _join(
                _("Task %(number)s") % {"number": request.task.number},
                format_cn_date(request.requested_due),
            )
    return found


def sources_of(items: Iterable[ScoreItem]) -> dict[int, Source]:
    """Each item's source (by the item's pk), in words; items of no record have none."""
    rows = list(items)
    references = _references(rows)
    out: dict[int, Source] = {}
    for item in rows:
        if not item.source_type:
            if item.task is not None:
                out[item.pk] = Source(str(SOURCE_TYPES["task"]), _task_number(item), item.link)
            continue
        kind = str(SOURCE_TYPES.get(item.source_type, _("Record")))
        reference = ""
        if item.source_id is not None:
            reference = references.get((item.source_type, item.source_id), "")
        if item.source_type == "task" or not reference:
            # a task, or a record that is missing (a report never written) or gone
            reference = reference or _task_number(item)
        out[item.pk] = Source(kind, reference, item.link)
    return out


# --- what the documents say about the year ------------------------------------------------------


def points_text(value: Decimal) -> str:
    """Points with two decimals, as the pages show them (92.50, -1.00)."""
    return f"{value:.2f}"


def veto_text(score: UnitScore) -> str:
    if not score.vetoed:
        return ""
    causes = "；".join(str(v.get("text", "")) for v in score.vetoes or [] if v.get("text"))
    return _("Vetoed: %(causes)s") % {"causes": causes} if causes else _("Vetoed")


def component_totals(score: UnitScore) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for item in score.items.all():
        totals[item.component] += item.final_points
    return totals


def state_words(assessment: Assessment) -> str:
    """待公示 · 公示中（2024年1月22日至2024年1月26日） · 已发布（2024年2月1日）."""
    state = str(assessment.get_state_display())
    if assessment.state == AssessmentState.PUBLICITY and assessment.publicity_from:
        until = assessment.publicity_until or assessment.publicity_from
        return _("%(state)s (%(start)s to %(end)s)") % {
            "state": state,
            "start": format_cn_date(assessment.publicity_from),
            "end": format_cn_date(until),
        }
    if assessment.state == AssessmentState.PUBLISHED and assessment.published_at:
        return _("%(state)s (%(date)s)") % {
            "state": state,
            "date": format_cn_date(timezone.localtime(assessment.published_at).date()),
        }
    return state


def _groups(scores: Sequence[UnitScore]) -> list[tuple[str, str, list[UnitScore]]]:
    return [
        (value, str(label), [s for s in scores if s.group == value])
        for value, label in Group.choices
        if any(s.group == value for s in scores)
    ]


def _title(assessment: Assessment) -> str:
    return _("Year-end assessment of key tasks %(year)s") % {"year": assessment.plan.year}


# --- the result table as Excel ------------------------------------------------------------------

RESULT_COLUMNS: tuple[tuple[str, Any, float], ...] = (
    ("rank", gettext_lazy("Rank"), 7),
    ("unit", gettext_lazy("Unit"), 22),
    ("score", gettext_lazy("Score"), 9),
    *((c.value, c.label, 10) for c in Component),
    ("grade", gettext_lazy("Grade"), 8),
    ("veto", gettext_lazy("Veto (一票否决)"), 30),
)
NUMBER_FORMAT = "0.00"


def _sheet_header(sheet: Any, title: str, note: str, widths: list[float]) -> None:
    last = openpyxl_utils.get_column_letter(len(widths))
    sheet.append([xlsx.text(title)])
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = openpyxl_styles.Font(name=xlsx.FONT_NAME, size=16, bold=True)
    sheet["A1"].alignment = openpyxl_styles.Alignment(
        horizontal="center", vertical="center", wrap_text=True
    )
    sheet.row_dimensions[1].height = 30
    sheet.append([xlsx.text(note)])
    sheet.merge_cells(f"A2:{last}2")
    sheet["A2"].font = xlsx.styles().body_font
    sheet["A2"].alignment = openpyxl_styles.Alignment(
        horizontal="left", vertical="center", wrap_text=True
    )
    sheet.row_dimensions[2].height = xlsx.row_height([(note, sum(widths))])
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[openpyxl_utils.get_column_letter(index)].width = width


def _cell(sheet: Any, row: int, column: int, value: Any, *, centered: bool = False) -> Any:
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, Decimal):
        cell.value = float(value)
        cell.number_format = NUMBER_FORMAT
    elif isinstance(value, int):
        cell.value = value
    else:
        cell.value = xlsx.text(value)
        cell.data_type = "s"  # never a formula
    style = xlsx.styles()
    cell.font = style.body_font
    cell.border = style.border
    cell.alignment = (
        openpyxl_styles.Alignment(horizontal="center", vertical="top", wrap_text=True)
        if centered
        else style.wrap
    )
    return cell


def _finish(sheet: Any, header_row: int) -> None:
    sheet.freeze_panes = f"A{header_row + 1}"
    xlsx.print_a4_landscape(sheet, header_rows=f"{header_row}:{header_row}")
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddFooter.center.text = "&P / &N"


def _note(assessment: Assessment) -> str:
    return _("State: %(state)s · scheme version %(version)s · record as of %(date)s") % {
        "state": state_words(assessment),
        "version": assessment.scheme.version,
        "date": format_cn_date(assessment.as_of),
    }


def results_xlsx(assessment: Assessment, scores: Sequence[UnitScore]) -> bytes:
    """The result table, one sheet per ranking group (镇（街道）, 区直部门): rank, unit, score,
    its points per component, grade and veto; styled, printable on A4, read alike by WPS."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = xlsx.text(_title(assessment))
    workbook.properties.creator = "duban"
    widths = [width for _key, _label, width in RESULT_COLUMNS]
    groups = _groups(scores) or [(Group.TOWNSHIPS.value, str(Group.TOWNSHIPS.label), [])]
    for _value, label, rows in groups:
        sheet = workbook.create_sheet(title=label[:31])
        _sheet_header(sheet, f"{_title(assessment)}（{label}）", _note(assessment), widths)
        sheet.append([xlsx.text(str(header)) for _key, header, _width in RESULT_COLUMNS])
        xlsx.style_header(sheet[3])
        sheet.row_dimensions[3].height = 22
        for number, score in enumerate(rows, start=4):
            totals = component_totals(score)
            values: list[Any] = [
                score.rank,
                score.unit.name,
                score.score,
                *(totals.get(c.value, Decimal("0")) for c in Component),
                score.get_grade_display(),
                veto_text(score),
            ]
            texts = []
            for column, value in enumerate(values, start=1):
                key = RESULT_COLUMNS[column - 1][0]
                _cell(sheet, number, column, value, centered=key not in ("unit", "veto"))
                texts.append((str(value), widths[column - 1]))
            sheet.row_dimensions[number].height = xlsx.row_height(texts)
        _finish(sheet, 3)
    return xlsx.workbook_bytes(workbook)


# --- the result as an official document (.docx / PDF) --------------------------------------------


def _issuer(user: Any) -> str:
    """The office that issues the result: ``DUBAN_SUPERVISION_ISSUER``, else the unit of the
    person who downloads it, else 督查室 (as the 督办通知 do)."""
    configured = getattr(settings, "DUBAN_SUPERVISION_ISSUER", "")
    if configured:
        return str(configured)
    membership = getattr(user, "membership", None) if user is not None else None
    unit = getattr(membership, "unit", None)
    if unit is not None:
        return str(unit.full_name or unit.name)
    return "督查室"


def _grade_counts(scores: Sequence[UnitScore]) -> str:
    counts = {grade: 0 for grade in Grade.values}
    for score in scores:
        counts[score.grade] = counts.get(score.grade, 0) + 1
    return "、".join(f"{label}{counts[value]}个" for value, label in Grade.choices)


def results_document(
    assessment: Assessment, scores: Sequence[UnitScore], user: Any = None
) -> OfficialDocument:
    """The result as a 公文 (GB/T 9704): the opening, then per ranking group its table (名次,
    单位, 得分, 等次, 备注); during publicity, how to appeal and by when."""
    plan = assessment.plan
    year = plan.year
    source = f"《{plan.title}》" + (f"（{plan.doc_number}）" if plan.doc_number else "")
    scheme = f"《{assessment.scheme.name}》（第{assessment.scheme.version}版）"
    if assessment.state == AssessmentState.PUBLISHED:
        title = f"关于{year}年度重点任务责任目标考核结果的通报"
        opening = (
            f"根据{source}和{scheme}，经计算、公示，"
            f"现将{year}年度重点任务责任目标考核结果通报如下。"
        )
        day = (
            timezone.localtime(assessment.published_at).date()
            if assessment.published_at
            else clock.today()
        )
    elif assessment.state == AssessmentState.PUBLICITY:
        title = f"关于{year}年度重点任务责任目标考核结果的公示"
        opening = f"根据{source}和{scheme}，现将{year}年度重点任务责任目标考核结果予以公示。"
        day = assessment.publicity_from or clock.today()
    else:
        title = f"{year}年度重点任务责任目标考核结果（初算）"
        opening = (
            f"根据{source}和{scheme}，按截至{format_cn_date(assessment.as_of)}的督办记录计算，"
            f"{year}年度重点任务责任目标考核初算结果如下，尚未公示。"
        )
        day = clock.today()
    paragraphs: list[Para | Table] = [Para(opening)]
    rules = rules_of(assessment.scheme)
    paragraphs.append(
        Para(
            f"考核基础分{rules.base.normalize():f}分，加分最高{rules.bonus_cap.normalize():f}分；"
            f"等次分为优秀、良好、一般、较差，优秀等次不超过本组单位的{rules.excellent_quota.normalize():f}%，"
            "有一票否决情形的为较差。"
        )
    )
    for _value, label, rows in _groups(scores):
        paragraphs.append(Para(f"{label}考核结果", 1))
        paragraphs.append(Para(f"共{len(rows)}个单位，其中{_grade_counts(rows)}。"))
        paragraphs.append(
            Table(
                headers=["名次", "单位", "得分", "等次", "备注"],
                rows=[
                    [
                        str(score.rank),
                        score.unit.name,
                        points_text(score.score),
                        str(score.get_grade_display()),
                        veto_text(score),
                    ]
                    for score in rows
                ],
                widths=[1.2, 4, 1.6, 1.4, 4.5],
                caption=f"{year}年度{label}责任目标考核结果",
            )
        )
    if assessment.state == AssessmentState.PUBLICITY and assessment.publicity_until:
        paragraphs.append(Para("公示要求", 1))
        paragraphs.append(
            Para(
                f"公示期为{format_cn_date(assessment.publicity_from or day)}至"
                f"{format_cn_date(assessment.publicity_until)}。各单位可在督办系统中查看本单位各项得分及其依据；"
                "对得分有异议的，请在公示期内通过督办系统逐项提出申诉，并附佐证材料。"
            )
        )
    issuer = _issuer(user)
    return OfficialDocument(
        title=title,
        doc_number="",
        recipients=["各镇（街道），区直各有关单位"],
        paragraphs=paragraphs,
        issuer=issuer,
        date=day,
        printed_by=issuer,
        printed_on=day,
    )


# --- a unit's score sheet -----------------------------------------------------------------------

SHEET_COLUMNS: tuple[tuple[str, Any, float], ...] = (
    ("number", gettext_lazy("No."), 6),
    ("component", gettext_lazy("Part"), 11),
    ("text", gettext_lazy("Cause"), 46),
    ("points", gettext_lazy("Points as computed"), 10),
    ("adjusted", gettext_lazy("Points as adjusted"), 10),
    ("final", gettext_lazy("Points counted"), 10),
    ("kind", gettext_lazy("Source"), 14),
    ("reference", gettext_lazy("Document or task"), 24),
    ("link", gettext_lazy("Link"), 40),
)


def unit_sheet_xlsx(score: UnitScore, base_url: str = "") -> bytes:
    """One unit's score sheet: its score, rank, grade and vetoes, then every item with its part,
    cause, points (as computed, as adjusted, as counted) and source, and the total — the sum of
    the items, which is the score. ``base_url`` (``https://duban.example``) makes the links
    absolute, so that they open from the file."""
    items = list(score.items.all())
    sources = sources_of(items)
    assessment = score.assessment
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = xlsx.text(score.unit.name)[:31] or "Sheet1"
    title = _("%(unit)s: score sheet, %(title)s") % {
        "unit": score.unit.name,
        "title": _title(assessment),
    }
    workbook.properties.title = xlsx.text(title)
    workbook.properties.creator = "duban"
    widths = [width for _key, _label, width in SHEET_COLUMNS]
    summary = _(
        "Score %(score)s · rank %(rank)s in %(group)s · grade %(grade)s%(veto)s · %(note)s"
    ) % {
        "score": points_text(score.score),
        "rank": score.rank,
        "group": score.get_group_display(),
        "grade": score.get_grade_display(),
        "veto": f" · {veto_text(score)}" if score.vetoed else "",
        "note": _note(assessment),
    }
    _sheet_header(sheet, title, summary, widths)
    sheet.append([xlsx.text(str(header)) for _key, header, _width in SHEET_COLUMNS])
    xlsx.style_header(sheet[3])
    sheet.row_dimensions[3].height = 22
    labels = dict(Component.choices)
    row = 3
    for number, item in enumerate(items, start=1):
        row += 1
        source = sources.get(item.pk)
        link = f"{base_url.rstrip('/')}{source.link}" if source and source.link else ""
        values: list[Any] = [
            number,
            str(labels.get(item.component, "")),
            item.text,
            item.points,
            item.adjusted_points if item.adjusted_points is not None else "",
            item.final_points,
            source.kind if source else "",
            source.reference if source else "",
            link,
        ]
        texts = []
        for column, value in enumerate(values, start=1):
            key = SHEET_COLUMNS[column - 1][0]
            cell = _cell(
                sheet, row, column, value, centered=key in ("number", "points", "adjusted", "final")
            )
            if key == "link" and link:
                cell.hyperlink = link
                cell.font = openpyxl_styles.Font(
                    name=xlsx.FONT_NAME, size=11, color="1A5FB4", underline="single"
                )
            texts.append((str(value), widths[column - 1]))
        sheet.row_dimensions[row].height = xlsx.row_height(texts)
    row += 1
    total = sum((item.final_points for item in items), start=Decimal("0"))
    for column in range(1, len(SHEET_COLUMNS) + 1):
        _cell(sheet, row, column, "")
    _cell(sheet, row, 3, _("Total (the score)"))
    _cell(sheet, row, 6, total, centered=True)
    for column in range(1, len(SHEET_COLUMNS) + 1):
        sheet.cell(row=row, column=column).font = xlsx.styles().header_font
    _finish(sheet, 3)
    return xlsx.workbook_bytes(workbook)
