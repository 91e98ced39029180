"""The API's routes: /api/v1/… (every operation wrapped by ``auth.api_view``), the OpenAPI 3
schema at /api/schema/ and its page at /api/docs/."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, include, path

from . import docs
from .auth import api_view
from .main import api


def _wrapped(patterns: list[Any]) -> list[URLPattern | URLResolver]:
    wrapped: list[URLPattern | URLResolver] = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            if pattern.name == "api-root":
                pattern = URLPattern(pattern.pattern, docs.root, pattern.default_args, pattern.name)
            else:
                callback = api_view(pattern.callback)
                pattern = URLPattern(pattern.pattern, callback, pattern.default_args, pattern.name)
        wrapped.append(pattern)
    return wrapped


_patterns, _app_name, _namespace = api.urls

urlpatterns = [
    path("v1/", include((_wrapped(_patterns), "api"), namespace="api")),
    path("schema/", docs.schema, name="api_schema"),
    path("docs/", docs.page, name="api_docs"),
]
