"""/favicon.ico: browsers ask for it beside a JSON document (the API's); no 404 is logged."""

from __future__ import annotations

from django.test import Client


def test_the_favicon_request_is_answered_without_content_and_without_signing_in(
    db: None,
) -> None:
    response = Client().get("/favicon.ico")
    assert response.status_code == 204
    assert response.content == b""
    assert "max-age" in response["Cache-Control"]
