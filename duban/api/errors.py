"""The API's answers when something is wrong, in the request's language (Chinese by default).

Every error is ``{"detail": "…", "errors": [{"field": "query.limit", "message": "…"}]}``:

- 400: a rule of the workflow says no (the period is closed, the report is submitted, the
  figures are wrong or unusual and unconfirmed: each figure's note is an entry of ``errors``);
- 401: nobody signed in, or a token refused (duban/api/auth.py);
- 403: the person may not (the same rule as the pages'), a read-only token asked to write, a
  session's write without its CSRF token;
- 404: nothing there (or an id that is not a number);
- 409: the report changed since the version the change starts from;
- 422: a parameter or field is malformed (each one named, with what is wrong in words).
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from duban.accounts.tokens import TokenProblem
from duban.reporting.services.reports import (
    FiguresRejected,
    FiguresUnconfirmed,
    ReportingError,
    StaleReport,
)
from duban.supervision.services.notices import SupervisionError

# What each of pydantic's error types means, said for a person (its context fills %(…)s).
MESSAGES = {
    "missing": "This is required.",
    "int_parsing": "Give a whole number.",
    "int_type": "Give a whole number.",
    "int_from_float": "Give a whole number.",
    "float_parsing": "Give a number.",
    "float_type": "Give a number.",
    "decimal_parsing": "Give a number.",
    "decimal_type": "Give a number.",
    "finite_number": "Give a number.",
    "decimal_max_digits": "The number has too many digits.",
    "decimal_max_places": "The number has too many decimal places (at most 4).",
    "decimal_whole_digits": "The number has too many digits.",
    "bool_parsing": "Give true or false.",
    "bool_type": "Give true or false.",
    "greater_than_equal": "Give at least %(ge)s.",
    "less_than_equal": "Give at most %(le)s.",
    "greater_than": "Give more than %(gt)s.",
    "less_than": "Give less than %(lt)s.",
    "string_type": "Give a text.",
    "string_too_short": "This may not be empty.",
    "string_too_long": "At most %(max_length)s characters.",
    "string_pattern_mismatch": "This may not hold the NUL character.",
    "literal_error": "Give one of: %(expected)s.",
    "enum": "Give one of: %(expected)s.",
    "date_parsing": "Give a date such as 2023-08-15.",
    "date_from_datetime_parsing": "Give a date such as 2023-08-15.",
    "date_type": "Give a date such as 2023-08-15.",
    "extra_forbidden": "There is no such field.",
    "json_invalid": "The body is not valid JSON.",
    "model_attributes_type": "Give a JSON object.",
    "model_type": "Give a JSON object.",
    "dict_type": "Give a JSON object.",
    "list_type": "Give a list.",
}
UNKNOWN = "This value is not valid."


def _field(loc: Any) -> str:
    parts = [str(part) for part in loc] if isinstance(loc, list | tuple) else [str(loc)]
    # The body is one parameter (``payload``) for django-ninja: name the field, not it.
    if len(parts) > 2 and parts[0] == "body" and parts[1] == "payload":
        parts = [parts[0], *parts[2:]]
    return ".".join(parts)


def _message(error: dict[str, Any]) -> str:
    template = MESSAGES.get(str(error.get("type", "")), UNKNOWN)
    context = {key: str(value) for key, value in (error.get("ctx") or {}).items()}
    if "expected" in context:  # "'a', 'b' or 'c'" → a、b、c
        context["expected"] = (
            "、".join(re.findall(r"'([^']*)'", context["expected"])) or (context["expected"])
        )
    try:
        return _(template) % context if "%(" in template else _(template)
    except (KeyError, ValueError):
        return _(UNKNOWN)


def error_body(detail: str, errors: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {"detail": detail, "errors": errors or []}


def install(api: NinjaAPI) -> None:
    """The handlers of every error above, on ``api``."""

    def answer(request: HttpRequest, status: int, detail: str, errors: Any = None) -> HttpResponse:
        return api.create_response(request, error_body(detail, errors), status=status)

    def validation(request: HttpRequest, exc: Any) -> HttpResponse:
        errors = [
            {"field": _field(error.get("loc", ())), "message": _message(error)}
            for error in exc.errors
        ]
        return answer(
            request, 422, _("The request is not right: see each field's message."), errors
        )

    def unauthenticated(request: HttpRequest, exc: Any) -> HttpResponse:
        response = answer(
            request,
            401,
            _("Sign in, or send an access token as “Authorization: Bearer <token>”."),
        )
        response["WWW-Authenticate"] = 'Bearer realm="duban"'
        return response

    def http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return answer(request, exc.status_code, str(exc))

    def not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return answer(request, 404, _("There is nothing here."))

    def denied(request: HttpRequest, exc: Any) -> HttpResponse:
        message = str(exc) or _("You do not have permission to do this.")
        return answer(request, 403, message)

    def figures(request: HttpRequest, exc: Any) -> HttpResponse:
        notes = [{"field": "body.target_values", "message": note.text} for note in exc.notes]
        detail = str(exc).split("\n", 1)[0] if isinstance(exc, FiguresUnconfirmed) else ""
        return answer(request, 400, detail or _("Some figures cannot be taken."), notes)

    def stale(request: HttpRequest, exc: Any) -> HttpResponse:
        return answer(
            request,
            409,
            _(
                "Someone saved the report after the version you started from: read it again "
                "and make your change on its new version."
            ),
        )

    def refused(request: HttpRequest, exc: Any) -> HttpResponse:
        return answer(request, 400, str(exc))

    api.add_exception_handler(ValidationError, validation)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(PermissionDenied, denied)
    api.add_exception_handler(FiguresRejected, figures)
    api.add_exception_handler(FiguresUnconfirmed, figures)
    api.add_exception_handler(StaleReport, stale)
    for problem in (ReportingError, SupervisionError, TokenProblem):
        api.add_exception_handler(problem, refused)
