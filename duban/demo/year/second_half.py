"""The second half's reports: Q2 finished, the late refinements, Q3, Q4 and the year-end report.

After the mid-year demo date the units answer what was waiting (Q2 reports returned or missing,
refinements never approved), the office closes Q2 and Q3, opens Q4 and the year-end report
(2023Y, due 10 January 2024) and closes them in January. Every quarter has its late reports
(up to 3 working days, and later), its missing ones, its returned and resubmitted ones and the
responsible units' contributions; most tasks are completed by the year's end, a few early (Q2,
Q3) and a few beyond their targets, each completion with its evidence; five are not (``MISSED``).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from duban.ledger.models import Target, TargetOp, Task, TaskStatus
from duban.reporting.models import Report
from duban.reporting.services.periods import close_period, open_period, update_period
from duban.reporting.services.refinement import approve_refinement
from duban.reporting.services.reports import (
    ReportInput,
    accept_report,
    return_report,
    save_report,
)

from .base import milestones_of, value_at, whole
from .dates import CALENDAR, YEAR, after, day, next_year, workday
from .fates import (
    DONE,
    EXTENDED_TASK,
    FALSIFIED_TASK,
    GREEN,
    MISSED,
    MISSING,
    RECOVERED,
    RETURNED,
    VETO_TASKS,
    Turn,
    done_in_q3,
    profile,
    q3_turn,
    q4_turn,
    refinement_fate,
    year_end_turn,
)
from .first_half import FirstHalf
from .texts import (
    DONE_TEXT,
    LAG_PROBLEMS,
    LATE_REFINEMENT_COMMENT,
    MISSED_PROBLEMS,
    NEXT_STEPS,
    PROBLEMS,
    PROGRESS_TEXTS,
    RESULTS,
    RETURN_COMMENTS,
    WORK,
    YEAR_NEXT_STEPS,
    YEAR_TEXTS,
    evidence,
    quarter_words,
    short,
    upload,
)

Q2, Q3, Q4, YEAR_END = (f"{YEAR}Q2", f"{YEAR}Q3", f"{YEAR}Q4", f"{YEAR}Y")
QUARTER_OF = {Q3: 3, Q4: 4}
YEAR_END_DUE = next_year(1, 10)
# The progress the missed tasks report in Q4 and in the year-end report.
MISSED_PROGRESS = {11: (62, 65), 70: (55, 55), 48: (78, 80), 81: (60, 68), 92: (85, 88)}
# Q2 reports submitted after the mid-year demo date (the others missing stay missing).
LATE_Q2 = {30: day(8, 18), 49: day(8, 25), 68: day(8, 21)}
# Q2 reports returned before the mid-year demo date, corrected and submitted again.
RESUBMITTED_Q2 = {9: day(8, 21), 43: day(8, 29)}


def before(on: dt.date, days: int) -> dt.date:
    """A working day some ``days`` before ``on`` (a draft saved ahead of the submission)."""
    day_ = on - dt.timedelta(days=days)
    while not CALENDAR.is_workday(day_):
        day_ -= dt.timedelta(days=1)
    return day_


def exceedable(target: Target) -> bool:
    """A target one can do better than: at least so much of something (not a rate)."""
    return target.op == TargetOp.GE and target.unit != "%" and target.value > 0


def beyond(task: Task, n: int) -> bool:
    """Completed beyond its target: the year-end figures exceed its ≥ targets."""
    return n not in MISSED and n % 2 == 0 and any(exceedable(t) for t in task.targets.all())


def final_value(target: Target, n: int, *, exceeded: bool) -> Decimal:
    """The year-end figure: the target's, or some 10–20 % above an exceedable one."""
    if not (exceeded and exceedable(target)):
        return value_at(target, 100)
    raw = target.value * (Decimal("1.1") + Decimal(n % 3) * Decimal("0.05"))
    step = Decimal("1") if whole(target) else Decimal("0.01")
    return raw.quantize(step, ROUND_HALF_UP).normalize() + Decimal(0)


