"""The quarterly circular (通报): what the record says about a period, the units the office
might praise or criticise, the draft, its issue and the official document.

- ``situation(period, today)`` reads the period's reports and the tasks' lights
  (duban.lights.services.lights_for) into lists: completed (an accepted report with status
  已完成, or the task's status 已完成), on pace (green light), lagging (yellow or red light, or
  status 滞后 — with the lead units, the light's reasons in words and the 存在问题 of the
  **accepted** report), not yet rated (no light: nothing due yet); reports not submitted after
  the due date, submitted late, accepted, awaiting review and returned; and the
  **suggestions** — units whose lead tasks are all green or completed with every report
  accepted and on time (praise), units with a red task or a missing, late or returned report
  (criticism). Suggestions only: the office ticks the units.
- **Only accepted reports are quoted.** A draft, a report awaiting review or a returned report
  is never quoted: the task is described by where its report stands (未报送, 尚待审核,
  未通过审核、已退回修改) and counted under those figures.
- **The figures and the summary sentence** (``Figures``, ``summary_kind``,
  ``summary_sentence``). Every task is in exactly one of: completed, on pace (green), lagging
  (yellow or status 滞后, not red), red, not yet rated; and in exactly one of: reported on time,
  reported late, not submitted (after the due date) or not submitted yet (before it); a
  submitted report is also accepted, awaiting review or returned. The summary of 一、总体情况
  is chosen from these counts only, with ``good`` = completed + on pace and ``behind`` =
  lagging + red, out of ``total``:

  ============================================  ==============================================
  整体按计划推进                                 good ≥ 80 % of total (``ON_PLAN_PERCENT``)
                                                and no red task
  多数任务进展滞后，形势不容乐观                 otherwise, behind > 50 % of total
                                                (``MOST_PERCENT``)
  总体进展平稳，但部分任务滞后                   otherwise, behind ≥ 1
  未发现滞后任务，但尚有任务暂无进展评价          otherwise (nothing behind, but fewer than
                                                80 % rated good: many not yet rated)
  ============================================  ==============================================

  and is always followed by the numbers ("已完成W项、X项按序时推进、Y项滞后、Z项亮红灯"
  and, when there are any, "N项尚无进展评价"), which add up to the total, so the words cannot
  contradict the figures. A period with no task says so.
- ``create_draft`` writes a ``Circular`` with the body generated from that record and the
  office's choices; ``update_draft`` keeps the office's edits; ``issue_circular`` allocates the
  发文字号 (``偃督通〔2023〕N号``, ``DUBAN_CIRCULAR_AGENCY_CODE``) and freezes the circular.
- ``circular_document`` fills an ``OfficialDocument`` for duban.exports.official_docx.

The office does all of it (``Action.MANAGE_LEDGER`` to start a draft, ``Action.CHANGE`` on a
draft to edit, issue or delete it); ``user`` ``None`` is the console (trusted).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from duban.core import clock
from duban.core.formatting import format_cn_date
from duban.core.permissions import Action, check
from duban.directory.models import Unit
from duban.exports.official import OfficialDocument, Para, cn_number
from duban.ledger.models import Assignment, AssignmentRole, Task, TaskStatus
from duban.lights.display import describe
from duban.lights.rules import Colour
from duban.lights.services import lights_for
from duban.reporting.models import Period, PeriodKind, Report, ReviewState

from ..models import Circular, CircularState
from .notices import _issuer, format_doc_number, next_serial

DEFAULT_AGENCY_CODE = "偃督通"
DEFAULT_RECIPIENTS = "各镇（街道），区人民政府有关部门，各有关单位"
DEFAULT_CC = "区委办公室，区人大常委会办公室，区政协办公室"
RECTIFY_DAYS = 15  # default rectification deadline: this many days after the draft
MAX_PARAGRAPH = 3000
SHORT_TASK = 40  # characters of a task's text quoted in the circular


class CircularError(ValueError):
    """A change that cannot be made as asked; the message says why."""


def agency_code() -> str:
    """The 机关代字 of circulars: ``DUBAN_CIRCULAR_AGENCY_CODE`` or 偃督通."""
    return str(getattr(settings, "DUBAN_CIRCULAR_AGENCY_CODE", "") or DEFAULT_AGENCY_CODE)


def _user(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


# --- The record ------------------------------------------------------------------------------


@dataclass
class TaskLine:
    task: Task
    units: list[str]  # lead units (or the group as the notice named it)
    colour: str
    reasons: list[str] = field(default_factory=list)  # the light's reasons, in words
    problems: str = ""  # the accepted report's 存在问题 (never a draft's, pending or returned)
    report: Report | None = None  # the period's report, whatever its state
    standing: str = ""  # where the report stands when it is not accepted, in words

    @property
    def accepted(self) -> Report | None:
        """The report the circular may quote: the period's report once the office accepted it."""
        report = self.report
        return report if report is not None and report.state == ReviewState.ACCEPTED else None

    @property
    def short_text(self) -> str:
        text = self.task.text.strip().rstrip("。")
        return text if len(text) <= SHORT_TASK else text[:SHORT_TASK] + "……"

    @property
    def days_late(self) -> int:
        return self.report.days_late if self.report is not None else 0


