"""The API fuzzed from its own schema (schemathesis): every operation, with data generated
from /api/schema/ (valid and invalid), called in-process through the whole Django stack with
发改委's read-write token and the office's. No answer may be a server error, every status must be
one the schema declares, every body must match the schema declared for it, and content types
must be JSON. Writes land in the test's transaction and are rolled back."""

from __future__ import annotations

from typing import Any

import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks

from tests.support.api import token_for
from tests.support.world import World

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


def in_test_transaction(app: Any) -> Any:
    """The WSGI app as Django's test client calls it: the database connection (the test's
    transaction, holding the world) stays open across requests."""

    def call(environ: Any, start_response: Any) -> Any:
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            return app(environ, start_response)
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)

    return call


# The schema as the server gives it (no database needed); calls go to the same WSGI app.
schema = schemathesis.openapi.from_wsgi("/api/schema/", in_test_transaction(get_wsgi_application()))
FUZZ = settings(
    max_examples=8, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)


def _call(case: Any, world: World, username: str) -> None:
    raw = token_for(world.user(username))[1]
    response = case.call(headers={"Authorization": f"Bearer {raw}"})
    case.validate_response(response, checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_every_operation_keeps_to_its_schema_for_a_unit(case: Any, world: World) -> None:
    """发改委's operator: writes reports, answers notices, is refused the office's figures."""
    _call(case, world, "fgw")


@schema.parametrize()
@FUZZ
def test_every_operation_keeps_to_its_schema_for_the_office(case: Any, world: World) -> None:
    """The office: reads every task, the summary and the cockpit."""
    _call(case, world, "office")
