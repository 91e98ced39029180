"""The demo year: the seed plan as it stood on a demonstration date, built through the services.

``build_year(plan, until)`` plays 2023 day by day up to ``until`` (``duban demo`` gives
2023-08-15): each step runs inside ``clock.pinned(its day)``, so submission times, lateness,
notice numbers and lights are those of that day, and every step goes through the service a
person would have used (refinements, reports, contributions, notices, an extension, a special
inspection, the Q1 circular), as that person (the lead unit's operator, the office).

Nothing is random: every choice comes from the task's number (``profile``, and the modulo rules
beside it). On 2023-08-15 the lights come out mostly green, some yellow (behind the plan, a Q2
report late or returned, an issue the office is pressing), a few red (a Q2 report missing or far
behind): no task has anything overdue by more than a quarter — every milestone already due was
reached or extended, every Q1 report was submitted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model

from duban.audit.context import acting_as
from duban.core import clock
from duban.core.files import CheckedFile, check_file
from duban.directory.models import Unit
from duban.exports.official_docx import OfficialDocument, Para, write
from duban.inspections.models import InspectionState, RectificationItem, Severity
from duban.inspections.services import (
    close_item,
    create_inspection,
    raise_item,
    record_finding,
    report_item,
    return_item,
    update_inspection,
    verify_item,
)
from duban.ledger.models import AssignmentRole, Plan, Target, TargetOp, Task, TaskStatus
from duban.ledger.progress import progress_from_targets
from duban.lights.services import record_lights
from duban.notify.services import run_reminders
from duban.reporting.models import Period, Refinement, Report, ReviewState
from duban.reporting.services.contributions import expected_contributors, save_contribution
from duban.reporting.services.periods import close_period, open_period
from duban.reporting.services.refinement import (
    approve_refinement,
    return_refinement,
    save_refinement,
)
from duban.reporting.services.refinement_rules import (
    GROWING_OPS,
    PERCENT,
    TARGETS,
    MilestoneInput,
    RefinementInput,
    open_assignments,
    slot_choices,
    task_units,
)
from duban.reporting.services.reports import (
    ReportInput,
    accept_report,
    return_report,
    save_report,
)
from duban.supervision.models import Notice, NoticeLevel
from duban.supervision.services.circulars import create_draft, issue_circular
from duban.supervision.services.notices import (
    NoticeInput,
    accept_reply,
    decide_extension,
    issue_notice,
    press_again,
    reply_notice,
    request_extension,
    sign_notice,
)

from .accounts import OFFICE_USERNAME, clerk_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

DEMO_DATE = dt.date(2023, 8, 15)
YEAR = 2023
# The office imports the plan before the year's first refinement (16 January).
IMPORTED_ON = dt.date(YEAR, 1, 9)


def day(month: int, number: int) -> dt.date:
    return dt.date(YEAR, month, number)


# --- Which task does what: every choice from the task's number ---------------------------------

GREEN = "green"
DONE = "done"  # completed in Q2
BEHIND = "behind"  # Q2 progress 12–18 points behind the plan: yellow
FAR_BEHIND = "far_behind"  # more than 30 points behind: red, status 滞后
LATE = "late"  # the Q2 report came a few days late: yellow
RETURNED = "returned"  # the Q2 report is back with the unit: yellow
MISSING = "missing"  # no Q2 report submitted (a draft, or nothing): red


def profile(n: int) -> str:
    """What the task's year looks like on the demo date (see the module's docstring)."""
    if n % 47 == 39:
        return DONE
    if n % 19 == 11:
        return MISSING
    if n % 31 == 17:
        return FAR_BEHIND
    if n % 11 == 4:
        return BEHIND
    if n % 13 == 6:
        return LATE
    if n % 17 == 9:
        return RETURNED
    return GREEN


def refinement_fate(n: int) -> str:
    """``draft`` (never submitted), ``returned`` (waiting for the lead unit), ``again``
    (returned once, fixed and approved) or ``approved``."""
    if n % 29 == 7:
        return "draft"
    if n % 31 == 12:
        return "returned"
    if n % 10 == 3:
        return "again"
    return "approved"


def percents(n: int) -> list[int]:
    """The refinement's expected progress at the end of each quarter."""
    return [15 + (n % 3) * 5, 40 + (n % 4) * 5, 70 + (n % 3) * 5, 100]


def q1_late_days(n: int) -> int:
    return 2 + n % 9 if n % 7 == 3 else 0


