"""The cockpit's navigation link: ``{% if user|opens_cockpit %}`` (the permission rule decides)."""

from __future__ import annotations

from typing import Any

from django import template

from ..cockpit import opens_cockpit as _opens_cockpit

register = template.Library()


@register.filter
def opens_cockpit(user: Any) -> bool:
    """The office, leaders and viewers see the 驾驶舱 link; a unit's operators do not."""
    return _opens_cockpit(user)
