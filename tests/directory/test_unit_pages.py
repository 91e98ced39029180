"""刘芳 (``office``) of the 督查室 keeps the units and their aliases; a name can have one owner only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from duban.directory.models import Unit, UnitAlias
from duban.directory.services import DirectoryIndex
from tests.support.directory import unit_form
from tests.support.world import World


def page(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def test_the_clerk_sees_every_unit_with_codes_and_aliases(world: World) -> None:
    clerk = world.as_office()
    html = page(clerk.get(reverse("directory:units")))
    assert "共66个单位" in html  # the demo's 64, the 督查室 and the world's 档案馆
    assert "410307106" in html and "缑氏镇" in html
    assert "交通运输局" in html  # the alias of 交通局
    assert "新建单位" in html and reverse("directory:unit_new") in html
    assert 'aria-current="page">单位名录<' in html  # the main navigation


def test_the_clerk_filters_by_kind_and_by_any_name(world: World) -> None:
    clerk = world.as_office()
    towns = page(clerk.get(reverse("directory:units"), {"kind": "town"}))
    assert "共9个单位" in towns and "首阳山街道" not in towns
    streets = clerk.get(reverse("directory:units"), {"kind": "street"}).context["units"]
    assert [u.name for u in streets] == [
        "首阳山街道",
        "商城街道",
        "槐新街道",
        "伊洛街道",
    ]  # by code
    found = page(clerk.get(reverse("directory:units"), {"q": "交通运输局"}))
    assert "共1个单位" in found and "偃师区交通运输局" in found
    by_full_name = page(clerk.get(reverse("directory:units"), {"q": "生态环境局偃师分局"}))
    assert "共1个单位" in by_full_name
    nothing = page(clerk.get(reverse("directory:units"), {"q": "缙氏镇"}))
    assert "没有符合条件的单位" in nothing


def test_the_clerk_creates_a_unit_with_its_aliases(world: World) -> None:
    clerk = world.as_office()
    assert "单位不能删除" in page(clerk.get(reverse("directory:unit_new")))
    data = unit_form(
        name="统计局",
        full_name="偃师区统计局",
        code="",
        new_aliases=("区统计局", "统计 局（区）"),
    )
    response = clerk.post(reverse("directory:unit_new"), data, follow=True)
    assert "已保存单位“统计局”" in page(response)
    unit = Unit.objects.get(name="统计局")
    assert sorted(unit.aliases.values_list("name", flat=True)) == ["区统计局", "统计 局（区）"]
    assert DirectoryIndex.load().resolve("统计局(区)").unit_id == unit.pk


def test_the_clerk_renames_a_unit_adds_and_removes_aliases(world: World) -> None:
    clerk = world.as_office()
    land = Unit.objects.get(name="自然资源和规划局")
    data = unit_form(land, remove=("自然资源局",), new_aliases=("规划局",), full_name="新全称")
    response = clerk.post(reverse("directory:unit_edit", args=[land.pk]), data)
    assert response.status_code == 302
    land.refresh_from_db()
    assert land.full_name == "新全称"
    assert sorted(land.aliases.values_list("name", flat=True)) == ["国土资源局", "规划局"]


def test_the_clerk_retires_a_unit_instead_of_deleting_it(world: World) -> None:
    clerk = world.as_office()
    hospital = Unit.objects.get(name="妇幼保健院")
    clerk.post(
        reverse("directory:unit_edit", args=[hospital.pk]), unit_form(hospital, active=False)
    )
    hospital.refresh_from_db()
    assert not hospital.active
    assert "停用" in page(clerk.get(reverse("directory:units"), {"q": "妇幼"}))


@pytest.mark.parametrize(
    ("fields", "aliases", "message"),
    [
        ({"name": "发改委"}, (), "“发改委”已是单位“发改委”的名称。"),
        ({"name": "统计局"}, ("交通运输局",), "“交通运输局”已是单位“交通局”的别名。"),
        ({"name": "各镇(街道)"}, (), "“各镇(街道)”已是统称“各镇（街道）”的名称。"),
        ({"name": "统计局"}, ("各街道",), "“各街道”已是统称“各街道”的名称。"),
        ({"name": "统计局"}, ("区统计局", "区统计局"), "“区统计局”已是本单位的简称或别名。"),
        ({"name": "统计局"}, ("统 计局",), "“统 计局”已是本单位的简称或别名。"),
        ({"name": "统计局", "code": "4103"}, (), "区划代码应为6位、9位或12位数字。"),
    ],
)
def test_a_name_in_use_or_a_bad_code_is_refused_with_a_message(
    world: World,
    fields: dict[str, str],
    aliases: tuple[str, ...],
    message: str,
) -> None:
    clerk = world.as_office()
    before = (Unit.objects.count(), UnitAlias.objects.count())
    response = clerk.post(reverse("directory:unit_new"), unit_form(new_aliases=aliases, **fields))
    assert response.status_code == 200
    assert message in page(response)
    assert (Unit.objects.count(), UnitAlias.objects.count()) == before


def test_the_bracket_clash_says_why_the_names_are_the_same(world: World) -> None:
    clerk = world.as_office()
    response = clerk.post(reverse("directory:unit_new"), unit_form(name="相关镇(街道)"))
    assert "仅空格或全角、半角字符不同的名称视为同一名称" in page(response)


def test_an_alias_moved_to_the_unit_name_is_refused_unless_removed(world: World) -> None:
    clerk = world.as_office()
    transport = Unit.objects.get(name="交通局")
    url = reverse("directory:unit_edit", args=[transport.pk])
    refused = clerk.post(url, unit_form(transport, name="交通运输局"))
    assert "“交通运输局”已是本单位的简称或别名。" in page(refused)
    swapped = unit_form(
        transport, name="交通运输局", remove=("交通运输局",), new_aliases=("交通局",)
    )
    assert clerk.post(url, swapped).status_code == 302
    transport.refresh_from_db()
    assert transport.name == "交通运输局"
    assert list(transport.aliases.values_list("name", flat=True)) == ["交通局"]
