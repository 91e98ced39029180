"""The first half's supervision: 催办 and 督办 in every state, the extensions, the special
inspection of May and the Q1 circular; and the steps the office and the units take on notices
and rectification items, used by both halves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from duban.directory.models import Unit
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
from duban.ledger.models import Task
from duban.supervision.models import Notice, NoticeLevel
from duban.supervision.services.circulars import (
    Situation,
    create_draft,
    issue_circular,
    situation,
)
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

from .base import Builder, milestones_of
from .dates import YEAR, day
from .fates import (
    BEHIND,
    FAR_BEHIND,
    GREEN,
    MISSING,
    RETURNED,
    profile,
    q1_late_days,
    refinement_fate,
)
from .texts import evidence

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser


class FirstHalf(Builder):
    def notice(
        self,
        key: str,
        number: str,
        level: str,
        problem: str,
        requirement: str,
        issued: dt.date,
        due: dt.date,
        unit: Callable[[], Unit] | None = None,
    ) -> None:
        """The office issues a notice on task ``number`` to its lead unit (or to ``unit()``)."""
        task = self.by_number[number]
        self.notice_specs[key] = (task, level, issued)

        def issue() -> None:
            data = NoticeInput(level, problem, requirement, due, unit() if unit else None)
            self.notices[key] = issue_notice(task=task, data=data, user=self.office)

        self.at(issued, issue)

    def notice_of(self, key: str) -> Notice:
        """The notice planned as ``key``: issued by an earlier step of this build, or found as
        issued by an earlier build (a year going on from the date it was built to)."""
        if key not in self.notices:
            task, level, issued = self.notice_specs[key]
            self.notices[key] = Notice.objects.get(task=task, level=level, issued_at__date=issued)
        return self.notices[key]

    def item_of(self, number: str) -> RectificationItem:
        """The rectification item on task ``number`` (each inspected task has one)."""
        if number not in self.items:
            self.items[number] = RectificationItem.objects.get(task=self.by_number[number])
        return self.items[number]

    def notice_clerk(self, key: str) -> AbstractUser:
        return self.clerk_for(self.notice_of(key).unit)

    def sign(self, key: str, when: dt.date) -> None:
        self.at(when, lambda: sign_notice(notice=self.notice_of(key), user=self.notice_clerk(key)))

    def reply(self, key: str, when: dt.date, text: str) -> None:
        self.at(
            when,
            lambda: reply_notice(
                notice=self.notice_of(key), text=text, user=self.notice_clerk(key)
            ),
        )

    def accept(self, key: str, when: dt.date, comment: str = "") -> None:
        self.at(
            when,
            lambda: accept_reply(notice=self.notice_of(key), comment=comment, user=self.office),
        )

    def press(self, key: str, again: str, when: dt.date, due: dt.date, comment: str) -> None:
        """再次督办, raised to 挂牌督办: the follow-up is ``again``."""
        self.notice_specs[again] = (self.notice_specs[key][0], NoticeLevel.LISTED, when)

        def run() -> None:
            self.notices[again] = press_again(
                notice=self.notice_of(key),
                reply_due=due,
                comment=comment,
                level=NoticeLevel.LISTED,
                user=self.office,
            )

        self.at(when, run)

    def plan_notices(self) -> None:
        """催办 and 督办 in every state, aimed at the tasks that needed them."""
        sign, reply, accept = self.sign, self.reply, self.accept

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

            self.press(
                "far", "far-again", day(5, 23), day(6, 5), "逾期未反馈整改情况，现予以挂牌督办。"
            )
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
        self.extension_tasks = [approved_task, pending_task]
        # Its third milestone: due in the second half of September on the plan.
        for task, asked, to, decided in (
            (approved_task, day(7, 20), day(10, 31), day(7, 24)),
            (pending_task, day(8, 10), day(11, 15), None),
        ):
            clerk = self.clerk(task)

            def ask(task: Task = task, asked: dt.date = asked, to: dt.date = to) -> None:
                milestone = milestones_of(task)[2]
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
        holder = self.holder

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

        rectify = self.rectify

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
                item=self.item_of("2"), reason="未附验收备案材料，请补充后重新报送。", user=office
            ),
        )
        # Reported, waiting for the office; and one still open.
        rectify("37", day(8, 10), "已建立群众意见收集反馈机制，施工现场全面规范。")

    def rectify(self, number: str, when: dt.date, text: str) -> None:
        """The owner unit reports what it did on item ``number``, its report attached."""

        def run() -> None:
            item = self.item_of(number)
            proof = evidence("整改情况报告", [text, "特此报告。"], when)
            report_item(item=item, text=text, files=[proof], user=self.clerk_for(item.unit))

        self.at(when, run)

    def verify(self, number: str) -> None:
        verify_item(item=self.item_of(number), comment="整改到位。", user=self.office)

    def close(self, number: str) -> None:
        close_item(item=self.item_of(number), user=self.office)

    # --- the circular ---------------------------------------------------------------------------

    def plan_circular(self) -> None:
        self.circular(1, day(4, 21), day(4, 24))

    def circular(
        self,
        quarter: int,
        drafted: dt.date,
        issued: dt.date,
        choose: Callable[[Situation], tuple[list[Unit], list[Unit]]] | None = None,
    ) -> None:
        """The office drafts the quarter's circular (通报), praising and criticising the units
        the record suggests (or those ``choose`` picks among them), and issues it."""
        key = f"circular-{quarter}"

        def draft() -> None:
            period = self.period(f"{YEAR}Q{quarter}")
            praised = criticised = None
            if choose is not None:
                praised, criticised = choose(situation(period, drafted))
            self.holder[key] = create_draft(
                period=period,
                user=self.office,
                praised=praised,
                criticised=criticised,
                today=drafted,
            )

        self.at(drafted, draft)
        self.at(issued, lambda: issue_circular(circular=self.holder[key], user=self.office))
