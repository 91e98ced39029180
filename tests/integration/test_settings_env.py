"""DUBAN_* variables are read strictly: a value that is not clear stops duban at start-up."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from duban.env import env_bool, env_choice, env_int, env_list, load_or_create_secret


@pytest.mark.parametrize("value", ["1", "true", "True", "yes", "on", " ON "])
def test_clear_true_values(value: str) -> None:
    assert env_bool("DUBAN_DEBUG", False, environ={"DUBAN_DEBUG": value}) is True


@pytest.mark.parametrize("value", ["0", "false", "no", "off", "False"])
def test_clear_false_values(value: str) -> None:
    assert env_bool("DUBAN_DEBUG", True, environ={"DUBAN_DEBUG": value}) is False


@pytest.mark.parametrize("value", ["ture", "maybe", "2", "y"])
def test_a_bad_boolean_is_refused(value: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="DUBAN_DEBUG"):
        env_bool("DUBAN_DEBUG", False, environ={"DUBAN_DEBUG": value})


def test_unset_or_empty_means_default() -> None:
    assert env_bool("DUBAN_DEBUG", True, environ={}) is True
    assert env_bool("DUBAN_DEBUG", True, environ={"DUBAN_DEBUG": ""}) is True


def test_numbers_lists_and_choices() -> None:
    assert env_int("N", 20, environ={"N": "5"}) == 5
    with pytest.raises(ImproperlyConfigured):
        env_int("N", 20, environ={"N": "20MB"})
    with pytest.raises(ImproperlyConfigured):
        env_int("N", 20, minimum=1, environ={"N": "0"})
    assert env_list("H", [], environ={"H": " a.gov.cn, ,127.0.0.1 "}) == ["a.gov.cn", "127.0.0.1"]
    # A list set to nothing: the default unless the list says what nothing means.
    assert env_list("H", ["x"], environ={"H": " "}) == ["x"]
    assert env_list("R", ["office"], blank=[], environ={"R": ""}) == []
    assert env_list("R", ["office"], blank=[], environ={}) == ["office"]
    with pytest.raises(ImproperlyConfigured):
        env_choice("E", "sqlite", ("sqlite", "postgresql"), environ={"E": "mysql"})


def test_duban_refuses_to_start_on_a_bad_boolean(tmp_path: Path) -> None:
    env = {**os.environ, "DUBAN_DEBUG": "maybe", "DUBAN_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "duban", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "DUBAN_DEBUG='maybe' is not a boolean" in result.stderr


def test_secret_key_is_generated_once_and_private(tmp_path: Path) -> None:
    path = tmp_path / "secret_key"
    first = load_or_create_secret(path)
    assert len(first) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_secret(path) == first


def test_the_django_admin_site_is_off_unless_turned_on_clearly(tmp_path: Path) -> None:
    from django.conf import settings

    assert settings.DJANGO_ADMIN is False
    env = {**os.environ, "DUBAN_DJANGO_ADMIN": "maybe", "DUBAN_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "duban", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "DUBAN_DJANGO_ADMIN='maybe' is not a boolean" in result.stderr
