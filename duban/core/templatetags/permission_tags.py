"""The permission rule in templates: ``{% if user|may:"manage_users" %}`` and
``{% if user|reads_ledger %}`` (duban.core.permissions decides; templates only ask)."""

from __future__ import annotations

from typing import Any

from django import template

from duban.core.permissions import Action, can

register = template.Library()


@register.filter
def may(user: Any, action: str) -> bool:
    """``can(user, action)`` for the capabilities that concern no object (manage_ledger, ...)."""
    return can(user, Action(action))


@register.filter
def reads_ledger(user: Any) -> bool:
    return can(user, Action.READ_LEDGER)
