"""Who may change the directory.

One function on purpose: a later issue replaces it with the product-wide permission rule, and
every directory page and test goes through it.
"""

from __future__ import annotations

from typing import Any

from duban.accounts.models import Role


def can_edit_directory(user: Any) -> bool:
    """Staff and the supervision office edit the directory; everyone else reads it."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_staff:
        return True
    membership = getattr(user, "membership", None)
    return membership is not None and membership.role == Role.OFFICE
