"""Transport and headers (等保 通信传输 and 入侵防范 at the application): a Content-Security-Policy
that runs no inline script, HSTS and the HTTPS redirect once DUBAN_HTTPS is on (but /healthz),
and the headers duban sent before kept (frames refused, no sniffing, same-origin referrer)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

import duban

TEMPLATES = sorted(Path(duban.__file__).parent.rglob("templates/**/*.html"))


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


@pytest.mark.django_db
def test_every_page_sends_the_policy(client: Client, office_user: object) -> None:
    for path in ("/accounts/login/", "/healthz"):
        response = Client().get(path)
        assert "Content-Security-Policy" in response, path
    client.force_login(office_user)  # type: ignore[arg-type]
    response = client.get("/ledger/")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["style-src"] == ["'self'"]  # no style attributes, no <style> blocks
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    # The headers from before stay.
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response  # plain HTTP: HSTS means nothing


def test_no_template_carries_inline_script() -> None:
    """What the policy would block, found where it is written: a <script> without src, an
    on…= handler, htmx's hx-on (evaluated code) or a javascript: address."""
    assert len(TEMPLATES) > 100
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    handler = re.compile(r"\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.IGNORECASE)
    found = []
    for template in TEMPLATES:
        text = template.read_text(encoding="utf-8")
        for pattern in (inline_script, handler, re.compile(r"javascript:", re.IGNORECASE)):
            found += [f"{template.name}: {m.group().strip()}" for m in pattern.finditer(text)]
    assert found == []


def test_no_page_template_carries_inline_style() -> None:
    """Style attributes and <style> blocks, which the policy blocks as well, in the templates of
    pages (the templates of PDF documents, rendered by WeasyPrint and never served, may)."""
    documents = Path(duban.__file__).parent / "exports" / "templates"
    pages = [template for template in TEMPLATES if documents not in template.parents]
    assert len(pages) > 100
    inline = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
    found = [
        f"{template.name}: {match.group().strip()}"
        for template in pages
        for match in inline.finditer(template.read_text(encoding="utf-8"))
    ]
    assert found == []


@pytest.mark.django_db
@override_settings(
    SECURE_SSL_REDIRECT=True,
    SECURE_HSTS_SECONDS=31536000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
)
def test_https_redirect_and_hsts() -> None:
    client = Client()
    response = client.get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"
    # Monitors on the machine ask over plain HTTP.
    assert client.get("/healthz").status_code == 200
    secure = client.get("/accounts/login/", secure=True)
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert secure.cookies["csrftoken"]["secure"]


def test_the_variables_turn_it_on(tmp_path: Path) -> None:
    """DUBAN_HTTPS, DUBAN_BEHIND_PROXY and DUBAN_CSRF_TRUSTED_ORIGINS, read as a server reads
    them at start (a fresh process)."""
    names = [
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_PROXY_SSL_HEADER",
        "CSRF_TRUSTED_ORIGINS",
        "BEHIND_PROXY",
    ]
    code = (
        "import json, duban.settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {names!r}}}))"
    )

    def read(**env: str) -> dict[str, object]:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("DUBAN_")}
        clean |= {"DUBAN_DATA_DIR": str(tmp_path), **env}
        out = subprocess.run(
            [sys.executable, "-c", code],
            env=clean,
            cwd=settings.REPO_DIR,
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(out.stdout)

    plain = read()
    assert plain["SECURE_SSL_REDIRECT"] is False and plain["SECURE_HSTS_SECONDS"] == 0
    assert plain["SECURE_PROXY_SSL_HEADER"] is None and plain["CSRF_TRUSTED_ORIGINS"] == []
    https = read(
        DUBAN_HTTPS="true",
        DUBAN_BEHIND_PROXY="true",
        DUBAN_CSRF_TRUSTED_ORIGINS="https://duban.example.gov.cn, https://duban.example.gov.cn:8443",
    )
    assert https["SECURE_SSL_REDIRECT"] is True and https["SECURE_HSTS_SECONDS"] == 31536000
    assert https["SESSION_COOKIE_SECURE"] is True and https["CSRF_COOKIE_SECURE"] is True
    assert https["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert https["CSRF_TRUSTED_ORIGINS"] == [
        "https://duban.example.gov.cn",
        "https://duban.example.gov.cn:8443",
    ]
