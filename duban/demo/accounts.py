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

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from duban.accounts.models import Membership, Role
from duban.accounts.permissions import users_acting_for
from duban.directory.models import Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

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


def clerk_of(unit: Unit) -> AbstractUser:
    """Who writes for ``unit`` in the demo year: its demo account (发改委: 王强), else a quiet
    operator account made for it, ``unit-`` and eight hex digits of the unit's name.

    The quiet accounts are not printed and have no usable password (nobody signs in with them
    until the security administrator sets one); they exist so that every lead unit's refinement,
    report and reply is someone's, as it would be. A re-run finds them again.
    """
    found = users_acting_for([unit.pk]).order_by("pk").first()
    if found is not None:
        user: AbstractUser = found
        return user
    username = "unit-" + hashlib.sha1(unit.name.encode()).hexdigest()[:8]
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": f"{unit.name}联络员"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Membership.objects.update_or_create(
        user=user, defaults={"role": Role.UNIT_OPERATOR, "unit": unit, "leader": None}
    )
    return user