@dataclass
class UnitSuggestion:
    unit: Unit
    reasons: list[str]


ON_PLAN_PERCENT = 80  # "整体按计划推进": at least this share completed or on pace, none red
MOST_PERCENT = 50  # "多数任务进展滞后": more than this share lagging or red


@dataclass(frozen=True)
class Figures:
    """The period's counts. Tasks: completed + on_pace + lagging + red + not_rated = total.
    Reports: on_time + late + missing + not_yet_due = total; accepted + pending + returned =
    on_time + late (the submitted ones)."""

    total: int
    completed: int
    on_pace: int  # green, not completed
    lagging: int  # yellow or status 滞后, not red
    red: int
    not_rated: int  # no light yet: nothing due
    on_time: int
    late: int
    missing: int  # after the due date, never submitted (no report, or a draft)
    not_yet_due: int  # before the due date, not submitted yet
    accepted: int
    pending: int  # submitted, awaiting the office's review
    returned: int

    @property
    def good(self) -> int:
        return self.completed + self.on_pace

    @property
    def behind(self) -> int:
        return self.lagging + self.red


ON_PLAN = "on_plan"
MOST_LAGGING = "most_lagging"
SOME_LAGGING = "some_lagging"
NOT_RATED = "not_rated"
NO_TASKS = "no_tasks"


def summary_kind(figures: Figures) -> str:
    """Which summary the figures allow (thresholds in the module docstring)."""
    total = figures.total
    if total == 0:
        return NO_TASKS
    if figures.red == 0 and figures.good * 100 >= ON_PLAN_PERCENT * total:
        return ON_PLAN
    if figures.behind * 100 > MOST_PERCENT * total:
        return MOST_LAGGING
    if figures.behind > 0:
        return SOME_LAGGING
    return NOT_RATED


def _summary_words(kind: str) -> str:
    return {
        ON_PLAN: _("work is progressing as planned overall"),
        MOST_LAGGING: _("most tasks lag behind and the situation is not encouraging"),
        SOME_LAGGING: _("progress is steady overall, but some tasks lag behind"),
        NOT_RATED: _("no task lags behind, but some tasks cannot be rated yet"),
    }[kind]


def task_numbers(figures: Figures) -> str:
    """已完成W项、X项按序时推进、Y项滞后、Z项亮红灯(、N项尚无进展评价): they add up to the total."""
    parts = [
        _("%(n)s completed") % {"n": figures.completed},
        _("%(n)s on pace") % {"n": figures.on_pace},
        _("%(n)s lagging") % {"n": figures.lagging},
        _("%(n)s red") % {"n": figures.red},
    ]
    if figures.not_rated:
        parts.append(_("%(n)s not yet rated") % {"n": figures.not_rated})
    return "、".join(parts)


def summary_sentence(figures: Figures, period: Period) -> str:
    """The first sentence of 一、总体情况: the words the figures allow, then the figures."""
    with translation.override("zh-hans"):
        words = period_words(period)
        kind = summary_kind(figures)
        if kind == NO_TASKS:
            return _("No key task is under supervision in %(period)s.") % {"period": words}
        return _("%(period)s: %(total)s key tasks under supervision; %(summary)s: %(numbers)s.") % {
            "period": words,
            "total": figures.total,
            "summary": _summary_words(kind),
            "numbers": task_numbers(figures),
        }


