"""The people of the permission matrices, by kind, and what each should see, worked out apart
from duban's own rule.

The matrices name a person by kind (``"viewer"``, ``"security"``, …): the world's people, plus
two accounts the demo would never make, with Django's flags and no role (``root``, a superuser;
``it``, a staff user), to show those flags grant nothing in duban.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser

from duban.accounts.models import Membership, Role
from duban.directory.models import Group, Leader, Unit
from tests.support.world import World

People = dict[str, AbstractUser | None]


def make_person(
    username: str,
    role: str | None,
    *,
    unit: Unit | None = None,
    leader: Leader | None = None,
    superuser: bool = False,
    **names: Any,
) -> AbstractUser:
    """An account without a usable password (tests sign in with a session), outside the world:
    for a rule's edge cases (no role, no unit, a unit of its own)."""
    user_model = get_user_model()
    if superuser:
        user = user_model.objects.create_superuser(username, password=None, **names)
    else:
        user = user_model.objects.create_user(username, password=None, **names)
    if role is not None:
        Membership.objects.create(user=user, role=role, unit=unit, leader=leader)
    return user


def people_by_kind(world: World) -> People:
    return {
        "anonymous": None,
        "gongxin": world.gongxin,  # 工信局: tasks 2–4, not task 1
        "goushi": world.goushi,  # 缑氏镇: task 1 through 各镇（街道）
        "fgw": world.fgw,  # 发改委: leads task 1
        "archive": world.archive,  # 档案馆: no task
        "zhulei": world.zhulei,  # leads task 1
        "yezhanfang": world.yezhanfang,  # leads other tasks
        "viewer": world.chaxun,
        "office": world.office,
        "superuser": make_person("root", None, superuser=True),
        "sysadmin": world.xitong,
        "security": world.anquan,
        "auditor": world.shenji,
        "staff": make_person("it", None, is_staff=True),
    }


def independent_view(world: World, user: AbstractUser | None) -> set[str]:
    """The task numbers a person sees, read from the world without duban's permission rule."""
    membership = getattr(user, "membership", None)
    if user is None or membership is None:
        return set()  # Django's superuser flag grants nothing in duban
    if membership.role in (Role.OFFICE, Role.VIEWER):
        return set(world.tasks)
    if membership.role == Role.LEADER:
        return {
            t.number
            for t in world.tasks.values()
            if t.task_leaders.filter(leader=membership.leader).exists()
        }
    if membership.role != Role.UNIT_OPERATOR:
        return set()
    covering = {g.pk for g in Group.objects.all() if membership.unit in g.expanded_units()}
    return {
        task.number
        for task in world.tasks.values()
        if any(
            a.unit_id == membership.unit_id or a.group_id in covering
            for a in task.assignments.all()
        )
    }