class SecondHalf(FirstHalf):
    # --- the periods ----------------------------------------------------------------------------

    def plan_late_periods(self) -> None:
        office = self.office

        def close(code: str) -> Any:
            return lambda: close_period(period=self.period(code), user=office)

        def open_(code: str) -> Any:
            return lambda: open_period(period=self.period(code), user=office)

        def year_end_due() -> None:
            period = self.period(YEAR_END)
            update_period(period=period, user=office, opens_on=day(12, 1), due_on=YEAR_END_DUE)

        self.at(day(9, 8), close(Q2))
        self.at(day(10, 20), close(Q3))
        self.at(day(11, 28), year_end_due)  # the year-end report: due 10 January
        self.at(day(12, 1), open_(Q4))
        self.at(day(12, 1), open_(YEAR_END))
        self.at(next_year(1, 12), close(Q4))
        self.at(next_year(1, 19), close(YEAR_END))

    # --- what waited at mid-year ----------------------------------------------------------------

    def plan_q2_rest(self, task: Task, n: int) -> None:
        """The Q2 reports still waiting on the mid-year demo date: accepted, corrected, given
        late; two (11, 87) are never given."""
        kind = profile(n)
        clerk, office = self.clerk(task), self.office

        def report() -> Report:
            return self.report_of(task, Q2)

        def submit(when: dt.date, again: bool) -> None:
            self.at(
                when,
                lambda: save_report(
                    task=task,
                    period=self.periods[Q2],
                    user=clerk,
                    data=self.report_input(task, n, 2, again=again),
                    version=None,
                    submit=True,
                ),
                clerk,
            )

        if kind == GREEN and n % 8 == 1:
            submitted = None
        elif kind == RETURNED:
            submitted = RESUBMITTED_Q2.get(n, workday(day(8, 16 + n % 7)))
            submit(submitted, True)
        elif kind == MISSING and n in LATE_Q2:
            submitted = LATE_Q2[n]
            submit(submitted, False)
        else:
            return
        reviewed = after(submitted or day(8, 15), 1 + n % 3)
        self.at(reviewed, lambda: accept_report(report=report(), user=office, comment=""))

    def plan_late_refinement(self, task: Task, n: int) -> None:
        """The refinements not approved by mid-year: finished in September and approved."""
        fate = refinement_fate(n)
        if fate not in ("draft", "returned"):
            return
        written = workday(day(9, 4 + n % 4))
        self.at(written, lambda: self.fix_refinement(task, n, again=fate == "returned"))
        self.at(
            after(written, 2),
            lambda: approve_refinement(
                task=task,
                user=self.office,
                version=self.refinement_version(task),
                comment=LATE_REFINEMENT_COMMENT,
            ),
        )

    # --- Q3, Q4 and the year-end report ---------------------------------------------------------

    def late_progress(self, task: Task, n: int, code: str) -> tuple[int, str]:
        """(progress, status) of the task's report for Q3, Q4 or the year's end."""
        if n in MISSED and code != Q3:
            q4, year = MISSED_PROGRESS[n]
            status = TaskStatus.IN_PROGRESS if n in (EXTENDED_TASK, 92) else TaskStatus.LAGGING
            return (q4 if code == Q4 else year), status
        if code != Q3 or profile(n) == DONE or done_in_q3(n):
            return 100, TaskStatus.DONE
        second = self.progress(task, n, 2)
        expected = self.expected(task, n, 3)
        lagging = {EXTENDED_TASK: 35, VETO_TASKS[1]: 22, VETO_TASKS[0]: 25}
        if n in lagging:
            return max(second + 3, expected - lagging[n]), TaskStatus.LAGGING
        if n == 92:
            return max(second + 2, expected - 16), TaskStatus.IN_PROGRESS
        if n == FALSIFIED_TASK:  # what the report claimed; the inspection found about half
            return min(95, expected + 8), TaskStatus.IN_PROGRESS
        if n in RECOVERED:
            return max(second + 5, expected - 14), TaskStatus.IN_PROGRESS
        return min(99, max(second + 5, expected + n % 5)), TaskStatus.IN_PROGRESS

    def late_input(self, task: Task, n: int, code: str, *, again: bool = False) -> ReportInput:
        p, status = self.late_progress(task, n, code)
        lead = self.leads[task.pk].name
        quarter = QUARTER_OF.get(code, 4)
        words = {
            "lead": lead,
            "quarter": quarter_words(quarter),
            "p": p,
            "meetings": 4 + (n + quarter) % 9,
            "work": WORK[(n + quarter) % len(WORK)],
            "short": short(task),
        }
        missed = n in MISSED and code != Q3
        if code == YEAR_END:
            result = "missed" if missed else "beyond" if beyond(task, n) else "done"
            text = YEAR_TEXTS[n % len(YEAR_TEXTS)].format(result=RESULTS[result], **words)
            next_steps = YEAR_NEXT_STEPS[n % len(YEAR_NEXT_STEPS)]
        elif status == TaskStatus.DONE:
            text, next_steps = DONE_TEXT.format(lead=lead), "下一步，将巩固工作成效，做好总结评估。"
        else:
            text = PROGRESS_TEXTS[(n + quarter) % len(PROGRESS_TEXTS)].format(**words)
            next_steps = NEXT_STEPS[(n + quarter) % len(NEXT_STEPS)]
        if missed:
            problems = MISSED_PROBLEMS[n]
        elif status == TaskStatus.LAGGING or n == 92:
            problems = LAG_PROBLEMS[n % len(LAG_PROBLEMS)]
        elif status == TaskStatus.DONE:
            problems = ""
        else:
            problems = PROBLEMS[(n * 3 + quarter) % len(PROBLEMS)]
        if n == FALSIFIED_TASK and code == Q4:
            text = "经区督查室专项督查核实，本任务三季度报送进度与实际不符，现予更正：" + text
        if again:
            text += "已按审核意见补充完善。"
        values = {t.pk: value_at(t, p) for t in task.targets.all()}
        if code == YEAR_END and beyond(task, n):
            values = {t.pk: final_value(t, n, exceeded=True) for t in task.targets.all()}
        # The milestones reached by the period's end; a task that fell behind misses its third
        # (Q3) or its last one (the year).
        last = day(9, 30) if code == Q3 else day(12, 31)
        skipped = {2} if code == Q3 and n in (EXTENDED_TASK, VETO_TASKS[1]) else set()
        if missed:
            skipped = {3}
        reached = [
            m.pk
            for index, m in enumerate(milestones_of(task))
            if m.due_on <= last and index not in skipped
        ]
        return ReportInput(
            status=status,
            progress=p,
            progress_text=text,
            problems=problems,
            next_steps=next_steps,
            target_values=values,
            milestone_ids=reached,
        )

    def summary(self, task: Task, on: dt.date) -> list[Any]:
        """The lead unit's year-end summary (年度重点工作完成情况报告), one document attached to
        each of its year-end reports (written once per unit)."""
        lead = self.leads[task.pk]
        key = f"summary-{lead.pk}"
        if key not in self.holder:
            mine = [t for t in self.tasks if self.leads.get(t.pk) == lead]
            lines = [f"2023年，{lead.name}牵头区政府重点工作{len(mine)}项，完成情况如下："]
            lines += [f"{t.number}. {short(t, 30)}。" for t in mine]
            lines.append("各项任务的佐证材料已按要求整理归档，可随时备查。")
            self.holder[key] = evidence(
                f"{lead.name}2023年度重点工作完成情况报告", lines, on, issuer=lead.name
            )
        return [upload(self.holder[key])]

    def plan_late_report(self, task: Task, n: int, code: str, turn: Turn) -> None:
        clerk, office = self.clerk(task), self.office
        submitted = turn.submitted
        quarter = QUARTER_OF.get(code)
        due = {Q3: day(9, 30), Q4: day(12, 31)}.get(code, YEAR_END_DUE)
        if quarter is not None:  # the responsible units' parts come a few days before
            given = submitted - dt.timedelta(days=3 + n % 3) if submitted else due - dt.timedelta(5)
            self.plan_contributions(task, n, quarter, workday(given))
        if submitted is None:
            return

        def save(when: dt.date, *, submit: bool, again: bool = False, files: bool = False) -> None:
            def run() -> None:
                attached: list[Any] = []
                if files and code == YEAR_END:
                    attached = self.summary(task, when)
                elif files:
                    attached = self.completion_evidence(task, when)
                save_report(
                    task=task,
                    period=self.periods[code],
                    user=clerk,
                    data=self.late_input(task, n, code, again=again),
                    version=None,
                    files=attached,
                    submit=submit,
                )

            self.at(when, run, clerk)

        def report() -> Report:
            return self.report_of(task, code)

        if turn.draft_first:
            save(before(submitted, 3), submit=False)
        # The year-end report carries its evidence (the first submission of a returned one
        # forgot it); a quarter's report only when it says the task is completed, early.
        completed_early = code == Q3 and done_in_q3(n)
        with_files = (code == YEAR_END and not turn.returned) or completed_early
        save(submitted, submit=True, files=with_files)
        step = 1 if code == YEAR_END else 2
        if turn.returned:
            returned = after(submitted, step)
            comment = (
                "未附年度任务完成的佐证材料，请补充上传后重新报送。"
                if code == YEAR_END
                else RETURN_COMMENTS[(n + 1) % len(RETURN_COMMENTS)]
            )
            self.at(returned, lambda: return_report(report=report(), user=office, comment=comment))
            submitted = after(returned, step)
            save(submitted, submit=True, again=True, files=code == YEAR_END)
        reviewed = after(submitted, 1 + n % 3)
        if code == YEAR_END:
            reviewed = max(after(submitted, 1), min(reviewed, next_year(1, 18)))
            words = "" if n % 3 else "年度任务完成情况属实，予以确认。"
        else:
            words = "" if n % 4 else "进展情况属实，请继续加快推进。"
        self.at(reviewed, lambda: accept_report(report=report(), user=office, comment=words))

    def plan_second_half_reports(self, task: Task, n: int) -> None:
        self.plan_late_report(task, n, Q3, q3_turn(n))
        self.plan_late_report(task, n, Q4, q4_turn(n))
        self.plan_late_report(task, n, YEAR_END, year_end_turn(n))
