"""Leaders with the units they oversee, and groups with the units they stand for."""

from __future__ import annotations

from django.urls import reverse

from duban.directory.models import Group, GroupExpansion, Leader, Unit
from tests.support.world import World


def page(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def ids(*names: str) -> list[str]:
    return [str(Unit.objects.get(name=name).pk) for name in names]


def test_the_leaders_list_shows_whom_each_leader_oversees(world: World) -> None:
    clerk = world.as_office()
    html = page(clerk.get(reverse("directory:leaders")))
    assert "朱蕾" in html and "李良" in html and "公安局" in html
    assert "新建领导" in html


def test_the_clerk_gives_a_leader_a_title_and_other_units(world: World) -> None:
    clerk = world.as_office()
    zhu = Leader.objects.get(name="朱蕾")
    url = reverse("directory:leader_edit", args=[zhu.pk])
    form = page(clerk.get(url))
    assert "分管单位" in form and "领导不能删除" in form
    assert form.count('type="checkbox" name="units"') == Unit.objects.count()
    data = {"name": "朱蕾", "title": "副区长", "units": ids("发改委", "林业局"), "active": "on"}
    assert clerk.post(url, data, follow=True).status_code == 200
    zhu.refresh_from_db()
    assert zhu.title == "副区长"
    assert set(zhu.units.values_list("name", flat=True)) == {"发改委", "林业局"}


def test_the_clerk_adds_a_leader_but_not_a_second_one_with_the_same_name(world: World) -> None:
    clerk = world.as_office()
    url = reverse("directory:leader_new")
    created = clerk.post(
        url, {"name": "王 强", "title": "", "units": ids("林业局"), "active": "on"}
    )
    assert created.status_code == 302
    assert list(Leader.objects.get(name="王 强").units.values_list("name", flat=True)) == ["林业局"]
    again = clerk.post(url, {"name": "朱 蕾", "title": "", "active": "on"})
    assert "已有名为“朱 蕾”的领导。" in page(again)
    assert Leader.objects.count() == 13


def test_the_groups_list_shows_what_each_group_expands_to(world: World) -> None:
    clerk = world.as_office()
    response = clerk.get(reverse("directory:groups"))
    expands_to = {
        group.name: {u.name for u in units} for group, units in response.context["groups"]
    }
    assert expands_to["各街道"] == {"首阳山街道", "商城街道", "槐新街道", "伊洛街道"}
    assert len(expands_to["各镇（街道）"]) == 13 and expands_to["相关单位"] == set()
    html = page(response)
    assert "共13个" in html and "共4个" in html
    assert "不固定" in html  # 相关镇（街道）: named in each task


def test_the_group_page_shows_its_current_expansion(world: World) -> None:
    clerk = world.as_office()
    streets = Group.objects.get(name="各街道")
    response = clerk.get(reverse("directory:group_edit", args=[streets.pk]))
    shown = {unit.name for unit in response.context["expands_to"]}
    assert shown == {"首阳山街道", "商城街道", "槐新街道", "伊洛街道"}
    html = page(response)
    assert "当前包含的单位" in html and "共4个" in html and "首阳山街道" in html


def test_the_clerk_makes_a_group_of_listed_members(world: World) -> None:
    clerk = world.as_office()
    url = reverse("directory:group_new")
    refused = clerk.post(url, {"name": "沿黄各镇", "expansion": "members"})
    assert "请勾选该统称所代表的单位。" in page(refused)
    data = {"name": "沿黄各镇", "expansion": "members", "members": ids("翟镇镇", "岳滩镇")}
    assert clerk.post(url, data).status_code == 302
    group = Group.objects.get(name="沿黄各镇")
    assert {u.name for u in group.expanded_units()} == {"翟镇镇", "岳滩镇"}
    edit = reverse("directory:group_edit", args=[group.pk])
    assert {u.name for u in clerk.get(edit).context["expands_to"]} == {"翟镇镇", "岳滩镇"}
    # standing for every town from now on, the listed members are dropped
    clerk.post(edit, {"name": "沿黄各镇", "expansion": "towns", "members": ids("翟镇镇")})
    group.refresh_from_db()
    assert group.expansion == GroupExpansion.TOWNS and not group.members.exists()
    assert group.expanded_units().count() == 9


def test_a_group_cannot_take_a_unit_name(world: World) -> None:
    clerk = world.as_office()
    response = clerk.post(reverse("directory:group_new"), {"name": "农业局", "expansion": "open"})
    assert "“农业局”已是单位“农业农村局”的别名。" in page(response)
    assert not Group.objects.filter(name="农业局").exists()
