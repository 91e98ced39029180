"""The API itself: django-ninja's ``NinjaAPI`` with duban's routers, errors and JSON.

Why django-ninja (pyproject.toml says it with the figures, bench/api_frameworks.py measures):
it serialises the list of 98 tasks several times faster than Django REST framework, its
schemas are typed pydantic models that mypy checks, and it writes the OpenAPI 3 schema from
them, with one dependency (pydantic) instead of three.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from . import errors
from .auth import signed_in
from .routes import figures, ledger, reporting, supervision

VERSION = "1"


class ChineseJSON(JSONRenderer):
    """JSON with Chinese as it is (not \\u escapes): half the bytes of every task list."""

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        return json.dumps(data, cls=NinjaJSONEncoder, ensure_ascii=False)


class DubanAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Any) -> str:
        return str(operation.view_func.__name__)


api = DubanAPI(
    title="督办",
    version=VERSION,
    description="The key-task supervision ledger's API (docs/api.md).",
    urls_namespace="api",
    openapi_url=None,
    docs_url=None,
    auth=signed_in,
    renderer=ChineseJSON(),
)
errors.install(api)
api.add_router("", ledger.router)
api.add_router("", reporting.router)
api.add_router("", supervision.router)
api.add_router("", figures.router)