MILESTONES = [
    ("制定年度工作方案，明确责任分工和时间节点", 3),
    ("完成年度目标任务的一半，形成阶段性成果", 6),
    ("完成年度目标任务的75%以上", 9),
    ("全面完成年度目标任务，做好总结评估", 12),
]
MIDDLE_WORDS = [
    "推进项目前期手续办理和要素保障",
    "召开专题推进会，协调解决存在问题",
    "开展一次专项调度，通报进展情况",
]

PROGRESS_TEXTS = [
    "{lead}牵头召开专题推进会{meetings}次，细化责任清单，{work}，{quarter}累计完成年度目标的{p}%。",
    "{quarter}，{lead}对照细化台账逐项推进，{work}。截至目前，完成年度任务的{p}%，"
    "各责任单位配合有力。",
    "围绕“{short}”，{lead}建立周调度、月通报机制，{work}，整体进度{p}%。",
    "{lead}会同责任单位实地督导{meetings}次，{work}；{quarter}完成年度目标的{p}%，总体按计划推进。",
]
WORK = [
    "完成项目摸底和台账更新",
    "争取上级资金和政策支持",
    "组织开展现场观摩和业务培训",
    "推动重点环节审批提速",
    "完善配套制度和考核办法",
    "加强部门协调和要素保障",
]
PROBLEMS = [
    "部分项目前期手续办理进度偏慢，用地、环评等要素保障仍需加强。",
    "资金到位不及时，部分配套资金尚未落实。",
    "个别责任单位配合不够紧密，信息报送不及时。",
    "",
    "受天气和原材料价格影响，部分工程施工进度有所放缓。",
    "",
]
LAG_PROBLEMS = [
    "项目资金缺口较大，施工单位进场推迟，进度明显滞后于计划。",
    "关键审批环节尚未完成，主体工程未能按期开工。",
]
NEXT_STEPS = [
    "下一步，将加大调度力度，确保按时完成下季度目标。",
    "下一步，紧盯时间节点，实行挂图作战、倒排工期，确保年度任务如期完成。",
    "下一步，继续强化部门联动，及时协调解决推进中遇到的困难和问题。",
]
RETURN_COMMENTS = [
    "进展情况过于笼统，请补充具体数据和已完成的节点。",
    "形象进度与细化台账不一致，请核实后重新报送。",
    "存在问题和下步打算未填写完整，请补充。",
]
CONTRIBUTION_TEXTS = [
    "{unit}配合{lead}做好{short}相关工作，{quarter}完成本单位承担任务。",
    "{unit}按照分工，{work}，及时向牵头单位报送情况。",
    "{unit}成立工作专班，{work}，配合推进{short}。",
]


@dataclass(order=True)
class Step:
    day: dt.date
    seq: int
    run: Callable[[], Any] = field(compare=False)
    user: Any = field(compare=False, default=None)


def _quarter_words(quarter: int) -> str:
    return ["一季度", "二季度", "三季度", "四季度"][quarter - 1]


def _short(task: Task, limit: int = 14) -> str:
    text = task.text.strip().rstrip("。")
    for mark in "，。；、":
        text = text.split(mark, 1)[0]
    return text if len(text) <= limit else text[:limit] + "……"


def _whole(target: Target) -> bool:
    return target.value == target.value.to_integral_value() and target.value >= 20


def _value_at(target: Target, percent: int) -> Decimal:
    """The target's value at ``percent`` of the way (a ceiling: just under it, as met)."""
    if target.op == TargetOp.LE:
        return (target.value * Decimal("0.9")).quantize(Decimal("0.1"), ROUND_HALF_UP)
    raw = target.value * Decimal(percent) / Decimal(100)
    step = Decimal("1") if _whole(target) else Decimal("0.01")
    return raw.quantize(step, ROUND_HALF_UP).normalize() + Decimal(0)


def evidence(title: str, lines: list[str], on: dt.date) -> CheckedFile:
    """A short Word document, as a unit would attach to a rectification report."""
    document = OfficialDocument(
        title=title,
        doc_number="",
        recipients=["区人民政府督查室"],
        paragraphs=[Para(line) for line in lines],
        issuer="偃师区",
        date=on,
    )
    return check_file(f"{title}.docx", write(document))


