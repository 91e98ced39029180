"""A small synthetic Yanshi, built straight through the ORM: units, groups, leaders, a plan.

Not the demo world (tests/support/world.py): the ledger's list, export and query-count tests
need a plan they can grow task by task (10 tasks against 60) and tasks shaped for one filter
each. ``build_yanshi`` sets up Yanshi District's 2023 plan, with its four
streets and nine towns, the groups notices use for them, three leaders and a handful of tasks
that reach the towns in every way a notice can (by name, through 各镇（街道）, through 各街道,
through the open slot 相关镇（街道）).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser

from duban.accounts.models import Membership
from duban.directory.models import Group, GroupExpansion, Leader, Unit, UnitAlias, UnitKind
from duban.ledger.models import (
    Area,
    Assignment,
    AssignmentRole,
    Plan,
    Target,
    Task,
    TaskLeader,
    TaskStatus,
)

STREETS = [
    ("首阳山街道", "410307004"),
    ("商城街道", "410307005"),
    ("槐新街道", "410307006"),
    ("伊洛街道", "410307007"),
]
TOWNS = [
    ("翟镇镇", "410307103"),
    ("岳滩镇", "410307104"),
    ("顾县镇", "410307105"),
    ("缑氏镇", "410307106"),
    ("府店镇", "410307107"),
    ("高龙镇", "410307108"),
    ("山化镇", "410307109"),
    ("大口镇", "410307110"),
    ("邙岭镇", "410307111"),
]
DEPARTMENTS = [
    ("发改委", "偃师区发展和改革委员会", ["发展改革委"]),
    ("投促中心", "偃师区投资促进中心", []),
    ("工信局", "偃师区工业和信息化局", ["工业和信息化局"]),
    ("住建局", "偃师区住房和城乡建设局", ["住房和城乡建设局"]),
    ("城管局", "偃师区城市管理局", []),
    ("商务局", "偃师区商务局", []),
]

_counter = itertools.count(1)

Assignee = Unit | Group


def make_unit(
    name: str,
    kind: str = UnitKind.DEPARTMENT,
    *,
    full_name: str = "",
    code: str = "",
    aliases: Sequence[str] = (),
    active: bool = True,
) -> Unit:
    unit = Unit.objects.create(name=name, kind=kind, full_name=full_name, code=code, active=active)
    for alias in aliases:
        UnitAlias.objects.create(unit=unit, name=alias)
    return unit


def make_group(name: str, expansion: str, members: Iterable[Unit] = ()) -> Group:
    group = Group.objects.create(name=name, expansion=expansion)
    group.members.add(*members)
    return group


def make_leader(name: str, title: str = "", units: Iterable[Unit] = ()) -> Leader:
    leader = Leader.objects.create(name=name, title=title)
    leader.units.add(*units)
    return leader


def make_plan(year: int = 2023, **fields: Any) -> Plan:
    defaults: dict[str, Any] = {
        "title": f"洛阳市偃师区人民政府关于印发政府工作报告{year}年重点工作责任分解的通知",
        "doc_number": f"偃政〔{year}〕6号",
        "issuer": "洛阳市偃师区人民政府",
        "signed_on": date(year, 5, 4),
    }
    defaults.update(fields)
    return Plan.objects.create(year=year, **defaults)


def make_area(plan: Plan, number: int, title: str) -> Area:
    return Area.objects.create(plan=plan, number=number, title=title)


def make_task(
    plan: Plan,
    text: str,
    *,
    area: Area | None = None,
    number: str | None = None,
    position: int | None = None,
    leaders: Sequence[Leader] = (),
    lead: Sequence[Assignee] = (),
    responsible: Sequence[Assignee] = (),
    targets: Sequence[dict[str, Any]] = (),
    deadline: date | None = None,
    status: str = TaskStatus.NOT_STARTED,
) -> Task:
    """A task with its leaders, units (or groups) and targets, in the notice's order."""
    if position is None:
        position = (
            plan.tasks.order_by("-position").values_list("position", flat=True).first() or 0
        ) + 1
    task = Task.objects.create(
        plan=plan,
        area=area,
        position=position,
        number=number or str(position),
        text=text,
        deadline=deadline,
        status=status,
    )
    TaskLeader.objects.bulk_create(
        TaskLeader(task=task, leader=leader, position=i) for i, leader in enumerate(leaders, 1)
    )
    assignments = []
    for role, assignees in ((AssignmentRole.LEAD, lead), (AssignmentRole.RESPONSIBLE, responsible)):
        for i, assignee in enumerate(assignees, 1):
            is_unit = isinstance(assignee, Unit)
            assignments.append(
                Assignment(
                    task=task,
                    role=role,
                    position=i,
                    unit=assignee if is_unit else None,
                    group=None if is_unit else assignee,
                )
            )
    Assignment.objects.bulk_create(assignments)
    Target.objects.bulk_create(
        Target(
            task=task,
            position=i,
            label=spec["label"],
            value=Decimal(str(spec["value"])),
            value_max=None if spec.get("value_max") is None else Decimal(str(spec["value_max"])),
            unit=spec.get("unit", ""),
            op=spec.get("op", "="),
            source=spec.get("source", ""),
        )
        for i, spec in enumerate(targets, 1)
    )
    return task


