"""What the user management pages show of an account's second factor."""

from __future__ import annotations

from typing import Any

from django import template

from duban.accounts.twofactor import services

register = template.Library()


@register.simple_tag
def two_factor_of(account: Any) -> dict[str, bool]:
    """``{% two_factor_of account as two_factor %}``: whether it is set up and required."""
    return {"enabled": services.is_enabled(account), "required": services.is_required(account)}
