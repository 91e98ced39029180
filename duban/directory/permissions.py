"""The directory's questions to the one permission rule (duban.accounts.permissions).

Everyone signed in reads the directory: units, their aliases, leaders and groups are the names
notices print, no task data, and the security administrator needs them to give accounts their
unit or leader. Only those who manage the ledger (the office) change it.
"""

from __future__ import annotations

from typing import Any

from duban.accounts.permissions import Action, can


def can_edit_directory(user: Any) -> bool:
    """The supervision office edits the directory; everyone else reads it."""
    return can(user, Action.MANAGE_LEDGER)
