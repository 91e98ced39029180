"""The ledger's questions to the one permission rule (duban.accounts.permissions).

Nothing here decides anything: each function names a question the ledger's views and
templates ask, and answers it with ``can``, ``restrict_tasks`` or ``reads_ledger``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from duban.accounts.permissions import Action, can, reads_ledger, restrict_tasks

from .models import Plan, Task


def can_edit_ledger(user: Any) -> bool:
    """Set a task's status by hand (and import, and edit the directory): the office."""
    return can(user, Action.MANAGE_LEDGER)


def can_read_ledger(user: Any) -> bool:
    """Open the ledger's pages at all; the administrators of 三权分立 get 403."""
    return reads_ledger(user)


def visible_tasks(user: Any) -> QuerySet[Task]:
    """The tasks this user may see: the base of every list, count, page and export."""
    return restrict_tasks(user, Task.objects.all())


def can_download_source(user: Any, plan: Plan) -> bool:
    """The original notice goes to those who see at least one of its tasks."""
    return visible_tasks(user).filter(plan=plan).exists()
