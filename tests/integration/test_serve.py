"""`duban serve` really serves: pages, the health check and /static/ with DEBUG off."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

PRODUCTION_LIKE = {"DUBAN_DEBUG": "false"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, **PRODUCTION_LIKE, "DUBAN_DATA_DIR": str(tmp_path)}
    process = subprocess.Popen(
        [sys.executable, "-m", "duban", "serve", "--addr", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if fetch(base + "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            process.kill()
            pytest.fail("duban serve did not answer: " + process.communicate()[1].decode())
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_answers_health_static_and_login_redirect(server: str) -> None:
    assert fetch(server + "/healthz") == (200, b"ok")
    status, body = fetch(server + "/static/vendor/htmx.min.js")
    assert status == 200 and body.startswith(b"var htmx=")
    assert fetch(server + "/static/duban.css")[0] == 200
    assert fetch(server + "/")[0] == 302
