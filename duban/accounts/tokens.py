"""Personal access tokens for the API (docs/api.md): made, used, refused and revoked.

A person who reads the ledger makes a token on his or her 访问令牌 page: a name, a scope (read
only, or read and write) and a lifetime (at most a year). The token is shown once, in the answer
to the POST that made it; the database keeps only its SHA-256 digest (a token is 40 random
characters, so a plain digest cannot be guessed back) and its first characters, to tell one's
tokens apart. Another system sends it as ``Authorization: Bearer dbn_…`` and then acts as the
token's owner, under the owner's permissions, and only reads when its scope is read only.

Every use is an event of the audit trail (``token_used``, the token as its object, the method
and the path); every refusal too (``token_refused``: unknown, expired, revoked, or the account
no longer active), and the API answers it 401. Making and revoking a token are the model's own
create and change events (the digest masked).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.audit.models import AuditAction
from duban.audit.signals import record
from duban.core import clock
from duban.core.permissions import Action, check

from .models import AccessToken, TokenScope

PREFIX = "dbn_"
SHOWN = len(PREFIX) + 8  # characters kept to tell tokens apart
# Lifetimes offered on the page, in days; nothing lives longer than a year.
LIFETIMES = (7, 30, 90, 180, 365)
DEFAULT_LIFETIME = 90
# last_used_at is written at most this often (seconds): the audit trail has every use anyway.
TOUCH_SECONDS = 60

NOT_YOURS = gettext_lazy("Access tokens are for those who read the ledger.")


class TokenProblem(ValueError):
    """What is wrong with a new token's name, scope or lifetime; nothing was made."""


@dataclass(frozen=True)
class Refusal:
    """Why a token was refused: ``reason`` for the audit trail, ``message`` for the caller."""

    reason: str
    message: str


class TokenRefused(Exception):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal


def digest_of(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def make_token(
    *, user: Any, name: str, scope: str = TokenScope.READ, days: int = DEFAULT_LIFETIME
) -> tuple[AccessToken, str]:
    """A new token of ``user``'s (the token and the only copy of its secret)."""
    check(user, Action.READ_LEDGER, why=NOT_YOURS)
    name = " ".join(name.split())
    if not name:
        raise TokenProblem(_("Give the token a name: what will use it."))
    if len(name) > AccessToken._meta.get_field("name").max_length:  # type: ignore[operator]
        raise TokenProblem(_("The name may hold at most 100 characters."))
    if scope not in TokenScope.values:
        raise TokenProblem(_("Choose what the token may do."))
    if days not in LIFETIMES:
        raise TokenProblem(_("Choose how long the token lives."))
    raw = PREFIX + secrets.token_urlsafe(30)
    now = clock.now()
    token = AccessToken.objects.create(
        user=user,
        name=name,
        prefix=raw[:SHOWN],
        digest=digest_of(raw),
        scope=scope,
        created_at=now,
        expires_at=now + datetime.timedelta(days=days),
    )
    return token, raw


def revoke_token(*, token: AccessToken, user: Any) -> AccessToken:
    """Revoke one of ``user``'s tokens (from now on refused); revoking twice changes nothing."""
    check(user, Action.CHANGE, token)
    with transaction.atomic():
        token = AccessToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = clock.now()
            token.save(update_fields=["revoked_at"])
    return token


def is_token(header: str) -> bool:
    return header.startswith(PREFIX)


def _refuse(
    reason: str, message: str, token: AccessToken | None, *, address: str | None, request: dict
) -> TokenRefused:
    record(
        AuditAction.TOKEN_REFUSED,
        token,
        address=address,
        result="failed",
        label=token.user.get_username() if token is not None else "",
        after={"via": "access_token", "reason": reason, **request},
    )
    return TokenRefused(Refusal(reason, message))


def use_token(raw: str, *, address: str | None, method: str, path: str) -> AccessToken:
    """The token ``raw`` names, with its owner, once it is found good; the use is audited.
    ``TokenRefused`` (audited too) for a token unknown, expired, revoked or whose owner may no
    longer sign in."""
    request = {"method": method, "path": path[:500]}
    token = None
    if is_token(raw):
        token = AccessToken.objects.select_related("user").filter(digest=digest_of(raw)).first()
    if token is None:
        raise _refuse(
            "unknown", _("This access token is not valid."), None, address=address, request=request
        )
    now = clock.now()
    if token.revoked_at is not None:
        raise _refuse(
            "revoked",
            _("This access token has been revoked."),
            token,
            address=address,
            request=request,
        )
    if token.expires_at <= now:
        raise _refuse(
            "expired", _("This access token has expired."), token, address=address, request=request
        )
    if not token.user.is_active:
        raise _refuse(
            "inactive",
            _("The account of this access token is deactivated."),
            token,
            address=address,
            request=request,
        )
    record(
        AuditAction.TOKEN_USED,
        token,
        user=token.user,
        address=address,
        after={"via": "access_token", "scope": token.scope, **request},
    )
    last = token.last_used_at
    if last is None or (now - last).total_seconds() > TOUCH_SECONDS:
        # Not save(): a use is the token_used event above, not a change of the token.
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def may_write(token: AccessToken | None) -> bool:
    """Whether a request with ``token`` (None: the browser's session) may change anything."""
    return token is None or token.scope == TokenScope.READ_WRITE