class YearBuilder:
    """Plans the year's steps (``plan_*``), then plays those up to ``until`` in date order."""

    def __init__(self, plan: Plan, until: dt.date) -> None:
        self.plan = plan
        self.until = until
        self.office = get_user_model().objects.get(username=OFFICE_USERNAME)
        self.tasks = list(
            plan.tasks.order_by("position").prefetch_related(
                "targets", "assignments__unit", "assignments__group"
            )
        )
        self.by_number = {task.number: task for task in self.tasks}
        self.periods = {period.code: period for period in plan.periods.all()}
        self.steps: list[Step] = []
        self.leads: dict[int, Unit] = {}
        for task in self.tasks:
            lead = next(
                (
                    a.unit
                    for a in task.assignments.all()
                    if a.role == AssignmentRole.LEAD and a.unit is not None
                ),
                None,
            )
            if lead is not None:
                self.leads[task.pk] = lead
        self.milestone_plan: dict[int, list[tuple[str, dt.date, int]]] = {}
        self.notices: dict[str, Notice] = {}
        self.items: dict[str, RectificationItem] = {}

    # --- scheduling -----------------------------------------------------------------------------

    def at(self, when: dt.date, run: Callable[[], Any], user: Any = None) -> None:
        self.steps.append(Step(when, len(self.steps), run, user))

    def play(self) -> int:
        done = 0
        for step in sorted(self.steps):
            if step.day > self.until:
                continue
            # Someone works at a plausible hour: from 8:30, a few minutes per step of the day.
            minutes = 30 + (step.seq * 7) % 510
            moment = dt.datetime.combine(step.day, dt.time(8, 0)) + dt.timedelta(minutes=minutes)
            with clock.pinned(moment), acting_as(step.user or self.office):
                step.run()
            done += 1
        return done

    def clerk(self, task: Task) -> AbstractUser:
        return clerk_of(self.leads[task.pk])

    def period(self, code: str) -> Period:
        return Period.objects.get(pk=self.periods[code].pk)

    # --- the calendar ---------------------------------------------------------------------------

    def plan_year(self) -> None:
        self.plan_periods()
        for task in self.tasks:
            if task.pk not in self.leads:
                continue
            n = int(task.number)
            self.plan_refinement(task, n)
            self.plan_report(task, n, 1)
            self.plan_report(task, n, 2)
        self.plan_notices()
        self.plan_extensions()
        self.plan_inspection()
        self.plan_circular()
        # The lights' history, and last of all the lights of the demo date itself.
        for when in (day(4, 1), day(4, 21), day(7, 1), day(7, 17), day(8, 1), self.until):
            self.at(when, partial(record_lights, today=when))
        # The reminders of the demo date: every operator and the office find notifications.
        self.at(self.until, partial(run_reminders, today=self.until))

    def plan_periods(self) -> None:
        office = self.office
        self.at(day(3, 1), lambda: open_period(period=self.period(f"{YEAR}Q1"), user=office))
        self.at(day(4, 20), lambda: close_period(period=self.period(f"{YEAR}Q1"), user=office))
        self.at(day(6, 1), lambda: open_period(period=self.period(f"{YEAR}Q2"), user=office))
        self.at(day(9, 1), lambda: open_period(period=self.period(f"{YEAR}Q3"), user=office))

    # --- refinements ----------------------------------------------------------------------------

    def refinement_input(self, task: Task, n: int, *, again: bool = False) -> RefinementInput:
        slots: dict[int, list[int]] = {}
        for assignment in open_assignments(task):
            choices = list(slot_choices(assignment).values_list("pk", "name"))
            count = min(len(choices), 1 + n % 3)
            chosen = [choices[(n * 7 + i * 5) % len(choices)][0] for i in range(count)]
            goushi = next((pk for pk, name in choices if name == "缑氏镇"), None)
            if goushi is not None and n % 3 == 0:
                chosen.insert(0, goushi)
            slots[assignment.pk] = list(dict.fromkeys(chosen))
        units = task_units(task, slots)
        lead = self.leads[task.pk].pk
        others = [pk for pk in units if pk != lead] or [lead]
        milestones = []
        for index, (text, month) in enumerate(MILESTONES):
            if index == 1:
                text = f"{MIDDLE_WORDS[n % len(MIDDLE_WORDS)]}，{text}"
            due = {3: day(3, 20 + n % 10), 6: day(6, 10 + n % 18), 9: day(9, 15 + n % 15)}.get(
                month, day(12, 15 + n % 10)
            )
            unit = lead if index in (0, 3) else others[(n + index) % len(others)]
            milestones.append((text, due, unit))
        if again:  # the lead unit's correction: a clearer first step
            first = milestones[0]
            milestones[0] = (first[0] + "，报区政府备案", first[1], first[2])
        self.milestone_plan[task.pk] = milestones
        planned = percents(n)
        targets = list(task.targets.all())
        if targets and n % 2 == 0 and all(t.op in GROWING_OPS and _whole(t) for t in targets):
            values = {t.pk: [_value_at(t, p) for p in planned[:3]] + [t.value] for t in targets}
            return RefinementInput(
                [MilestoneInput(text, due, unit) for text, due, unit in milestones],
                TARGETS,
                target_values=values,
                slots=slots,
            )
        return RefinementInput(
            [MilestoneInput(text, due, unit) for text, due, unit in milestones],
            PERCENT,
            planned,
            slots=slots,
        )

    def plan_refinement(self, task: Task, n: int) -> None:
        fate = refinement_fate(n)
        clerk, office = self.clerk(task), self.office
        written = day(1, 16) + dt.timedelta(days=n % 20)
        reviewed = written + dt.timedelta(days=3 + n % 4)

        def write() -> None:
            data = self.refinement_input(task, n)
            save_refinement(task=task, user=clerk, version=0, data=data, submit=fate != "draft")

        self.at(written, write, clerk)
        if fate == "draft":
            return

        def version() -> int:
            return Refinement.objects.get(task=task).version

        if fate in ("returned", "again"):
            comment = [
                "节点设置不够具体，请细化到月并明确责任单位。",
                "一季度目标偏低，请结合去年同期情况重新测算。",
            ][n % 2]
            self.at(
                reviewed,
                lambda: return_refinement(
                    task=task, user=office, version=version(), comment=comment
                ),
            )
            if fate == "returned":
                return

            def fix() -> None:
                data = self.refinement_input(task, n, again=True)
                current = Refinement.objects.get(task=task)
                ids = [m.pk for m in current.milestones.order_by("position")]
                data = RefinementInput(
                    [
                        MilestoneInput(m.description, m.due_on, m.unit_id, id=pk)
                        for m, pk in zip(data.milestones, ids, strict=False)
                    ],
                    data.mode,
                    data.percents,
                    data.target_values,
                    data.slots,
                )
                save_refinement(
                    task=task, user=clerk, version=current.version, data=data, submit=True
                )

            self.at(reviewed + dt.timedelta(days=3), fix, clerk)
            reviewed += dt.timedelta(days=5)
        self.at(
            reviewed,
            lambda: approve_refinement(task=task, user=office, version=version()),
        )

    # --- reports and contributions --------------------------------------------------------------

    def expected(self, task: Task, n: int, quarter: int) -> int:
        """What the lights will expect of the quarter's report (the refinement's plan when it
        counts, else the share of the year elapsed on the due date)."""
        if refinement_fate(n) in ("draft", "returned"):
            return 25 if quarter == 1 else 50
        planned = percents(n)[quarter - 1]
        targets = list(task.targets.all())
        if targets and n % 2 == 0 and all(t.op in GROWING_OPS and _whole(t) for t in targets):
            share = progress_from_targets((_value_at(t, planned), t.value, t.op) for t in targets)
            return share if share is not None else planned
        return planned

    def progress(self, task: Task, n: int, quarter: int) -> int:
        """The report's progress: about the plan, or behind it as the task's profile says;
        never lower in Q2 than in Q1 (the figures only grow)."""
        expected = self.expected(task, n, quarter)
        kind = profile(n)
        if quarter == 1:
            if kind == FAR_BEHIND:
                return 2 + n % 3
            if kind == BEHIND:
                return max(3, expected - 6 - n % 4)
            return expected + n % 6
        first = self.progress(task, n, 1)
        if kind == DONE:
            return 100
        if kind == BEHIND:
            return max(first + 2, expected - 12 - n % 7)
        if kind == FAR_BEHIND:
            return max(first + 2, expected - 33 - n % 6)
        return min(100, max(first + 5, expected + n % 5))

    def report_input(self, task: Task, n: int, quarter: int, *, again: bool = False) -> ReportInput:
        kind = profile(n)
        p = self.progress(task, n, quarter)
        lead = self.leads[task.pk].name
        words = {
            "lead": lead,
            "quarter": _quarter_words(quarter),
            "p": p,
            "meetings": 1 + (n + quarter) % 4,
            "work": WORK[(n + quarter) % len(WORK)],
            "short": _short(task),
        }
        text = PROGRESS_TEXTS[(n + quarter) % len(PROGRESS_TEXTS)].format(**words)
        problems = PROBLEMS[(n * 3 + quarter) % len(PROBLEMS)]
        status = TaskStatus.IN_PROGRESS
        if quarter == 2 and kind == DONE:
            text = f"{lead}已全面完成年度目标任务，各项指标均达到预期。"
            problems, status = "", TaskStatus.DONE
        elif quarter == 2 and kind == FAR_BEHIND:
            problems, status = LAG_PROBLEMS[n % len(LAG_PROBLEMS)], TaskStatus.LAGGING
        elif quarter == 2 and kind == BEHIND:
            problems = LAG_PROBLEMS[n % len(LAG_PROBLEMS)]
        if again:
            text += "其中，已完成的重点节点和具体数据详见附表。"
        values = {t.pk: _value_at(t, p) for t in task.targets.all()}
        reached = [
            m.pk
            for m in _milestones(task)
            if m.due_on <= day(quarter * 3, 30 if quarter == 2 else 31)
        ]
        return ReportInput(
            status=status,
            progress=p,
            progress_text=text,
            problems=problems,
            next_steps=NEXT_STEPS[(n + quarter) % len(NEXT_STEPS)],
            target_values=values,
            milestone_ids=reached,
        )

    def plan_report(self, task: Task, n: int, quarter: int) -> None:
        kind = profile(n) if quarter == 2 else GREEN
        code = f"{YEAR}Q{quarter}"
        clerk, office = self.clerk(task), self.office
        if quarter == 1:
            submitted = day(3, 24 + n % 7)
            if q1_late_days(n):
                submitted = day(3, 31) + dt.timedelta(days=q1_late_days(n))
        else:
            submitted = day(6, 24 + n % 7)
            if kind == LATE:
                submitted = day(7, 2 + n % 10)
        self.plan_contributions(task, n, quarter, submitted - dt.timedelta(days=3 + n % 3))

        if quarter == 2 and kind == MISSING:
            if n % 2 == 0:  # a draft the unit never submitted
                self.at(
                    day(6, 27),
                    lambda: save_report(
                        task=task,
                        period=self.period(code),
                        user=clerk,
                        data=self.report_input(task, n, quarter),
                        version=None,
                    ),
                    clerk,
                )
            return

        if n % 5 == 0:  # a draft first, submitted later
            self.at(
                submitted - dt.timedelta(days=4),
                lambda: save_report(
                    task=task,
                    period=self.period(code),
                    user=clerk,
                    data=self.report_input(task, n, quarter),
                    version=None,
                ),
                clerk,
            )
        self.at(
            submitted,
            lambda: save_report(
                task=task,
                period=self.period(code),
                user=clerk,
                data=self.report_input(task, n, quarter),
                version=None,
                submit=True,
            ),
            clerk,
        )

        def report() -> Report:
            return Report.objects.get(task=task, period=self.periods[code])

        reviewed = submitted + dt.timedelta(days=2 + n % 4)
        comment = RETURN_COMMENTS[n % len(RETURN_COMMENTS)]
        returned_again = (n % 9 == 2) if quarter == 1 else (n % 9 == 5 and kind == GREEN)
        if kind == RETURNED or returned_again:
            self.at(reviewed, lambda: return_report(report=report(), user=office, comment=comment))
            if kind == RETURNED:
                return
            self.at(
                reviewed + dt.timedelta(days=2),
                lambda: save_report(
                    task=task,
                    period=self.period(code),
                    user=clerk,
                    data=self.report_input(task, n, quarter, again=True),
                    version=None,
                    submit=True,
                ),
                clerk,
            )
            reviewed += dt.timedelta(days=4)
        if quarter == 2 and kind == GREEN and n % 8 == 1:
            return  # still waiting for the office on the demo date
        words = "" if n % 4 else "进展情况属实，请继续加快推进。"
        self.at(reviewed, lambda: accept_report(report=report(), user=office, comment=words))

    def plan_contributions(self, task: Task, n: int, quarter: int, when: dt.date) -> None:
        code = f"{YEAR}Q{quarter}"
        lead = self.leads[task.pk].name
        when = max(when, day(quarter * 3, 2))

        def contribute() -> None:
            chosen: list[Unit] = []
            rows = expected_contributors(task)
            for unit, _via in rows:
                if unit.name in ("缑氏镇", "工信局"):
                    chosen.append(unit)
            direct = [unit for unit, via in rows if not via]
            if direct and n % 3 != 0:
                chosen.append(direct[0])
            towns = [unit for unit, via in rows if via and unit.name != "缑氏镇"]
            if towns and n % 4 == 1:
                chosen.append(towns[n % len(towns)])
            for index, unit in enumerate(dict.fromkeys(chosen)):
                words = {
                    "unit": unit.name,
                    "lead": lead,
                    "short": _short(task),
                    "quarter": _quarter_words(quarter),
                    "work": WORK[(n + index) % len(WORK)],
                }
                text = CONTRIBUTION_TEXTS[(n + index + quarter) % len(CONTRIBUTION_TEXTS)]
                clerk = clerk_of(unit)
                with acting_as(clerk):
                    save_contribution(
                        task=task,
                        period=self.period(code),
                        user=clerk,
                        text=text.format(**words),
                        figures="" if n % 2 else f"完成投资{1 + (n * 7 + index) % 9}亿元",
                        version=None,
                        submit=(n + index) % 11 != 0,
                    )

        self.at(when, contribute)

    # --- supervision ----------------------------------------------------------------------------

    def notice(
        self,
        key: str,
        number: str,
        level: str,
        problem: str,
        requirement: str,
        issued: dt.date,
        due: dt.date,
    ) -> None:
        task = self.by_number[number]

        def issue() -> None:
            data = NoticeInput(level, problem, requirement, due)
            self.notices[key] = issue_notice(task=task, data=data, user=self.office)

        self.at(issued, issue)

    def plan_notices(self) -> None:
        """催办 and 督办 in every state, aimed at the tasks that needed them."""
        office = self.office

        def clerk_of_notice(key: str) -> AbstractUser:
            return clerk_of(self.notices[key].unit)

        def sign(key: str, when: dt.date) -> None:
            self.at(
                when,
                lambda: sign_notice(notice=self.notices[key], user=clerk_of_notice(key)),
            )

        def reply(key: str, when: dt.date, text: str) -> None:
            self.at(
                when,
                lambda: reply_notice(
                    notice=self.notices[key], text=text, user=clerk_of_notice(key)
                ),
            )

        def accept(key: str, when: dt.date, comment: str = "") -> None:
            self.at(
                when,
                lambda: accept_reply(notice=self.notices[key], comment=comment, user=office),
            )

        late = [t for t in self.tasks if q1_late_days(int(t.number)) and t.pk in self.leads]
        behind = [t for t in self.tasks if profile(int(t.number)) == BEHIND]
        far = [t for t in self.tasks if profile(int(t.number)) == FAR_BEHIND]
        missing = [t for t in self.tasks if profile(int(t.number)) == MISSING]
        returned = [t for t in self.tasks if profile(int(t.number)) == RETURNED]

        # Closed: Q1 reports that came late, pressed, answered and accepted.
        for index, task in enumerate(late[:3]):
            key = f"late-{index}"
            level = [NoticeLevel.URGE, NoticeLevel.SUPERVISE, NoticeLevel.URGE][index]
            self.notice(
                key,
                task.number,
                level,
                "一季度进展情况未按期报送，影响全区重点工作调度。",
                "请于规定时间内说明逾期原因，落实专人负责进展报送工作。",
                day(4, 12 + index),
                day(4, 26),
            )
            sign(key, day(4, 13 + index))
            reply(key, day(4, 20 + index), "已明确专人负责进展报送，今后将严格按时报送。")
            accept(key, day(4, 25), "反馈情况属实，予以办结。")

        # Pressed again: no answer to the first notice, then a 挂牌督办 that was answered.
        if far:
            task = far[0]
            self.notice(
                "far",
                task.number,
                NoticeLevel.SUPERVISE,
                "项目推进缓慢，一季度形象进度明显低于计划。",
                "请制定赶超措施，倒排工期，并书面报告整改情况。",
                day(5, 10),
                day(5, 20),
            )
            sign("far", day(5, 11))

            def press() -> None:
                self.notices["far-again"] = press_again(
                    notice=self.notices["far"],
                    reply_due=day(6, 5),
                    comment="逾期未反馈整改情况，现予以挂牌督办。",
                    level=NoticeLevel.LISTED,
                    user=office,
                )

            self.at(day(5, 23), press)
            sign("far-again", day(5, 24))
            reply("far-again", day(6, 2), "已成立工作专班，制定赶超方案，资金缺口正在协调解决。")
            accept("far-again", day(6, 6), "请按赶超方案抓好落实。")

        # Replied, waiting for the office: tasks behind the plan.
        for index, task in enumerate(behind[:3]):
            key = f"behind-{index}"
            self.notice(
                key,
                task.number,
                NoticeLevel.URGE,
                "二季度形象进度低于细化台账计划。",
                "请分析原因，提出加快推进的具体措施。",
                day(7, 12 + index),
                day(7, 26),
            )
            sign(key, day(7, 13 + index))
            reply(key, day(7, 24), "已召开专题会议分析原因，制定加快推进措施，确保三季度赶上进度。")

        # Signed for, not yet answered: the Q2 reports still missing.
        for index, task in enumerate(missing[:3]):
            key = f"missing-{index}"
            self.notice(
                key,
                task.number,
                NoticeLevel.SUPERVISE,
                "二季度进展情况逾期未报送。",
                "请立即报送二季度进展情况，并说明逾期原因。",
                day(7, 20 + index),
                day(8, 18 + index),
            )
            sign(key, day(7, 21 + index))

        # Issued, not signed for yet: one of them already past its reply date.
        for index, task in enumerate([*returned[:2], *far[1:2]]):
            key = f"new-{index}"
            issued = [day(8, 9), day(8, 14), day(7, 28)][index]
            due = [day(8, 24), day(8, 28), day(8, 8)][index]
            self.notice(
                key,
                task.number,
                NoticeLevel.URGE,
                "二季度进展报告退回后未及时修改报送。"
                if index < 2
                else "工作推进明显滞后，形象进度远低于计划。",
                "请按要求修改完善后尽快重新报送。" if index < 2 else "请说明原因并提出整改措施。",
                issued,
                due,
            )

    def plan_extensions(self) -> None:
        """One extension decided (a milestone moved to 30 September), one waiting."""
        office = self.office
        chosen = [
            t
            for t in self.tasks
            if profile(int(t.number)) == GREEN and refinement_fate(int(t.number)) == "approved"
        ]
        if len(chosen) < 2:
            return
        approved_task, pending_task = chosen[0], chosen[1]
        # Its third milestone: due in the second half of September on the plan.
        for task, asked, to, decided in (
            (approved_task, day(7, 20), day(10, 31), day(7, 24)),
            (pending_task, day(8, 10), day(11, 15), None),
        ):
            clerk = self.clerk(task)

            def ask(task: Task = task, asked: dt.date = asked, to: dt.date = to) -> None:
                milestone = _milestones(task)[2]
                request_extension(
                    task=task,
                    milestone=milestone,
                    requested_due=to,
                    reason="受用地报批进度影响，该节点需顺延，已与相关部门对接。",
                    user=self.clerk(task),
                )

            self.at(asked, ask, clerk)
            if decided is not None:

                def decide(task: Task = task) -> None:
                    request = task.extension_requests.get()
                    decide_extension(
                        request=request, approve=True, comment="同意延期，请抓紧推进。", user=office
                    )

                self.at(decided, decide)

    # --- the special inspection -----------------------------------------------------------------

    def plan_inspection(self) -> None:
        office = self.office
        numbers = [n for n in ("1", "2", "19", "26", "37") if n in self.by_number]
        if not numbers:
            return
        tasks = [self.by_number[n] for n in numbers]
        holder: dict[str, Any] = {}

        def start() -> None:
            holder["inspection"] = create_inspection(
                plan=self.plan,
                topic="重点项目建设推进情况专项督查",
                tasks=tasks,
                team="督查室 刘芳 等4人",
                starts_on=day(5, 8),
                ends_on=day(5, 19),
                state=InspectionState.UNDER_WAY,
                user=office,
            )

        self.at(day(5, 8), start)
        findings = [
            ("1", "部分签约项目未按期开工，前期手续办理滞后。", Severity.GENERAL, day(5, 10)),
            ("2", "个别竣工项目资料不全，验收工作推进缓慢。", Severity.MINOR, day(5, 11)),
            ("19", "安置房项目施工进度滞后于计划，资金拨付不及时。", Severity.SERIOUS, day(5, 15)),
            ("26", "技术改造项目台账不完整，部分项目底数不清。", Severity.MINOR, day(5, 16)),
            (
                "37",
                "部分老旧小区改造项目群众意见较多，施工组织不够规范。",
                Severity.GENERAL,
                day(5, 17),
            ),
        ]
        items = {
            # key: (task, what must be fixed, deadline)
            "1": ("督促签约项目落实开工条件，6月15日前全部完成前期手续。", day(6, 15)),
            "2": ("补齐竣工项目验收资料，完成验收备案。", day(7, 31)),
            "19": ("制定赶工计划，落实建设资金，确保年底前主体完工。", day(9, 30)),
            "26": ("完善技术改造项目台账，逐项核实投资完成情况。", day(6, 30)),
            "37": ("规范施工组织，建立群众意见收集反馈机制。", day(8, 31)),
        }
        for number, text, severity, found in findings:
            if number not in self.by_number:
                continue
            task = self.by_number[number]

            def find(
                task: Task = task,
                text: str = text,
                severity: str = severity,
                found: dt.date = found,
                number: str = number,
            ) -> None:
                finding = record_finding(
                    inspection=holder["inspection"],
                    task=task,
                    text=text,
                    severity=severity,
                    found_on=found,
                    user=office,
                )
                what, deadline = items[number]
                self.items[number] = raise_item(
                    finding=finding, text=what, deadline=deadline, user=office
                )

            self.at(found, find)

        def finish() -> None:
            update_inspection(
                inspection=holder["inspection"],
                topic="重点项目建设推进情况专项督查",
                tasks=tasks,
                team="督查室 刘芳 等4人",
                starts_on=day(5, 8),
                ends_on=day(5, 19),
                state=InspectionState.FINISHED,
                user=office,
            )

        self.at(day(5, 22), finish)

        def rectify(number: str, when: dt.date, text: str) -> None:
            def run() -> None:
                item = self.items[number]
                clerk = clerk_of(item.unit)
                proof = evidence("整改情况报告", [text, "特此报告。"], when)
                report_item(item=item, text=text, files=[proof], user=clerk)

            self.at(when, run)

        # Closed: reported, verified, 销号.
        for number, reported in (("1", day(6, 10)), ("26", day(6, 26))):
            rectify(number, reported, "已按要求完成整改，相关佐证材料附后。")
            self.at(reported + dt.timedelta(days=3), partial(self.verify, number))
            self.at(reported + dt.timedelta(days=4), partial(self.close, number))
        # Returned: the report did not answer the finding.
        rectify("2", day(7, 25), "已督促相关企业补充资料。")
        self.at(
            day(7, 28),
            lambda: return_item(
                item=self.items["2"], reason="未附验收备案材料，请补充后重新报送。", user=office
            ),
        )
        # Reported, waiting for the office; and one still open.
        rectify("37", day(8, 10), "已建立群众意见收集反馈机制，施工现场全面规范。")

    def verify(self, number: str) -> None:
        verify_item(item=self.items[number], comment="整改到位。", user=self.office)

    def close(self, number: str) -> None:
        close_item(item=self.items[number], user=self.office)

    # --- the circular ---------------------------------------------------------------------------

    def plan_circular(self) -> None:
        office = self.office
        holder: dict[str, Any] = {}

        def draft() -> None:
            holder["circular"] = create_draft(
                period=self.period(f"{YEAR}Q1"), user=office, today=day(4, 21)
            )

        self.at(day(4, 21), draft)
        self.at(day(4, 24), lambda: issue_circular(circular=holder["circular"], user=office))


def _milestones(task: Task) -> list[Any]:
    refinement = Refinement.objects.filter(task=task).first()
    if refinement is None or refinement.state not in (ReviewState.SUBMITTED, ReviewState.ACCEPTED):
        return []
    return list(refinement.milestones.order_by("position"))


def year_built(plan: Plan) -> bool:
    """Whether the demo year (or anyone's work) is already there: a refinement or a report."""
    return (
        Refinement.objects.filter(task__plan=plan).exists()
        or Report.objects.filter(period__plan=plan).exists()
    )


def build_year(plan: Plan, until: dt.date = DEMO_DATE) -> int:
    """Play the demo year up to ``until``; the number of steps taken."""
    builder = YearBuilder(plan, until)
    builder.plan_year()
    return builder.play()
