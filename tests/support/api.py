"""Calling the API in tests: a person's access token, and a client that sends it."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.test import Client

from duban.accounts.models import AccessToken, TokenScope
from duban.accounts.tokens import make_token

API = "/api/v1/"


def token_for(
    user: AbstractUser,
    scope: str = TokenScope.READ_WRITE,
    *,
    days: int = 30,
    name: str = "市平台对接",
) -> tuple[AccessToken, str]:
    """A new token of ``user``'s, made as the 访问令牌 page makes it: (the token, its secret)."""
    return make_token(user=user, name=name, scope=scope, days=days)


class TokenClient:
    """A client that sends ``Authorization: Bearer <raw>`` and JSON, as another system would."""

    def __init__(self, raw: str, client: Client | None = None) -> None:
        self.raw = raw
        self.client = client or Client()

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.raw}"}

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(API + path, params or {}, headers=self._headers())

    def post(self, path: str, body: Any = None) -> Any:
        data = json.dumps(body if body is not None else {})
        return self.client.post(
            API + path, data, content_type="application/json", headers=self._headers()
        )

    def put(self, path: str, body: Any) -> Any:
        return self.client.put(
            API + path, json.dumps(body), content_type="application/json", headers=self._headers()
        )


def as_token(user: AbstractUser, scope: str = TokenScope.READ_WRITE) -> TokenClient:
    return TokenClient(token_for(user, scope)[1])
