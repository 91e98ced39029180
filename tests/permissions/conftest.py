"""The real seed (偃政〔2023〕6号 over the Yanshi directory) and one named person per kind of user.

In the seed, task 1 (“项目为王”, 863亿元) is led by 朱蕾 and 发改委, with 投促中心 and 各镇（街道）
responsible, so 缑氏镇 works on it through the group; task 3 (扩大项目投资) names 工信局 as a
responsible unit, which task 1 does not. 叶占芳 leads other tasks, not task 1.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from duban.accounts.models import Membership, Role
from duban.directory.models import Leader, Unit, UnitKind
from duban.directory.services import create_unit, load_directory
from duban.intake.pipeline import DEMO_DIRECTORY
from duban.intake.services import import_demo_plan
from duban.ledger.models import Plan, Task

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser


@dataclass
class Seed:
    plan: Plan
    tasks: dict[str, Task]  # by number as the notice prints it
    units: dict[str, Unit]
    leaders: dict[str, Leader]
    people: dict[str, AbstractUser | None] = field(default_factory=dict)

    def client(self, person: str) -> Client:
        """A client signed in as ``person`` (not signed in for "anonymous")."""
        client = Client()
        user = self.people[person]
        if user is not None:
            client.force_login(user)
        return client


def make_person(
    username: str,
    role: str | None,
    *,
    unit: Unit | None = None,
    leader: Leader | None = None,
    superuser: bool = False,
    **names: Any,
) -> AbstractUser:
    """An account without a usable password (tests sign in with force_login; hashing a real
    password for every person of every test would take seconds)."""
    user_model = get_user_model()
    if superuser:
        user = user_model.objects.create_superuser(username, password=None, **names)
    else:
        user = user_model.objects.create_user(username, password=None, **names)
    if role is not None:
        Membership.objects.create(user=user, role=role, unit=unit, leader=leader)
    return user


@pytest.fixture
def seed(db: None, settings: Any, tmp_path: Path) -> Seed:
    settings.MEDIA_ROOT = tmp_path / "media"
    load_directory(json.loads(DEMO_DIRECTORY.read_text(encoding="utf-8")))
    office_unit = create_unit("督查室", UnitKind.DEPARTMENT, "洛阳市偃师区人民政府督查室")
    archive = create_unit("档案馆", UnitKind.DEPARTMENT, "偃师区档案馆")  # in no task
    plan = import_demo_plan().plan
    units = {unit.name: unit for unit in Unit.objects.all()}
    leaders = {leader.name: leader for leader in Leader.objects.all()}
    story = Seed(
        plan=plan,
        tasks={task.number: task for task in plan.tasks.all()},
        units=units,
        leaders=leaders,
    )
    story.people = {
        "anonymous": None,
        "gongxin": make_person("gongxin", Role.UNIT_OPERATOR, unit=units["工信局"]),
        "goushi": make_person("goushi", Role.UNIT_OPERATOR, unit=units["缑氏镇"]),
        "fgw": make_person("fgw", Role.UNIT_OPERATOR, unit=units["发改委"]),
        "archive": make_person("archive", Role.UNIT_OPERATOR, unit=archive),
        "zhulei": make_person("zhulei", Role.LEADER, leader=leaders["朱蕾"]),
        "yezhanfang": make_person("yezhanfang", Role.LEADER, leader=leaders["叶占芳"]),
        "viewer": make_person("chaxun", Role.VIEWER),
        "office": make_person("wangfang", Role.OFFICE, unit=office_unit),
        "superuser": make_person("root", None, superuser=True),
        "sysadmin": make_person("xitong", Role.SYSTEM_ADMIN),
        "security": make_person("anquan", Role.SECURITY_ADMIN),
        "auditor": make_person("shenji", Role.AUDIT_ADMIN),
        "staff": make_person("it", None, is_staff=True),
    }
    return story
