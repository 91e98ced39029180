"""Logging (等保 安全审计 and 运维: errors are kept and can be traced): errors and warnings go to
standard error and to the rotating file under the data directory, each line with the request's
id, the user, the address, the method and the path; a server error is logged with its
traceback and the 500 page shows the id that the log line carries. A command that crashes is
logged the same way."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from concurrent_log_handler import ConcurrentRotatingFileHandler
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.test import Client, override_settings

from duban.cli import main

pytestmark = pytest.mark.urls("tests.security.urls")


def file_handler() -> ConcurrentRotatingFileHandler:
    handlers = [
        h for h in logging.getLogger().handlers if isinstance(h, ConcurrentRotatingFileHandler)
    ]
    assert len(handlers) == 1
    return handlers[0]


@pytest.fixture
def stderr() -> Iterator[io.StringIO]:
    """What the standard-error handler writes (its stream swapped for the test)."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if type(h) is logging.StreamHandler and getattr(h, "name", "") == "stderr"
    )
    buffer = io.StringIO()
    # Swapped by hand: setStream flushes the old stream, which may be a capture file pytest
    # closed since logging was configured.
    old, handler.stream = handler.stream, buffer
    try:
        yield buffer
    finally:
        handler.stream = old


def logged(request_id: str) -> str:
    """The lines of the log file about one request (other processes write there too)."""
    text = Path(file_handler().baseFilename).read_text(encoding="utf-8")
    lines = text.splitlines()
    found = [i for i, line in enumerate(lines) if f"[{request_id} " in line]
    assert found, f"no line of request {request_id} in the log"
    # A traceback follows its line.
    end = found[-1] + 1
    while end < len(lines) and not re.match(r"\d{4}-\d{2}-\d{2} ", lines[end]):
        end += 1
    return "\n".join(lines[found[0] : end])


def test_the_file_is_under_the_data_directory_and_rotates() -> None:
    handler = file_handler()
    assert Path(handler.baseFilename) == Path(settings.DATA_DIR) / "logs" / "duban.log"
    assert handler.maxBytes == 10 * 1024 * 1024 and handler.backupCount == 10
    assert logging.getLogger().getEffectiveLevel() == logging.WARNING


@pytest.mark.django_db
def test_a_server_error_is_never_silent(
    client: Client, office_user: AbstractUser, stderr: io.StringIO
) -> None:
    client.force_login(office_user)
    client.raise_request_exception = False
    response = client.get("/test/boom/", REMOTE_ADDR="192.0.2.44")
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    page = response.content.decode()
    assert "系统出错" in page
    assert f"<code data-request-id>{request_id}</code>" in page  # to quote to the administrator

    text = logged(request_id)
    assert f"ERROR django.request [{request_id} office 192.0.2.44 GET /test/boom/]" in text
    assert "Traceback" in text and "RuntimeError: boom: the test's server error" in text
    assert f"[{request_id} office 192.0.2.44 GET /test/boom/]" in stderr.getvalue()
    assert "RuntimeError: boom" in stderr.getvalue()


@pytest.mark.django_db
def test_warnings_name_their_request(client: Client, office_user: AbstractUser) -> None:
    client.force_login(office_user)
    response = client.get("/test/warn/")
    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{16}", request_id)
    assert f"WARNING duban.test [{request_id} office 127.0.0.1 GET /test/warn/] something" in (
        logged(request_id)
    )


@pytest.mark.django_db
def test_the_proxy_s_request_id_is_kept_only_behind_the_proxy(client: Client) -> None:
    nginx_id = "5f2b9c0e7d6a4b1c8e3f0a9b7c6d5e4f"
    assert client.get("/healthz", HTTP_X_REQUEST_ID=nginx_id)["X-Request-ID"] != nginx_id
    with override_settings(BEHIND_PROXY=True):
        assert client.get("/healthz", HTTP_X_REQUEST_ID=nginx_id)["X-Request-ID"] == nginx_id
        bad = client.get("/healthz", HTTP_X_REQUEST_ID="x\nforged line")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{16}", bad)


def test_a_crashing_command_is_logged(monkeypatch: pytest.MonkeyPatch, stderr: io.StringIO) -> None:
    def crash(argv: list[str]) -> None:
        raise RuntimeError("the SMTP library fell over")

    monkeypatch.setattr("django.core.management.execute_from_command_line", crash)
    monkeypatch.setattr("django.setup", lambda: None)  # configured already: keep the handlers
    assert main(["remind"]) == 1
    out = stderr.getvalue()
    assert "ERROR duban.command [- - - - -] duban remind failed" in out
    assert "RuntimeError: the SMTP library fell over" in out
