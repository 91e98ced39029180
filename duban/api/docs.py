"""The OpenAPI 3 schema (/api/schema/) and the docs page (/api/docs/), in the request's language.

django-ninja writes the schema from the operations and the pydantic models; their summaries and
descriptions are English msgids, translated here for each language (Chinese by default). The
docs page is rendered on the server from that schema — every operation with its parameters, its
body and its answers, and every data structure with its fields — so it needs no script, no
stylesheet and nothing from the Internet (CSP: no inline script), and reads in Chinese like
every other page. Tools that read OpenAPI (Postman, Apifox, code generators) take /api/schema/.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .main import api

PREFIX = "/api/v1/"
TRANSLATED_KEYS = ("summary", "description")
METHODS = ("get", "post", "put", "patch", "delete")
_raw: dict[str, Any] = {}
_by_language: dict[str, dict[str, Any]] = {}


def _status_texts() -> dict[str, str]:
    return {
        "200": _("Done"),
        "201": _("Created"),
        "400": _("A rule of the workflow says no (the message says which)"),
        "401": _("Nobody signed in, or the token is refused"),
        "403": _("Not allowed for this person or token"),
        "404": _("Nothing there"),
        "409": _("Changed by someone else meanwhile, or there already"),
        "422": _("A parameter or field is malformed (each named)"),
    }


def _tags() -> dict[str, str]:
    return {
        "Ledger": _("The ledger"),
        "Reports": _("Reports and contributions"),
        "Notices": _("Supervision"),
        "Figures": _("Figures"),
    }


def raw_schema() -> dict[str, Any]:
    """The schema as django-ninja writes it (English msgids), made once per process."""
    if not _raw:
        _raw.update(api.get_openapi_schema(path_prefix=PREFIX))
    return _raw


def _translate(node: Any) -> Any:
    if isinstance(node, dict):
        done: dict[str, Any] = {}
        for key, value in node.items():
            if key in TRANSLATED_KEYS and isinstance(value, str) and value:
                done[key] = _(value)
            elif key == "tags" and isinstance(value, list):
                done[key] = [_tags().get(tag, tag) for tag in value]
            else:
                done[key] = _translate(value)
        return done
    if isinstance(node, list):
        return [_translate(item) for item in node]
    return node


def translated_schema() -> dict[str, Any]:
    """The schema in the active language (made once per language)."""
    language = get_language() or ""
    if language not in _by_language:
        schema = _translate(copy.deepcopy(raw_schema()))
        texts = _status_texts()
        for operation in _operations(schema):
            for status, answer in operation.get("responses", {}).items():
                answer["description"] = texts.get(str(status), answer.get("description", ""))
        _by_language[language] = schema
    return _by_language[language]


def _operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        operation
        for item in schema.get("paths", {}).values()
        for method, operation in item.items()
        if method in METHODS
    ]


@login_not_required
@require_GET
def schema(request: HttpRequest) -> JsonResponse:
    """The OpenAPI 3 schema: public, like any program's interface description (no data)."""
    return JsonResponse(translated_schema(), json_dumps_params={"ensure_ascii": False})


@login_not_required
@require_GET
def root(request: HttpRequest, **kwargs: Any) -> JsonResponse:
    """/api/v1/ itself: where the schema and the docs are."""
    return JsonResponse({"schema": reverse("api_schema"), "docs": reverse("api_docs")})


# --- The docs page ----------------------------------------------------------------------------

CODE = re.compile(r"`([^`]+)`")


def pieces(text: str) -> list[tuple[bool, str]]:
    """A description as (is code, text) pieces: `…` is shown as code."""
    found: list[tuple[bool, str]] = []
    for number, part in enumerate(CODE.split(text or "")):
        if part:
            found.append((number % 2 == 1, part))
    return found


@dataclass
class Kind:
    """A field's or parameter's type, in words, with the structure it refers to."""

    words: str
    ref: str = ""
    values: list[str] = field(default_factory=list)
    nullable: bool = False


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def kind_of(node: dict[str, Any]) -> Kind:
    if "$ref" in node:
        return Kind(_("structure"), ref=_ref_name(node["$ref"]))
    options = node.get("anyOf") or node.get("oneOf")
    if options:
        real = [option for option in options if option.get("type") != "null"]
        found = kind_of(real[0]) if len(real) == 1 else Kind(_("a number"))
        if len(real) > 1 and all(o.get("type") == "string" for o in real):
            found = Kind(_("text"))
        found.nullable = len(real) < len(options)
        return found
    if "enum" in node:
        return Kind(_("one of"), values=[str(value) for value in node["enum"]])
    if "const" in node:
        return Kind(_("one of"), values=[str(node["const"])])
    kind = node.get("type")
    if kind == "array":
        inner = kind_of(node.get("items", {}))
        return Kind(
            _("list of %(kind)s") % {"kind": inner.words}, ref=inner.ref, values=inner.values
        )
    if kind == "string":
        form = node.get("format", "")
        if form == "date":
            return Kind(_("date (year-month-day)"))
        if form == "date-time":
            return Kind(_("date and time"))
        return Kind(_("text"))
    words = {
        "integer": _("whole number"),
        "number": _("a number"),
        "boolean": _("yes or no"),
        "object": _("object"),
    }
    return Kind(words.get(str(kind), _("value")))


