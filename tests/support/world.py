"""The test world: the demo's people and data, built as ``duban demo`` builds them.

``build_world()`` loads the Yanshi directory, creates 督查室 and exactly the accounts of
duban/demo/accounts.py (one per role, each with its full name and the password ``PASSWORD``),
imports the seed notice 偃政〔2023〕6号 (10 areas, 98 tasks) as the office, creates the
standard periods (2023Q1–Q4, 2023Y) and, a little later than the demo, opens 2023Q1:

- 刘芳 (``office``) is the supervision office (督查室);
- 朱蕾 (``zhulei``) is the deputy district head who leads tasks 1–4;
- 王强 (``fgw``) reports for 发改委, lead unit of tasks 1–4, 30, 62, 66 and 75 (task 1 with
  投促中心 and 各镇（街道） responsible; its targets are 总投资 863亿元, 270个项目 and 年度完成投资
  294亿元; task 2 with 工信局 and the open slot 相关镇（街道））;
- 赵敏 (``goushi``) reports for 缑氏镇, a town, so responsible on task 1 through 各镇（街道）;
- 孙浩 (``gongxin``) reports for 工信局, responsible on tasks 2–4 but nowhere on task 1;
- 周洁 (``chaxun``) is a viewer; 马俊 (``xitong``), 何静 (``anquan``) and 林涛 (``shenji``) are
  the system, security and audit administrators (三权分立).

A few stories need someone the demo does not have; they are in every world, named for what
they are there for (``EXTRAS``):

- 陈静 (``chenjing``), a second operator of 发改委: two clerks of one unit at once;
- 吴迪 (``archive``), the operator of 档案馆, a unit no task names;
- 叶占芳 (``yezhanfang``), a leader of other tasks than task 1.

Tests reach the people through the persona helpers: ``world.as_office(client)``,
``world.as_unit("发改委", client)``, ``world.as_leader("朱蕾", client)``,
``world.as_viewer(client)``, ``world.as_admin("security", client)`` return the client signed in
(a new one when none is given); ``signed_in(client, user)`` signs in anyone else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from django.test import Client

from duban.accounts.models import Role
from duban.accounts.services import ensure_account
from duban.demo.accounts import DEMO_ACCOUNTS, OFFICE_UNIT, OFFICE_UNIT_FULL_NAME, DemoAccount
from duban.directory.files import DEMO_FILE, read_directory_file
from duban.directory.models import Leader, Unit, UnitKind
from duban.directory.services import create_unit, load_directory
from duban.intake.services import import_demo_plan
from duban.ledger.models import Plan, Task
from duban.reporting.models import Period
from duban.reporting.services.periods import create_standard_periods, open_period

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

PASSWORD = "Duban-demo-2023"  # every account of the world has it, as DUBAN_DEMO_PASSWORD
ARCHIVE_UNIT = "档案馆"  # a unit in no task

# Beyond the demo's accounts, only for the stories that need them.
EXTRAS: list[DemoAccount] = [
    DemoAccount("chenjing", "陈静", Role.UNIT_OPERATOR, unit="发改委"),
    DemoAccount("archive", "吴迪", Role.UNIT_OPERATOR, unit=ARCHIVE_UNIT),
    DemoAccount("yezhanfang", "叶占芳", Role.LEADER, leader="叶占芳"),
]
ADMIN_ROLES = {
    "system": Role.SYSTEM_ADMIN,
    "security": Role.SECURITY_ADMIN,
    "audit": Role.AUDIT_ADMIN,
}


def signed_in(client: Client | None, user: AbstractUser) -> Client:
    """``client`` (or a new one) signed in as ``user``: a session, no password typed."""
    client = client or Client()
    client.force_login(user)
    return client


@dataclass
class World:
    plan: Plan
    q1: Period
    people: dict[str, AbstractUser] = field(repr=False)  # by username

    # --- the people -------------------------------------------------------------------------

    def user(self, username: str) -> AbstractUser:
        return self.people[username]

    @property
    def office(self) -> AbstractUser:
        return self.people["office"]

    @property
    def zhulei(self) -> AbstractUser:
        return self.people["zhulei"]

    @property
    def fgw(self) -> AbstractUser:
        return self.people["fgw"]

    @property
    def goushi(self) -> AbstractUser:
        return self.people["goushi"]

    @property
    def gongxin(self) -> AbstractUser:
        return self.people["gongxin"]

    @property
    def chaxun(self) -> AbstractUser:
        return self.people["chaxun"]

    @property
    def xitong(self) -> AbstractUser:
        return self.people["xitong"]

    @property
    def anquan(self) -> AbstractUser:
        return self.people["anquan"]

    @property
    def shenji(self) -> AbstractUser:
        return self.people["shenji"]

    @property
    def chenjing(self) -> AbstractUser:
        """The second operator of 发改委 (an extra)."""
        return self.people["chenjing"]

    @property
    def archive(self) -> AbstractUser:
        """The operator of 档案馆, a unit in no task (an extra)."""
        return self.people["archive"]

    @property
    def yezhanfang(self) -> AbstractUser:
        """The leader 叶占芳, who does not lead task 1 (an extra)."""
        return self.people["yezhanfang"]

    def user_of_unit(self, unit: str) -> AbstractUser:
        """The world's (first) operator of ``unit``: fgw for 发改委, goushi for 缑氏镇, …"""
        for account in [*DEMO_ACCOUNTS, *EXTRAS]:
            if account.role == Role.UNIT_OPERATOR and account.unit == unit:
                return self.people[account.username]
        raise LookupError(f"nobody in the world reports for {unit}")

    def user_of_leader(self, leader: str) -> AbstractUser:
        for account in [*DEMO_ACCOUNTS, *EXTRAS]:
            if account.role == Role.LEADER and account.leader == leader:
                return self.people[account.username]
        raise LookupError(f"no account in the world for the leader {leader}")

    def admin(self, kind: str) -> AbstractUser:
        """The ``system``, ``security`` or ``audit`` administrator."""
        role = ADMIN_ROLES[kind]
        return next(self.people[a.username] for a in DEMO_ACCOUNTS if a.role == role)

    # --- the persona helpers: a client signed in as that person -----------------------------

    def as_user(self, user: AbstractUser | None, client: Client | None = None) -> Client:
        """Signed in as ``user``, whoever it is; not signed in at all for ``None``."""
        if user is None:
            return client or Client()
        return signed_in(client, user)

    def as_office(self, client: Client | None = None) -> Client:
        return signed_in(client, self.office)

    def as_unit(self, unit: str, client: Client | None = None) -> Client:
        return signed_in(client, self.user_of_unit(unit))

    def as_leader(self, leader: str, client: Client | None = None) -> Client:
        return signed_in(client, self.user_of_leader(leader))

    def as_viewer(self, client: Client | None = None) -> Client:
        return signed_in(client, self.chaxun)

    def as_admin(self, kind: str, client: Client | None = None) -> Client:
        return signed_in(client, self.admin(kind))

    # --- the data ---------------------------------------------------------------------------

    def task(self, number: str) -> Task:
        return self.plan.tasks.get(number=number)

    def period(self, code: str) -> Period:
        return self.plan.periods.get(code=code)

    def unit(self, name: str) -> Unit:
        return Unit.objects.get(name=name)

    def leader(self, name: str) -> Leader:
        return Leader.objects.get(name=name)

    @cached_property
    def tasks(self) -> dict[str, Task]:
        """The plan's tasks by their number as the notice prints it."""
        return {task.number: task for task in self.plan.tasks.all()}

    @cached_property
    def units(self) -> dict[str, Unit]:
        return {unit.name: unit for unit in Unit.objects.all()}

    @cached_property
    def leaders(self) -> dict[str, Leader]:
        return {leader.name: leader for leader in Leader.objects.all()}