def reports_sentence(figures: Figures, today: date, due_on: date) -> str:
    """Where the period's reports stand on ``today``."""
    with translation.override("zh-hans"):
        review = {
            "accepted": figures.accepted,
            "pending": figures.pending,
            "returned": figures.returned,
        }
        if today > due_on:
            return _(
                "As of %(date)s, %(on_time)s progress reports came on time, %(late)s late and "
                "%(missing)s were not submitted; %(accepted)s accepted, %(pending)s awaiting "
                "review, %(returned)s returned for revision."
            ) % {
                "date": format_cn_date(today),
                "on_time": figures.on_time,
                "late": figures.late,
                "missing": figures.missing,
                **review,
            }
        return _(
            "As of %(date)s (reports are due on %(due)s), %(on_time)s progress reports came in "
            "and %(waiting)s are not submitted yet; %(accepted)s accepted, %(pending)s awaiting "
            "review, %(returned)s returned for revision."
        ) % {
            "date": format_cn_date(today),
            "due": format_cn_date(due_on),
            "on_time": figures.on_time,
            "waiting": figures.not_yet_due,
            **review,
        }


@dataclass
class Situation:
    period: Period
    today: date
    due_passed: bool
    lines: list[TaskLine]
    completed: list[TaskLine]
    on_pace: list[TaskLine]
    lagging: list[TaskLine]  # yellow, red or status 滞后 (the red ones too)
    not_submitted: list[TaskLine]  # after the due date: no report, or never submitted
    late: list[TaskLine]
    returned: list[TaskLine]
    on_time: int
    praise: list[UnitSuggestion]
    criticise: list[UnitSuggestion]
    not_rated: list[TaskLine] = field(default_factory=list)  # no light yet
    accepted: list[TaskLine] = field(default_factory=list)
    pending: list[TaskLine] = field(default_factory=list)  # submitted, not reviewed yet
    not_yet_due: list[TaskLine] = field(default_factory=list)  # before the due date

    @property
    def total(self) -> int:
        return len(self.lines)

    @property
    def red(self) -> list[TaskLine]:
        return [line for line in self.lagging if line.colour == Colour.RED]

    @property
    def figures(self) -> Figures:
        red = len(self.red)
        return Figures(
            total=self.total,
            completed=len(self.completed),
            on_pace=len(self.on_pace),
            lagging=len(self.lagging) - red,
            red=red,
            not_rated=len(self.not_rated),
            on_time=self.on_time,
            late=len(self.late),
            missing=len(self.not_submitted),
            not_yet_due=len(self.not_yet_due),
            accepted=len(self.accepted),
            pending=len(self.pending),
            returned=len(self.returned),
        )

    @property
    def summary(self) -> str:
        """The summary sentence with its figures, as the circular's 总体情况 opens."""
        return summary_sentence(self.figures, self.period)

    @property
    def reports_summary(self) -> str:
        return reports_sentence(self.figures, self.today, self.period.due_on)


def period_words(period: Period) -> str:
    """``2023年第一季度`` / ``2023年度``."""
    year = period.code[:4]
    if period.kind == PeriodKind.QUARTER and period.quarter:
        return f"{year}年第{cn_number(period.quarter)}季度"
    return f"{year}年度"


def default_title(period: Period) -> str:
    return f"关于{period_words(period)}重点工作推进情况的通报"


def _lead_assignments(tasks: list[Task]) -> dict[int, list[Assignment]]:
    found: dict[int, list[Assignment]] = {t.pk: [] for t in tasks}
    for a in (
        Assignment.objects.filter(task__in=tasks, role=AssignmentRole.LEAD)
        .select_related("unit", "group")
        .order_by("task", "position")
    ):
        found[a.task_id].append(a)
    return found


def _task_ref(line: TaskLine) -> str:
    return f"第{line.task.number}项"


