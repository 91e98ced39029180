"""Signing in with the second factor, over HTTP: the password step, then the code or the
set-up the account owes; nothing of duban opens before it is paid."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from duban.accounts.twofactor import STATE_KEY, services
from duban.audit.models import AuditAction, AuditEvent
from tests.support.twofactor import DEFAULT_REQUIRED, account, code_for, enrol, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def required(settings: pytest.FixtureRequest) -> None:
    settings.TWOFACTOR_REQUIRED_ROLES = DEFAULT_REQUIRED  # type: ignore[attr-defined]


def test_a_required_role_without_an_authenticator_must_set_one_up(
    client: Client, required: None, clock: time_machine.Traveller
) -> None:
    user = account("office")
    response = sign_in(client, "office")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/setup/"
    # Every page leads back to the set-up; sign-out, health and static files stay open.
    for path in ("/", "/ledger/", "/accounts/2fa/verify/", "/audit/"):
        assert client.get(path)["Location"] == "/accounts/2fa/setup/", path
    for path in ("/healthz", "/static/duban.css", "/i18n/setlang/"):
        assert client.get(path).get("Location") != "/accounts/2fa/setup/", path
    page = client.get("/accounts/2fa/setup/").content.decode()
    assert "设置两步验证" in page
    assert 'href="/ledger/"' not in page  # no navigation before the second factor

    from_page = services.device(user, confirmed=False)
    assert from_page is not None
    answer = client.post("/accounts/2fa/setup/", {"code": code_for(from_page)})
    assert answer.status_code == 200
    assert "恢复码" in answer.content.decode()
    assert client.get("/ledger/").status_code == 200
    assert client.session[STATE_KEY] == "verified"


def test_an_optional_role_signs_in_with_the_password_alone(client: Client, required: None) -> None:
    account("chaxun")
    response = sign_in(client, "chaxun")
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.session[STATE_KEY] == "free"


def test_nobody_is_asked_when_no_role_requires_it(client: Client) -> None:
    # The test suite's default (tests/conftest.py): DUBAN_2FA_REQUIRED_ROLES empty.
    account("office")
    assert sign_in(client, "office")["Location"] == "/"
    assert client.get("/").status_code == 200


def test_an_account_with_an_authenticator_gives_its_code(
    client: Client, clock: time_machine.Traveller
) -> None:
    user = account("chaxun")  # optional for the role, set up by choice: asked all the same
    device, _codes = enrol(user)
    clock.shift(30)
    response = client.post(
        "/accounts/login/",
        {"username": "chaxun", "password": "Duban-demo-2023", "next": "/directory/units/"},
    )
    assert response["Location"] == "/accounts/2fa/verify/"
    assert client.get("/directory/units/")["Location"] == "/accounts/2fa/verify/"
    page = client.get("/accounts/2fa/verify/").content.decode()
    assert "身份验证器" in page and 'href="/directory/"' not in page

    wrong = client.post("/accounts/2fa/verify/", {"code": "000000"})
    assert "验证码不正确" in wrong.content.decode()
    answer = client.post("/accounts/2fa/verify/", {"code": code_for(device)})
    assert answer["Location"] == "/directory/units/"  # the page first asked for
    assert client.get("/directory/units/").status_code == 200


def test_a_code_is_never_accepted_twice(client: Client, clock: time_machine.Traveller) -> None:
    user = account("chaxun")
    device, _codes = enrol(user)
    used = code_for(device)  # the code the set-up took, still on the phone's screen
    sign_in(client, "chaxun")
    answer = client.post("/accounts/2fa/verify/", {"code": used})
    assert answer.status_code == 200
    assert client.get("/")["Location"] == "/accounts/2fa/verify/"
    clock.shift(30)
    assert client.post("/accounts/2fa/verify/", {"code": code_for(device)}).status_code == 302
    assert client.get("/").status_code == 200


def test_a_recovery_code_signs_in_once(client: Client, clock: time_machine.Traveller) -> None:
    user = account("chaxun")
    _device, codes = enrol(user)
    sign_in(client, "chaxun")
    answer = client.post(
        "/accounts/2fa/verify/", {"code": codes[0].upper()[:4] + " " + codes[0][4:]}
    )
    assert answer["Location"] == "/"
    assert "还剩 9 个" in client.get("/").content.decode()

    other = Client()
    sign_in(other, "chaxun")
    again = other.post("/accounts/2fa/verify/", {"code": codes[0]})
    assert "验证码不正确" in again.content.decode()
    assert other.post("/accounts/2fa/verify/", {"code": codes[1]})["Location"] == "/"


def test_a_session_begun_elsewhere_still_owes_the_code(client: Client) -> None:
    """force_login stands for any way in that skips the sign-in page (Django's admin site)."""
    user = account("chaxun")
    enrol(user)
    client.force_login(user)
    assert client.get("/")["Location"] == "/accounts/2fa/verify/"


def test_a_role_that_comes_to_require_it_is_sent_to_set_up(
    client: Client, settings: pytest.FixtureRequest
) -> None:
    account("chaxun")
    sign_in(client, "chaxun")
    assert client.get("/").status_code == 200
    settings.TWOFACTOR_REQUIRED_ROLES = ["viewer"]  # type: ignore[attr-defined]
    assert client.get("/")["Location"] == "/accounts/2fa/setup/"


def test_htmx_requests_are_told_where_to_go(client: Client) -> None:
    enrol(account("chaxun"))
    sign_in(client, "chaxun")
    answer = client.get("/ledger/", headers={"HX-Request": "true"})
    assert answer.status_code == 204
    assert answer["HX-Redirect"] == "/accounts/2fa/verify/"


def test_signing_out_is_open_while_the_code_is_owed(client: Client) -> None:
    enrol(account("chaxun"))
    sign_in(client, "chaxun")
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_enrolment_is_on_the_audit_trail(client: Client, clock: time_machine.Traveller) -> None:
    user = account("chaxun")
    enrol(user)
    event = AuditEvent.objects.get(action=AuditAction.OTP_ENROL)
    assert event.object_id == str(user.pk)
    assert event.after == {"recovery_codes": 10}


def test_a_password_alone_ends_no_other_session(clock: time_machine.Traveller) -> None:
    # Single session: a newer sign-in ends the older one only once it gave its code, so a
    # stolen password without the phone cannot sign the real person out.
    user = account("chaxun")
    device, _codes = enrol(user)
    first, second = Client(), Client()
    clock.shift(30)  # the set-up took the current code
    sign_in(first, "chaxun")
    assert first.post("/accounts/2fa/verify/", {"code": code_for(device)})["Location"] == "/"
    assert first.get("/").status_code == 200

    clock.shift(30)
    sign_in(second, "chaxun")  # the password only
    assert first.get("/").status_code == 200, "the first session must live on"

    assert second.post("/accounts/2fa/verify/", {"code": code_for(device)})["Location"] == "/"
    ended = first.get("/")
    assert ended.status_code == 302 and ended["Location"].startswith("/accounts/login/")
    assert second.get("/").status_code == 200
