"""The year builder's machinery, and the lead units' first half: refinements, the Q1 and Q2
reports and the responsible units' contributions.

Every step is planned first (``at``: a day and a function), then played in date order, each
inside ``clock.pinned(its moment)`` and as the person who takes it, through the service that
person would have used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model

from duban.audit.context import acting_as
from duban.core import clock
from duban.directory.models import Unit
from duban.inspections.models import RectificationItem
from duban.ledger.models import AssignmentRole, Plan, Target, TargetOp, Task, TaskStatus
from duban.ledger.progress import progress_from_targets
from duban.ledger.queries import Directory
from duban.reporting.models import Milestone, Period, Refinement, Report, ReviewState
from duban.reporting.services.contributions import expected_contributors, save_contribution
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
from duban.supervision.models import Notice

from ..accounts import OFFICE_USERNAME, clerk_of
from .dates import YEAR, day
from .fates import (
    BEHIND,
    DONE,
    FAR_BEHIND,
    GREEN,
    LATE,
    MISSING,
    RETURNED,
    percents,
    profile,
    q1_late_days,
    refinement_fate,
)
from .texts import (
    CONTRIBUTION_TEXTS,
    DONE_TEXT,
    LAG_PROBLEMS,
    MIDDLE_WORDS,
    MILESTONES,
    NEXT_STEPS,
    PROBLEMS,
    PROGRESS_TEXTS,
    RETURN_COMMENTS,
    WORK,
    evidence,
    quarter_words,
    short,
    upload,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser


@dataclass(order=True)
class Step:
    day: dt.date
    seq: int
    run: Callable[[], Any] = field(compare=False)
    user: Any = field(compare=False, default=None)


def whole(target: Target) -> bool:
    return target.value == target.value.to_integral_value() and target.value >= 20


def value_at(target: Target, percent: int) -> Decimal:
    """The target's value at ``percent`` of the way (a ceiling: just under it, as met)."""
    if target.op == TargetOp.LE:
        return (target.value * Decimal("0.9")).quantize(Decimal("0.1"), ROUND_HALF_UP)
    raw = target.value * Decimal(percent) / Decimal(100)
    step = Decimal("1") if whole(target) else Decimal("0.01")
    return raw.quantize(step, ROUND_HALF_UP).normalize() + Decimal(0)


def by_target_values(task: Task, n: int) -> bool:
    """Whether the lead unit plans the task by its target figures (else by percentages)."""
    targets = list(task.targets.all())
    return bool(targets) and n % 2 == 0 and all(t.op in GROWING_OPS and whole(t) for t in targets)


def milestones_of(task: Task) -> list[Milestone]:
    """The milestones of the task's refinement once it counts (submitted or approved)."""
    counted = (ReviewState.SUBMITTED, ReviewState.ACCEPTED)
    return list(
        Milestone.objects.filter(refinement__task=task, refinement__state__in=counted).order_by(
            "position"
        )
    )


