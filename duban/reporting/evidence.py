"""Evidence files of reports and contributions.

Checking, storing, serving and removing them is the file store's (duban.core.files): files go
to ``MEDIA_ROOT/evidence/<year>/<month>/`` under a random name; the original name is kept in the
database and given back only by the download view, which checks ``Action.DOWNLOAD`` on the task.
"""

from __future__ import annotations

from duban.ledger.models import Task

from .models import Evidence


def task_of(evidence: Evidence) -> Task:
    """The task the file was attached for (through its report or its contribution)."""
    owner = evidence.report if evidence.report_id else evidence.contribution
    assert owner is not None
    return owner.task
