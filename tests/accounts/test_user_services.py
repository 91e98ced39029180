"""Managing accounts from code: the workflows the pages (and later a command) call."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.exceptions import PermissionDenied

from duban.accounts import services
from duban.accounts.models import Membership, Role
from duban.audit.models import AuditAction, AuditEvent
from duban.directory.models import Leader, Unit
from tests.support.world import PASSWORD, World


def unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def problems(excinfo: pytest.ExceptionInfo[services.AccountProblem]) -> set[str]:
    return set(excinfo.value.errors)


def test_the_office_creates_an_operator_with_a_password_of_its_choice(
    world: World,
) -> None:
    user, shown = services.create_user(
        by=world.office,
        username="zhaolei",
        full_name=" 赵  磊 ",
        role=Role.UNIT_OPERATOR,
        unit=unit("缑氏镇"),
        password="Goushi-town-2023",
    )
    assert shown == ""
    assert user.get_full_name() == "赵 磊" and user.is_active and not user.is_staff
    assert authenticate(username="zhaolei", password="Goushi-town-2023") == user
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.unit, membership.leader) == (
        Role.UNIT_OPERATOR,
        unit("缑氏镇"),
        None,
    )
    created = AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(user.pk))
    assert created.filter(object_type="auth.user", username="office").exists()


def test_without_a_password_a_random_one_is_made_and_returned_once(world: World) -> None:
    xue = Leader.objects.get(name="薛超峰")
    user, shown = services.create_user(
        by=world.office, username="xuechaofeng", full_name="薛超峰", role=Role.LEADER, leader=xue
    )
    assert len(shown) == 12 and user.check_password(shown)
    assert user.membership.leader == xue and user.membership.unit is None


def test_django_password_validators_apply(world: World) -> None:
    with pytest.raises(services.AccountProblem) as excinfo:
        services.create_user(
            by=world.office,
            username="viewer1",
            full_name="陈静",
            role=Role.VIEWER,
            password="12345678",
        )
    assert problems(excinfo) == {"password"}
    assert len(excinfo.value.errors["password"]) >= 2  # too common, entirely numeric
    assert not get_user_model().objects.filter(username="viewer1").exists()


@pytest.mark.parametrize(
    ("role", "place", "wrong"),
    [
        (Role.UNIT_OPERATOR, {}, {"unit"}),
        (Role.OFFICE, {}, {"unit"}),
        (Role.LEADER, {}, {"leader"}),
        ("chief", {}, {"role"}),
    ],
)
def test_each_role_needs_its_place(
    world: World,
    role: str,
    place: dict[str, object],
    wrong: set[str],
) -> None:
    with pytest.raises(services.AccountProblem) as excinfo:
        services.create_user(by=world.anquan, username="x1", full_name="某人", role=role, **place)
    assert problems(excinfo) == wrong


def test_every_mistake_is_reported_at_once(world: World) -> None:
    with pytest.raises(services.AccountProblem) as excinfo:
        services.create_user(
            by=world.office, username="Office", full_name=" ", role=Role.UNIT_OPERATOR, password="a"
        )
    assert problems(excinfo) == {"username", "full_name", "unit", "password"}


def test_user_names_are_checked(world: World) -> None:
    for bad in ("two words", "", "x" * 151):
        with pytest.raises(services.AccountProblem) as excinfo:
            services.create_user(by=world.office, username=bad, full_name="某人", role=Role.VIEWER)
        assert problems(excinfo) == {"username"}, bad


def test_a_leader_is_kept_only_on_leader_accounts(world: World) -> None:
    zhu = Leader.objects.get(name="朱蕾")
    user, _shown = services.create_user(
        by=world.office, username="liuyang", full_name="刘洋", role=Role.VIEWER, leader=zhu
    )
    assert user.membership.leader is None


def test_a_retired_unit_is_not_given_to_new_accounts(world: World) -> None:
    retired = unit("缑氏镇")
    retired.active = False
    retired.save()
    with pytest.raises(services.AccountProblem) as excinfo:
        services.create_user(
            by=world.office, username="x2", full_name="某人", role=Role.UNIT_OPERATOR, unit=retired
        )
    assert problems(excinfo) == {"unit"}


def test_only_managers_of_users_manage_accounts(
    world: World,
) -> None:
    with pytest.raises(PermissionDenied):
        services.create_user(by=world.fgw, username="x3", full_name="某人", role=Role.VIEWER)
    with pytest.raises(PermissionDenied):
        services.reset_password(by=world.fgw, user=world.office)
    user, _shown = services.create_user(
        by=world.anquan, username="x4", full_name="某人", role=Role.VIEWER
    )
    assert AuditEvent.objects.filter(object_id=str(user.pk), username="anquan").exists()


def test_an_account_is_edited(world: World) -> None:
    services.update_user(
        by=world.office,
        user=world.fgw,
        full_name="李娜",
        role=Role.UNIT_OPERATOR,
        unit=unit("工信局"),
    )
    world.fgw.refresh_from_db()
    assert world.fgw.get_full_name() == "李娜" and world.fgw.membership.unit == unit("工信局")
    with pytest.raises(services.AccountProblem) as excinfo:
        services.update_user(by=world.office, user=world.fgw, full_name="李娜", role=Role.LEADER)
    assert problems(excinfo) == {"leader"}


def test_a_retired_unit_may_stay_on_an_account_that_has_it(
    world: World,
) -> None:
    fgw = unit("发改委")
    fgw.active = False
    fgw.save()
    services.update_user(
        by=world.office, user=world.fgw, full_name="李娜", role=Role.UNIT_OPERATOR, unit=fgw
    )


def test_nobody_changes_their_own_role(world: World) -> None:
    with pytest.raises(services.AccountProblem) as excinfo:
        services.update_user(
            by=world.office, user=world.office, full_name="王芳", role=Role.VIEWER, unit=None
        )
    assert problems(excinfo) == {"role"}
    with pytest.raises(services.AccountProblem):  # nor makes himself the office
        services.update_user(
            by=world.anquan,
            user=world.anquan,
            full_name="安全",
            role=Role.OFFICE,
            unit=unit("督查室"),
        )
    # Nor the rest of one's own account: an office account is the security administrator's to
    # change, an administrator's the server's (duban admin).
    with pytest.raises(PermissionDenied):
        services.update_user(
            by=world.office,
            user=world.office,
            full_name="王芳",
            role=Role.OFFICE,
            unit=unit("督查室"),
        )
    assert Membership.objects.get(user=world.office).role == Role.OFFICE


def test_deactivate_and_reactivate_never_delete(world: World) -> None:
    services.set_active(by=world.office, user=world.fgw, active=False)
    world.fgw.refresh_from_db()
    assert not world.fgw.is_active
    assert authenticate(username="fgw", password=PASSWORD) is None
    services.set_active(by=world.office, user=world.fgw, active=True)
    assert authenticate(username="fgw", password=PASSWORD) is not None
    changes = AuditEvent.objects.filter(
        object_type="auth.user",
        object_id=str(world.fgw.pk),
        action=AuditAction.UPDATE,
        username="office",
    )
    assert [event.after["is_active"] for event in changes.order_by("id")] == [False, True]


def test_nobody_deactivates_themselves(world: World) -> None:
    with pytest.raises(services.AccountProblem):
        services.set_active(by=world.office, user=world.office, active=False)
    world.office.refresh_from_db()
    assert world.office.is_active


def test_a_reset_password_replaces_the_old_one_and_is_recorded(
    world: World,
) -> None:
    password = services.reset_password(by=world.office, user=world.fgw)
    assert authenticate(username="fgw", password=password) is not None
    assert authenticate(username="fgw", password=PASSWORD) is None
    event = AuditEvent.objects.get(
        action=AuditAction.PASSWORD, object_id=str(world.fgw.pk), username="office"
    )
    assert event.after == {"password": "reset"}


def test_an_account_without_a_membership_is_changed_by_nobody_in_the_app(
    world: World,
) -> None:
    root = get_user_model().objects.create_superuser("root", password="Root-pass-2023")
    for by in (world.office, world.anquan):
        with pytest.raises(PermissionDenied):
            services.reset_password(by=by, user=root)
        with pytest.raises(PermissionDenied):
            services.set_active(by=by, user=root, active=False)
    other = get_user_model().objects.create_superuser("root2", password="Root-pass-2024")
    with pytest.raises(PermissionDenied):  # the superuser flag grants nothing in duban
        services.set_active(by=root, user=other, active=False)
    other.refresh_from_db()
    assert other.is_active


def test_find_users_by_text_role_unit_and_status(
    world: World,
) -> None:
    services.update_user(
        by=world.office,
        user=world.fgw,
        full_name="李娜",
        role=Role.UNIT_OPERATOR,
        unit=unit("发改委"),
    )
    services.set_active(by=None, user=world.anquan, active=False)  # the console (duban admin)

    def names(**criteria: object) -> list[str]:
        return [user.username for user in services.find_users(**criteria)]  # type: ignore[arg-type]

    assert names() == sorted(world.people)  # everyone, in user-name order
    assert names(text="李") == ["fgw"]  # by full name
    assert names(text="OFFI") == ["office"]  # by user name, in any case
    assert names(role=Role.SECURITY_ADMIN) == ["anquan"]
    assert names(unit=unit("发改委")) == ["chenjing", "fgw"]
    assert names(active=False) == ["anquan"]
    assert names(active=True, role=Role.OFFICE) == ["office"]
