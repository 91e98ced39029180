"""Which framework for the API: django-ninja or Django REST framework (+ drf-spectacular)?

A throwaway micro-benchmark (issue 13), run by hand: ``.venv/bin/python bench/api_frameworks.py``
(needs ``pip install djangorestframework``, which duban does not depend on). It builds the demo
year (98 tasks) in a throwaway SQLite database, builds the API's task items once (the same
queries and dictionaries for both: ``duban.api.build``), then serialises the list of 98 tasks
both ways, in-process, each through its framework's own view (validation or serialisation of
every field, rendering to JSON bytes; no middleware, no network):

- django-ninja: an operation whose response is ``list[TaskOut]`` (the product's schema);
- DRF: an ``APIView`` with nested ``Serializer`` classes of the same fields, ``JSONRenderer``.

It prints the median time of each and their ratio, and the whole request of the product's
``/api/v1/tasks/?limit=100`` (middleware, session, queries, lights) for scale.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from demo_world import open_demo

REPEAT = 200


def median_ms(action: Callable[[], object], repeat: int = REPEAT) -> float:
    """The median CPU time of the process (not the wall clock, which other work on the machine
    inflates), after a warm-up."""
    for _ in range(10):
        action()
    samples = []
    for _ in range(repeat):
        start = time.process_time()
        action()
        samples.append((time.process_time() - start) * 1000)
    return statistics.median(samples)


def drf_view(items: list[dict[str, Any]]) -> Callable[[Any], Any]:
    from rest_framework import serializers
    from rest_framework.renderers import JSONRenderer
    from rest_framework.response import Response
    from rest_framework.views import APIView

    class Named(serializers.Serializer):
        id = serializers.IntegerField()
        name = serializers.CharField()

    class AreaRef(serializers.Serializer):
        id = serializers.IntegerField()
        number = serializers.IntegerField()
        title = serializers.CharField()

    class Assignment(serializers.Serializer):
        role = serializers.ChoiceField(choices=["lead", "responsible"])
        role_label = serializers.CharField()
        name = serializers.CharField()
        unit = serializers.IntegerField(allow_null=True)
        group = serializers.IntegerField(allow_null=True)
        members = Named(many=True)

    class Target(serializers.Serializer):
        id = serializers.IntegerField()
        label = serializers.CharField()
        op = serializers.ChoiceField(choices=["=", ">=", "<=", "range"])
        value = serializers.FloatField()
        value_max = serializers.FloatField(allow_null=True)
        unit = serializers.CharField()
        source = serializers.CharField()

    class Light(serializers.Serializer):
        colour = serializers.CharField()
        label = serializers.CharField()
        computed = serializers.CharField()
        overridden = serializers.BooleanField()
        reasons = serializers.ListField(child=serializers.CharField())

    class Latest(serializers.Serializer):
        period = serializers.CharField(allow_null=True)
        period_label = serializers.CharField()
        state = serializers.CharField(allow_null=True)
        state_label = serializers.CharField()
        at = serializers.DateTimeField(allow_null=True)
        days_late = serializers.IntegerField()
        progress = serializers.IntegerField(allow_null=True)
        progress_period = serializers.CharField()
        progress_text = serializers.CharField()

    class Task(serializers.Serializer):
        id = serializers.IntegerField()
        plan = serializers.IntegerField()
        number = serializers.CharField()
        text = serializers.CharField()
        area = AreaRef(allow_null=True)
        deadline = serializers.DateField(allow_null=True)
        status = serializers.CharField()
        status_label = serializers.CharField()
        leaders = Named(many=True)
        assignments = Assignment(many=True)
        targets = Target(many=True)
        light = Light(allow_null=True)
        latest_report = Latest(allow_null=True)

    class Tasks(APIView):
        authentication_classes: tuple[Any, ...] = ()
        permission_classes: tuple[Any, ...] = ()
        renderer_classes = (JSONRenderer,)

        def get(self, request: Any) -> Response:
            return Response(Task(items, many=True).data)

    view = Tasks.as_view()

    def call(request: Any) -> bytes:
        response = view(request)
        response.render()
        return bytes(response.content)

    return call


def ninja_view(items: list[dict[str, Any]]) -> Callable[[Any], Any]:
    from ninja import NinjaAPI

    from duban.api.main import ChineseJSON
    from duban.api.schemas import TaskOut

    api = NinjaAPI(urls_namespace="bench", renderer=ChineseJSON(), docs_url=None)

    @api.get("/tasks", response=list[TaskOut])
    def tasks(request: Any) -> list[dict[str, Any]]:
        return items

    patterns, _app, _namespace = api.urls
    view = next(p.callback for p in patterns if getattr(p, "name", "") == "tasks")

    def call(request: Any) -> bytes:
        return bytes(view(request).content)

    return call


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="duban-bench-") as data_dir:
        open_demo(data_dir)
        from django.contrib.auth import get_user_model
        from django.test import Client, RequestFactory

        from duban.api import build
        from duban.ledger.models import Task

        rows = list(build.tasks_with_details(Task.objects.order_by("plan", "position")))
        items = build.task_items(rows)
        request = RequestFactory().get("/tasks")
        office = get_user_model().objects.get(username="office")
        request.user = office
        ninja, drf = ninja_view(items), drf_view(items)
        assert len(ninja(request)) > 50_000 and len(drf(request)) > 50_000
        # Alternating rounds, so that a busy moment of the machine falls on both.
        ninja_runs, drf_runs = [], []
        for _ in range(5):
            ninja_runs.append(median_ms(lambda: ninja(request), REPEAT // 5))
            drf_runs.append(median_ms(lambda: drf(request), REPEAT // 5))
        ninja_ms, drf_ms = statistics.median(ninja_runs), statistics.median(drf_runs)
        build_ms = median_ms(lambda: build.task_items(rows), repeat=50)

        client = Client()
        client.force_login(office)
        url = "/api/v1/tasks/?limit=100"
        assert client.get(url).status_code == 200
        whole_ms = median_ms(lambda: client.get(url), repeat=50)

    print(f"98 tasks serialised to JSON in-process, CPU time, median of {REPEAT}:")
    print(f"  django-ninja (pydantic {__import__('pydantic').VERSION}): {ninja_ms:6.2f} ms")
    print(f"  DRF {__import__('rest_framework').VERSION}:{' ' * 19}{drf_ms:6.2f} ms")
    print(f"  DRF / ninja: {drf_ms / ninja_ms:.1f}x")
    print(f"  building the 98 items (lights, latest reports): {build_ms:6.2f} ms")
    print(f"  the whole request {url} (session): {whole_ms:6.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
