"""`duban serve` builds the gunicorn it promises (docs/deploy.md): workers from the core count or
the setting, preloading with gc.freeze before each fork, the access log in the data directory,
graceful shutdown; `--dev` is Django's reloading server. A real start: test_serve_live.py."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from pytest_django.fixtures import Settings as SettingsWrapper

from duban.core import server_gunicorn
from duban.core.management.commands import serve as serve_command
from duban.core.server_gunicorn import (
    ACCESS_FORMAT,
    DubanServer,
    ServeOptions,
    default_workers,
    freeze_before_fork,
    gunicorn_settings,
)


def options(**changes: Any) -> ServeOptions:
    values: dict[str, Any] = {
        "bind": "127.0.0.1:8123",
        "workers": 3,
        "access_log": Path("/srv/duban/logs/access.log"),
        "log_max_bytes": 5 * 1024 * 1024,
        "log_backups": 4,
    }
    return ServeOptions(**{**values, **changes})


def test_workers_default_to_one_per_core() -> None:
    assert default_workers(2) == 2
    assert default_workers(8) == 8
    assert default_workers(0) == 1
    assert default_workers() == (os.cpu_count() or 1)


def test_gunicorn_gets_preloading_the_freeze_hook_and_graceful_shutdown() -> None:
    config = gunicorn_settings(options())
    assert config["bind"] == ["127.0.0.1:8123"]
    assert config["workers"] == 3
    assert config["worker_class"] == "gthread" and config["threads"] == 4
    assert config["keepalive"] == 5  # threaded workers keep connections open
    assert config["preload_app"] is True
    assert config["pre_fork"] is freeze_before_fork
    assert config["timeout"] == 120 and config["graceful_timeout"] == 30
    # duban's own proxy rule decides about X-Forwarded-*; no control socket in a home folder.
    assert config["secure_scheme_headers"] == {} and config["forwarded_allow_ips"] == ""
    assert config["control_socket_disable"] is True
    assert gunicorn_settings(options(threads=1))["worker_class"] == "sync"


def test_the_access_log_rotates_in_the_data_directory_and_may_echo_to_stdout() -> None:
    logging = gunicorn_settings(options())["logconfig_dict"]
    access = logging["loggers"]["gunicorn.access"]
    assert access["handlers"] == ["access_file"] and access["propagate"] is False
    handler = logging["handlers"]["access_file"]
    assert handler["class"] == "concurrent_log_handler.ConcurrentRotatingFileHandler"
    assert handler["filename"] == "/srv/duban/logs/access.log"
    assert (handler["maxBytes"], handler["backupCount"]) == (5 * 1024 * 1024, 4)
    assert logging["root"] == {}  # duban's root logger (settings.LOGGING) is left alone
    echoed = gunicorn_settings(options(access_log_stdout=True))["logconfig_dict"]
    assert echoed["loggers"]["gunicorn.access"]["handlers"] == ["access_file", "access_stdout"]
    assert echoed["handlers"]["access_stdout"]["stream"] == "ext://sys.stdout"
    none = gunicorn_settings(options(access_log=None))["logconfig_dict"]
    assert none["loggers"]["gunicorn.access"]["handlers"] == []
    assert "%({x-request-id}o)s" in ACCESS_FORMAT and "%(M)s" in ACCESS_FORMAT


def test_gunicorn_takes_the_settings_as_they_are() -> None:
    config = DubanServer(options(workers=5, threads=2)).cfg
    assert config.workers == 5 and config.threads == 2
    assert config.worker_class_str == "gthread"
    assert config.preload_app is True
    assert config.pre_fork is freeze_before_fork
    assert config.access_log_format == ACCESS_FORMAT
    assert config.control_socket_disable is True


def test_freeze_before_fork_freezes_what_the_master_holds() -> None:
    try:
        freeze_before_fork(server=None, worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_options_travel_to_the_fresh_interpreter_unchanged() -> None:
    for original in (options(), options(access_log=None, access_log_stdout=True, threads=1)):
        assert ServeOptions.from_json(original.to_json()) == original


class Recorder:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.commands: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
        self.served: list[ServeOptions] = []
        monkeypatch.setattr(serve_command, "call_command", self.call)
        monkeypatch.setattr(serve_command, "exec_server", self.served.append)

    def call(self, *args: Any, **kwargs: Any) -> None:
        self.commands.append((args, kwargs))


def test_serve_collects_static_files_then_runs_gunicorn(
    monkeypatch: pytest.MonkeyPatch, settings: SettingsWrapper
) -> None:
    recorder = Recorder(monkeypatch)
    settings.WEB_WORKERS, settings.WEB_THREADS = 0, 4
    call_command("serve", "--addr", "127.0.0.1:9001")
    assert recorder.commands == [(("collectstatic",), {"interactive": False, "verbosity": 0})]
    [served] = recorder.served
    assert served.bind == "127.0.0.1:9001"
    assert served.workers == default_workers() and served.threads == 4
    assert served.access_log == settings.LOG_DIR / "access.log"
    assert served.access_log_stdout is False


def test_workers_threads_and_access_log_from_options_and_settings(
    monkeypatch: pytest.MonkeyPatch, settings: SettingsWrapper, tmp_path: Path
) -> None:
    recorder = Recorder(monkeypatch)
    settings.WEB_WORKERS, settings.WEB_THREADS = 2, 3
    call_command("serve")
    call_command(
        "serve",
        "--workers=6",
        "--threads=1",
        f"--access-log={tmp_path / 'a.log'}",
        "--access-log-stdout",
    )
    call_command("serve", "--access-log=off")
    first, second, third = recorder.served
    assert (first.workers, first.threads) == (2, 3)
    assert (second.workers, second.threads) == (6, 1)
    assert second.access_log == tmp_path / "a.log" and second.access_log_stdout
    assert third.access_log is None


@pytest.mark.parametrize("option", ["--workers=0", "--threads=0", "--workers=-2"])
def test_no_workers_or_threads_is_refused(monkeypatch: pytest.MonkeyPatch, option: str) -> None:
    recorder = Recorder(monkeypatch)
    with pytest.raises(CommandError, match="--workers"):
        call_command("serve", option)
    assert recorder.served == [] and recorder.commands == []


def test_dev_is_djangos_reloading_server(monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = Recorder(monkeypatch)
    call_command("serve", "--dev", "--addr", "127.0.0.1:9002")
    call_command("serve", "--reload")  # the older spelling
    assert recorder.served == []
    assert [args for args, _ in recorder.commands] == [
        ("collectstatic",),
        ("runserver", "127.0.0.1:9002"),
        ("collectstatic",),
        ("runserver", "127.0.0.1:8000"),
    ]
    assert recorder.commands[1][1] == {"use_reloader": True}


def test_serve_replaces_itself_with_a_fresh_interpreter(monkeypatch: pytest.MonkeyPatch) -> None:
    """The master holds the application only, not what checking and collecting loaded."""
    calls: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(server_gunicorn.os, "execv", lambda path, argv: calls.append((path, argv)))
    server_gunicorn.exec_server(options())
    [(path, argv)] = calls
    assert path == sys.executable
    assert argv[:4] == [sys.executable, "-P", "-m", "duban.core.server_gunicorn"]
    assert ServeOptions.from_json(argv[4]) == options()