def situation(period: Period, today: date | None = None) -> Situation:
    """The period as the record has it on ``today`` (default: today)."""
    today = today or clock.today()
    tasks = list(period.plan.tasks.order_by("position"))
    reports = {r.task_id: r for r in Report.objects.filter(period=period, task__in=tasks)}
    lights = lights_for(tasks, today=today)
    leads = _lead_assignments(tasks)
    due_passed = today > period.due_on
    lines: list[TaskLine] = []
    completed: list[TaskLine] = []
    on_pace: list[TaskLine] = []
    lagging: list[TaskLine] = []
    not_rated: list[TaskLine] = []
    not_submitted: list[TaskLine] = []
    not_yet_due: list[TaskLine] = []
    late: list[TaskLine] = []
    accepted: list[TaskLine] = []
    pending: list[TaskLine] = []
    returned: list[TaskLine] = []
    on_time = 0
    # per unit: (tasks, all good?, criticism reasons)
    unit_tasks: dict[int, Unit] = {}
    unit_good: dict[int, bool] = {}
    unit_bad: dict[int, list[str]] = {}
    with translation.override("zh-hans"):
        for task in tasks:
            light = lights[task.pk]
            report = reports.get(task.pk)
            names = [str(a.unit or a.group) for a in leads[task.pk]]
            line = TaskLine(
                task=task,
                units=names,
                colour=str(light.colour),
                reasons=[
                    describe(r) for r in light.reasons if r.colour in (Colour.YELLOW, Colour.RED)
                ],
                report=report,
            )
            quoted = line.accepted  # only an accepted report is quoted
            line.problems = quoted.problems.strip() if quoted is not None else ""
            if light.override is not None and light.colour in (Colour.YELLOW, Colour.RED):
                line.reasons.insert(0, light.override.reason)
            lines.append(line)
            done = task.status == TaskStatus.DONE or (
                quoted is not None and quoted.status == TaskStatus.DONE
            )
            if done:
                completed.append(line)
            elif light.colour in (Colour.YELLOW, Colour.RED) or task.status == TaskStatus.LAGGING:
                lagging.append(line)
            elif light.colour == Colour.GREEN:
                on_pace.append(line)
            else:
                not_rated.append(line)
            submitted = report is not None and report.submitted_at is not None
            bad: list[str] = []
            if not submitted and due_passed:
                not_submitted.append(line)
                if not any(r.code == "report_missing" for r in light.reasons):  # else it says so
                    line.standing = _("No progress report was submitted for this period.")
                bad.append(f"{_task_ref(line)}任务季度进展未报送")
            elif not submitted:
                not_yet_due.append(line)
                line.standing = _("The progress report for this period is not submitted yet.")
            elif report is not None and report.days_late > 0:
                late.append(line)
                bad.append(f"{_task_ref(line)}任务进展报告逾期{report.days_late}天报送")
            else:
                on_time += 1
            if report is not None and submitted:
                if report.state == ReviewState.ACCEPTED:
                    accepted.append(line)
                elif report.state == ReviewState.RETURNED:
                    returned.append(line)
                    line.standing = _(
                        "The progress report did not pass review and was returned for revision."
                    )
                    bad.append(f"{_task_ref(line)}任务进展报告被退回")
                else:
                    pending.append(line)
                    line.standing = _("The progress report is still awaiting review.")
            if light.colour == Colour.RED and not done:
                bad.append(f"{_task_ref(line)}任务亮红灯")
            good = (done or light.colour == Colour.GREEN) and quoted is not None and not bad
            for a in leads[task.pk]:
                if a.unit is None:
                    continue
                unit_tasks[a.unit.pk] = a.unit
                unit_good[a.unit.pk] = unit_good.get(a.unit.pk, True) and good
                if bad:
                    unit_bad.setdefault(a.unit.pk, []).extend(bad)
    praise = [UnitSuggestion(unit_tasks[pk], []) for pk, ok in unit_good.items() if ok]
    criticise = [UnitSuggestion(unit_tasks[pk], reasons) for pk, reasons in unit_bad.items()]
    return Situation(
        period=period,
        today=today,
        due_passed=due_passed,
        lines=lines,
        completed=completed,
        on_pace=on_pace,
        lagging=lagging,
        not_submitted=not_submitted,
        late=late,
        returned=returned,
        on_time=on_time,
        praise=sorted(praise, key=lambda s: s.unit.name),
        criticise=sorted(criticise, key=lambda s: s.unit.name),
        not_rated=not_rated,
        accepted=accepted,
        pending=pending,
        not_yet_due=not_yet_due,
    )


# --- The body --------------------------------------------------------------------------------


def _names(units: Iterable[Unit]) -> str:
    return "、".join(u.name for u in units)


def _refs(lines: list[TaskLine]) -> str:
    return "；".join(f"{_task_ref(line)}（{'、'.join(line.units) or '—'}）" for line in lines)


