"""create_unit and add_alias: what the import calls when a notice names a unit duban lacks."""

from __future__ import annotations

import pytest

from duban.directory.models import Unit, UnitKind
from duban.directory.services import (
    DirectoryError,
    DirectoryIndex,
    NameTaken,
    add_alias,
    create_unit,
    find_units,
)


def test_create_unit_adds_a_unit_notices_can_name(demo_directory: dict[str, int]) -> None:
    unit = create_unit(" 统计局 ", UnitKind.DEPARTMENT, "偃师区统计局")
    assert (unit.name, unit.full_name, unit.kind) == ("统计局", "偃师区统计局", "department")
    assert DirectoryIndex.load().resolve("统计局").unit_id == unit.pk


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("发改委", "“发改委”已是单位“发改委”的名称。"),
        ("交通运输局", "“交通运输局”已是单位“交通局”的别名。"),
        ("各镇(街道)", "“各镇(街道)”已是统称“各镇（街道）”的名称。"),
        ("法 院", "“法 院”已是单位“法院”的名称。"),
    ],
)
def test_create_unit_refuses_a_name_already_in_use(
    demo_directory: dict[str, int], name: str, message: str
) -> None:
    count = Unit.objects.count()
    with pytest.raises(NameTaken) as refusal:
        create_unit(name, UnitKind.DEPARTMENT)
    assert str(refusal.value).startswith(message)
    assert Unit.objects.count() == count


def test_a_clash_hidden_by_bracket_width_is_explained(demo_directory: dict[str, int]) -> None:
    with pytest.raises(NameTaken, match="仅空格或全角、半角字符不同的名称视为同一名称"):
        create_unit("各镇(街道)", UnitKind.OTHER)
    with pytest.raises(NameTaken) as exact:
        create_unit("各镇（街道）", UnitKind.OTHER)
    assert "全角" not in str(exact.value)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kind"), [("   ", UnitKind.DEPARTMENT), ("统计局", "bureau")])
def test_create_unit_refuses_an_empty_name_or_an_unknown_kind(name: str, kind: str) -> None:
    with pytest.raises(DirectoryError):
        create_unit(name, kind)
    assert not Unit.objects.exists()


def test_add_alias_makes_another_name_resolve(demo_directory: dict[str, int]) -> None:
    transport = Unit.objects.get(name="交通局")
    alias = add_alias(transport, "区交通运输局")
    assert add_alias(transport, "区交通运输局") == alias  # already there: nothing new
    resolution = DirectoryIndex.load().resolve("区交通运输局")
    assert resolution.unit_id == transport.pk and resolution.via_alias


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("交通局", "“交通局”已是单位“交通局”的名称。"),
        ("发改委", "“发改委”已是单位“发改委”的名称。"),
        ("农业局", "“农业局”已是单位“农业农村局”的别名。"),
        ("各街道", "“各街道”已是统称“各街道”的名称。"),
    ],
)
def test_add_alias_refuses_names_in_use(
    demo_directory: dict[str, int], name: str, message: str
) -> None:
    with pytest.raises(NameTaken) as refusal:
        add_alias(Unit.objects.get(name="交通局"), name)
    assert str(refusal.value) == message


def test_find_units_searches_names_full_names_and_aliases(demo_directory: dict[str, int]) -> None:
    assert [u.name for u in find_units("交通运输")] == ["交通局"]
    assert [u.name for u in find_units("工业和信息化")] == ["工信局"]
    assert {u.name for u in find_units("街道", UnitKind.STREET)} == {
        "首阳山街道",
        "商城街道",
        "槐新街道",
        "伊洛街道",
    }
    assert find_units(kind=UnitKind.TOWN).count() == 9
