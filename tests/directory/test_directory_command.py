"""`duban directory load FILE`: what it created, and a bad file refused whole with status 2."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from duban.directory.management.commands.directory import Command
from duban.directory.models import Group, Leader, Unit, UnitAlias


def load(argument: str) -> str:
    out = io.StringIO()
    call_command("directory", "load", argument, stdout=out)
    return out.getvalue()


def nothing_written() -> bool:
    return not any(m.objects.exists() for m in (Unit, UnitAlias, Group, Leader))


@pytest.mark.django_db
def test_the_office_loads_the_demo_directory_then_loads_it_again() -> None:
    first = load("demo")
    assert "已载入 yanshi-directory.json" in first
    assert "新建单位64个、别名8个、统称7个、领导12位" in first
    second = load("demo")
    assert "新建单位0个" in second and "没有新增内容" in second
    assert Unit.objects.count() == 64


@pytest.mark.django_db
def test_the_office_loads_its_own_file(tmp_path: Path) -> None:
    own = tmp_path / "mine.json"
    directory = {
        "units": [{"name": "统计局", "kind": "department", "aliases": ["区统计局"]}],
        "leaders": [{"name": "张三", "title": "副区长", "units": ["统计局"]}],
    }
    own.write_text(json.dumps(directory, ensure_ascii=False), encoding="utf-8")
    assert "新建单位1个、别名1个、统称0个、领导1位" in load(str(own))
    assert list(Leader.objects.get(name="张三").units.values_list("name", flat=True)) == ["统计局"]


def run_from_console(path: str) -> int:
    """As `duban directory load PATH` in a terminal: "错误：…" on stderr and an exit status.

    (run_from_argv itself would also close the test's database connection.)
    """
    command = Command()
    command._from_console = True
    with pytest.raises(SystemExit) as exit_info:
        call_command(command, "load", path)
    return int(exit_info.value.code or 0)


@pytest.mark.django_db
def test_broken_json_exits_2_with_the_line_to_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "directory.json"
    broken.write_text('{"units": [\n  {"name": "统计局",}\n]}', encoding="utf-8")
    assert run_from_console(str(broken)) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "不是有效的 JSON 文件：第2行" in err
    assert nothing_written()


@pytest.mark.django_db
def test_a_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_from_console(str(tmp_path / "nowhere.json")) == 2
    assert "找不到文件" in capsys.readouterr().err
    assert nothing_written()


@pytest.mark.django_db
def test_a_file_with_one_bad_entry_writes_nothing_at_all(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mixed = tmp_path / "mixed.json"
    directory = {
        "units": [
            {"name": "统计局", "aliases": ["区统计局"]},
            {"name": "审计局", "aliases": ["区统计局"]},
            {"name": "档案馆", "kind": "archive"},
        ],
        "groups": [{"name": "各镇(街道)", "expands_to": "towns_and_streets"}],
        "leaders": [{"name": "张三", "units": ["统计局", "缙氏镇"]}],
    }
    mixed.write_text(json.dumps(directory, ensure_ascii=False), encoding="utf-8")
    assert run_from_console(str(mixed)) == 2
    err = capsys.readouterr().err
    assert "无法载入，未作任何改动" in err
    assert "“archive”不是有效的单位类别" in err
    assert nothing_written()
    directory["units"][2]["kind"] = "other"
    mixed.write_text(json.dumps(directory, ensure_ascii=False), encoding="utf-8")
    assert run_from_console(str(mixed)) == 2
    err = capsys.readouterr().err
    assert "“区统计局”在文件中重复出现" in err
    assert "领导“张三”：“缙氏镇”不是名录中任何单位的简称" in err
    assert nothing_written()


def test_a_name_the_database_already_gives_another_unit_is_refused(
    demo_directory: dict[str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clash = tmp_path / "clash.json"
    directory = {"units": [{"name": "统计局"}, {"name": "各镇(街道)"}]}
    clash.write_text(json.dumps(directory, ensure_ascii=False), encoding="utf-8")
    assert run_from_console(str(clash)) == 2
    err = capsys.readouterr().err
    assert "“各镇(街道)”已是统称“各镇（街道）”的名称" in err
    assert "仅空格或全角、半角字符不同的名称视为同一名称" in err
    assert not Unit.objects.filter(name="统计局").exists()
