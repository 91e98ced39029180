"""三权分立 as a rule: who may create, change and reset which accounts.

The security administrator manages the business accounts (office, unit, leader, viewer) and
never an administrator's; the office manages units, leaders and viewers; the system and audit
administrators manage nobody; administrators are made only on the server (``duban admin``);
no account is a Django superuser, and Django's admin site is off unless turned on.
"""

from __future__ import annotations

import importlib
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import clear_url_caches, reverse

from duban.accounts import services
from duban.accounts.models import Membership, Role
from duban.accounts.permissions import managed_roles
from duban.audit.models import AuditAction, AuditEvent
from duban.directory.models import Leader, Unit, UnitKind
from tests.support.world import PASSWORD, World, signed_in

User = get_user_model()
BUSINESS = [Role.OFFICE, Role.UNIT_OPERATOR, Role.LEADER, Role.VIEWER]
ADMINS = [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN]


def place(role: str) -> dict[str, Any]:
    """The unit or leader an account of ``role`` needs."""
    if role == Role.OFFICE:
        return {"unit": Unit.objects.get(name="督查室")}
    if role == Role.UNIT_OPERATOR:
        return {"unit": Unit.objects.get(name="发改委")}
    if role == Role.LEADER:
        return {"leader": Leader.objects.get(name="朱蕾")}
    return {}


def account(role: str, username: str | None = None) -> AbstractUser:
    return services.ensure_account(username or f"someone-{role}", PASSWORD, role, **place(role))


def person(role: str) -> AbstractUser:
    """A manager (or not) of the given role, other than the accounts being managed."""
    return account(role, f"by-{role}")


def refused_everything(by: AbstractUser, target: AbstractUser, role: str) -> None:
    with pytest.raises(PermissionDenied):
        services.update_user(by=by, user=target, full_name="某人", role=role, **place(role))
    with pytest.raises(PermissionDenied):
        services.reset_password(by=by, user=target)
    with pytest.raises(PermissionDenied):
        services.set_active(by=by, user=target, active=False)
    target.refresh_from_db()
    assert target.is_active and target.check_password(PASSWORD)
    assert Membership.objects.get(user=target).role == role


# --- The services ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", BUSINESS)
def test_the_security_administrator_manages_every_business_account(
    world: World,
    role: str,
) -> None:
    user, shown = services.create_user(
        by=world.anquan, username="new1", full_name="新人", role=role, **place(role)
    )
    assert user.check_password(shown) and user.membership.role == role
    target = account(role)
    services.update_user(by=world.anquan, user=target, full_name="改名", role=role, **place(role))
    target.refresh_from_db()
    assert target.get_full_name() == "改名"
    assert target.check_password(services.reset_password(by=world.anquan, user=target))
    services.set_active(by=world.anquan, user=target, active=False)
    target.refresh_from_db()
    assert not target.is_active


@pytest.mark.parametrize("role", ADMINS)
def test_the_security_administrator_never_touches_an_administrator_account(
    world: World,
    role: str,
) -> None:
    with pytest.raises(services.AccountProblem) as excinfo:
        services.create_user(by=world.anquan, username="new2", full_name="新人", role=role)
    assert set(excinfo.value.errors) == {"role"}
    assert "duban admin" in excinfo.value.errors["role"][0]
    assert not User.objects.filter(username="new2").exists()
    refused_everything(world.anquan, account(role), role)


def test_nor_makes_a_business_account_an_administrator(world: World) -> None:
    with pytest.raises(services.AccountProblem) as excinfo:
        services.update_user(
            by=world.anquan, user=world.fgw, full_name="李娜", role=Role.AUDIT_ADMIN
        )
    assert set(excinfo.value.errors) == {"role"}
    assert Membership.objects.get(user=world.fgw).role == Role.UNIT_OPERATOR


@pytest.mark.parametrize("role", [Role.UNIT_OPERATOR, Role.LEADER, Role.VIEWER])
def test_the_office_manages_units_leaders_and_viewers(world: World, role: str) -> None:
    services.create_user(
        by=world.office, username="new3", full_name="新人", role=role, **place(role)
    )
    target = account(role)
    services.update_user(by=world.office, user=target, full_name="改名", role=role, **place(role))
    services.reset_password(by=world.office, user=target)
    services.set_active(by=world.office, user=target, active=False)


@pytest.mark.parametrize("role", [Role.OFFICE, *ADMINS])
def test_the_office_manages_neither_the_office_nor_administrators(
    world: World,
    role: str,
) -> None:
    with pytest.raises(services.AccountProblem) as excinfo:
        services.create_user(
            by=world.office, username="new4", full_name="新人", role=role, **place(role)
        )
    assert set(excinfo.value.errors) == {"role"}
    refused_everything(world.office, account(role), role)


def test_the_office_cannot_promote_an_operator_to_the_office(world: World) -> None:
    with pytest.raises(services.AccountProblem):
        services.update_user(
            by=world.office,
            user=world.fgw,
            full_name="李娜",
            **place(Role.OFFICE),
            role=Role.OFFICE,
        )
    assert Membership.objects.get(user=world.fgw).role == Role.UNIT_OPERATOR


