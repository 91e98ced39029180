"""User management in the browser: 刘芳 of the office lists, creates, edits, deactivates and
resets accounts; passwords duban makes are shown once; nobody else gets in."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from duban.accounts.models import Role
from duban.directory.models import Unit
from tests.support.world import PASSWORD, World

User = get_user_model()


def test_the_list_filters_by_role_unit_status_and_text(
    world: World,
) -> None:
    security = world.as_admin("security")

    def listed(**params: object) -> list[str]:
        response = security.get(reverse("accounts:users"), params)
        assert response.status_code == 200
        return [user.username for user, _editable in response.context["rows"]]

    # The security administrator lists the office, the business accounts and himself.
    everyone = ["anquan", "archive", "chaxun", "chenjing", "fgw", "gongxin", "goushi", "office"]
    everyone += ["yezhanfang", "zhulei"]
    assert listed() == everyone
    assert listed(role=Role.UNIT_OPERATOR) == ["archive", "chenjing", "fgw", "gongxin", "goushi"]
    assert listed(unit=Unit.objects.get(name="发改委").pk) == ["chenjing", "fgw"]
    assert listed(q="ANQ") == ["anquan"]
    world.office.is_active = False
    world.office.save()
    assert listed(active="no") == ["office"]
    assert listed(active="yes") == [name for name in everyone if name != "office"]
    assert listed(role="chief") == everyone  # a bad filter filters nothing
    page = security.get(reverse("accounts:users")).content.decode()
    assert f'href="/accounts/users/{world.fgw.pk}/edit"' in page
    assert f'href="/accounts/users/{world.anquan.pk}/edit"' not in page  # one's own: on the server


def test_a_new_account_with_a_random_password_shows_it_once(world: World) -> None:
    clerk = world.as_office()
    fgw = Unit.objects.get(name="发改委")
    response = clerk.post(
        reverse("accounts:user_new"),
        {"username": "fgw2", "full_name": "刘洋", "role": Role.UNIT_OPERATOR, "unit": fgw.pk},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = response.context["password"]
    assert f'<code id="new-password">{password}</code>' in response.content.decode()
    user = User.objects.get(username="fgw2")
    assert user.check_password(password) and user.membership.unit == fgw
    for url in (reverse("accounts:users"), reverse("accounts:user_edit", args=[user.pk])):
        assert password not in clerk.get(url).content.decode()


def test_a_new_account_with_the_creators_password(world: World) -> None:
    clerk = world.as_office()
    response = clerk.post(
        reverse("accounts:user_new"),
        {
            "username": "liuyang",
            "full_name": "陈静",
            "role": Role.VIEWER,
            "password1": "Viewer-pass-2023",
            "password2": "Viewer-pass-2023",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:users")
    assert User.objects.get(username="liuyang").check_password("Viewer-pass-2023")


def test_mistakes_are_shown_on_the_form(world: World) -> None:
    clerk = world.as_office()
    accounts = User.objects.count()
    response = clerk.post(
        reverse("accounts:user_new"),
        {
            "username": "office",
            "full_name": "某人",
            "role": Role.UNIT_OPERATOR,
            "password1": "Some-pass-2023",
            "password2": "Other-pass-2023",
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"password2"}  # the form's own check first
    response = clerk.post(
        reverse("accounts:user_new"),
        {"username": "office", "full_name": "某人", "role": Role.UNIT_OPERATOR},
    )
    assert set(response.context["form"].errors) == {"username", "unit"}
    assert 'role="alert"' in response.content.decode()
    assert User.objects.count() == accounts  # nothing was created


def test_an_account_is_edited(world: World) -> None:
    clerk = world.as_office()
    url = reverse("accounts:user_edit", args=[world.fgw.pk])
    form = clerk.get(url).context["form"]
    assert form.initial["role"] == Role.UNIT_OPERATOR and "username" not in form.fields
    gxj = Unit.objects.get(name="工信局")
    response = clerk.post(
        url, {"full_name": "李娜", "role": Role.UNIT_OPERATOR, "unit": gxj.pk, "leader": ""}
    )
    assert response.status_code == 302
    world.fgw.refresh_from_db()
    assert world.fgw.get_full_name() == "李娜" and world.fgw.membership.unit == gxj


def test_deactivate_and_reactivate(world: World) -> None:
    clerk = world.as_office()
    url = reverse("accounts:user_active", args=[world.fgw.pk])
    assert clerk.get(url).status_code == 405
    assert clerk.post(url, {"active": "0"})["Location"] == reverse(
        "accounts:user_edit", args=[world.fgw.pk]
    )
    world.fgw.refresh_from_db()
    assert not world.fgw.is_active
    session = world.as_unit("发改委")  # a session from before: it ends with the account
    assert session.get(reverse("home")).status_code == 302
    clerk.post(url, {"active": "1"})
    world.fgw.refresh_from_db()
    assert world.fgw.is_active


def test_one_cannot_deactivate_oneself_nor_change_ones_role(
    world: World,
) -> None:
    """The office's own account is listed but is the security administrator's to change."""
    clerk = world.as_office()
    rows = dict(clerk.get(reverse("accounts:users")).context["rows"])
    assert rows[world.office] is False
    assert clerk.get(reverse("accounts:user_edit", args=[world.office.pk])).status_code == 403
    response = clerk.post(reverse("accounts:user_active", args=[world.office.pk]), {"active": "0"})
    assert response.status_code == 403
    world.office.refresh_from_db()
    assert world.office.is_active
    response = clerk.post(
        reverse("accounts:user_edit", args=[world.office.pk]),
        {"full_name": "王芳", "role": Role.VIEWER, "unit": world.office.membership.unit_id},
    )
    assert response.status_code == 403
    assert world.office.membership.role == Role.OFFICE
    assert clerk.get(reverse("accounts:users")).status_code == 200  # still a manager


def test_a_reset_password_is_shown_once(world: World) -> None:
    clerk = world.as_office()
    url = reverse("accounts:user_password", args=[world.fgw.pk])
    assert clerk.get(url).status_code == 405
    response = clerk.post(url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    world.fgw.refresh_from_db()
    assert world.fgw.check_password(response.context["password"])


def test_resetting_ones_own_password_here_is_refused(world: World) -> None:
    clerk = world.as_office()
    response = clerk.post(reverse("accounts:user_password", args=[world.office.pk]))
    assert response.status_code == 403
    world.office.refresh_from_db()
    assert world.office.check_password(PASSWORD)
    assert clerk.get(reverse("accounts:users")).status_code == 200


def test_the_security_administrator_manages_users_too(world: World) -> None:
    client = world.as_admin("security")
    assert client.get(reverse("accounts:users")).status_code == 200
    assert client.get(reverse("accounts:user_new")).status_code == 200


def test_a_superuser_without_a_role_is_changed_by_nobody_here(
    world: World,
) -> None:
    clerk = world.as_office()
    root = User.objects.create_superuser("root", password="Root-pass-2023")
    security = world.as_admin("security")
    for client in (clerk, security):
        assert root not in dict(client.get(reverse("accounts:users")).context["rows"])
        for name in ("user_edit", "user_active", "user_password"):
            url = reverse(f"accounts:{name}", args=[root.pk])
            assert client.post(url, {"active": "0"}).status_code == 403, name
    root.refresh_from_db()
    assert root.is_active and root.check_password("Root-pass-2023")


def test_nobody_else_opens_user_management(
    client: Client,
    world: World,
) -> None:
    urls = [
        reverse("accounts:users"),
        reverse("accounts:user_new"),
        reverse("accounts:user_edit", args=[world.office.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    world.as_unit("发改委", client)
    for url in urls:
        assert client.get(url).status_code == 403, url
    for name in ("user_active", "user_password"):
        url = reverse(f"accounts:{name}", args=[world.office.pk])
        assert client.post(url, {"active": "0"}).status_code == 403, name
    world.office.refresh_from_db()
    assert world.office.is_active


def test_retired_units_are_offered_only_to_the_accounts_that_have_them(
    world: World,
) -> None:
    clerk = world.as_office()
    fgw = Unit.objects.get(name="发改委")
    fgw.active = False
    fgw.save()

    def offered(url: str) -> set[int]:
        field = clerk.get(url).context["form"]["unit"].field
        return {pk for _kind, group in field.choices[1:] for pk, _name in group}

    assert fgw.pk not in offered(reverse("accounts:user_new"))
    assert fgw.pk in offered(reverse("accounts:user_edit", args=[world.fgw.pk]))
    listed = clerk.get(reverse("accounts:users")).context["filters"]["unit"].field.choices
    assert fgw.pk in {pk for _kind, group in listed[1:] for pk, _name in group}
