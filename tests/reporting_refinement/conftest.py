"""The real seed: the Yanshi directory, the 2023 notice (98 tasks) and the people who work it.

- 李娜 (``fgw``) operates for 发改委, lead unit of tasks 1–4 (task 1 with 投促中心 and 各镇（街道）,
  task 2 with 工信局 and the open slot 相关镇（街道））;
- 张伟 (``gxj``) operates for 工信局, responsible on task 2 but not on task 1;
- 王芳 (``goushi``) operates for 缑氏镇, reached by 各镇（街道）;
- 王敏 (``office``) is the supervision office; 朱蕾 (``zhulei``) leads tasks 1–4.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from duban.accounts.models import Role
from duban.accounts.services import ensure_account
from duban.directory.models import Leader, Unit, UnitKind
from duban.directory.services import create_unit, load_directory
from duban.intake.services import import_demo_plan
from duban.ledger.models import Plan, Task

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

PASSWORD = "Refinement-test-2023"
DIRECTORY = (
    Path(__file__).resolve().parents[2] / "duban" / "demo" / "data" / "yanshi-directory.json"
)


@dataclass
class Seed:
    plan: Plan
    fgw: AbstractUser
    gxj: AbstractUser
    goushi: AbstractUser
    office: AbstractUser
    zhulei: AbstractUser

    def task(self, number: str) -> Task:
        return self.plan.tasks.get(number=number)


def build_seed() -> Seed:
    load_directory(json.loads(DIRECTORY.read_text(encoding="utf-8")))
    outcome = import_demo_plan()
    office_unit = create_unit("督查室", UnitKind.DEPARTMENT, "洛阳市偃师区人民政府督查室")

    def operator(username: str, unit: str) -> AbstractUser:
        return ensure_account(
            username, PASSWORD, Role.UNIT_OPERATOR, unit=Unit.objects.get(name=unit)
        )

    return Seed(
        plan=outcome.plan,
        fgw=operator("fgw", "发改委"),
        gxj=operator("gxj", "工信局"),
        goushi=operator("goushi", "缑氏镇"),
        office=ensure_account("office", PASSWORD, Role.OFFICE, unit=office_unit),
        zhulei=ensure_account(
            "zhulei", PASSWORD, Role.LEADER, leader=Leader.objects.get(name="朱蕾")
        ),
    )


@pytest.fixture
def seed(db: None) -> Seed:
    return build_seed()
