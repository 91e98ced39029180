"""User management in the browser: 王芳 of the office lists, creates, edits, deactivates and
resets accounts; passwords duban makes are shown once; nobody else gets in."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.test import Client
from django.urls import reverse

from duban.accounts.models import Role
from duban.directory.models import Unit

User = get_user_model()


def test_the_list_filters_by_role_unit_status_and_text(
    wangfang: AbstractUser, anquan: AbstractUser, lina: AbstractUser
) -> None:
    security = Client()
    security.force_login(anquan)

    def listed(**params: object) -> list[str]:
        response = security.get(reverse("accounts:users"), params)
        assert response.status_code == 200
        return [user.username for user, _editable in response.context["rows"]]

    assert listed() == ["anquan", "lina", "wangfang"]
    assert listed(role=Role.UNIT_OPERATOR) == ["lina"]
    assert listed(unit=Unit.objects.get(name="发改委").pk) == ["lina"]
    assert listed(q="ANQ") == ["anquan"]
    wangfang.is_active = False
    wangfang.save()
    assert listed(active="no") == ["wangfang"]
    assert listed(active="yes") == ["anquan", "lina"]
    assert listed(role="chief") == ["anquan", "lina", "wangfang"]  # a bad filter filters nothing
    page = security.get(reverse("accounts:users")).content.decode()
    assert f'href="/accounts/users/{lina.pk}/edit"' in page
    assert f'href="/accounts/users/{anquan.pk}/edit"' not in page  # one's own: on the server


def test_a_new_account_with_a_random_password_shows_it_once(clerk: Client) -> None:
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


def test_a_new_account_with_the_creators_password(clerk: Client) -> None:
    response = clerk.post(
        reverse("accounts:user_new"),
        {
            "username": "chenjing",
            "full_name": "陈静",
            "role": Role.VIEWER,
            "password1": "Viewer-pass-2023",
            "password2": "Viewer-pass-2023",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:users")
    assert User.objects.get(username="chenjing").check_password("Viewer-pass-2023")


def test_mistakes_are_shown_on_the_form(clerk: Client) -> None:
    response = clerk.post(
        reverse("accounts:user_new"),
        {
            "username": "wangfang",
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
        {"username": "wangfang", "full_name": "某人", "role": Role.UNIT_OPERATOR},
    )
    assert set(response.context["form"].errors) == {"username", "unit"}
    assert 'role="alert"' in response.content.decode()
    assert User.objects.count() == 1


def test_an_account_is_edited(clerk: Client, lina: AbstractUser) -> None:
    url = reverse("accounts:user_edit", args=[lina.pk])
    form = clerk.get(url).context["form"]
    assert form.initial["role"] == Role.UNIT_OPERATOR and "username" not in form.fields
    gxj = Unit.objects.get(name="工信局")
    response = clerk.post(
        url, {"full_name": "李娜", "role": Role.UNIT_OPERATOR, "unit": gxj.pk, "leader": ""}
    )
    assert response.status_code == 302
    lina.refresh_from_db()
    assert lina.get_full_name() == "李娜" and lina.membership.unit == gxj


def test_deactivate_and_reactivate(clerk: Client, lina: AbstractUser) -> None:
    url = reverse("accounts:user_active", args=[lina.pk])
    assert clerk.get(url).status_code == 405
    assert clerk.post(url, {"active": "0"})["Location"] == reverse(
        "accounts:user_edit", args=[lina.pk]
    )
    lina.refresh_from_db()
    assert not lina.is_active
    signed_in = Client()
    signed_in.force_login(lina)  # a session from before: it ends with the account
    assert signed_in.get(reverse("home")).status_code == 302
    clerk.post(url, {"active": "1"})
    lina.refresh_from_db()
    assert lina.is_active


def test_one_cannot_deactivate_oneself_nor_change_ones_role(
    clerk: Client, wangfang: AbstractUser
) -> None:
    """The office's own account is listed but is the security administrator's to change."""
    rows = dict(clerk.get(reverse("accounts:users")).context["rows"])
    assert rows[wangfang] is False
    assert clerk.get(reverse("accounts:user_edit", args=[wangfang.pk])).status_code == 403
    response = clerk.post(reverse("accounts:user_active", args=[wangfang.pk]), {"active": "0"})
    assert response.status_code == 403
    wangfang.refresh_from_db()
    assert wangfang.is_active
    response = clerk.post(
        reverse("accounts:user_edit", args=[wangfang.pk]),
        {"full_name": "王芳", "role": Role.VIEWER, "unit": wangfang.membership.unit_id},
    )
    assert response.status_code == 403
    assert wangfang.membership.role == Role.OFFICE
    assert clerk.get(reverse("accounts:users")).status_code == 200  # still a manager


def test_a_reset_password_is_shown_once(clerk: Client, lina: AbstractUser) -> None:
    url = reverse("accounts:user_password", args=[lina.pk])
    assert clerk.get(url).status_code == 405
    response = clerk.post(url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    lina.refresh_from_db()
    assert lina.check_password(response.context["password"])


def test_resetting_ones_own_password_here_is_refused(clerk: Client, wangfang: AbstractUser) -> None:
    response = clerk.post(reverse("accounts:user_password", args=[wangfang.pk]))
    assert response.status_code == 403
    wangfang.refresh_from_db()
    assert wangfang.check_password("Accounts-test-2023")
    assert clerk.get(reverse("accounts:users")).status_code == 200


def test_the_security_administrator_manages_users_too(anquan: AbstractUser) -> None:
    client = Client()
    client.force_login(anquan)
    assert client.get(reverse("accounts:users")).status_code == 200
    assert client.get(reverse("accounts:user_new")).status_code == 200


def test_a_superuser_without_a_role_is_changed_by_nobody_here(
    anquan: AbstractUser, clerk: Client
) -> None:
    root = User.objects.create_superuser("root", password="Root-pass-2023")
    security = Client()
    security.force_login(anquan)
    for client in (clerk, security):
        assert root not in dict(client.get(reverse("accounts:users")).context["rows"])
        for name in ("user_edit", "user_active", "user_password"):
            url = reverse(f"accounts:{name}", args=[root.pk])
            assert client.post(url, {"active": "0"}).status_code == 403, name
    root.refresh_from_db()
    assert root.is_active and root.check_password("Root-pass-2023")


def test_nobody_else_opens_user_management(
    client: Client, lina: AbstractUser, wangfang: AbstractUser
) -> None:
    urls = [
        reverse("accounts:users"),
        reverse("accounts:user_new"),
        reverse("accounts:user_edit", args=[wangfang.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(lina)
    for url in urls:
        assert client.get(url).status_code == 403, url
    for name in ("user_active", "user_password"):
        url = reverse(f"accounts:{name}", args=[wangfang.pk])
        assert client.post(url, {"active": "0"}).status_code == 403, name
    wangfang.refresh_from_db()
    assert wangfang.is_active


def test_retired_units_are_offered_only_to_the_accounts_that_have_them(
    clerk: Client, lina: AbstractUser
) -> None:
    fgw = Unit.objects.get(name="发改委")
    fgw.active = False
    fgw.save()

    def offered(url: str) -> set[int]:
        field = clerk.get(url).context["form"]["unit"].field
        return {pk for _kind, group in field.choices[1:] for pk, _name in group}

    assert fgw.pk not in offered(reverse("accounts:user_new"))
    assert fgw.pk in offered(reverse("accounts:user_edit", args=[lina.pk]))
    listed = clerk.get(reverse("accounts:users")).context["filters"]["unit"].field.choices
    assert fgw.pk in {pk for _kind, group in listed[1:] for pk, _name in group}
