"""访问令牌: one's own personal access tokens for the API (docs/api.md, tokens.py).

The page lists the person's tokens (name, first characters, scope, dates, state) with a form
to make one; the new token is shown once, in the answer to the POST that made it, marked not
to be cached. A token is revoked with a button; it is refused from then on.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from duban.core import clock
from duban.core.permissions import Action, requires

from . import tokens
from .models import AccessToken, TokenScope


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What will use the token, to recognise it later."),
    )
    scope = forms.ChoiceField(
        label=gettext_lazy("May"), choices=TokenScope.choices, initial=TokenScope.READ
    )
    days = forms.TypedChoiceField(
        label=gettext_lazy("Lives for"), coerce=int, initial=tokens.DEFAULT_LIFETIME
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # In the language of this request (a lazy string formatted at import would not be).
        lifetime: Any = self.fields["days"]
        lifetime.choices = [
            (days, _("%(days)d days") % {"days": days}) for days in tokens.LIFETIMES
        ]


def _state(token: AccessToken) -> tuple[str, str]:
    """(what the badge says, its tone)."""
    if token.revoked_at is not None:
        return _("Revoked"), ""
    if token.expires_at <= clock.now():
        return _("Expired"), "warn"
    return _("Valid"), "done"


@requires(Action.READ_LEDGER)
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                token, raw = tokens.make_token(user=request.user, **form.cleaned_data)
            except tokens.TokenProblem as problem:
                form.add_error(None, str(problem))
            else:
                context = {"nav": "tokens", "token": token, "raw": raw}
                response = render(request, "accounts/token_created.html", context)
                add_never_cache_headers(response)
                return response
        status = 400
    mine = AccessToken.objects.restrict(request.user, Action.VIEW)
    rows: list[tuple[AccessToken, Any]] = [(token, _state(token)) for token in mine]
    context = {"nav": "tokens", "form": form, "rows": rows}
    return render(request, "accounts/tokens.html", context, status=status)


@requires(Action.READ_LEDGER)
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(AccessToken.objects.all(), pk=pk)
    tokens.revoke_token(token=token, user=request.user)
    messages.success(request, _("Token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("tokens:list")
