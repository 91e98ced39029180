"""The served application: throughput, latency and memory of `duban serve` (gunicorn) against
Django's runserver (what `duban serve` was before), on one page under concurrent clients.

    .venv/bin/python bench/serve.py [--seconds 15] [--clients 8] [--path /ledger/]
                                    [--servers runserver,gunicorn,gthread-2x1] [--rounds 1]

It builds a throwaway data directory with the demo (migrate and demo, about 20 s), then for each
server in turn: starts it on a free loopback port, signs in as the demo's office over HTTP,
warms up, loads PATH with CLIENTS keep-alive clients for SECONDS (wrk when installed — Debian's
`wrk` package —, a threaded Python client otherwise, which takes CPU from the server and so
understates it), sampling the Proportional Set Size (PSS: each shared page counted once across
the processes) of the server's processes every 0.2 s, and stops it. Figures printed per server:
requests/s, latency percentiles, failed responses, PSS idle and peak under load.

CPU ms/req is the servers' processes' CPU time over the requests they answered: it does not
depend on what else the machine runs, as requests/s does (the load column is the machine's
1-minute load average as the run started; other processes, and on Linux other sessions'
autogroups whatever their nice value, take cores from the server).

Servers: `runserver` (`duban runserver --noreload`, threaded, one process), `gunicorn`
(`duban serve` as configured: one worker per core, 4 threads each), `gunicorn-N`
(`duban serve --workers N`), `gthread-NxT` (`duban serve --workers N --threads T`; T = 1:
gunicorn's sync workers). Nothing outside this machine's loopback is contacted.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DUBAN = str(ROOT / ".venv" / "bin" / "duban")
PASSWORD = "Bench-Pass-2023!"
TARGET_PSS_MB = 120  # the served application with 2 workers, under load


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(data: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DUBAN_DATA_DIR": str(data),
        "DUBAN_DEMO_PASSWORD": PASSWORD,
        "DUBAN_2FA_REQUIRED_ROLES": "none",
        "DUBAN_TODAY": "2023-08-15",
        "DUBAN_DEBUG": "false",
    }


def build_demo(env: dict[str, str]) -> None:
    for command in (["migrate", "--noinput"], ["demo"], ["collectstatic", "--noinput"]):
        subprocess.run([DUBAN, *command], env=env, check=True, capture_output=True)


def command(server: str, port: int) -> list[str]:
    addr = f"127.0.0.1:{port}"
    if server == "runserver":
        return [DUBAN, "runserver", addr, "--noreload"]
    if server == "gunicorn":
        return [DUBAN, "serve", "--addr", addr]
    if match := re.fullmatch(r"gunicorn-(\d+)", server):
        return [DUBAN, "serve", "--addr", addr, "--workers", match[1]]
    if match := re.fullmatch(r"gthread-(\d+)x(\d+)", server):
        return [DUBAN, "serve", "--addr", addr, "--workers", match[1], "--threads", match[2]]
    raise SystemExit(f"unknown server {server!r}")


def wait_healthy(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not answer /healthz within 60 s")


def sign_in(base: str) -> str:
    """The office's session cookie, got as a browser gets it (the login form with its token)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/accounts/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None:
        raise SystemExit("no sign-in form")
    form = {"csrfmiddlewaretoken": token[1], "username": "office", "password": PASSWORD}
    request = urllib.request.Request(
        base + "/accounts/login/",
        data=urllib.parse.urlencode(form).encode(),
        headers={"Referer": base + "/accounts/login/"},
    )
    opener.open(request, timeout=30)
    session = next((cookie.value for cookie in jar if cookie.name == "sessionid"), None)
    if session is None:
        raise SystemExit("sign-in refused")
    return session


