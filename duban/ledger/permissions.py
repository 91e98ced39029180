"""Who may change the ledger by hand.

One function on purpose: a later issue replaces it with the product-wide permission rule, and
every view and template asks this function rather than checking roles itself.
"""

from __future__ import annotations

from typing import Any

from duban.accounts.models import Role


def can_edit_ledger(user: Any) -> bool:
    """Staff and the supervision office (督查室) may; units and viewers only read."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    # A user without a Membership raises RelatedObjectDoesNotExist, an AttributeError.
    membership = getattr(user, "membership", None)
    return membership is not None and membership.role == Role.OFFICE
