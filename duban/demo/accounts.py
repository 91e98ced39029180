"""Who ``duban demo`` creates: one account per role, all with the demo password.

The operators report for units the seed notice gives work to: 发改委 leads task 1 (“项目为王”),
缑氏镇 is responsible for it through 各镇（街道）, 工信局 is responsible for tasks 2–4 but not for
task 1. 朱蕾 leads task 1. The three administrators of 三权分立 are ordinary accounts of their
roles, as ``duban admin create`` makes them. The test suite's world (tests/support/world.py)
has exactly these people.

The leader account has no unit: a leader works across the units he or she oversees
(``Leader.units``), and tying the account to 督查室 would hand it the office's unit scope.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from duban.accounts.models import Role

OFFICE_UNIT = "督查室"
OFFICE_UNIT_FULL_NAME = "洛阳市偃师区人民政府督查室"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: Role
    unit: str = ""  # as a notice names it (an alias finds a renamed unit)
    leader: str = ""

    @property
    def role_label(self) -> str:
        if self.role == Role.OFFICE:
            return _("Supervision office administrator")
        return str(self.role.label)


DEMO_ACCOUNTS: list[DemoAccount] = [
    DemoAccount("office", "刘芳", Role.OFFICE, unit=OFFICE_UNIT),
    DemoAccount("zhulei", "朱蕾", Role.LEADER, leader="朱蕾"),
    DemoAccount("fgw", "王强", Role.UNIT_OPERATOR, unit="发改委"),
    DemoAccount("goushi", "赵敏", Role.UNIT_OPERATOR, unit="缑氏镇"),
    DemoAccount("gongxin", "孙浩", Role.UNIT_OPERATOR, unit="工信局"),
    DemoAccount("chaxun", "周洁", Role.VIEWER),
    DemoAccount("xitong", "马俊", Role.SYSTEM_ADMIN),
    DemoAccount("anquan", "何静", Role.SECURITY_ADMIN),
    DemoAccount("shenji", "林涛", Role.AUDIT_ADMIN),
]

# The account that imports the seed notice, as a clerk of the office would.
OFFICE_USERNAME = DEMO_ACCOUNTS[0].username
