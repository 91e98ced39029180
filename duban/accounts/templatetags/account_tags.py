"""What a page may say about an account's own kind, asked of duban.accounts (which alone reads
roles and Django's staff flag)."""

from __future__ import annotations

from typing import Any

from django import template

from duban.accounts.permissions import opens_admin_site

register = template.Library()


@register.filter(name="opens_admin_site")
def opens_admin_site_filter(user: Any) -> bool:
    return opens_admin_site(user)
