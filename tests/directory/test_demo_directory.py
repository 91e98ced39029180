"""The Yanshi District directory the demo ships: what a notice's names resolve to."""

from __future__ import annotations

import pytest

from duban.directory.files import DEMO_FILE, read_directory_file
from duban.directory.models import Group, Leader, Unit, UnitKind
from duban.directory.services import DirectoryIndex, load_directory
from duban.intake.pipeline import parse_file

SEED = DEMO_FILE.parent / "yanshi-2023-notice.txt"
TOWNSHIPS = {
    "首阳山街道": "410307004",
    "商城街道": "410307005",
    "槐新街道": "410307006",
    "伊洛街道": "410307007",
    "翟镇镇": "410307103",
    "岳滩镇": "410307104",
    "顾县镇": "410307105",
    "缑氏镇": "410307106",
    "府店镇": "410307107",
    "高龙镇": "410307108",
    "山化镇": "410307109",
    "大口镇": "410307110",
    "邙岭镇": "410307111",
}
STREETS = {"首阳山街道", "商城街道", "槐新街道", "伊洛街道"}


@pytest.mark.django_db
def test_loading_the_demo_file_twice_creates_everything_once() -> None:
    data = read_directory_file(DEMO_FILE)
    first = load_directory(data)
    assert first == {"units": 64, "aliases": 8, "groups": 7, "leaders": 12}
    assert load_directory(read_directory_file(DEMO_FILE)) == dict.fromkeys(first, 0)
    assert Unit.objects.count() == 64 and Group.objects.count() == 7
    assert Leader.objects.count() == 12


def test_the_13_townships_have_their_division_codes(demo_directory: dict[str, int]) -> None:
    townships = Unit.objects.filter(kind__in=[UnitKind.TOWN, UnitKind.STREET])
    assert {u.name: u.code for u in townships} == TOWNSHIPS
    assert set(townships.filter(kind=UnitKind.STREET).values_list("name", flat=True)) == STREETS


def test_the_notice_typo_is_not_a_unit_and_points_to_goushi(
    demo_directory: dict[str, int],
) -> None:
    assert not Unit.objects.filter(name="缙氏镇").exists()
    resolution = DirectoryIndex.load().resolve("缙氏镇")
    assert not resolution.resolved
    assert resolution.candidates[0][1] == "缑氏镇"


@pytest.mark.parametrize(
    ("alias", "unit"),
    [("交通运输局", "交通局"), ("国土资源局", "自然资源和规划局"), ("农业局", "农业农村局")],
)
def test_old_and_long_names_resolve_to_the_unit(
    demo_directory: dict[str, int], alias: str, unit: str
) -> None:
    resolution = DirectoryIndex.load().resolve(alias)
    assert resolution.via_alias
    assert resolution.unit_id == Unit.objects.get(name=unit).pk


def test_groups_expand_to_the_townships_and_streets(demo_directory: dict[str, int]) -> None:
    every_township = Group.objects.get(name="各镇（街道）")
    assert {u.name for u in every_township.expanded_units()} == set(TOWNSHIPS)
    assert every_township.expanded_units().count() == 13
    # the half-width brackets a notice may use name the same group
    assert DirectoryIndex.load().resolve("各镇(街道)").group_id == every_township.pk
    streets = Group.objects.get(name="各街道")
    assert {u.name for u in streets.expanded_units()} == STREETS
    some = Group.objects.get(name="相关镇（街道）")
    assert some.is_open and not some.expanded_units().exists()


def test_every_lead_leader_of_the_seed_notice_oversees_the_units_he_leads_alone(
    demo_directory: dict[str, int],
) -> None:
    """The leaders were read off the seed notice; a task led by one leader says whom he
    oversees (co-led tasks are ambiguous and are not checked here)."""
    tasks = parse_file(SEED).tasks
    named = {leader for task in tasks for leader in task["lead_leaders"]}
    assert named == set(Leader.objects.values_list("name", flat=True))
    for task in tasks:
        if len(task["lead_leaders"]) == 1:
            leader = Leader.objects.get(name=task["lead_leaders"][0])
            overseen = set(leader.units.values_list("name", flat=True))
            assert set(task["lead_units"]) <= overseen, task["number"]
    assert all(leader.title == "" for leader in Leader.objects.all())