def make_user(
    username: str,
    *,
    role: str | None = None,
    unit: Unit | None = None,
    staff: bool = False,
) -> AbstractUser:
    user = get_user_model().objects.create_user(
        username=username, password=f"pw-{next(_counter)}-Duban", is_staff=staff
    )
    if role:
        Membership.objects.create(user=user, role=role, unit=unit)
    return user


@dataclass
class Yanshi:
    plan: Plan
    units: dict[str, Unit] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    leaders: dict[str, Leader] = field(default_factory=dict)
    areas: dict[int, Area] = field(default_factory=dict)
    tasks: dict[str, Task] = field(default_factory=dict)


def build_directory() -> Yanshi:
    """Units, groups and leaders, without a plan (``plan`` is set by the caller)."""
    story = Yanshi(plan=None)  # type: ignore[arg-type]
    for name, full_name, aliases in DEPARTMENTS:
        story.units[name] = make_unit(name, full_name=full_name, aliases=aliases)
    for name, code in STREETS:
        story.units[name] = make_unit(name, UnitKind.STREET, code=code, full_name=f"偃师区{name}")
    for name, code in TOWNS:
        story.units[name] = make_unit(name, UnitKind.TOWN, code=code, full_name=f"偃师区{name}")
    u = story.units
    story.groups = {
        "各镇（街道）": make_group("各镇（街道）", GroupExpansion.TOWNSHIPS),
        "各街道": make_group("各街道", GroupExpansion.STREETS),
        "相关镇（街道）": make_group("相关镇（街道）", GroupExpansion.OPEN),
        "城区三街道": make_group(
            "城区三街道", GroupExpansion.MEMBERS, [u["首阳山街道"], u["商城街道"], u["槐新街道"]]
        ),
    }
    story.leaders = {
        "朱蕾": make_leader("朱蕾", "副区长", [u["发改委"], u["投促中心"], u["工信局"]]),
        "张伟": make_leader("张伟", "副区长", [u["住建局"], u["城管局"]]),
        "刘洋": make_leader("刘洋", "副区长", [u["商务局"]]),
    }
    return story


def build_yanshi() -> Yanshi:
    """The shared story: a 2023 plan of six tasks in three areas (see each task's comment)."""
    return add_plan(build_directory(), 2023)