class Builder:
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
        # The notices planned, by key: (task, level, day of issue).
        self.notice_specs: dict[str, tuple[Task, str, dt.date]] = {}
        self.items: dict[str, RectificationItem] = {}
        self.holder: dict[str, Any] = {}  # what a step makes and a later step needs
        self.extension_tasks: list[Task] = []  # the first half's: one approved, one pending
        self._clerks: dict[int, AbstractUser] = {}
        self._directory: Directory | None = None

    # --- scheduling -----------------------------------------------------------------------------

    def at(self, when: dt.date, run: Callable[[], Any], user: Any = None) -> None:
        self.steps.append(Step(when, len(self.steps), run, user))

    def play(self, after: dt.date | None = None) -> int:
        """Take the steps up to ``until`` (those after ``after`` only: a year already built up
        to ``after`` goes on); the number taken."""
        done = 0
        for step in sorted(self.steps):
            if step.day > self.until or (after is not None and step.day <= after):
                continue
            # Someone works at a plausible hour: from 8:30, a few minutes per step of the day.
            minutes = 30 + (step.seq * 7) % 510
            moment = dt.datetime.combine(step.day, dt.time(8, 0)) + dt.timedelta(minutes=minutes)
            with clock.pinned(moment), acting_as(step.user or self.office):
                step.run()
            done += 1
        return done

    def clerk_for(self, unit: Unit) -> AbstractUser:
        """Who writes for ``unit`` (looked up once per build: nobody changes units meanwhile)."""
        if unit.pk not in self._clerks:
            self._clerks[unit.pk] = clerk_of(unit)
        return self._clerks[unit.pk]

    def clerk(self, task: Task) -> AbstractUser:
        return self.clerk_for(self.leads[task.pk])

    def period(self, code: str) -> Period:
        """The period as it now stands (to open or close it; the report and contribution
        services read it afresh themselves and take ``self.periods[code]``)."""
        return Period.objects.get(pk=self.periods[code].pk)

    def directory(self) -> Directory:
        """The directory, read once when first needed (the year does not change it)."""
        if self._directory is None:
            self._directory = Directory.load()
        return self._directory

    def report_of(self, task: Task, code: str) -> Report:
        return Report.objects.get(task=task, period=self.periods[code])

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
        if by_target_values(task, n):
            values = {
                t.pk: [value_at(t, p) for p in planned[:3]] + [t.value] for t in task.targets.all()
            }
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

        if fate in ("returned", "again"):
            comment = [
                "节点设置不够具体，请细化到月并明确责任单位。",
                "一季度目标偏低，请结合去年同期情况重新测算。",
            ][n % 2]
            self.at(
                reviewed,
                lambda: return_refinement(
                    task=task, user=office, version=self.refinement_version(task), comment=comment
                ),
            )
            if fate == "returned":
                return
            self.at(reviewed + dt.timedelta(days=3), lambda: self.fix_refinement(task, n), clerk)
            reviewed += dt.timedelta(days=5)
        self.at(
            reviewed,
            lambda: approve_refinement(
                task=task, user=office, version=self.refinement_version(task)
            ),
        )

    def refinement_version(self, task: Task) -> int:
        return Refinement.objects.get(task=task).version

    def fix_refinement(self, task: Task, n: int, *, again: bool = True) -> None:
        """The lead unit corrects its refinement (or finishes its draft) and submits it."""
        data = self.refinement_input(task, n, again=again)
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
            task=task, user=self.clerk(task), version=current.version, data=data, submit=True
        )

    # --- the first half's reports ---------------------------------------------------------------

    def expected(self, task: Task, n: int, quarter: int) -> int:
        """What the lights will expect of the quarter's report (the refinement's plan when it
        counts, else the share of the year elapsed on the due date)."""
        if quarter <= 2 and refinement_fate(n) in ("draft", "returned"):
            return 25 if quarter == 1 else 50
        planned = percents(n)[quarter - 1]
        if by_target_values(task, n):
            targets = list(task.targets.all())
            share = progress_from_targets((value_at(t, planned), t.value, t.op) for t in targets)
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
            "quarter": quarter_words(quarter),
            "p": p,
            "meetings": 1 + (n + quarter) % 4,
            "work": WORK[(n + quarter) % len(WORK)],
            "short": short(task),
        }
        text = PROGRESS_TEXTS[(n + quarter) % len(PROGRESS_TEXTS)].format(**words)
        problems = PROBLEMS[(n * 3 + quarter) % len(PROBLEMS)]
        status = TaskStatus.IN_PROGRESS
        if quarter == 2 and kind == DONE:
            text = DONE_TEXT.format(lead=lead)
            problems, status = "", TaskStatus.DONE
        elif quarter == 2 and kind == FAR_BEHIND:
            problems, status = LAG_PROBLEMS[n % len(LAG_PROBLEMS)], TaskStatus.LAGGING
        elif quarter == 2 and kind == BEHIND:
            problems = LAG_PROBLEMS[n % len(LAG_PROBLEMS)]
        if again:
            text += "其中，已完成的重点节点和具体数据详见附表。"
        values = {t.pk: value_at(t, p) for t in task.targets.all()}
        reached = [
            m.pk
            for m in milestones_of(task)
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

    def completion_evidence(self, task: Task, on: dt.date) -> list[Any]:
        """What a unit attaches to the report saying its task is completed early: the
        acceptance report (验收报告) of the task."""
        lead = self.leads[task.pk].name
        proof = evidence(
            f"任务{task.number}完成情况验收报告",
            [
                f"{lead}牵头的“{short(task, 30)}”已全面完成年度目标任务。",
                "经组织相关单位现场查验，各项建设内容和指标均已完成，资料齐全。",
                "特此报告。",
            ],
            on,
            issuer=lead,
        )
        return [upload(proof)]

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
                        period=self.periods[code],
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
                    period=self.periods[code],
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
                period=self.periods[code],
                user=clerk,
                data=self.report_input(task, n, quarter),
                version=None,
                # Completed: the acceptance report goes with it (an early completion counts
                # only with its evidence).
                files=self.completion_evidence(task, submitted) if kind == DONE else (),
                submit=True,
            ),
            clerk,
        )

        def report() -> Report:
            return self.report_of(task, code)

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
                    period=self.periods[code],
                    user=clerk,
                    data=self.report_input(task, n, quarter, again=True),
                    version=None,
                    submit=True,
                ),
                clerk,
            )
            reviewed += dt.timedelta(days=4)
        if quarter == 2 and kind == GREEN and n % 8 == 1:
            return  # still waiting for the office on the mid-year demo date (accepted later)
        words = "" if n % 4 else "进展情况属实，请继续加快推进。"
        self.at(reviewed, lambda: accept_report(report=report(), user=office, comment=words))

    # --- contributions --------------------------------------------------------------------------

    def plan_contributions(self, task: Task, n: int, quarter: int, when: dt.date) -> None:
        code = f"{YEAR}Q{quarter}"
        lead = self.leads[task.pk].name
        when = max(when, day(quarter * 3, 2))

        def contribute() -> None:
            chosen: list[Unit] = []
            rows = expected_contributors(task, self.directory())
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
                    "short": short(task),
                    "quarter": quarter_words(quarter),
                    "work": WORK[(n + index) % len(WORK)],
                }
                text = CONTRIBUTION_TEXTS[(n + index + quarter) % len(CONTRIBUTION_TEXTS)]
                clerk = self.clerk_for(unit)
                with acting_as(clerk):
                    save_contribution(
                        task=task,
                        period=self.periods[code],
                        user=clerk,
                        text=text.format(**words),
                        figures="" if n % 2 else f"完成投资{1 + (n * 7 + index) % 9}亿元",
                        version=None,
                        submit=(n + index) % 11 != 0,
                    )

        self.at(when, contribute)