def generate_paragraphs(
    found: Situation,
    praised: Iterable[Unit],
    criticised: Iterable[Unit],
    rectify_by: date,
) -> list[dict[str, Any]]:
    """The body of the circular from the record and the office's choices."""
    praised = list(praised)
    criticised = list(criticised)
    words = period_words(found.period)
    out: list[tuple[str, int]] = []
    out.append(
        (
            f"根据区政府{found.period.code[:4]}年度重点工作安排，区政府督查室对{words}"
            "重点工作推进情况进行了督查，现将有关情况通报如下。",
            0,
        )
    )
    out.append(("总体情况", 1))
    out.append((found.summary + found.reports_summary, 0))
    if found.completed:
        out.append((f"已完成的重点工作：{_refs(found.completed)}。", 0))
    out.append(("进展较好的单位", 1))
    if praised:
        out.append(
            (
                f"{_names(praised)}等单位高度重视，工作推进有力，按时报送进展，"
                "所承担的重点工作进展顺利，予以通报表扬。",
                0,
            )
        )
    else:
        with translation.override("zh-hans"):
            out.append((_("No unit is put forward for praise this period."), 0))
    out.append(("存在的问题", 1))
    if found.lagging:
        out.append(("部分重点工作进展滞后", 2))
        for line in found.lagging:
            text = (
                f"{_task_ref(line)}“{line.short_text}”（牵头单位：{'、'.join(line.units) or '—'}）"
            )
            reasons = "".join(r if r.endswith("。") else r + "。" for r in line.reasons)
            if not reasons and line.task.status == TaskStatus.LAGGING:
                reasons = "任务状态为滞后。"
            text += "：" + (reasons or "进展未达预期。")
            if line.accepted is not None and line.problems:
                text += f"单位反映的问题：{line.problems.rstrip('。')}。"
            elif line.accepted is None and line.standing:
                text += line.standing
            out.append((text, 3))
    if found.not_submitted or found.late or found.returned:
        out.append(("部分单位报送不及时", 2))
        if found.not_submitted:
            out.append((f"逾期未报送进展的：{_refs(found.not_submitted)}。", 0))
        if found.late:
            late = "；".join(
                f"{_task_ref(x)}（{'、'.join(x.units) or '—'}，逾期{x.days_late}天）"
                for x in found.late
            )
            out.append((f"逾期报送的：{late}。", 0))
        if found.returned:
            out.append((f"报送内容不符合要求被退回的：{_refs(found.returned)}。", 0))
    if criticised:
        out.append(("通报批评", 2))
        out.append(
            (
                f"{_names(criticised)}等单位工作推进不力、进展报送不及时，予以通报批评。",
                0,
            )
        )
    if not (found.lagging or found.not_submitted or found.late or found.returned or criticised):
        out.append(("本期未发现突出问题。", 0))
    out.append(("下步要求", 1))
    out.append(
        (
            "各责任单位要对照本通报指出的问题，认真分析原因，制定整改措施，"
            f"于{format_cn_date(rectify_by)}前将整改情况书面报送区政府督查室，"
            "并在督办系统中补报、更新进展情况。",
            0,
        )
    )
    if criticised:
        out.append(
            (
                "被通报批评的单位要切实履行牵头责任，主要负责同志亲自过问，"
                "确保按时保质完成各项工作任务；整改不到位的，将按有关规定进一步督办。",
                0,
            )
        )
    out.append(("各单位要严格落实进展报送制度，按时、如实报送季度进展。", 0))
    return [{"text": text, "level": level} for text, level in out]


LEVEL_MARKS = {1: "# ", 2: "## ", 3: "### "}


def paragraphs_as_text(paragraphs: list[dict[str, Any]]) -> str:
    """The body for the edit box: one paragraph a line, headings marked ``#``/``##``/``###``."""
    return "\n".join(
        LEVEL_MARKS.get(int(p.get("level", 0)), "") + str(p.get("text", "")) for p in paragraphs
    )


_MARK = re.compile(r"^(#{1,3})\s*")


def paragraphs_from_text(text: str) -> list[dict[str, Any]]:
    """The reverse of ``paragraphs_as_text``; empty lines are dropped."""
    out: list[dict[str, Any]] = []
    for raw in text.splitlines():
        line = raw.strip()
        level = 0
        mark = _MARK.match(line)
        if mark:
            level = len(mark.group(1))
            line = line[mark.end() :].strip()
        if not line:
            continue
        if len(line) > MAX_PARAGRAPH:
            raise CircularError(
                _("A paragraph may hold at most %(limit)s characters.") % {"limit": MAX_PARAGRAPH}
            )
        out.append({"text": line, "level": level})
    return out


# --- Draft, edit, issue ----------------------------------------------------------------------