def add_plan(story: Yanshi, year: int) -> Yanshi:
    """Give the story a plan of ``year`` with the six tasks; the story then points at it."""
    story.plan = plan = make_plan(year)
    story.tasks = {}
    u, g, leaders = story.units, story.groups, story.leaders
    story.areas = {
        1: make_area(plan, 1, "围绕实体经济扩投资，培育现代化偃师建设新动能工作"),
        2: make_area(plan, 2, "围绕扩大需求促消费，构建现代化偃师建设新引擎"),
        3: make_area(plan, 3, "围绕城市提质强功能，打造现代化偃师建设新形象"),
    }
    a = story.areas
    # Every town and street works on the projects: 各镇（街道）.
    story.tasks["projects"] = make_task(
        plan,
        "清单化、台账化推进总投资863亿元的270个项目，年度完成投资294亿元。",
        area=a[1],
        leaders=[leaders["朱蕾"]],
        lead=[u["发改委"]],
        responsible=[u["投促中心"], g["各镇（街道）"]],
        targets=[
            {
                "label": "总投资",
                "value": 863,
                "unit": "亿元",
                "source": "清单化、台账化推进总投资863亿元的270个项目",
            },
            {
                "label": "项目",
                "value": 270,
                "unit": "个",
                "source": "清单化、台账化推进总投资863亿元的270个项目",
            },
            {
                "label": "年度完成投资",
                "value": 294,
                "unit": "亿元",
                "source": "年度完成投资294亿元",
            },
        ],
        deadline=date(2023, 12, 31),
        status=TaskStatus.IN_PROGRESS,
    )
    # Only the towns the lead unit will name later: 相关镇（街道）, an open slot.
    story.tasks["batteries"] = make_task(
        plan,
        "确保优箔年产15万吨电池箔等16个项目竣工投产。",
        area=a[1],
        leaders=[leaders["朱蕾"]],
        lead=[u["工信局"]],
        responsible=[g["相关镇（街道）"]],
        targets=[
            {
                "label": "竣工投产项目",
                "value": 16,
                "unit": "个",
                "op": ">=",
                "source": "等16个项目竣工投产",
            }
        ],
        deadline=date(2023, 6, 30),
        status=TaskStatus.LAGGING,
    )
    # Streets only: 各街道.
    story.tasks["night_market"] = make_task(
        plan,
        "打造夜间消费街区2—3个，繁荣夜经济。",
        area=a[2],
        leaders=[leaders["刘洋"]],
        lead=[u["商务局"]],
        responsible=[g["各街道"]],
        targets=[
            {
                "label": "夜间消费街区",
                "value": 2,
                "value_max": 3,
                "unit": "个",
                "op": "range",
                "source": "打造夜间消费街区2—3个",
            }
        ],
        deadline=date(2023, 9, 30),
        status=TaskStatus.DONE,
    )
    # One town by name, with the housing bureau leading.
    story.tasks["old_town"] = make_task(
        plan,
        "推进缑氏镇老旧小区改造，完成改造小区12个。",
        area=a[3],
        leaders=[leaders["张伟"]],
        lead=[u["住建局"]],
        responsible=[u["缑氏镇"], u["城管局"]],
        targets=[
            {"label": "完成改造小区", "value": 12, "unit": "个", "source": "完成改造小区12个"}
        ],
    )
    # A member group: the three central streets, by name in the directory.
    story.tasks["centre"] = make_task(
        plan,
        "实施中心城区道路微循环改造工程。",
        area=a[3],
        leaders=[leaders["张伟"], leaders["朱蕾"]],
        lead=[u["城管局"], u["住建局"]],
        responsible=[g["城区三街道"]],
        deadline=date(2023, 11, 30),
        status=TaskStatus.IN_PROGRESS,
    )
    # Departments only, no town.
    story.tasks["permits"] = make_task(
        plan,
        "深化工程建设项目审批制度改革，审批时限压减至60个工作日以内。",
        area=a[3],
        leaders=[leaders["张伟"]],
        lead=[u["住建局"]],
        responsible=[u["发改委"], u["工信局"]],
        targets=[
            {
                "label": "审批时限",
                "value": 60,
                "unit": "个工作日",
                "op": "<=",
                "source": "审批时限压减至60个工作日以内",
            }
        ],
        deadline=date(2023, 5, 4),
    )
    return story


def add_filler_tasks(story: Yanshi, count: int) -> list[Task]:
    """More tasks like the real ones: a leader, a lead unit, a town group, a target each."""
    u, g, leaders = story.units, story.groups, list(story.leaders.values())
    towns = [u[name] for name, _code in TOWNS]
    tasks = []
    for i in range(count):
        tasks.append(
            make_task(
                story.plan,
                f"第{i + 1}项补充任务：推动重点项目建设，新增投资{i + 1}亿元。",
                area=story.areas[1 + i % 3],
                leaders=[leaders[i % len(leaders)]],
                lead=[u["发改委"] if i % 2 else u["住建局"]],
                responsible=[towns[i % len(towns)], g["各镇（街道）"] if i % 3 else g["各街道"]],
                targets=[
                    {
                        "label": "新增投资",
                        "value": i + 1,
                        "unit": "亿元",
                        "source": f"新增投资{i + 1}亿元",
                    }
                ],
                deadline=date(2023, 1 + i % 12, 1 + i % 28),
                status=list(TaskStatus)[i % 4],
            )
        )
    return tasks