def _ensure(account: DemoAccount) -> AbstractUser:
    unit = Unit.objects.get(name=account.unit) if account.unit else None
    leader = Leader.objects.get(name=account.leader) if account.leader else None
    user = ensure_account(account.username, PASSWORD, account.role, unit=unit, leader=leader)
    user.first_name = account.full_name
    user.save(update_fields=["first_name"])
    return user


def build_world(*, open_q1: bool = True) -> World:
    """The demo's directory, ledger, periods and people (and the extras), 2023Q1 open; with
    ``open_q1=False`` exactly as ``duban demo`` leaves it, every period still planned."""
    load_directory(read_directory_file(DEMO_FILE))
    create_unit(OFFICE_UNIT, UnitKind.DEPARTMENT, OFFICE_UNIT_FULL_NAME)
    create_unit(ARCHIVE_UNIT, UnitKind.DEPARTMENT, "偃师区档案馆")
    people = {account.username: _ensure(account) for account in [*DEMO_ACCOUNTS, *EXTRAS]}
    plan = import_demo_plan(user=people["office"]).plan
    create_standard_periods(plan=plan, user=None)
    q1 = plan.periods.get(code="2023Q1")
    if open_q1:
        q1 = open_period(period=q1, user=None)
    return World(plan=plan, q1=q1, people=people)
