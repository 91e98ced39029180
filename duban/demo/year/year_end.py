"""The second half's supervision: the notices answered after mid-year and the new ones (催办
answered late, 督办, a 挂牌督办), the extensions decided, the Q2 and Q3 circulars, the May
inspection's items closed, the year-end inspection that finds a falsified report, and the
recognitions from a higher level the office records in January.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from functools import partial

from duban.assessment.services.workflow import record_recognition
from duban.directory.models import Unit, UnitKind
from duban.inspections.models import InspectionState, Severity
from duban.inspections.services import (
    create_inspection,
    raise_item,
    record_finding,
    return_item,
    update_inspection,
)
from duban.ledger.models import AssignmentRole, Task
from duban.reporting.services.contributions import expected_contributors
from duban.supervision.models import ExtensionState, NoticeLevel
from duban.supervision.services.circulars import Situation
from duban.supervision.services.notices import decide_extension, request_extension

from .base import milestones_of
from .dates import day, next_year
from .fates import EXTENDED_TASK, FALSIFIED_TASK, VETO_TASKS, q3_turn
from .second_half import Q3, SecondHalf
from .texts import evidence, upload

INSPECTION_TOPIC = "2023年度重点任务完成情况专项督查"
INSPECTION_TEAM = "督查室 刘芳 等5人"
RECOGNITIONS = [
    # (lead unit, task, points, what was recognised, the document, granted on)
    (
        "工信局",
        "5",
        Decimal(2),
        "2023年度全省制造业高质量发展工作成效明显的县（市、区）",
        "河南省人民政府办公厅关于对2023年度制造业高质量发展成效明显地方予以督查激励的通报"
        "（豫政办〔2023〕58号）",
        day(12, 27),
    ),
    (
        "农业农村局",
        "52",
        Decimal(1),
        "2023年度全市高标准农田建设先进单位",
        "洛阳市人民政府办公室关于通报表扬2023年度高标准农田建设先进单位的通知（洛政办〔2023〕41号）",
        day(12, 20),
    ),
]


class YearEnd(SecondHalf):
    # --- notices --------------------------------------------------------------------------------

    def plan_late_notices(self) -> None:
        sign, reply, accept = self.sign, self.reply, self.accept
        planned = self.notice_specs

        # What waited at mid-year: answered (some late), and accepted.
        for key, signed, replied, accepted, text in (
            (
                "new-0",
                day(8, 16),
                day(8, 22),
                day(8, 24),
                "已按要求修改完善，并重新报送二季度进展情况。",
            ),
            ("new-1", day(8, 17), day(8, 30), day(9, 1), "已补充具体数据和完成节点，重新报送。"),
            (
                "new-2",
                day(8, 16),
                day(8, 21),
                day(8, 23),
                "已制定赶超计划，倒排工期，全力追赶进度。",
            ),
            (
                "missing-0",
                None,
                day(8, 24),
                day(8, 28),
                "受财政资金紧张影响，相关工作推进迟缓，正在积极协调。",
            ),
            ("missing-1", None, day(8, 18), day(8, 21), "已补报二季度进展情况，今后将按时报送。"),
            ("missing-2", None, day(8, 28), day(8, 30), "已补报二季度进展情况，并落实专人负责。"),
        ):
            if key not in planned:
                continue
            if signed is not None:
                sign(key, signed)
            reply(key, replied, text)
            accept(key, accepted, "")
        for index, accepted in enumerate((day(8, 16), day(8, 17), day(8, 17))):
            if f"behind-{index}" in planned:
                accept(f"behind-{index}", accepted, "请按既定措施抓好落实。")

        # Q3: reports late or missing after the National Day holiday.
        late = [
            t
            for t in self.tasks
            if int(t.number) % 17 == 3 and int(t.number) % 13 != 7 and t.pk in self.leads
        ]
        for index, task in enumerate(late[:2]):
            key = f"q3-late-{index}"
            self.notice(
                key,
                task.number,
                NoticeLevel.URGE,
                "三季度进展情况逾期未报送。",
                "请尽快报送三季度进展情况。",
                day(10, 9),
                day(10, 13),
            )
            reply(key, (day(10, 12), day(10, 16))[index], "已安排专人报送，今后将严格按时报送。")
            accept(key, day(10, 18))
        for index, (n, level, replied, accepted) in enumerate(
            (
                (VETO_TASKS[0], NoticeLevel.SUPERVISE, day(10, 19), day(10, 23)),
                (57, NoticeLevel.SUPERVISE, day(10, 16), day(10, 18)),
                (94, NoticeLevel.URGE, day(10, 25), day(10, 27)),
            )
        ):
            if str(n) not in self.by_number:
                continue
            key = f"q3-missing-{index}"
            self.notice(
                key,
                str(n),
                level,
                "三季度进展情况逾期未报送。",
                "请立即报送三季度进展情况，并书面说明逾期原因。",
                day(10, 10),
                day(10, 17),
            )
            sign(key, day(10, 11 + (index == 2)))
            words = (
                "已报送三季度进展情况，逾期原因已书面说明。"
                if q3_turn(n).submitted
                else "项目推进遇到困难，进展情况正在核实，将尽快报送。"
            )
            reply(key, replied, words)
            accept(key, accepted, "")

        # The towns' parts for the lead unit: one answered late, 缑氏镇 on time.
        towns = self.towns_task()
        if towns is not None:
            for index, (issued, due, replied, accepted, goushi) in enumerate(
                (
                    (day(10, 25), day(11, 3), day(11, 8), day(11, 10), False),
                    (day(11, 6), day(11, 13), day(11, 10), day(11, 14), True),
                )
            ):
                key = f"town-{index}"
                self.notice(
                    key,
                    towns.number,
                    NoticeLevel.URGE,
                    "三季度配合任务完成情况未按时报送牵头单位。",
                    "请抓紧报送本单位承担任务的完成情况。",
                    issued,
                    due,
                    unit=partial(self.town_of, towns, goushi),
                )
                sign(key, issued + dt.timedelta(days=1))
                reply(key, replied, "已向牵头单位报送本单位承担任务完成情况。")
                accept(key, accepted)

        # 财政局's task far behind: a 督办 left unanswered, raised to 挂牌督办, answered.
        number = str(VETO_TASKS[1])
        if number in self.by_number:
            self.notice(
                "veto",
                number,
                NoticeLevel.SUPERVISE,
                "项目建设资金缺口较大，形象进度严重滞后，年度目标任务完成存在较大困难。",
                "请制定资金筹措和赶超方案，倒排工期，书面报告推进措施。",
                day(11, 6),
                day(11, 15),
            )
            sign("veto", day(11, 7))
            self.press(
                "veto",
                "veto-again",
                day(11, 17),
                day(11, 30),
                "逾期未反馈推进措施，现予以挂牌督办。",
            )
            sign("veto-again", day(11, 20))
            reply("veto-again", day(11, 29), "已多方筹措资金，但缺口仍然较大，年内完成确有困难。")
            accept("veto-again", day(12, 4), "请正视问题，全力推进，确保尽早完成。")
            # Its year-end report never came: a 催办 waiting for an answer at the year's close.
            self.notice(
                "year-end-missing",
                number,
                NoticeLevel.URGE,
                "年终总结逾期未报送。",
                "请立即报送年度任务完成情况。",
                next_year(1, 11),
                next_year(1, 16),
            )
            sign("year-end-missing", next_year(1, 12))

    def towns_task(self) -> Task | None:
        """A task every town and street works on (各镇（街道） responsible)."""
        for task in self.tasks:
            for assignment in task.assignments.all():
                group = assignment.group
                if (
                    assignment.role == AssignmentRole.RESPONSIBLE
                    and group is not None
                    and not group.is_open
                    and int(task.number) % 2 == 1
                ):
                    return task
        return None

    def town_of(self, task: Task, goushi: bool) -> Unit:
        towns = [
            unit
            for unit, via in expected_contributors(task, self.directory())
            if via and unit.kind == UnitKind.TOWN
        ]
        if goushi:
            return next(unit for unit in towns if unit.name == "缑氏镇")
        return next(unit for unit in towns if unit.name != "缑氏镇")

    # --- extensions -----------------------------------------------------------------------------

    def plan_late_extensions(self) -> None:
        office = self.office
        if len(self.extension_tasks) == 2:
            pending = self.extension_tasks[1]

            def refuse() -> None:
                decide_extension(
                    request=pending.extension_requests.get(state=ExtensionState.PENDING),
                    approve=False,
                    comment="该节点为年度关键节点，不同意延期，请倒排工期按期完成。",
                    user=office,
                )

            self.at(day(8, 17), refuse)
        # 交通局 asks for its last milestone to move into 2024; approved; the year is missed.
        task = self.by_number.get(str(EXTENDED_TASK))
        if task is None:
            return
        clerk = self.clerk(task)

        def ask() -> None:
            request_extension(
                task=task,
                milestone=milestones_of(task)[3],
                requested_due=next_year(3, 31),
                reason="受用地报批和征迁影响，主体工程年内无法完工，申请延期至2024年3月底。",
                user=clerk,
            )

        def approve() -> None:
            decide_extension(
                request=task.extension_requests.get(state=ExtensionState.PENDING),
                approve=True,
                comment="同意延期至2024年3月31日，请倒排工期，确保按期完成。",
                user=office,
            )

        self.at(day(11, 20), ask, clerk)
        self.at(day(11, 23), approve)

    # --- inspections ----------------------------------------------------------------------------

    def plan_late_inspection(self) -> None:
        office = self.office
        # The May inspection's items: the returned one reported again, all closed by October.
        if "2" in self.by_number:
            self.rectify("2", day(8, 25), "已补齐竣工项目验收资料，完成验收备案，备案材料附后。")
            self.at(day(8, 29), partial(self.verify, "2"))
            self.at(day(8, 30), partial(self.close, "2"))
        if "37" in self.by_number:
            self.at(day(8, 17), partial(self.verify, "37"))
            self.at(day(8, 18), partial(self.close, "37"))
        if "19" in self.by_number:
            self.rectify("19", day(9, 26), "已制定赶工计划，建设资金全部落实，主体工程加快推进。")
            self.at(day(10, 9), partial(self.verify, "19"))
            self.at(day(10, 10), partial(self.close, "19"))

        numbers = [str(n) for n in (FALSIFIED_TASK, VETO_TASKS[1], 22, 3, 56)]
        tasks = [self.by_number[n] for n in numbers if n in self.by_number]
        if len(tasks) < len(numbers):
            return

        def inspection(state: str) -> None:
            found = self.holder.get("year-end-inspection")
            if found is not None:
                update_inspection(
                    inspection=found,
                    topic=INSPECTION_TOPIC,
                    tasks=tasks,
                    team=INSPECTION_TEAM,
                    starts_on=day(11, 6),
                    ends_on=day(11, 17),
                    state=state,
                    user=office,
                )
                return
            self.holder["year-end-inspection"] = create_inspection(
                plan=self.plan,
                topic=INSPECTION_TOPIC,
                tasks=tasks,
                team=INSPECTION_TEAM,
                starts_on=day(11, 6),
                ends_on=day(11, 17),
                state=state,
                user=office,
            )

        self.at(day(11, 6), partial(inspection, InspectionState.UNDER_WAY))
        falsified = self.by_number[str(FALSIFIED_TASK)]
        claimed = self.late_progress(falsified, FALSIFIED_TASK, Q3)[0]
        findings = [
            (
                str(FALSIFIED_TASK),
                f"三季度报送形象进度为{claimed}%，经实地核查，项目实际完成约50%，"
                "报送情况与实际严重不符，核实为虚报瞒报。",
                Severity.SERIOUS,
                True,
                day(11, 8),
                "如实更正进展情况，查明虚报原因，严肃处理相关责任人，报送整改报告。",
                day(12, 8),
            ),
            (
                str(VETO_TASKS[1]),
                "项目建设资金缺口较大，年度目标任务完成存在较大困难。",
                Severity.GENERAL,
                False,
                day(11, 9),
                "制定资金筹措方案，倒排工期，确保年度任务尽快完成。",
                day(12, 20),
            ),
            (
                "22",
                "部分项目台账资料不规范，佐证材料归档不及时。",
                Severity.MINOR,
                False,
                day(11, 14),
                "规范项目台账，及时整理归档佐证材料。",
                day(11, 30),
            ),
        ]
        for number, text, severity, false_report, found, what, deadline in findings:

            def find(
                number: str = number,
                text: str = text,
                severity: str = severity,
                false_report: bool = false_report,
                found: dt.date = found,
                what: str = what,
                deadline: dt.date = deadline,
            ) -> None:
                finding = record_finding(
                    inspection=self.holder["year-end-inspection"],
                    task=self.by_number[number],
                    text=text,
                    severity=severity,
                    found_on=found,
                    falsified=false_report,
                    user=office,
                )
                self.items[number] = raise_item(
                    finding=finding, text=what, deadline=deadline, user=office
                )

            self.at(found, find)
        self.at(day(11, 20), partial(inspection, InspectionState.FINISHED))

        falsified_number, veto_number = str(FALSIFIED_TASK), str(VETO_TASKS[1])
        self.rectify(
            falsified_number,
            day(12, 6),
            "已如实更正进展情况，对相关责任人进行了诫勉谈话，建立进展情况审核把关制度。",
        )
        self.at(day(12, 8), partial(self.verify, falsified_number))
        self.at(day(12, 11), partial(self.close, falsified_number))
        self.rectify("22", day(11, 28), "已规范项目台账，佐证材料全部整理归档。")
        self.at(day(11, 30), partial(self.verify, "22"))
        self.at(day(12, 1), partial(self.close, "22"))
        # Returned once, reported again and verified; not yet closed at the year's end.
        self.rectify(veto_number, day(12, 18), "已制定资金筹措方案，正在协调落实。")
        self.at(
            day(12, 21),
            lambda: return_item(
                item=self.item_of(veto_number),
                reason="整改措施不具体，未明确资金来源和完成时限，请补充后重新报送。",
                user=office,
            ),
        )
        self.rectify(
            veto_number, day(12, 27), "已明确资金来源和完成时限，力争2024年一季度完成建设任务。"
        )
        self.at(next_year(1, 4), partial(self.verify, veto_number))

    # --- circulars and recognitions -------------------------------------------------------------

    def plan_late_circulars(self) -> None:
        self.circular(2, day(9, 11), day(9, 13), self.choose)
        self.circular(3, day(10, 23), day(10, 25), partial(self.choose, towns=("缑氏镇",)))

    def choose(
        self, found: Situation, towns: tuple[str, ...] = ()
    ) -> tuple[list[Unit], list[Unit]]:
        """The units the office names in a circular: among those the record suggests, the five
        praised units leading the most tasks (and ``towns``, for their parts), and at most six
        criticised: first for a report never given, then for a red light."""
        leading = Counter(unit.pk for unit in self.leads.values())
        praised = sorted(found.praise, key=lambda s: (-leading[s.unit.pk], s.unit.name))
        missing = [s.unit for s in found.criticise if any("未报送" in r for r in s.reasons)]
        red = [s.unit for s in found.criticise if any("红灯" in r for r in s.reasons)]
        chosen = [s.unit for s in praised[:5]]
        chosen += [unit for unit in self.directory().units.values() if unit.name in towns]
        return chosen, list(dict.fromkeys([*missing, *red]))[:6]

    def plan_recognitions(self) -> None:
        """Recognitions from a higher level (上级表彰) granted in December, recorded by the
        office with their documents the next day."""
        for unit_name, number, points, title, document, granted in RECOGNITIONS:
            task = self.by_number.get(number)
            if task is None or self.leads[task.pk].name != unit_name:
                continue

            def record(
                task: Task = task,
                points: Decimal = points,
                title: str = title,
                document: str = document,
                granted: dt.date = granted,
            ) -> None:
                copy = evidence(
                    title, [document, "特此通报。"], granted, issuer=document.split("关于")[0]
                )
                record_recognition(
                    user=self.office,
                    plan=self.plan,
                    unit=self.leads[task.pk],
                    points=points,
                    title=title,
                    document=document,
                    granted_on=granted,
                    files=[upload(copy)],
                    task=task,
                )

            self.at(granted + dt.timedelta(days=1), record)
