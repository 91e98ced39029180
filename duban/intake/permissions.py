"""Who may import notices into the ledger: the supervision office (staff for now).

A later issue replaces this with the product-wide permission rule.
"""

from __future__ import annotations

from typing import Any


def can_import(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff:
        return True
    membership = getattr(user, "membership", None)
    return membership is not None and membership.role == "office"