def tree(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) used so far by ``pid`` and its descendants."""
    ticks = 0
    for each in tree(pid):
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def pss_mb(pid: int) -> float:
    """PSS of ``pid`` and its descendants, in MB."""
    total = 0
    for each in tree(pid):
        try:
            for line in Path(f"/proc/{each}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


class PeakPss(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, pss_mb(self.pid))
            self.done.wait(0.2)


def get(connection: http.client.HTTPConnection, path: str, cookie: str) -> int:
    connection.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
    response = connection.getresponse()
    response.read()
    return response.status


def load_wrk(url: str, cookie: str, clients: int, seconds: int) -> dict[str, float]:
    out = subprocess.run(
        [
            *("wrk", f"-t{min(clients, 2)}", f"-c{clients}", f"-d{seconds}s", "--timeout", "30s"),
            *("--latency", "-H", f"Cookie: sessionid={cookie}", url),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    units = {"us": 0.001, "ms": 1.0, "s": 1000.0}

    def percentile(p: str) -> float:
        match = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)", out, re.M)
        return float(match[1]) * units[match[2]] if match else float("nan")

    requests = re.search(r"(\d+) requests in", out)
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "requests": int(requests[1]) if requests else 0,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),  # type: ignore[index]
        "p50": percentile("50"),
        "p90": percentile("90"),
        "p99": percentile("99"),
        "failed": int(failed[1]) if failed else 0,
        "socket_errors": sum(int(n) for n in errors.groups()) if errors else 0,
    }


def load_python(url: str, cookie: str, clients: int, seconds: int) -> dict[str, float]:
    parts = urllib.parse.urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies: list[float] = []
    failed = [0]
    stop = time.monotonic() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        while time.monotonic() < stop:
            start = time.perf_counter()
            try:
                status = get(connection, path, cookie)
            except (http.client.HTTPException, OSError):
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                status = get(connection, path, cookie)
            latencies.append((time.perf_counter() - start) * 1000)
            failed[0] += status != 200

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "rps": len(latencies) / seconds,
        "p50": cuts[49],
        "p90": cuts[89],
        "p99": cuts[98],
        "failed": failed[0],
        "socket_errors": 0,
    }


def measure(server: str, env: dict[str, str], args: argparse.Namespace) -> dict[str, float]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        command(server, port),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_healthy(base, process)
        cookie = sign_in(base)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(30):
            if get(connection, args.path, cookie) != 200:
                raise SystemExit(f"{server}: {args.path} does not answer 200")
        idle = pss_mb(process.pid)
        sampler = PeakPss(process.pid)
        sampler.start()
        load = load_wrk if shutil.which("wrk") else load_python
        busy = cpu_seconds(process.pid)
        figures = load(base + args.path, cookie, args.clients, args.seconds)
        busy = cpu_seconds(process.pid) - busy
        sampler.done.set()
        sampler.join()
        cpu_ms = busy * 1000 / max(figures["requests"], 1)
        return {**figures, "cpu_ms": cpu_ms, "pss_idle": idle, "pss_peak": sampler.peak}
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--path", default="/ledger/")
    parser.add_argument("--servers", default="runserver,gunicorn,gthread-2x1")
    parser.add_argument("--rounds", type=int, default=1, help="repeat the servers, interleaved")
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="duban-bench-serve-"))
    try:
        env = environment(data)
        print(f"building the demo in {data} …", file=sys.stderr)
        build_demo(env)
        tool = "wrk" if shutil.which("wrk") else "python threads (understates the server)"
        print(
            f"{args.path} with {args.clients} clients for {args.seconds} s each ({tool}); "
            f"{os.cpu_count()} cores"
        )
        header = (
            f"{'server':<14}{'req/s':>8}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}"
            f"{'failed':>8}{'CPU ms/req':>12}{'PSS idle MB':>13}{'PSS peak MB':>13}{'load':>6}"
        )
        print(header)
        results: dict[str, list[dict[str, float]]] = {}
        for _ in range(args.rounds):
            for server in args.servers.split(","):
                load_average = os.getloadavg()[0]
                row = measure(server, env, args)
                results.setdefault(server, []).append(row)
                print(
                    f"{server:<14}{row['rps']:>8.1f}{row['p50']:>9.1f}{row['p90']:>9.1f}"
                    f"{row['p99']:>9.1f}{row['failed'] + row['socket_errors']:>8.0f}"
                    f"{row['cpu_ms']:>12.1f}{row['pss_idle']:>13.1f}{row['pss_peak']:>13.1f}"
                    f"{load_average:>6.1f}",
                    flush=True,
                )
        for server, rows in results.items():
            if server.startswith(("gunicorn", "gthread")):
                peak = max(r["pss_peak"] for r in rows)
                verdict = "yes" if peak <= TARGET_PSS_MB else "NO"
                print(
                    f"{server}: PSS at its peak under load {peak:.0f} MB; within "
                    f"{TARGET_PSS_MB} MB (issue 13, 2 workers): {verdict}"
                )
        if "runserver" in results and len(results) > 1:
            base = statistics.median(r["rps"] for r in results["runserver"])
            for server, rows in results.items():
                if server != "runserver":
                    ratio = statistics.median(r["rps"] for r in rows) / base
                    print(f"{server}: {ratio:.2f}x runserver's requests per second")
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
