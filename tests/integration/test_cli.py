"""`duban`: an overview of the product's commands, and Django's commands under one name."""

import pytest
from django.core.management import get_commands

from duban.cli import main


@pytest.mark.parametrize("argv", [[], ["help"], ["--help"]])
def test_overview_lists_the_product_commands(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "督办" in out
    for command in ("parse", "serve", "migrate", "demo", "check"):
        assert f"duban {command}" in out
    assert "runserver" not in out  # Django's full list is behind `duban help --all`


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["nonsense"]) == 2
    assert "duban help" in capsys.readouterr().err


def test_help_for_an_unknown_command_is_a_usage_error() -> None:
    assert main(["help", "nonsense"]) == 2


def test_bad_option_exits_with_status_2() -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--no-such-option"])
    assert exit_info.value.code == 2


def test_product_commands_exist() -> None:
    assert {"serve", "demo", "migrate", "check"} <= set(get_commands())


def test_help_for_one_command_is_djangos(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["help", "serve"]) == 0
    assert "--reload" in capsys.readouterr().out


def test_help_all_is_djangos_full_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["help", "--all"]) == 0
    assert "runserver" in capsys.readouterr().out


def test_version_names_duban(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("duban 0.")
