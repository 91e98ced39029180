"""The OpenAPI 3 schema and the docs page: served by duban itself, in Chinese, no script."""

from __future__ import annotations

from bs4 import BeautifulSoup
from django.urls import reverse

from tests.support.crawl import offences, visible_text
from tests.support.world import World


def test_the_schema_is_openapi_3_in_chinese_and_public(world: World) -> None:
    response = world.as_user(None).get(reverse("api_schema"))
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    assert {"/api/v1/tasks/", "/api/v1/reports/", "/api/v1/notices/{notice_id}/reply/"} <= set(
        paths
    )
    assert paths["/api/v1/tasks/"]["get"]["summary"] == "任务"
    assert set(schema["components"]["securitySchemes"]) == {"BearerToken", "Session"}
    english = world.as_user(None).get(reverse("api_schema"), headers={"Accept-Language": "en"})
    assert english.json()["paths"]["/api/v1/tasks/"]["get"]["summary"] == "Tasks"


def test_the_docs_page_is_chinese_and_runs_no_script(world: World) -> None:
    response = world.as_unit("发改委").get(reverse("api_docs"))
    assert response.status_code == 200
    html = response.content.decode()
    problems = [(piece, offences(piece)) for piece in visible_text(html) if offences(piece)]
    assert problems == []
    soup = BeautifulSoup(html, "lxml")
    for script in soup.find_all("script"):
        assert script.get("src"), "no inline script (CSP)"
    assert soup.find(id="op-tasks") and soup.find(id="s-TaskOut")
    assert "GET /api/v1/tasks/" in html


def test_the_token_pages_are_chinese(world: World) -> None:
    client = world.as_unit("发改委")
    made = client.post(reverse("tokens:list"), {"name": "市平台", "scope": "read", "days": "30"})
    for html in (client.get(reverse("tokens:list")).content.decode(), made.content.decode()):
        assert [p for p in visible_text(html) if offences(p)] == []


def test_the_api_root_says_where_the_docs_are(world: World) -> None:
    assert world.as_user(None).get("/api/v1/").json() == {
        "schema": "/api/schema/",
        "docs": "/api/docs/",
    }
