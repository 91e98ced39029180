"""Behind nginx (docs/deploy.md): with DUBAN_BEHIND_PROXY the request that reached nginx over
HTTPS is HTTPS to duban (X-Forwarded-Proto), so signing in works with Secure cookies and the
CSRF check of an HTTPS form, and the audit trail records the client's address from
X-Forwarded-For, not nginx's (等保 通信传输, 安全审计)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AbstractUser
from django.test import Client, override_settings

from duban.audit.models import AuditAction, AuditEvent
from tests.support.world import PASSWORD

HOST = "duban.example.gov.cn"
PROXY = {
    "REMOTE_ADDR": "127.0.0.1",  # nginx on the same machine
    "HTTP_HOST": HOST,
    "HTTP_X_FORWARDED_PROTO": "https",
    # The client claimed 6.6.6.6; nginx appended what it saw.
    "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.9",
}
BEHIND_NGINX = override_settings(
    BEHIND_PROXY=True,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    SECURE_SSL_REDIRECT=True,
    SECURE_HSTS_SECONDS=31536000,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
    ALLOWED_HOSTS=[HOST],
    TRUSTED_PROXIES=[],
)


def sign_in(client: Client, **extra: str) -> object:
    page = client.get("/accounts/login/", **PROXY)
    assert page.status_code == 200
    token = client.cookies["csrftoken"].value
    return client.post(
        "/accounts/login/",
        {"username": "office", "password": PASSWORD, "csrfmiddlewaretoken": token},
        **{**PROXY, "HTTP_ORIGIN": f"https://{HOST}", "HTTP_REFERER": f"https://{HOST}/", **extra},
    )


@pytest.mark.django_db
@BEHIND_NGINX
def test_signing_in_over_https_through_the_proxy(office_user: AbstractUser) -> None:
    client = Client(enforce_csrf_checks=True)
    response = sign_in(client)
    assert response.status_code == 302, response  # type: ignore[attr-defined]
    assert client.session.get("_auth_user_id") == str(office_user.pk)
    assert client.cookies["sessionid"]["secure"] and client.cookies["csrftoken"]["secure"]
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")  # type: ignore[index]
    home = client.get("/", **PROXY)
    assert home.status_code == 200

    login = AuditEvent.objects.get(action=AuditAction.LOGIN, user=office_user)
    assert login.address == "203.0.113.9"  # the client nginx saw, not nginx, not the claim

    # Plain HTTP to nginx's upstream (no X-Forwarded-Proto) is sent to HTTPS.
    plain = {k: v for k, v in PROXY.items() if k != "HTTP_X_FORWARDED_PROTO"}
    redirect = Client().get("/accounts/login/", **plain)
    assert redirect.status_code == 301
    assert redirect["Location"] == f"https://{HOST}/accounts/login/"


@pytest.mark.django_db
@BEHIND_NGINX
def test_a_form_from_another_origin_needs_csrf_trusted_origins(office_user: AbstractUser) -> None:
    other = {"HTTP_ORIGIN": "https://portal.example.gov.cn"}
    refused = sign_in(Client(enforce_csrf_checks=True), **other)
    assert refused.status_code == 403  # type: ignore[attr-defined]
    with override_settings(CSRF_TRUSTED_ORIGINS=["https://portal.example.gov.cn"]):
        accepted = sign_in(Client(enforce_csrf_checks=True), **other)
    assert accepted.status_code == 302  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_without_the_proxy_setting_the_headers_are_ignored(
    office_user: AbstractUser, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client()
    client.post(
        "/accounts/login/",
        {"username": "office", "password": PASSWORD},
        REMOTE_ADDR="192.0.2.10",
        HTTP_X_FORWARDED_FOR="6.6.6.6",
        HTTP_X_FORWARDED_PROTO="https",
    )
    login = AuditEvent.objects.get(action=AuditAction.LOGIN, user=office_user)
    assert login.address == "192.0.2.10"
    # The operator is told, once, which setting the proxy needs.
    client.get("/healthz", HTTP_X_FORWARDED_PROTO="https")
    told = [r for r in caplog.records if "DUBAN_BEHIND_PROXY is off" in r.getMessage()]
    assert len(told) == 1 and told[0].levelname == "WARNING"