@pytest.mark.parametrize("role", [Role.OFFICE, Role.SECURITY_ADMIN])
def test_nobody_changes_their_own_role(world: World, role: str) -> None:
    me = person(role)
    for other in (Role.VIEWER, Role.SYSTEM_ADMIN):
        with pytest.raises((services.AccountProblem, PermissionDenied)):
            services.update_user(by=me, user=me, full_name="我", role=other, **place(other))
    assert Membership.objects.get(user=me).role == role


@pytest.mark.parametrize(
    "role", [Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN, Role.UNIT_OPERATOR, Role.LEADER, Role.VIEWER]
)
def test_who_manages_nobody(world: World, role: str) -> None:
    by = person(role)
    assert managed_roles(by) == []
    with pytest.raises(PermissionDenied):
        services.create_user(by=by, username="new5", full_name="新人", role=Role.VIEWER)
    refused_everything(by, account(Role.VIEWER), Role.VIEWER)


def test_an_inactive_manager_manages_nobody(world: World) -> None:
    world.anquan.is_active = False
    world.anquan.save()
    with pytest.raises(PermissionDenied):
        services.create_user(by=world.anquan, username="new6", full_name="新人", role=Role.VIEWER)


def test_managed_roles_follow_the_rule(world: World) -> None:
    assert managed_roles(world.anquan) == [
        Role.OFFICE,
        Role.LEADER,
        Role.UNIT_OPERATOR,
        Role.VIEWER,
    ]
    assert managed_roles(world.office) == [Role.LEADER, Role.UNIT_OPERATOR, Role.VIEWER]


# --- The pages ---------------------------------------------------------------------------------


def test_the_list_shows_what_one_manages_and_ones_own_account(
    world: World,
) -> None:
    audit, system = world.shenji, world.xitong
    # The business accounts other than the office: operators, leaders and the viewer.
    business = {"fgw", "goushi", "gongxin", "chenjing", "archive", "zhulei", "yezhanfang", "chaxun"}

    def rows(user: AbstractUser) -> dict[str, bool]:
        response = signed_in(None, user).get(reverse("accounts:users"))
        assert response.status_code == 200
        return {account.username: editable for account, editable in response.context["rows"]}

    assert rows(world.anquan) == {"anquan": False, "office": True} | dict.fromkeys(business, True)
    assert rows(world.office) == {"office": False} | dict.fromkeys(business, True)
    for user in (audit, system, world.fgw):
        assert signed_in(None, user).get(reverse("accounts:users")).status_code == 403


def test_the_form_offers_only_the_roles_one_may_give(
    world: World,
) -> None:
    for user in (world.anquan, world.office):
        client = signed_in(None, user)
        for url in (
            reverse("accounts:user_new"),
            reverse("accounts:user_edit", args=[world.fgw.pk]),
        ):
            field = client.get(url).context["form"]["role"].field
            assert [value for value, _label in field.choices] == managed_roles(user)


def test_posting_an_administrator_role_is_refused(world: World) -> None:
    response = signed_in(None, world.anquan).post(
        reverse("accounts:user_new"),
        {"username": "sneaky", "full_name": "某人", "role": Role.AUDIT_ADMIN},
    )
    assert response.status_code == 200 and "role" in response.context["form"].errors
    assert not User.objects.filter(username="sneaky").exists()


@pytest.mark.parametrize("role", ADMINS)
def test_an_administrator_account_answers_403_to_the_security_administrator(
    world: World,
    role: str,
) -> None:
    target = world.anquan if role == Role.SECURITY_ADMIN else account(role)
    client = signed_in(None, world.anquan)
    assert client.get(reverse("accounts:user_edit", args=[target.pk])).status_code == 403
    for name in ("user_edit", "user_active", "user_password"):
        url = reverse(f"accounts:{name}", args=[target.pk])
        data = {"active": "0", "full_name": "某人", "role": Role.VIEWER}
        assert client.post(url, data).status_code == 403, name
    target.refresh_from_db()
    assert target.is_active and target.check_password(PASSWORD)
    assert Membership.objects.get(user=target).role == role


def test_an_unknown_account_is_404(world: World) -> None:
    assert (
        signed_in(None, world.anquan).get(reverse("accounts:user_edit", args=[9999])).status_code
        == 404
    )


# --- duban admin -------------------------------------------------------------------------------


def admin(*args: str, stdin: str | None = None) -> str:
    out = io.StringIO()
    options: dict[str, Any] = {"stdout": out, "stderr": io.StringIO()}
    if stdin is not None:
        options["stdin"] = io.StringIO(stdin)
    call_command("admin", *args, **options)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("given", "role"),
    [
        ("system_admin", Role.SYSTEM_ADMIN),
        ("安全管理员", Role.SECURITY_ADMIN),
        ("audit", Role.AUDIT_ADMIN),
    ],
)
def test_duban_admin_create_prints_a_random_password_once(given: str, role: str) -> None:
    output = admin("create", given, "admin1", "--full-name", "张三")
    password = output.strip().splitlines()[-1].split()[-1]
    user = User.objects.get(username="admin1")
    assert user.check_password(password) and len(password) == 12
    assert user.get_full_name() == "张三" and user.membership.role == role
    assert not user.is_staff and not user.is_superuser
    created = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="auth.user")
    assert created.object_id == str(user.pk) and created.user is None  # the console
    assert "admin1" in admin("list")


