"""Every restricted model × every action it answers × every kind of person, derived twice.

The expected answers are written out below from the rules as docs/accounts.md states them, not
read from the code. Each is then checked two ways: ``can(user, action, obj)`` and whether
``Model.objects.restrict(user, action)`` holds the object. A restricted model or an action
without rows here fails ``test_the_matrix_covers_every_registered_model_and_action``.

The things is the real seed (偃政〔2023〕6号): task 1 (“项目为王”) is led by 朱蕾 and 发改委, with
投促中心 and 各镇（街道） responsible, so 缑氏镇 works on it through the group; 工信局 is on other
tasks, not task 1; 叶占芳 leads other tasks. Objects hang on task 1 unless their name says so.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone

from duban.accounts.models import AccessToken, Membership
from duban.accounts.tokens import make_token
from duban.assessment.models import (
    Adjustment,
    AdjustmentFile,
    Appeal,
    AppealFile,
    Assessment,
    AssessmentState,
    Recognition,
    RecognitionFile,
    Scheme,
    ScoreItem,
    UnitScore,
)
from duban.audit.models import AuditAction, AuditEvent
from duban.core.permissions import Action, can, registered_models
from duban.inspections.models import Finding, Inspection, InspectionFile, RectificationItem
from duban.ledger.models import Plan, Task
from duban.lights.models import LightOverride, LightRecord, LightSettings
from duban.notify.models import Channel, Delivery, Notification, NotificationItem
from duban.reporting.models import (
    Contribution,
    Evidence,
    Milestone,
    Period,
    PeriodState,
    Refinement,
    Report,
    ReportVersion,
    ReviewState,
)
from duban.supervision.models import (
    Circular,
    CircularState,
    ExtensionRequest,
    Notice,
    NoticeFile,
    NoticeLevel,
    Summons,
)
from tests.support.permissions import People
from tests.support.world import World

V, C, D = Action.VIEW, Action.CHANGE, Action.DOWNLOAD
REFINE, REPORT, CONTRIB = Action.REFINE, Action.REPORT, Action.CONTRIBUTE
REVIEW, REPLY = Action.REVIEW, Action.REPLY

PEOPLE = (
    "anonymous",
    "office",
    "viewer",
    "zhulei",
    "yezhanfang",
    "fgw",
    "goushi",
    "gongxin",
    "archive",
    "sysadmin",
    "security",
    "auditor",
    "superuser",
    "staff",
)
NOBODY: frozenset[str] = frozenset()
OFFICE = frozenset({"office"})
# Who sees task 1: those who read every task, its leader, its lead unit, a town through 各镇（街道）.
TASK1 = frozenset({"office", "viewer", "zhulei", "fgw", "goushi"})
# Who reads business data and sees at least one task of the plan (the archive is on none).
PLAN = TASK1 | {"yezhanfang", "gongxin"}
# Everyone who reads business data, whether or not any task concerns them.
READERS = PLAN | {"archive"}
ADMINS = frozenset({"sysadmin", "security", "auditor"})
# Who sees 缑氏镇's score (and what hangs on it) once publicity has opened: the office, viewers,
# leaders, and 缑氏镇 itself — no other unit.
SCORE = frozenset({"office", "viewer", "zhulei", "yezhanfang", "goushi"})


@dataclass(frozen=True)
class Case:
    name: str
    model: type[models.Model]
    expected: dict[Action, frozenset[str]]


def _cases() -> list[Case]:
    # fmt: off
    return [
        Case("task", Task, {
            V: TASK1, D: TASK1, C: OFFICE, REVIEW: OFFICE,
            REFINE: frozenset({"fgw"}), REPORT: frozenset({"fgw"}),
            CONTRIB: frozenset({"goushi"}),
        }),
        Case("plan", Plan, {V: PLAN, D: PLAN, C: OFFICE}),
        Case("open period", Period, {V: PLAN, C: OFFICE}),
        Case("submitted refinement", Refinement, {V: TASK1, C: NOBODY, REVIEW: OFFICE}),
        Case("milestone", Milestone, {V: TASK1}),
        Case("draft report", Report, {
            V: TASK1, D: TASK1, C: frozenset({"fgw"}), REVIEW: OFFICE,
        }),
        Case("version of the draft report", ReportVersion, {V: TASK1}),
        Case("goushi's draft contribution", Contribution, {
            V: TASK1, C: frozenset({"goushi"}),
        }),
        Case("evidence of the draft report", Evidence, {
            V: TASK1, D: TASK1, C: frozenset({"fgw"}),
        }),
        Case("督办 to 发改委", Notice, {
            V: TASK1, C: OFFICE, REVIEW: OFFICE, REPLY: frozenset({"fgw"}),
        }),
        # A town behind 各镇（街道） on task 1 answers what is addressed to it; the task's lead
        # unit may answer any notice on its task.
        Case("督办 to 缑氏镇", Notice, {
            V: TASK1, C: OFFICE, REVIEW: OFFICE, REPLY: frozenset({"goushi", "fgw"}),
        }),
        # A period 催办 to 发改委 listing tasks 1 and 2 is seen with either task (工信局 works on
        # task 2) and answered by 发改委 alone.
        Case("2023Q1 催办 to 发改委 on tasks 1 and 2", Notice, {
            V: TASK1 | {"gongxin"}, C: OFFICE, REVIEW: OFFICE, REPLY: frozenset({"fgw"}),
        }),
        Case("file of the 督办", NoticeFile, {V: TASK1, D: TASK1}),
        Case("约谈 record", Summons, {V: TASK1, C: OFFICE}),
        Case("extension request", ExtensionRequest, {
            V: TASK1, C: frozenset({"fgw"}), REVIEW: OFFICE,
        }),
        # An issued circular is a published document: read by all, changed by nobody.
        Case("issued circular", Circular, {V: READERS, C: NOBODY}),
        Case("draft circular", Circular, {V: OFFICE, C: OFFICE}),
        # 工信局 sees the inspection through the item it was given (below).
        Case("inspection", Inspection, {V: TASK1 | {"gongxin"}, C: OFFICE}),
        Case("finding", Finding, {V: TASK1, C: OFFICE}),
        # 工信局 owns an item on a task it does not otherwise see: the office gave it the item.
        Case("工信局's rectification item", RectificationItem, {
            V: frozenset({"office", "viewer", "zhulei", "gongxin"}),
            REPLY: frozenset({"gongxin"}), REVIEW: OFFICE,
        }),
        Case("photo of the finding", InspectionFile, {V: TASK1, D: TASK1}),
        Case("light settings", LightSettings, {V: OFFICE, C: OFFICE}),
        Case("light override of task 1", LightOverride, {V: TASK1, C: OFFICE}),
        Case("light record of task 1", LightRecord, {V: TASK1}),
        Case("fgw's notification", Notification, {V: frozenset({"fgw"}), C: frozenset({"fgw"})}),
        # An item of it: read with it (and marked read with it), by fgw alone.
        Case("an item of fgw's notification", NotificationItem, {V: frozenset({"fgw"})}),
        # Channels are settings (三权分立): the system administrator's alone.
        Case("delivery channel", Channel, {V: frozenset({"sysadmin"}), C: frozenset({"sysadmin"})}),
        # A delivery carries business data: an email is its addressee's, and the office's …
        Case("email to fgw", Delivery, {V: frozenset({"office", "fgw"})}),
        # … a group robot's message for 发改委 is the office's to see (its log), nobody else's.
        Case("robot message for 发改委", Delivery, {V: OFFICE}),
        Case("audit event of task 1", AuditEvent, {V: TASK1 | {"auditor"}}),
        Case("goushi's account", Membership, {
            V: frozenset({"goushi", "office", "security"}), C: frozenset({"office", "security"}),
        }),
        Case("the office's account", Membership, {
            V: frozenset({"office", "security"}), C: frozenset({"security"}),
        }),
        Case("the audit administrator's account", Membership, {
            V: frozenset({"auditor"}), C: NOBODY,
        }),
        # A personal access token for the API is its owner's alone (docs/api.md).
        Case("fgw's access token", AccessToken, {V: frozenset({"fgw"}), C: frozenset({"fgw"})}),
        # The year-end assessment (docs/assessment.md), in publicity: 缑氏镇's score and item,
        # the office's adjustment of it, 缑氏镇's appeal, a recognition of 缑氏镇.
        Case("assessment scheme", Scheme, {V: READERS, C: OFFICE}),
        Case("2023 assessment in publicity", Assessment, {V: PLAN, C: OFFICE}),
        Case("缑氏镇's score", UnitScore, {V: SCORE, REVIEW: OFFICE}),
        Case("an item of 缑氏镇's score", ScoreItem, {
            V: SCORE, REPLY: frozenset({"goushi"}), REVIEW: OFFICE,
        }),
        Case("adjustment of 缑氏镇's item", Adjustment, {V: SCORE, D: SCORE, C: OFFICE}),
        Case("file of the adjustment", AdjustmentFile, {V: SCORE, D: SCORE, C: OFFICE}),
        Case("缑氏镇's appeal", Appeal, {V: SCORE, D: SCORE, REVIEW: OFFICE}),
        Case("file of the appeal", AppealFile, {V: SCORE, D: SCORE}),
        Case("recognition of 缑氏镇", Recognition, {V: SCORE, D: SCORE, C: OFFICE}),
        Case("file of the recognition", RecognitionFile, {V: SCORE, D: SCORE, C: OFFICE}),
    ]
    # fmt: on


def _file(name: str = "a.pdf") -> ContentFile:
    return ContentFile(b"%PDF-1.4\n%%EOF\n", name=name)


def _notice(serial: int, tasks: tuple[Task, ...] = (), **fields: Any) -> Notice:
    notice = Notice.objects.create(
        level=NoticeLevel.choices[0][0],
        problem="进度滞后",
        requirement="加快推进",
        reply_due=datetime.date(2023, 4, 15),
        year=2023,
        agency_code="偃督",
        serial=serial,
        doc_number=f"偃督〔2023〕{serial}号",
        issuer="偃师区人民政府督查室",
        issued_at=timezone.now(),
        **fields,
    )
    notice.tasks.set(tasks)
    return notice


def _stored(model: type[models.Model], **owner: Any) -> models.Model:
    return model.objects.create(
        original_name="a.pdf",
        content_type="application/pdf",
        size=14,
        sha256="0" * 64,
        file=_file(),
        **owner,
    )


@pytest.fixture
def things(world: World, people: People) -> dict[str, models.Model]:
    task = world.tasks["1"]
    unit = world.units
    office = people["office"]
    now = timezone.now()
    period = world.q1  # open, 2023-03-01 to 2023-03-31
    assert (period.state, period.opens_on, period.due_on) == (
        PeriodState.OPEN,
        datetime.date(2023, 3, 1),
        datetime.date(2023, 3, 31),
    )
    refinement = Refinement.objects.create(task=task, state=ReviewState.SUBMITTED)
    milestone = Milestone.objects.create(
        refinement=refinement, position=1, description="开工", due_on=datetime.date(2023, 6, 30)
    )
    report = Report.objects.create(task=task, period=period)
    contribution = Contribution.objects.create(task=task, period=period, unit=unit["缑氏镇"])
    notice = Notice.objects.create(
        task=task,
        level=NoticeLevel.choices[0][0],
        unit=unit["发改委"],
        problem="进度滞后",
        requirement="加快推进",
        reply_due=datetime.date(2023, 4, 15),
        year=2023,
        agency_code="偃督",
        serial=1,
        doc_number="偃督〔2023〕1号",
        issuer="偃师区人民政府督查室",
        issued_at=now,
        issued_by=office,
    )
    inspection = Inspection.objects.create(
        plan=world.plan,
        topic="项目建设专项督查",
        starts_on=datetime.date(2023, 5, 1),
        ends_on=datetime.date(2023, 5, 10),
    )
    inspection.covered.create(task=task)
    finding = Finding.objects.create(
        inspection=inspection, task=task, text="手续不全", found_on=datetime.date(2023, 5, 2)
    )
    circular_fields = {
        "period": period,
        "recipients": "各镇（街道）、区直各单位",
        "issuer": "偃师区人民政府督查室",
    }
    notification = Notification.objects.create(user=people["fgw"], day=datetime.date(2023, 4, 16))
    item = NotificationItem.objects.create(
        notification=notification,
        user=people["fgw"],
        kind="notice_issued",
        key="notice_issued:n1",
        title="督办通知",
        task=task,
    )
    channel = Channel.objects.create(kind="email", name="邮件")
    event = AuditEvent.objects.create(
        action=AuditAction.UPDATE,
        object_type="ledger.task",
        object_id=str(task.pk),
        task_id=task.pk,
    )
    scheme = Scheme.objects.create(name="考核办法", version=1, rules={}, created_at=now)
    assessment = Assessment.objects.create(
        plan=world.plan,
        scheme=scheme,
        state=AssessmentState.PUBLICITY,
        as_of=datetime.date(2024, 1, 20),
        computed_at=now,
    )
    score = UnitScore.objects.create(
        assessment=assessment,
        unit=unit["缑氏镇"],
        group="townships",
        score=90,
        rank=1,
        grade="good",
    )
    score_item = ScoreItem.objects.create(
        score=score,
        key="base:pace",
        component="pace",
        rule="pool_base",
        points=10,
        text="序时进度基础分",
    )
    adjustment = Adjustment.objects.create(
        item=score_item,
        key=score_item.key,
        points_before=10,
        points_after=9,
        reason="核减",
        made_at=now,
    )
    appeal = Appeal.objects.create(item=score_item, key=score_item.key, reason="不服", filed_at=now)
    recognition = Recognition.objects.create(
        plan=world.plan,
        unit=unit["缑氏镇"],
        points=1,
        title="省级表彰",
        document="豫政〔2023〕1号",
        granted_on=datetime.date(2023, 6, 1),
        created_at=now,
    )
    return {
        "assessment scheme": scheme,
        "2023 assessment in publicity": assessment,
        "缑氏镇's score": score,
        "an item of 缑氏镇's score": score_item,
        "adjustment of 缑氏镇's item": adjustment,
        "file of the adjustment": _stored(AdjustmentFile, adjustment=adjustment),
        "缑氏镇's appeal": appeal,
        "file of the appeal": _stored(AppealFile, appeal=appeal),
        "recognition of 缑氏镇": recognition,
        "file of the recognition": _stored(RecognitionFile, recognition=recognition),
        "task": task,
        "plan": world.plan,
        "open period": period,
        "submitted refinement": refinement,
        "milestone": milestone,
        "draft report": report,
        "version of the draft report": ReportVersion.objects.create(
            report=report, number=1, state=ReviewState.DRAFT, data={}
        ),
        "goushi's draft contribution": contribution,
        "evidence of the draft report": _stored(Evidence, report=report),
        "督办 to 发改委": notice,
        "督办 to 缑氏镇": _notice(2, task=task, unit=unit["缑氏镇"]),
        "2023Q1 催办 to 发改委 on tasks 1 and 2": _notice(
            3, tasks=(task, world.tasks["2"]), period=period, unit=unit["发改委"]
        ),
        "file of the 督办": _stored(NoticeFile, notice=notice),
        "约谈 record": Summons.objects.create(
            task=task, held_on=datetime.date(2023, 4, 20), note="约谈发改委负责人"
        ),
        "extension request": ExtensionRequest.objects.create(
            task=task,
            current_due=datetime.date(2023, 6, 30),
            requested_due=datetime.date(2023, 9, 30),
            reason="受天气影响",
            requested_at=now,
        ),
        "issued circular": Circular.objects.create(
            title="一季度通报", state=CircularState.ISSUED, **circular_fields
        ),
        "draft circular": Circular.objects.create(title="二季度通报", **circular_fields),
        "inspection": inspection,
        "finding": finding,
        "工信局's rectification item": RectificationItem.objects.create(
            finding=finding,
            task=task,
            text="补齐手续",
            unit=unit["工信局"],
            deadline=datetime.date(2023, 6, 1),
        ),
        "photo of the finding": _stored(InspectionFile, finding=finding),
        "light settings": LightSettings.objects.create(),
        "light override of task 1": LightOverride.objects.create(
            task=task, colour="red", reason="群众反映强烈", set_by=office
        ),
        "light record of task 1": LightRecord.objects.create(
            task=task, on=datetime.date(2023, 4, 5), colour="red"
        ),
        "fgw's notification": notification,
        "an item of fgw's notification": item,
        "delivery channel": channel,
        "email to fgw": Delivery.objects.create(
            channel=channel, key="u", recipient=people["fgw"], title="督办通知", next_attempt_at=now
        ),
        "robot message for 发改委": Delivery.objects.create(
            channel=channel, key="unit", unit=unit["发改委"], title="督办通知", next_attempt_at=now
        ),
        "audit event of task 1": event,
        "goushi's account": Membership.objects.get(user=people["goushi"]),
        "the office's account": Membership.objects.get(user=people["office"]),
        "the audit administrator's account": Membership.objects.get(user=people["auditor"]),
        "fgw's access token": make_token(user=people["fgw"], name="市平台")[0],
    }


def _answers(world: World, things: dict[str, models.Model]) -> list[tuple[str, str, str, bool]]:
    """(case, action, person, expected) for every cell of the matrix."""
    cells = []
    for case in _cases():
        for action in case.model._default_manager.all().actions:  # type: ignore[attr-defined]
            allowed = case.expected.get(action, NOBODY)
            for person in PEOPLE:
                cells.append((case.name, action, person, person in allowed))
    return cells


def test_can_answers_the_matrix(
    world: World, people: People, things: dict[str, models.Model]
) -> None:
    wrong = [
        (name, str(action), person, expected)
        for name, action, person, expected in _answers(world, things)
        if can(people[person], action, things[name]) != expected
    ]
    assert wrong == []


def test_restrict_answers_the_matrix(
    world: World, people: People, things: dict[str, models.Model]
) -> None:
    wrong = []
    for name, action, person, expected in _answers(world, things):
        obj = things[name]
        found = (
            type(obj)
            ._default_manager.all()
            .restrict(people[person], action)  # type: ignore[attr-defined]
            .filter(pk=obj.pk)
            .exists()
        )
        if found != expected:
            wrong.append((name, str(action), person, expected))
    assert wrong == []


def test_the_matrix_covers_every_registered_model_and_action(
    world: World, things: dict[str, models.Model]
) -> None:
    cases = _cases()
    covered = {case.model for case in cases}
    assert set(registered_models()) <= covered | {get_user_model()}
    for case in cases:
        answered = set(case.model._default_manager.all().actions)  # type: ignore[attr-defined]
        assert set(case.expected) <= answered, case.name


def test_no_administrator_reads_business_data(
    world: World, people: People, things: dict[str, models.Model]
) -> None:
    business = [
        name
        for name in things
        if type(things[name]) not in (Membership, AuditEvent, Channel, AccessToken)
    ]
    for person in ADMINS | {"superuser", "staff"}:
        user = people[person]
        assert not can(user, Action.READ_LEDGER), person
        for name in business:
            obj = things[name]
            assert not type(obj)._default_manager.all().restrict(user).filter(pk=obj.pk).exists(), (
                person,
                name,
            )


def test_no_administrator_can_raise_anothers_rights(world: World, people: People) -> None:
    """The security administrator manages business accounts, never an administrator's; the
    other two administrators manage no account; nobody changes an administrator's account."""
    admins = Membership.objects.filter(user__in=[people[p] for p in ADMINS])
    for person in PEOPLE:
        user = people[person]
        assert not admins.restrict(user, Action.CHANGE).exists(), person
    assert not can(people["sysadmin"], Action.MANAGE_USERS)
    assert not can(people["auditor"], Action.MANAGE_USERS)
    assert can(people["security"], Action.MANAGE_USERS)
    assert not can(people["security"], Action.READ_AUDIT)
    assert not can(people["auditor"], Action.MANAGE_SETTINGS)