@dataclass
class Entry:
    name: str
    kind: Kind
    required: bool
    description: list[tuple[bool, str]]
    where: str = ""
    default: str = ""


@dataclass
class Operation:
    anchor: str
    method: str
    path: str
    summary: str
    description: list[tuple[bool, str]]
    parameters: list[Entry]
    body: str
    answers: list[tuple[str, str, str]]  # (status, what it means, structure)


@dataclass
class Section:
    title: str
    operations: list[Operation] = field(default_factory=list)


@dataclass
class Structure:
    name: str
    fields: list[Entry]


def _default(node: dict[str, Any]) -> str:
    if "default" not in node or node["default"] is None:
        return ""
    value = node["default"]
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _structure_of(content: dict[str, Any]) -> str:
    schema = content.get("application/json", {}).get("schema", {})
    return _ref_name(schema["$ref"]) if "$ref" in schema else ""


def sections(schema: dict[str, Any]) -> list[Section]:
    where = {"query": _("query"), "path": _("path")}
    found: dict[str, Section] = {}
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            title = (operation.get("tags") or [""])[0]
            section = found.setdefault(title, Section(title))
            parameters = [
                Entry(
                    name=param["name"],
                    kind=kind_of(param.get("schema", {})),
                    required=bool(param.get("required")),
                    description=pieces(param.get("description", "")),
                    where=where.get(param.get("in", ""), param.get("in", "")),
                    default=_default(param.get("schema", {})),
                )
                for param in operation.get("parameters", [])
            ]
            body = operation.get("requestBody", {}).get("content", {})
            answers = [
                (status, answer.get("description", ""), _structure_of(answer.get("content", {})))
                for status, answer in operation.get("responses", {}).items()
            ]
            section.operations.append(
                Operation(
                    anchor=operation.get("operationId", ""),
                    method=method.upper(),
                    path=path,
                    summary=operation.get("summary", ""),
                    description=pieces(operation.get("description", "")),
                    parameters=parameters,
                    body=_structure_of(body),
                    answers=answers,
                )
            )
    return list(found.values())


def structures(schema: dict[str, Any]) -> list[Structure]:
    found = []
    for name, node in schema.get("components", {}).get("schemas", {}).items():
        required = set(node.get("required", []))
        fields = [
            Entry(
                name=prop,
                kind=kind_of(spec),
                required=prop in required,
                description=pieces(spec.get("description", "")),
                default=_default(spec),
            )
            for prop, spec in node.get("properties", {}).items()
        ]
        found.append(Structure(name, fields))
    return found


def introduction(base: str) -> list[list[tuple[bool, str]]]:
    """How to call the API, paragraph by paragraph (`…` shown as code)."""
    paragraphs = [
        _(
            "Every address below starts with `%(base)s`; answers are `JSON` in `UTF-8`, times in "
            "`ISO 8601` with their time zone."
        )
        % {"base": base},
        _(
            "Another system sends a personal access token with every request, in the header "
            "`Authorization: Bearer dbn_…`. Tokens are made on the access tokens page of the "
            "person whose data the system works with: a token sees and may do exactly what that "
            "person may, a read-only token only reads, and every use is recorded in the audit "
            "trail. In the browser the signed-in session works too (a change carries the "
            "`X-CSRFToken` header)."
        ),
        _(
            "Lists take `limit` (1–200, 50 if not given) and `offset`, and answer `count`, "
            "`limit`, `offset` and `items`. A refusal or an error answers `detail` (what went "
            "wrong) and `errors` (each wrong field with its message)."
        ),
    ]
    return [pieces(text) for text in paragraphs]


@require_GET
def page(request: HttpRequest) -> HttpResponse:
    """The docs page, for those signed in (the access tokens page links to it)."""
    schema = translated_schema()
    context = {
        "nav": "api",
        "introduction": introduction(request.build_absolute_uri(PREFIX)),
        "sections": sections(schema),
        "structures": structures(schema),
        "schema_url": reverse("api_schema"),
    }
    return render(request, "api/docs.html", context)