@pytest.mark.django_db
def test_duban_admin_create_reads_the_password_from_stdin() -> None:
    output = admin(
        "create", "security_admin", "anquan2", "--password-stdin", stdin="Secure-pw-2023\n"
    )
    assert "Secure-pw-2023" not in output
    assert User.objects.get(username="anquan2").check_password("Secure-pw-2023")
    with pytest.raises(CommandError) as excinfo:
        admin("create", "audit_admin", "shenji2", "--password-stdin", stdin="12345678\n")
    assert excinfo.value.returncode == 2
    assert not User.objects.filter(username="shenji2").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["office", "viewer", "chief", "superuser"])
def test_duban_admin_create_refuses_other_roles(role: str) -> None:
    with pytest.raises(CommandError) as excinfo:
        admin("create", role, "x1")
    assert excinfo.value.returncode == 2
    assert "system_admin" in str(excinfo.value)
    assert not User.objects.filter(username="x1").exists()


def test_duban_admin_create_refuses_a_taken_name(world: World) -> None:
    with pytest.raises(CommandError) as excinfo:
        admin("create", "audit_admin", "FGW")
    assert excinfo.value.returncode == 2
    assert "FGW" in str(excinfo.value) and "reset-password" in str(excinfo.value)
    assert Membership.objects.get(user=world.fgw).role == Role.UNIT_OPERATOR


@pytest.mark.django_db
def test_duban_admin_exits_with_status_2_on_the_console() -> None:
    from duban.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["admin", "create", "chief", "x2"])
    assert exit_info.value.code == 2


def test_duban_admin_reset_password_and_deactivate(world: World) -> None:
    output = admin("reset-password", "anquan")
    password = output.strip().splitlines()[-1].split()[-1]
    world.anquan.refresh_from_db()
    assert world.anquan.check_password(password) and not world.anquan.check_password(PASSWORD)
    admin("reset-password", "anquan", "--password-stdin", stdin="Chosen-pw-2024\n")
    world.anquan.refresh_from_db()
    assert world.anquan.check_password("Chosen-pw-2024")
    admin("deactivate", "anquan")
    world.anquan.refresh_from_db()
    assert not world.anquan.is_active
    admin("activate", "anquan")
    world.anquan.refresh_from_db()
    assert world.anquan.is_active
    with pytest.raises(CommandError) as excinfo:
        admin("reset-password", "nobody")
    assert excinfo.value.returncode == 2


@pytest.mark.django_db
def test_duban_admin_list_lists_only_administrators() -> None:
    """Before the world's administrators exist: the directory's 督查室 and nobody else."""
    Unit.objects.create(name="督查室", kind=UnitKind.DEPARTMENT)
    assert "duban admin create" in admin("list")
    account(Role.OFFICE, "office")
    admin("create", "audit_admin", "shenji")
    listed = admin("list")
    assert "shenji" in listed and "office" not in listed


def test_createsuperuser_points_to_duban_admin(capsys: pytest.CaptureFixture[str]) -> None:
    from duban.cli import main

    assert main(["createsuperuser", "--noinput", "--username", "root"]) == 2
    assert "duban admin create" in capsys.readouterr().err
    from duban.cli import overview

    assert "duban admin" in overview() and "createsuperuser" not in overview()


# --- Django's admin site -----------------------------------------------------------------------


@pytest.fixture
def django_admin_on(settings: Any) -> Iterator[None]:
    import duban.urls

    settings.DJANGO_ADMIN = True
    importlib.reload(duban.urls)
    clear_url_caches()
    yield
    settings.DJANGO_ADMIN = False
    importlib.reload(duban.urls)
    clear_url_caches()


def test_the_django_admin_site_is_off_by_default(world: World) -> None:
    root = User.objects.create_superuser("root", password="Root-pass-2023")
    for user in (world.anquan, root):
        assert signed_in(None, user).get("/admin/").status_code == 404
        assert signed_in(None, user).get("/admin/auth/user/").status_code == 404


def test_the_django_admin_site_is_served_when_turned_on(django_admin_on: None, db: None) -> None:
    root = User.objects.create_superuser("root", password="Root-pass-2023")
    assert signed_in(None, root).get("/admin/").status_code == 200
    assert Client().get("/admin/").status_code == 302  # to sign in


def test_a_staff_account_renders_pages_without_the_admin_site(world: World) -> None:
    world.anquan.is_staff = True
    world.anquan.save()
    assert signed_in(None, world.anquan).get(reverse("accounts:users")).status_code == 200
