"""ensure_account: an account and its place in the government, reset on every call."""

from __future__ import annotations

import pytest

from duban.accounts.models import Membership, Role
from duban.accounts.services import ensure_account, ensure_office_account
from duban.directory.models import Leader, Unit


@pytest.mark.django_db
def test_an_operator_account_gets_its_unit_and_is_reset_on_a_second_call() -> None:
    fgw = Unit.objects.create(name="发改委")
    goushi = Unit.objects.create(name="缑氏镇", kind="town")
    user = ensure_account("fgw", "First-pass-1", Role.UNIT_OPERATOR, unit=fgw)
    user.is_staff = user.is_superuser = True  # set by hand in between: the next call undoes it
    user.save()
    again = ensure_account("fgw", "Second-pass-2", Role.UNIT_OPERATOR, unit=goushi)
    assert again.pk == user.pk and not again.is_staff and not again.is_superuser
    assert again.check_password("Second-pass-2") and not again.check_password("First-pass-1")
    membership = Membership.objects.get(user=again)
    assert (membership.role, membership.unit, membership.leader) == ("unit_operator", goushi, None)


@pytest.mark.django_db
def test_a_leader_account_belongs_to_its_leader() -> None:
    zhu = Leader.objects.create(name="朱蕾")
    user = ensure_account("zhulei", "Leader-pass-3", Role.LEADER, leader=zhu)
    assert user.membership.leader == zhu and user.membership.unit is None
    assert list(zhu.accounts.all()) == [user.membership]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.LEADER, Role.UNIT_OPERATOR])
def test_a_leader_needs_a_leader_and_an_operator_a_unit(role: Role) -> None:
    with pytest.raises(ValueError):
        ensure_account("someone", "Pass-4-word", role)


@pytest.mark.django_db
def test_the_office_account_has_the_office_role_and_is_no_superuser() -> None:
    office = ensure_office_account(username="office", password="Office-pass-5")
    assert not office.is_superuser and not office.is_staff
    assert office.membership.role == Role.OFFICE
