"""Who calls the API: a personal access token (other systems) or the browser's session.

Every route of the API is wrapped by ``api_view`` (duban/api/urls.py):

- with ``Authorization: Bearer dbn_…`` the token is checked (``duban.accounts.tokens``: unknown,
  expired, revoked and deactivated tokens are refused 401, and the refusal is audited; every
  use is audited), the request becomes the token owner's (``request.user``) and so do its
  changes and refusals in the audit trail;
- without that header the session is used as by the pages (sign-in, idle timeout, what a
  session still owes), and a write (POST, PUT, PATCH, DELETE) must carry the CSRF token as a
  form would (``X-CSRFToken``).

The operations then ask ``signed_in`` (django-ninja's auth): someone must be signed in, and a
read-only token may only read (403 otherwise). What the person may see and do is the same rule
as the pages': ``restrict``/``can``/``check`` of ``duban.core.permissions``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthorizationError
from ninja.security.base import AuthBase
from ninja.utils import check_csrf

from duban.accounts.models import AccessToken
from duban.accounts.tokens import TokenRefused, may_write, use_token
from duban.audit.context import attribute, client_address

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
View = Callable[..., HttpResponse]


def unauthorised(message: str, *, invalid_token: bool = False) -> JsonResponse:
    response = JsonResponse(
        {"detail": message, "errors": []}, status=401, json_dumps_params={"ensure_ascii": False}
    )
    challenge = 'Bearer realm="duban"'
    if invalid_token:
        challenge += ', error="invalid_token"'
    response["WWW-Authenticate"] = challenge
    return response


def token_of(request: HttpRequest) -> AccessToken | None:
    """The access token the request came with (None: the browser's session, or nobody)."""
    token: AccessToken | None = getattr(request, "access_token", None)
    return token


def api_view(view: View) -> View:
    """Authenticate a bearer token before the view; no sign-in redirect, no CSRF middleware
    (the session's writes are checked by ``signed_in``)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request.access_token = None  # type: ignore[attr-defined]
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _space, raw = header.strip().partition(" ")
            if scheme.lower() != "bearer" or not raw.strip():
                return unauthorised(
                    _("Send the access token as “Authorization: Bearer <token>”."),
                    invalid_token=True,
                )
            try:
                token = use_token(
                    raw.strip(),
                    address=client_address(request),
                    method=request.method or "",
                    path=request.path,
                )
            except TokenRefused as refused:
                return unauthorised(str(refused), invalid_token=True)
            request.user = token.user
            request.access_token = token  # type: ignore[attr-defined]
            attribute(token.user)
        return view(request, *args, **kwargs)

    wrapper.csrf_exempt = True  # type: ignore[attr-defined]
    wrapper.login_required = False  # type: ignore[attr-defined]
    return wrapper


class BearerToken(AuthBase):
    """A personal access token: ``Authorization: Bearer dbn_…`` (checked by ``api_view``)."""

    openapi_type = "http"
    openapi_scheme = "bearer"

    def __call__(self, request: HttpRequest) -> Any:
        token = token_of(request)
        if token is None:
            return None
        if request.method not in SAFE_METHODS and not may_write(token):
            raise AuthorizationError(
                403, _("This access token may only read: make one that may also write.")
            )
        return token.user


class Session(AuthBase):
    """The browser's session (the cookie of signing in); writes carry the CSRF token."""

    openapi_type = "apiKey"
    openapi_in = "cookie"
    openapi_name = "sessionid"

    def __call__(self, request: HttpRequest) -> Any:
        if token_of(request) is not None or not request.user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise AuthorizationError(
                403, _("The request lacks its CSRF token (X-CSRFToken): reload the page.")
            )
        return request.user


signed_in = [BearerToken(), Session()]