def create_draft(
    *,
    period: Period,
    user: Any,
    praised: Iterable[Unit] | None = None,
    criticised: Iterable[Unit] | None = None,
    rectify_by: date | None = None,
    today: date | None = None,
) -> Circular:
    """A draft circular for ``period``; units default to the suggestions."""
    check(user, Action.MANAGE_LEDGER)
    found = situation(period, today)
    praised = list(praised) if praised is not None else [s.unit for s in found.praise]
    criticised = list(criticised) if criticised is not None else [s.unit for s in found.criticise]
    rectify_by = rectify_by or found.today + timedelta(days=RECTIFY_DAYS)
    with transaction.atomic():
        circular = Circular.objects.create(
            period=period,
            title=default_title(period),
            paragraphs=generate_paragraphs(found, praised, criticised, rectify_by),
            recipients=DEFAULT_RECIPIENTS,
            cc=DEFAULT_CC,
            rectify_by=rectify_by,
            issuer=_issuer(user),
            created_by=_user(user),
        )
        circular.praised_units.set(praised)
        circular.criticised_units.set(criticised)
    return circular


def _locked(circular: Circular) -> Circular:
    locked = Circular.objects.select_for_update().get(pk=circular.pk)
    if locked.state != CircularState.DRAFT:
        raise CircularError(_("This circular has been issued and can no longer be changed."))
    return locked


@dataclass
class CircularInput:
    title: str
    recipients: str
    cc: str
    body: str  # paragraphs_as_text format
    praised: list[Unit]
    criticised: list[Unit]
    rectify_by: date | None = None
    regenerate: bool = False  # rebuild the body from the record and the choices


def update_draft(*, circular: Circular, data: CircularInput, user: Any) -> Circular:
    with transaction.atomic():
        locked = _locked(circular)
        check(user, Action.CHANGE, locked)
        if not data.title.strip() or not data.recipients.strip():
            raise CircularError(_("Write the title and the addressees."))
        locked.title = data.title.strip()
        locked.recipients = data.recipients.strip()
        locked.cc = data.cc.strip()
        locked.rectify_by = data.rectify_by
        if data.regenerate:
            found = situation(locked.period)
            rectify_by = data.rectify_by or found.today + timedelta(days=RECTIFY_DAYS)
            locked.paragraphs = generate_paragraphs(
                found, data.praised, data.criticised, rectify_by
            )
        else:
            paragraphs = paragraphs_from_text(data.body)
            if not paragraphs:
                raise CircularError(_("The circular needs a body."))
            locked.paragraphs = paragraphs
        locked.save()
        locked.praised_units.set(data.praised)
        locked.criticised_units.set(data.criticised)
    return locked


def issue_circular(*, circular: Circular, user: Any) -> Circular:
    """Issue the draft: its 发文字号 is allocated now; it is read-only afterwards."""
    today = clock.today()
    code = agency_code()
    with transaction.atomic():
        locked = _locked(circular)
        check(user, Action.CHANGE, locked)
        serial = next_serial(today.year, code)
        locked.state = CircularState.ISSUED
        locked.year = today.year
        locked.agency_code = code
        locked.serial = serial
        locked.doc_number = format_doc_number(code, today.year, serial)
        locked.issued_at = clock.now()
        locked.issued_by = _user(user)
        locked.save()
    return locked


def delete_draft(*, circular: Circular, user: Any) -> None:
    with transaction.atomic():
        locked = _locked(circular)
        check(user, Action.CHANGE, locked)
        locked.delete()


# --- The official document -------------------------------------------------------------------


def _split(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[，,、;；\n]", text) if part.strip()]


def circular_document(circular: Circular) -> OfficialDocument:
    """The 通报 for duban.exports.official_docx; a draft is dated today and numbered 〔草稿〕."""
    when = (
        timezone.localtime(circular.issued_at).date()
        if circular.issued_at is not None
        else clock.today()
    )
    number = circular.doc_number or f"{agency_code()}〔{when.year}〕（草稿）"
    return OfficialDocument(
        title=circular.title,
        doc_number=number,
        recipients=[circular.recipients.strip().rstrip("：:")],
        paragraphs=[Para(str(p["text"]), int(p.get("level", 0))) for p in circular.paragraphs],
        issuer=circular.issuer,
        date=when,
        cc=_split(circular.cc),
        printed_by=circular.issuer,
        printed_on=when,
    )
