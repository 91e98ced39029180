"""Personal access tokens: made by the person on the 访问令牌 page, shown once, stored hashed,
scoped, expiring, revocable; every use and every refusal in the audit trail (docs/api.md)."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.db import connection
from django.urls import reverse

from duban.accounts.models import AccessToken, TokenScope
from duban.accounts.tokens import make_token
from duban.audit.models import AuditAction, AuditEvent
from duban.core import clock
from duban.reporting.models import Report
from tests.support.api import TokenClient, as_token, token_for
from tests.support.world import World


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_a_person_makes_a_token_on_the_page_and_sees_it_once(world: World) -> None:
    client = world.as_unit("发改委")
    response = client.post(
        reverse("tokens:list"), {"name": "市平台对接", "scope": TokenScope.READ, "days": "90"}
    )
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    raw = response.context["raw"]
    assert raw.startswith("dbn_") and len(raw) >= 40
    assert raw in response.content.decode()
    token = AccessToken.objects.get(user=world.fgw)
    # Stored hashed: the digest, the first characters, never the token itself.
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert token.prefix == raw[:12] and token.scope == TokenScope.READ
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_accesstoken")
        assert not any(raw in str(value) for row in cursor.fetchall() for value in row)
    assert token.expires_at - token.created_at == datetime.timedelta(days=90)
    # The list shows it by name and first characters only, never again in full.
    listing = client.get(reverse("tokens:list")).content.decode()
    assert "市平台对接" in listing and token.prefix in listing and raw not in listing
    # Making it is an event of the trail, with the digest masked.
    created = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="accounts.accesstoken")
    assert created.after is not None and token.digest not in str(created.after)
    # The token works at once.
    assert TokenClient(raw).get("me/").json()["username"] == "fgw"


def test_bad_input_on_the_page_says_why_in_chinese_and_makes_nothing(world: World) -> None:
    client = world.as_unit("发改委")
    response = client.post(reverse("tokens:list"), {"name": "  ", "scope": "all", "days": "9999"})
    assert response.status_code == 400
    assert AccessToken.objects.count() == 0
    page = response.content.decode()
    assert "这是必填项" in page or "必填" in page


def test_every_use_is_audited_with_the_token_and_the_path(world: World) -> None:
    token, raw = token_for(world.fgw, TokenScope.READ)
    before = len(_events(AuditAction.TOKEN_USED))
    api = TokenClient(raw)
    assert api.get("tasks/").status_code == 200
    assert api.get("me/").status_code == 200
    uses = _events(AuditAction.TOKEN_USED)[before:]
    assert [event.after["path"] for event in uses] == ["/api/v1/tasks/", "/api/v1/me/"]
    assert all(event.user_id == world.fgw.pk for event in uses)
    assert all(event.object_id == str(token.pk) for event in uses)
    assert all(event.after["via"] == "access_token" for event in uses)
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("how", ["revoked", "expired", "unknown", "inactive"])
def test_a_bad_token_is_refused_401_and_the_refusal_audited(world: World, how: str) -> None:
    token, raw = token_for(world.fgw)
    if how == "revoked":
        response = world.as_unit("发改委").post(reverse("tokens:revoke", args=[token.pk]))
        assert response.status_code == 302
    elif how == "expired":
        AccessToken.objects.filter(pk=token.pk).update(
            expires_at=clock.now() - datetime.timedelta(minutes=1)
        )
    elif how == "unknown":
        raw = raw[:-4] + "AAAA"
    else:
        world.fgw.is_active = False
        world.fgw.save(update_fields=["is_active"])
    before = len(_events(AuditAction.TOKEN_REFUSED))
    response = TokenClient(raw).get("tasks/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    detail = response.json()["detail"]
    expected = {"revoked": "已撤销", "expired": "已过期", "unknown": "无效", "inactive": "已停用"}
    assert expected[how] in detail
    [refusal] = _events(AuditAction.TOKEN_REFUSED)[before:]
    assert refusal.result == "failed"
    assert refusal.after["reason"] == how and refusal.after["path"] == "/api/v1/tasks/"
    if how != "unknown":
        assert refusal.object_id == str(token.pk) and refusal.username == "fgw"


def test_a_refused_token_changes_nothing(world: World) -> None:
    token, raw = token_for(world.fgw)
    AccessToken.objects.filter(pk=token.pk).update(revoked_at=clock.now())
    task = world.task("1")
    response = TokenClient(raw).post(
        "reports/", {"task": task.pk, "period": world.q1.pk, "progress_text": "开工"}
    )
    assert response.status_code == 401
    assert not Report.objects.exists()


def test_the_header_must_say_bearer(world: World) -> None:
    _token, raw = token_for(world.fgw)
    response = world.as_user(None).get("/api/v1/me/", headers={"Authorization": f"Token {raw}"})
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


def test_nobody_signed_in_gets_401_in_chinese(world: World) -> None:
    response = world.as_user(None).get("/api/v1/tasks/")
    assert response.status_code == 401
    assert "请先登录" in response.json()["detail"]


def test_a_read_only_token_cannot_write(world: World) -> None:
    api = as_token(world.fgw, TokenScope.READ)
    task = world.task("1")
    response = api.post(
        "reports/", {"task": task.pk, "period": world.q1.pk, "progress_text": "开工"}
    )
    assert response.status_code == 403
    assert "只能读取" in response.json()["detail"]
    assert not Report.objects.exists()
    # The refusal is the token owner's in the trail (DeniedMiddleware, after the view).
    denied = AuditEvent.objects.filter(action=AuditAction.DENIED).latest("id")
    assert denied.user_id == world.fgw.pk and denied.after["path"] == "/api/v1/reports/"


def test_tokens_are_their_owners_alone(world: World) -> None:
    token, _raw = token_for(world.fgw)
    other = world.as_unit("缑氏镇")
    assert other.post(reverse("tokens:revoke", args=[token.pk])).status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None
    assert "市平台对接" not in other.get(reverse("tokens:list")).content.decode()


def test_administrators_make_no_tokens(world: World) -> None:
    """The administrators of 三权分立 read no business data: no page, no token."""
    client = world.as_admin("system")
    assert client.get(reverse("tokens:list")).status_code == 403
    with pytest.raises(Exception, match="访问令牌仅供"):
        make_token(user=world.xitong, name="x")


def test_revoking_is_an_event_and_the_token_stays_listed_as_revoked(world: World) -> None:
    token, _raw = token_for(world.fgw)
    client = world.as_unit("发改委")
    response = client.post(reverse("tokens:revoke", args=[token.pk]), follow=True)
    assert "已撤销" in response.content.decode()
    change = AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="accounts.accesstoken", object_id=str(token.pk)
    ).get()
    assert change.after["revoked_at"]
