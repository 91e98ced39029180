"""Scale benchmark: the pages people open most, on a plan of 2,000 or 20,000 tasks.

``make bench`` runs it for 2,000 tasks on SQLite; ``.venv/bin/python bench/scale.py --tasks
20000`` builds the province-sized plan, and ``scripts/with-postgres .venv/bin/python
bench/scale.py …`` does the same on a throwaway PostgreSQL cluster.

The world is built through the services, the code paths of the product: the Yanshi directory
(``load_directory``), the demo's accounts (``ensure_account``), a notice of N tasks (the seed notice
as the import reads it, its 98 tasks repeated and renumbered) imported by the import services
(``refs_for`` → ``prepare_import`` → ``import_plan``), the standard periods
opened by ``open_period`` on their opening days (and closed by ``close_period`` as the next
opens), and four quarterly reports a task written,
submitted, returned and accepted by ``save_report`` / ``return_report`` / ``accept_report`` as
the lead unit's operator and the office, each on its day (``clock.pinned``). About 3.6 units a
task (as the seed) and four reports a task: ~7 % of the reports late, ~4 % returned and not
yet resubmitted, ~4 % waiting for review, ~3 % of the fourth quarter's not written.

Then it asks each page ``--repeat`` times through Django's test client as the office, a
leader and a unit's operator (the whole request: middleware, permission, queries, template, no
network), after one warm-up request and ``gc.freeze()`` as the served application does, and
prints the median, the 95th percentile, the queries and the size of every page. Targets (issue
13): p95 under 100 ms and at most 15 queries a page, the same number of queries at every size.

``--data-dir DIR`` keeps the built world in DIR (SQLite) and reuses it when run again, so that
the 20,000-task world (about an hour to build on two cores) is built once.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEED = ROOT / "duban" / "demo" / "data" / "yanshi-2023-notice.txt"
YEAR = 2023
# The day the pages are asked on: the four quarters are reported (Q4 was due on 31 December),
# the year-end report is not open yet.
TODAY = date(2024, 1, 8)
TARGET_P95_MS = 100.0
TARGET_QUERIES = 15
PASSWORD = "Bench-scale-2023"
MARKER = "bench-scale.json"


# --- The notice --------------------------------------------------------------------------------


def scaled_notice(tasks: int) -> Any:
    """The seed notice as the import reads it (``parse_upload`` → ``to_notice``), each of its
    tasks repeated within its area and all renumbered until it holds ``tasks`` tasks: the same
    ten areas, units, leaders, deadlines and targets, over and over."""
    from duban.intake.pipeline import parse_upload
    from duban.intake.services import to_notice

    seed = to_notice(parse_upload(SEED.read_bytes(), SEED.name))
    grown = []
    for index, task in enumerate(seed.tasks):
        times = tasks // len(seed.tasks) + (1 if index < tasks % len(seed.tasks) else 0)
        grown.extend([task] * times)
    grown.sort(key=lambda task: task.area or 0)  # stable: each area's tasks in the seed's order
    renumbered = tuple(
        dataclasses.replace(task, number=str(number)) for number, task in enumerate(grown, 1)
    )
    document = dataclasses.replace(seed.document, declared_tasks=tasks)
    return dataclasses.replace(seed, document=document, tasks=renumbered)


# --- Building the world ------------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


@contextmanager
def on_day(day: date, user: Any) -> Iterator[None]:
    from duban.audit.context import acting_as
    from duban.core import clock

    moment = datetime.combine(day, datetime.min.time()) + timedelta(hours=10)
    with clock.pinned(moment), acting_as(user):
        yield


def build(tasks: int) -> dict[str, Any]:
    """The world of ``tasks`` tasks, built through the services; what the pages need of it."""
    from django.contrib.auth import get_user_model

    from duban.accounts.services import ensure_account
    from duban.demo.accounts import DEMO_ACCOUNTS, OFFICE_UNIT, OFFICE_UNIT_FULL_NAME, clerk_of
    from duban.directory.files import DEMO_FILE, read_directory_file
    from duban.directory.models import Leader, Unit, UnitKind
    from duban.directory.services import DirectoryIndex, create_unit, load_directory
    from duban.intake.services import refs_for
    from duban.ledger.models import AssignmentRole, Task
    from duban.ledger.services import import_plan, prepare_import
    from duban.reporting.models import Report
    from duban.reporting.services.periods import (
        close_period,
        create_standard_periods,
        open_period,
    )
    from duban.reporting.services.reports import (
        ReportInput,
        accept_report,
        return_report,
        save_report,
    )

    started = time.perf_counter()
    load_directory(read_directory_file(DEMO_FILE))
    create_unit(OFFICE_UNIT, UnitKind.DEPARTMENT, OFFICE_UNIT_FULL_NAME)
    people = {}
    for account in DEMO_ACCOUNTS:
        unit = Unit.objects.get(name=account.unit) if account.unit else None
        leader = Leader.objects.get(name=account.leader) if account.leader else None
        people[account.username] = ensure_account(
            account.username, PASSWORD, account.role, unit=unit, leader=leader
        )
    office = people["office"]

    log(f"importing a notice of {tasks} tasks")
    notice = scaled_notice(tasks)
    data = SEED.read_bytes()
    index = DirectoryIndex.load()
    choices = {}
    for wrong, right in {"缙氏镇": "缑氏镇"}.items():
        resolution = index.resolve(right)
        if resolution.unit_id is not None:
            choices[wrong] = f"unit:{resolution.unit_id}"
    refs = refs_for(notice.unit_names(), index, choices)
    with on_day(date(YEAR, 5, 8), office):
        plan = import_plan(
            prepare_import(notice, refs), source_name="scale.txt", data=data, user=office
        ).plan
        create_standard_periods(plan=plan, user=office)
    log(f"imported in {time.perf_counter() - started:.0f} s")

    periods = {period.code: period for period in plan.periods.all()}
    all_tasks = list(
        Task.objects.filter(plan=plan).order_by("position").prefetch_related("assignments__unit")
    )
    clerks: dict[int, Any] = {}

    def clerk(task: Task) -> Any:
        lead = next(
            (
                a.unit
                for a in task.assignments.all()
                if a.role == AssignmentRole.LEAD and a.unit is not None
            ),
            None,
        )
        if lead is None:
            return None
        if lead.pk not in clerks:
            clerks[lead.pk] = clerk_of(lead)
        return clerks[lead.pk]

    reporting_started = time.perf_counter()
    steps = 0
    for quarter in (1, 2, 3, 4):
        period = periods[f"{YEAR}Q{quarter}"]
        with on_day(period.opens_on, office):
            if quarter > 1:  # the office closes the last quarter as it opens the next
                close_period(period=periods[f"{YEAR}Q{quarter - 1}"], user=office)
            period = open_period(period=period, user=office)
            periods[period.code] = period
        for n, task in enumerate(all_tasks, start=1):
            writer = clerk(task)
            on_behalf = writer is None
            writer = writer or office
            fate = (n * 7 + quarter * 13) % 100
            if quarter == 4 and fate < 3:
                continue  # not written yet
            late = 5 <= fate < 12
            submitted = (
                period.due_on + timedelta(days=1 + n % (5 if quarter == 4 else 9))
                if late
                else (period.due_on - timedelta(days=1 + n % 12))
            )
            data_in = ReportInput(
                progress=min(100, quarter * 25 - 10 + n % 15),
                progress_text=f"第{quarter}季度按计划推进，完成阶段性工作（任务{task.number}）。",
                problems="",
                next_steps="继续推进。",
            )
            with on_day(submitted, writer):
                report = save_report(
                    task=task,
                    period=period,
                    user=writer,
                    data=data_in,
                    version=None,
                    submit=True,
                    on_behalf=on_behalf,
                )
            steps += 1
            reviewed = submitted + timedelta(days=2 + n % 3)
            if 12 <= fate < 16:  # returned, not corrected yet
                with on_day(reviewed, office):
                    return_report(report=report, user=office, comment="请补充完成情况的具体数字。")
            elif 16 <= fate < 20:
                pass  # waiting for the office
            else:
                with on_day(reviewed, office):
                    accept_report(report=report, user=office)
            steps += 1
            if n % 500 == 0:
                rate = steps / (time.perf_counter() - reporting_started)
                log(f"Q{quarter}: {n} tasks reported ({rate:.0f} service calls/s)")
    seconds = time.perf_counter() - started
    log(f"built in {seconds:.0f} s: {Report.objects.count()} reports")
    user_model = get_user_model()
    return {
        "tasks": tasks,
        "seconds": round(seconds),
        "plan": plan.pk,
        "users": {
            name: user_model.objects.get(username=name).pk for name in ("office", "zhulei", "fgw")
        },
    }


# --- Measuring ---------------------------------------------------------------------------------


def pages(world: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(who, what, URL) of every page measured: the office, a leader, a lead unit's operator."""
    from django.urls import Resolver404, resolve

    from duban.ledger.models import AssignmentRole, Task

    plan = world["plan"]
    middle = Task.objects.filter(plan=plan).order_by("position")[world["tasks"] // 2]
    led = Task.objects.filter(plan=plan, task_leaders__leader__name="朱蕾").order_by("-position")[0]
    fgw = (
        Task.objects.filter(
            plan=plan, assignments__role=AssignmentRole.LEAD, assignments__unit__name="发改委"
        )
        .order_by("-position")
        .first()
    )
    assert fgw is not None
    found = [
        ("office", "ledger", "/ledger/"),
        ("office", "ledger, all (200)", "/ledger/?page_size=all"),
        ("office", "ledger, red lights of 发改委", f"/ledger/?light=red&lead={fgw_unit()}"),
        ("office", "task page", f"/ledger/tasks/{middle.pk}/"),
        ("office", "待办", "/reporting/todo/"),
        ("office", "cockpit", "/cockpit/"),
        ("zhulei", "ledger", "/ledger/"),
        ("zhulei", "task page", f"/ledger/tasks/{led.pk}/"),
        ("zhulei", "cockpit", "/cockpit/"),
        ("fgw", "ledger", "/ledger/"),
        ("fgw", "task page", f"/ledger/tasks/{fgw.pk}/"),
        ("fgw", "待办", "/reporting/todo/"),
    ]
    try:  # the REST API's task list, once it is there (issue 13)
        resolve("/api/v1/tasks/")
    except Resolver404:
        pass
    else:
        found.insert(6, ("office", "API task list (100)", "/api/v1/tasks/?limit=100"))
    return found


def fgw_unit() -> int:
    from duban.directory.models import Unit

    return Unit.objects.get(name="发改委").pk


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(world: dict[str, Any], repeat: int) -> list[dict[str, Any]]:
    """Each page ``repeat`` times (after two requests to warm up), then once to count its
    queries, then ``repeat`` times more each just after a write — the office sets a task's
    light by hand, an audited change as a report submitted is — so that nothing kept between
    requests is current (``duban.ledger.memo``): the figures of a page under a surge of
    writes. Returns a row per page."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    clients: dict[str, Client] = {}
    for username in ("office", "zhulei", "fgw"):
        clients[username] = Client()
        clients[username].force_login(get_user_model().objects.get(username=username))
    measured = pages(world)
    for who, _what, url in measured:  # warm up: templates, translations, the kept lights
        for _ in range(2):
            response = clients[who].get(url)
            assert response.status_code == 200, (who, url, response.status_code)
    gc.collect()
    gc.freeze()  # as the served application does after loading (duban serve)
    rows = []
    for who, what, url in measured:
        client = clients[who]
        samples, cpu = [], []
        for _ in range(repeat):
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            samples.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        queries = len(captured.captured_queries)  # now: the log keeps the last 9,000 only
        written = []
        for index in range(repeat):
            write(world, index)
            start = time.perf_counter()
            client.get(url)
            written.append((time.perf_counter() - start) * 1000)
        rows.append(
            {
                "who": who,
                "what": what,
                "url": url,
                "median": statistics.median(samples),
                "p95": percentile(samples, 0.95),
                "cpu": statistics.median(cpu),
                "queries": queries,
                "size": len(response.content),
                "written_median": statistics.median(written),
                "written_p95": percentile(written, 0.95),
            }
        )
    unwrite(world)
    return rows


def unwrite(world: dict[str, Any]) -> None:
    """The world as it was: the lights set by hand are removed (through the service)."""
    from django.contrib.auth import get_user_model

    from duban.audit.context import acting_as
    from duban.ledger.models import Task
    from duban.lights.services import remove_override

    office = get_user_model().objects.get(pk=world["users"]["office"])
    with acting_as(office):
        for task in Task.objects.filter(plan=world["plan"]).order_by("position")[:10]:
            remove_override(office, task)


def write(world: dict[str, Any], index: int) -> None:
    """An audited change between two requests: the office sets the light of one of the plan's
    first tasks by hand (red, then yellow, …), as a person would on the task's page."""
    from django.contrib.auth import get_user_model

    from duban.audit.context import acting_as
    from duban.ledger.models import Task
    from duban.lights.services import set_override

    office = get_user_model().objects.get(pk=world["users"]["office"])
    task = Task.objects.filter(plan=world["plan"]).order_by("position")[index % 10]
    with acting_as(office):
        set_override(office, task, ("red", "yellow")[index % 2], "压力测试：手工设定。")


WHO = {"office": "督查室", "zhulei": "领导（朱蕾）", "fgw": "发改委"}


def report(results: dict[int, dict[str, Any]], repeat: int) -> tuple[str, bool]:
    """The figures as a Markdown table per size, and whether every target is met."""
    lines: list[str] = []
    ok = True
    sizes = sorted(results)
    for size in sizes:
        result = results[size]
        world = result["world"]
        lines += [
            f"### {size:,} tasks on {result['engine']} ({world['reports']:,} reports, "
            f"{world['assignments']:,} assignments; built in {world['seconds']:,} s)",
            "",
            f"{repeat} requests a page through Django's test client after two to warm up, "
            f"gc frozen; then {repeat} more, each just after an audited write (the office "
            f"sets a task's light by hand): nothing kept between requests is current; "
            f"{os.cpu_count()} cores, load average {result['load']:.1f}. The targets are "
            "for the first figures (a page read again and again); the others are shown "
            "alongside.",
            "",
            "| who | page | median | p95 | CPU (median) | queries | size "
            "| after a write: median | p95 |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for row in result["rows"]:
            flag = "" if row["p95"] < TARGET_P95_MS and row["queries"] <= TARGET_QUERIES else " ✗"
            ok = ok and not flag
            lines.append(
                f"| {WHO[row['who']]} | {row['what']} | {row['median']:.1f} ms | "
                f"{row['p95']:.1f} ms | {row['cpu']:.1f} ms | {row['queries']} | "
                f"{row['size'] // 1024} KB | {row['written_median']:.1f} ms | "
                f"{row['written_p95']:.1f} ms |{flag}"
            )
        lines.append("")
    if len(sizes) > 1:
        counts = {
            size: [(row["who"], row["what"], row["queries"]) for row in results[size]["rows"]]
            for size in sizes
        }
        first = counts[sizes[0]]
        same = all([q for *_k, q in counts[size]] == [q for *_k, q in first] for size in sizes[1:])
        ok = ok and same
        lines.append(f"Queries per page the same at every size: {'yes' if same else 'NO'}.")
    lines.append(
        f"Every page p95 under {TARGET_P95_MS:.0f} ms and at most {TARGET_QUERIES} queries: "
        f"{'yes' if ok else 'NO'}."
    )
    return "\n".join(lines), ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, action="append", help="default: 2000")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--data-dir", help="keep (and reuse) the built worlds here")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child: one size
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        result = run(args.one, args.folder, args)
        print(RESULT + json.dumps(result))
        return 0
    results: dict[int, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="duban-scale-") as scratch:
        for size in args.tasks or [2000]:
            folder = Path(args.data_dir or scratch) / f"tasks-{size}"
            folder.mkdir(parents=True, exist_ok=True)
            # Each size in a process of its own: Django reads its database settings once.
            command = [sys.executable, __file__, "--one", str(size), "--folder", str(folder)]
            command += ["--repeat", str(args.repeat)]
            if args.build_only:
                command.append("--build-only")
            done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
            line = next(line for line in done.stdout.splitlines() if line.startswith(RESULT))
            results[size] = json.loads(line[len(RESULT) :])
    if args.build_only:
        return 0
    text, ok = report(results, args.repeat)
    print(text)
    return 0 if ok else 1


RESULT = "bench-scale-result: "


def run(size: int, data_dir: str, args: argparse.Namespace) -> dict[str, Any]:
    """Build (or find) the world of ``size`` tasks and measure it: in a process of its own."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="duban.settings",
        DUBAN_DATA_DIR=data_dir,
        DUBAN_TODAY=TODAY.isoformat(),
        DUBAN_2FA_REQUIRED_ROLES="none",
    )
    if os.environ.get("DUBAN_DB_ENGINE") == "postgresql":
        os.environ["DUBAN_DB_NAME"] = postgres_database(size)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from duban.ledger.models import Assignment, Task
    from duban.reporting.models import Report

    marker = Path(data_dir) / MARKER
    engine = connection.vendor
    known = json.loads(marker.read_text()) if marker.exists() else {}
    world: dict[str, Any] | None = known.get(engine)
    call_command("migrate", verbosity=0, stdout=io.StringIO())
    if world is None or Task.objects.filter(plan=world["plan"]).count() != size:
        if Task.objects.exists():
            raise SystemExit(f"{connection.settings_dict['NAME']} holds another world: empty it")
        world = build(size)
        known[engine] = world
        marker.write_text(json.dumps(known))
    # The pages name static files as the served application does (`duban serve` collects them).
    call_command("collectstatic", interactive=False, verbosity=0, stdout=io.StringIO())
    world["reports"] = Report.objects.count()
    world["assignments"] = Assignment.objects.count()
    result: dict[str, Any] = {"world": world, "engine": engine_name(connection)}
    if not args.build_only:
        result["rows"] = measure(world, args.repeat)
        result["load"] = os.getloadavg()[0]
    connection.close()
    return result


def engine_name(connection: Any) -> str:
    if connection.vendor == "postgresql":
        major = connection.pg_version // 10000
        return f"PostgreSQL {major}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def postgres_database(size: int) -> str:
    """A database of its own for each size in the cluster ``scripts/with-postgres`` made (its
    user may create databases); made when missing."""
    import psycopg

    name = f"duban_scale_{size}"
    params = {
        "host": os.environ.get("DUBAN_DB_HOST", ""),
        "port": os.environ.get("DUBAN_DB_PORT", ""),
        "user": os.environ.get("DUBAN_DB_USER", "duban"),
        "password": os.environ.get("DUBAN_DB_PASSWORD", ""),
        "dbname": os.environ.get("DUBAN_DB_NAME", "duban"),
        "autocommit": True,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v != ""}) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    return name


if __name__ == "__main__":
    raise SystemExit(main())
