"""A real `duban serve` on a free loopback port: gunicorn's workers answer /healthz and the
pages, static files come by hashed names, compressed and cached for a year, every request is
in the access log, and SIGTERM stops it gracefully."""

from __future__ import annotations

import gzip
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import brotli
import pytest

STATIC = Path(__file__).resolve().parents[2] / "duban" / "core" / "static"
YEAR = "max-age=315360000, public, immutable"


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(url: str, **headers: str) -> Response:
    request = urllib.request.Request(url, headers=headers)
    try:
        with OPENER.open(request, timeout=10) as response:
            return Response(
                response.status,
                {k.lower(): v for k, v in response.headers.items()},
                response.read(),
            )
    except urllib.error.HTTPError as error:
        return Response(error.code, {k.lower(): v for k, v in error.headers.items()}, b"")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


@dataclass
class Server:
    base: str
    process: subprocess.Popen[bytes]
    data: Path
    stdout: Path
    stderr: Path


def start(tmp_path: Path) -> Iterator[Server]:
    port = free_port()
    data = tmp_path / "data"
    env = {
        **os.environ,
        "DUBAN_DATA_DIR": str(data),
        "DUBAN_DEBUG": "false",
        "DUBAN_WEB_WORKERS": "2",
    }
    out, err = tmp_path / "stdout", tmp_path / "stderr"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "duban",
                "serve",
                f"--addr=127.0.0.1:{port}",
                "--access-log-stdout",
            ],
            env=env,
            stdout=stdout,
            stderr=stderr,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if fetch(base + "/healthz").status == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None, err.read_text()
            time.sleep(0.2)
        else:
            pytest.fail("duban serve did not answer: " + err.read_text())
        yield Server(base, process, data, out, err)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the module's tests that leave it running."""
    yield from start(tmp_path_factory.mktemp("serve"))


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[Server]:
    yield from start(tmp_path)


def test_gunicorn_answers_with_the_configured_workers(server: Server) -> None:
    health = fetch(server.base + "/healthz")
    assert (health.status, health.body) == (200, b"ok")
    assert health.headers["server"] == "gunicorn"
    assert fetch(server.base + "/").status == 302  # sign-in first, as ever
    # `duban serve` replaced itself (exec) with gunicorn's master: same process, two workers
    # (the second may still be booting when the first answers).
    deadline = time.monotonic() + 10
    while len(children(server.process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(children(server.process.pid)) == 2
    cmdline = Path(f"/proc/{server.process.pid}/cmdline").read_bytes().split(b"\0")
    assert cmdline[1:4] == [b"-P", b"-m", b"duban.core.server_gunicorn"]


def test_static_files_come_hashed_compressed_and_cached_for_a_year(server: Server) -> None:
    page = fetch(server.base + "/accounts/login/").body.decode()
    [htmx] = re.findall(r'src="(/static/vendor/htmx\.min\.[0-9a-f]{12}\.js)"', page)
    source = (STATIC / "vendor" / "htmx.min.js").read_bytes()

    for encoding, decompress in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        response = fetch(server.base + htmx, **{"Accept-Encoding": f"{encoding}"})
        assert response.status == 200
        assert response.headers["content-encoding"] == encoding
        assert response.headers["cache-control"] == YEAR
        assert len(response.body) < len(source) / 2
        assert decompress(response.body) == source

    # The vendored ECharts (a megabyte) goes out compressed too.
    manifest = json.loads((server.data / "static" / "staticfiles.json").read_text())
    echarts = "/static/" + manifest["paths"]["vendor/echarts.min.js"]
    plain = (STATIC / "vendor" / "echarts.min.js").read_bytes()
    response = fetch(server.base + echarts, **{"Accept-Encoding": "br, gzip"})
    assert response.headers["content-encoding"] == "br"
    assert response.headers["cache-control"] == YEAR
    assert brotli.decompress(response.body) == plain
    assert len(response.body) < len(plain) / 3

    # A plain name still answers (bookmarks, old pages), cached for a minute only; nobody
    # else's pages may use duban's files (no Access-Control-Allow-Origin).
    response = fetch(server.base + "/static/vendor/htmx.min.js")
    assert response.status == 200 and response.body == source
    assert response.headers["cache-control"] == "max-age=60, public"
    assert "access-control-allow-origin" not in response.headers


def test_every_request_is_in_the_access_log(server: Server) -> None:
    response = fetch(server.base + "/healthz?probe=1", **{"User-Agent": "duban-test"})
    request_id = response.headers["x-request-id"]
    log = server.data / "logs" / "access.log"
    line = '"GET /healthz?probe=1 HTTP/1.1" 200 2 "-" "duban-test"'
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and line not in log.read_text():
        time.sleep(0.1)
    [entry] = [each for each in log.read_text().splitlines() if line in each]
    assert entry.startswith("127.0.0.1 ")
    assert re.search(r" \d+ms " + request_id + "$", entry), entry
    assert oct(log.stat().st_mode & 0o777) == "0o600"  # private, like every file duban writes
    assert entry in server.stdout.read_text()  # --access-log-stdout (make run)


def test_sigterm_stops_it_gracefully(own_server: Server) -> None:
    os.kill(own_server.process.pid, signal.SIGTERM)
    assert own_server.process.wait(timeout=40) == 0
    assert "Shutting down: Master" in own_server.stderr.read_text()
