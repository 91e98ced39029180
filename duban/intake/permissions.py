"""Who may import notices into the ledger: whoever manages the ledger (the office).

The answer comes from the one permission rule (duban.accounts.permissions).
"""

from __future__ import annotations

from typing import Any

from duban.accounts.permissions import Action, can


def can_import(user: Any) -> bool:
    return can(user, Action.MANAGE_LEDGER)
