"""Everyone signed in reads the directory; only the office changes it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from duban.core.permissions import Action, can
from duban.directory.models import Group, Leader, Unit
from tests.support.world import World

LISTS = ["directory:units", "directory:leaders", "directory:groups"]
NEW = ["directory:unit_new", "directory:leader_new", "directory:group_new"]


def edit_urls() -> list[str]:
    return [
        reverse("directory:unit_edit", args=[Unit.objects.get(name="发改委").pk]),
        reverse("directory:leader_edit", args=[Leader.objects.get(name="朱蕾").pk]),
        reverse("directory:group_edit", args=[Group.objects.get(name="各街道").pk]),
        *(reverse(name) for name in NEW),
    ]


@pytest.mark.parametrize("name", LISTS + NEW)
def test_every_page_renders_for_the_office(world: World, name: str) -> None:
    clerk = world.as_office()
    response = clerk.get(reverse(name))
    assert response.status_code == 200
    assert response.context["nav"] == "directory"


def test_every_edit_page_renders_for_a_staff_administrator(office_client: Client) -> None:
    from duban.directory.files import DEMO_FILE, read_directory_file
    from duban.directory.services import load_directory

    load_directory(read_directory_file(DEMO_FILE))
    for url in edit_urls():
        assert office_client.get(url).status_code == 200, url


def test_a_unit_operator_reads_the_lists_without_edit_links(world: World) -> None:
    operator = world.as_unit("发改委")
    for name in LISTS:
        html = operator.get(reverse(name)).content.decode()
        assert "单位名录只能由督查室修改" in html
        assert "/edit" not in html and "/new" not in html
    assert "缑氏镇" in operator.get(reverse("directory:units")).content.decode()


def test_a_unit_operator_gets_403_on_every_edit_url(world: World) -> None:
    operator = world.as_unit("发改委")
    fgw = Unit.objects.get(name="发改委")
    for url in edit_urls():
        assert operator.get(url).status_code == 403, url
        assert operator.post(url, {"name": "改掉"}).status_code == 403, url
    fgw.refresh_from_db()
    assert fgw.name == "发改委"


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, demo_directory: object) -> None:
    for url in [reverse(name) for name in LISTS] + edit_urls():
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_who_may_edit_the_directory(world: World) -> None:
    operator, clerk = world.fgw, world.office
    staff = get_user_model().objects.create_user("it", is_staff=True)
    nobody = get_user_model().objects.create_user("plain")
    # Staff status opens Django's admin site and nothing else: the role decides.
    assert [can(u, Action.MANAGE_LEDGER) for u in (operator, clerk, staff, nobody)] == [
        False,
        True,
        False,
        False,
    ]
    assert not can(AnonymousUser(), Action.MANAGE_LEDGER)
    clerk.is_active = False
    assert not can(clerk, Action.MANAGE_LEDGER)
