"""The permission rule in templates: ``{% if user|may:"manage_users" %}`` and
``{% if user|reads_ledger %}`` (duban.accounts.permissions decides; templates only ask)."""

from __future__ import annotations

from typing import Any

from django import template

from duban.accounts import permissions

register = template.Library()


@register.filter
def may(user: Any, action: str) -> bool:
    """``can(user, action)`` for the actions that concern no task (manage_ledger, ...)."""
    return permissions.can(user, permissions.Action(action))


@register.filter
def reads_ledger(user: Any) -> bool:
    return permissions.reads_ledger(user)
