"""The ledger of all 98 seed tasks against a bare Django view of the same rows, in one run.

Run with ``make bench`` or ``.venv/bin/python bench/ledger.py``: it builds the demo year
(``duban demo --date 2023-08-15``) in a throwaway SQLite database (``--data-dir DIR`` keeps it
for the next run), then asks, alternately and through Django's test client as the office:

- ``/ledger/?page_size=all``: the product's ledger, every task on one page, with its filters
  and their counts, lights, latest reports, the navigation's counts;
- ``/bench-bare/``: a bare view that lives only here, never in the product: one query for the
  same 98 rows (number, area, text, deadline, status), a plain template that links each task,
  the same middleware (session, user, CSRF, audit context, sign-in gates…);
- ``/bench-bare-full/``: the same, with the ledger's columns but the light and the latest report
  (leaders, lead and responsible units by name, as JSON lists of the same one query).

They run the same number of times after a warm-up and ``gc.freeze()`` (as the served
application, ``duban serve``, does); the script prints each median and 95th percentile and
the ratios. Target (issue 13): the ledger within 2× of the bare view.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from demo_world import DEMO_DATE, open_demo

TARGET_RATIO = 2.0
LEDGER = "/ledger/?page_size=all"
BARE = "/bench-bare/"
BARE_FULL = "/bench-bare-full/"

BARE_TEMPLATE = """<!DOCTYPE html>
<html lang="zh-hans"><head><meta charset="utf-8"><title>台账</title></head><body>
<table>
<thead><tr><th>序号</th><th>方面</th><th>重点任务</th><th>完成时限</th><th>状态</th></tr></thead>
<tbody>
{% for pk, number, text, deadline, status, area in rows %}<tr>
<td><a href="{{ prefix }}{{ pk }}/">{{ number }}</a></td><td>{{ area }}</td><td>{{ text }}</td>
<td>{{ deadline|default:"—" }}</td><td>{{ status }}</td></tr>
{% endfor %}</tbody></table></body></html>
"""


def bare_view(request: Any) -> Any:
    """One query, a plain template: the floor under any page that lists the same rows."""
    from django.http import HttpResponse
    from django.template import engines

    from duban.ledger.models import Task

    rows = Task.objects.restrict(request.user).order_by("position")
    values = rows.values_list("pk", "number", "text", "deadline", "status", "area__title")
    template = engines["django"].from_string(BARE_TEMPLATE)
    html = template.render({"rows": values, "prefix": "/ledger/tasks/"}, request)
    return HttpResponse(html)


FULL_TEMPLATE = """<!DOCTYPE html>
<html lang="zh-hans"><head><meta charset="utf-8"><title>台账</title></head><body>
<table>
<thead><tr><th>序号</th><th>重点任务</th><th>牵头领导</th><th>牵头单位</th><th>责任单位</th>
<th>完成时限</th><th>状态</th></tr></thead>
<tbody>
{% for row in rows %}<tr>
<td><a href="{{ prefix }}{{ row.pk }}/">{{ row.number }}</a></td><td>{{ row.text }}</td>
<td>{{ row.leaders|join:"、" }}</td><td>{{ row.lead|join:"、" }}</td>
<td>{{ row.responsible|join:"、" }}</td>
<td>{{ row.deadline|default:"—" }}</td><td>{{ row.status }}</td></tr>
{% endfor %}</tbody></table></body></html>
"""


def bare_full_view(request: Any) -> Any:
    """The same columns as the ledger's but its light and latest report (leaders, lead and
    responsible units as names), still one query (the names as JSON lists) and a plain
    template: a floor that shows what the ledger shows of a task."""
    import json

    from django.db.models import F, OuterRef
    from django.db.models.functions import Coalesce, JSONArray
    from django.http import HttpResponse
    from django.template import engines

    from duban.ledger.models import Assignment, Task, TaskLeader
    from duban.ledger.sql import JSONList

    def names(rows: Any, name: Any) -> Any:
        from django.db.models import Subquery

        listed = rows.order_by().values("task").annotate(found=JSONList(JSONArray(name)))
        return Subquery(listed.values("found")[:1])

    units = Coalesce(F("unit__name"), F("group__name"))
    assignments = Assignment.objects.filter(task=OuterRef("pk"))
    found = (
        Task.objects.restrict(request.user)
        .order_by("position")
        .annotate(
            _leaders=names(TaskLeader.objects.filter(task=OuterRef("pk")), F("leader__name")),
            _lead=names(assignments.filter(role="lead"), units),
            _responsible=names(assignments.filter(role="responsible"), units),
        )
        .values("pk", "number", "text", "deadline", "status", "_leaders", "_lead", "_responsible")
    )
    rows = [
        {
            **row,
            "leaders": [name for (name,) in json.loads(row["_leaders"] or "[]")],
            "lead": [name for (name,) in json.loads(row["_lead"] or "[]")],
            "responsible": [name for (name,) in json.loads(row["_responsible"] or "[]")],
        }
        for row in found
    ]
    template = engines["django"].from_string(FULL_TEMPLATE)
    html = template.render({"rows": rows, "prefix": "/ledger/tasks/"}, request)
    return HttpResponse(html)


def install_bare_view() -> None:
    """Add ``/bench-bare/`` and ``/bench-bare-full/`` to the running URLconf (this process)."""
    from django.urls import clear_url_caches, path

    from duban import urls

    urls.urlpatterns.insert(0, path(BARE.strip("/") + "/", bare_view))
    urls.urlpatterns.insert(0, path(BARE_FULL.strip("/") + "/", bare_full_view))
    clear_url_caches()


def setup(data_dir: str) -> None:
    open_demo(data_dir, static=True)


def timed(client: Any, url: str) -> tuple[float, float, int]:
    """Wall-clock and CPU milliseconds of one request, and the response's size."""
    start, start_cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    cpu = (time.process_time() - start_cpu) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, cpu, len(response.content)


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(repeat: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    install_bare_view()
    client = Client()
    client.force_login(get_user_model().objects.get(username="office"))
    urls = (LEDGER, BARE, BARE_FULL)
    for url in urls:  # warm up: templates, translations, the session's first write
        client.get(url)
        client.get(url)
    gc.collect()
    gc.freeze()
    samples: dict[str, list[float]] = {url: [] for url in urls}
    cpu: dict[str, list[float]] = {url: [] for url in urls}
    sizes: dict[str, int] = {}
    for _ in range(repeat):
        for url in urls:
            elapsed, used, sizes[url] = timed(client, url)
            samples[url].append(elapsed)
            cpu[url].append(used)
    queries = {}
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries[url] = len(captured.captured_queries)
    result = {
        url: {
            "median": statistics.median(samples[url]),
            "p95": percentile(samples[url], 0.95),
            "cpu": statistics.median(cpu[url]),
            "queries": queries[url],
            "size": sizes[url],
        }
        for url in urls
    }
    result["ratio"] = result[LEDGER]["median"] / result[BARE]["median"]
    result["cpu_ratio"] = result[LEDGER]["cpu"] / result[BARE]["cpu"]
    result["full_ratio"] = result[LEDGER]["median"] / result[BARE_FULL]["median"]
    return result


def report(result: dict[str, Any], repeat: int) -> str:
    lines = [
        f"Ledger of the 98 seed tasks against a bare view, {repeat} requests each, "
        f"alternating (demo year at {DEMO_DATE}, SQLite, {os.cpu_count()} cores):",
        "",
        "| page | median | p95 | CPU (median) | queries | size |",
        "|---|---|---|---|---|---|",
    ]
    for url, name in (
        (LEDGER, "ledger, all tasks"),
        (BARE, "bare view (bench only)"),
        (BARE_FULL, "bare view, the ledger's columns (bench only)"),
    ):
        row = result[url]
        lines.append(
            f"| {name} `{url}` | {row['median']:.1f} ms | {row['p95']:.1f} ms | "
            f"{row['cpu']:.1f} ms | {row['queries']} | {row['size'] // 1024} KB |"
        )
    verdict = "yes" if result["ratio"] <= TARGET_RATIO else "NO"
    lines += [
        "",
        f"Ledger / bare view (medians): {result['ratio']:.2f}× "
        f"(CPU: {result['cpu_ratio']:.2f}×); within {TARGET_RATIO:.0f}×: {verdict}. "
        f"Ledger / bare view of the ledger's columns: {result['full_ratio']:.2f}×.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--data-dir", help="keep (and reuse) the demo year's database here")
    args = parser.parse_args(argv)
    if args.data_dir:
        Path(args.data_dir).mkdir(parents=True, exist_ok=True)
        setup(args.data_dir)
        result = measure(args.repeat)
    else:
        with tempfile.TemporaryDirectory(prefix="duban-bench-") as data_dir:
            setup(data_dir)
            result = measure(args.repeat)
    print(report(result, args.repeat))
    return 0 if result["ratio"] <= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
