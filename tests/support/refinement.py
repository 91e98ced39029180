"""Build the edit form's POST data the way the page sends it, and read pages back."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.test import Client
from django.utils import translation

from duban.directory.models import Unit
from duban.ledger.models import Task
from duban.reporting.models import Refinement, ReviewState
from tests.support.world import World

Milestone = tuple[str, str, str] | tuple[str, str, str, int]  # what, YYYY-MM-DD, unit[, id]

TWO_MILESTONES = [
    ("完成一季度项目集中开工", "2023-03-31", "发改委"),
    ("年度完成投资294亿元", "2023-12-31", "投促中心"),
]


def refine_task_1(world: World, *, action: str = "save") -> Client:
    """发改委's operator refines task 1 into two milestones and 25/50/75/100%, and saves (or
    submits) it through the edit page; returns the operator's client."""
    fgw = world.as_unit("发改委")
    task = world.task("1")
    assert fgw.get(edit_url(task)).status_code == 200
    data = edit_data(
        task, version=0, milestones=TWO_MILESTONES, percents=(25, 50, 75, 100), action=action
    )
    response = fgw.post(edit_url(task), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == f"/ledger/tasks/{task.pk}/#refinement"
    return fgw


def edit_data(
    task: Task,
    *,
    version: int,
    milestones: Sequence[Milestone] = (),
    percents: Sequence[int | str | None] = ("", "", "", ""),
    mode: str = "percent",
    targets: dict[int, Sequence[str]] | None = None,
    slots: dict[int, Sequence[str]] | None = None,
    action: str = "save",
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "version": str(version),
        "mode": mode,
        "action": action,
        "milestones-TOTAL_FORMS": str(len(milestones)),
        "milestones-INITIAL_FORMS": str(sum(1 for m in milestones if len(m) == 4)),
        "milestones-MIN_NUM_FORMS": "0",
        "milestones-MAX_NUM_FORMS": "1000",
    }
    for index, milestone in enumerate(milestones):
        description, due_on, unit = milestone[:3]
        data[f"milestones-{index}-id"] = str(milestone[3]) if len(milestone) == 4 else ""
        data[f"milestones-{index}-description"] = description
        data[f"milestones-{index}-due_on"] = due_on
        data[f"milestones-{index}-unit"] = str(Unit.objects.get(name=unit).pk)
    for quarter, percent in enumerate(percents, 1):
        data[f"percent_{quarter}"] = "" if percent is None else str(percent)
    for target_id, values in (targets or {}).items():
        for quarter, value in enumerate(values, 1):
            data[f"target_{target_id}_{quarter}"] = value
    for assignment_id, names in (slots or {}).items():
        data[f"slot_{assignment_id}"] = [str(Unit.objects.get(name=n).pk) for n in names]
    return data


def edit_url(task: Task) -> str:
    return f"/reporting/tasks/{task.pk}/refinement/edit/"


def page_url(task: Task) -> str:
    return f"/reporting/tasks/{task.pk}/refinement/"


def submit_url(task: Task) -> str:
    return f"/reporting/tasks/{task.pk}/refinement/submit/"


def review_url(task: Task) -> str:
    return f"/reporting/tasks/{task.pk}/refinement/review/"


def task_url(task: Task) -> str:
    return f"/ledger/tasks/{task.pk}/"


def refinement(task: Task) -> Refinement:
    return Refinement.objects.get(task=task)


def state(task: Task) -> str:
    found = Refinement.objects.filter(task=task).first()
    return found.state if found else "none"


def chinese(message: object) -> str:
    """A message as the pages show it (Simplified Chinese once the catalogue has it)."""
    with translation.override("zh-hans"):
        return translation.gettext(message) if isinstance(message, str) else str(message)


def html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def panel(page: str) -> str:
    """The refinement panel's HTML on a task page."""
    match = re.search(r'<section class="card refinement" id="refinement".*?</section>', page, re.S)
    assert match, "no refinement panel"
    return match.group(0)


def nav_count(page: str) -> int:
    match = re.search(r'class="todo-count" data-count="(\d+)"', page)
    return int(match.group(1)) if match else 0


SUBMITTED, ACCEPTED, RETURNED, DRAFT = (
    ReviewState.SUBMITTED,
    ReviewState.ACCEPTED,
    ReviewState.RETURNED,
    ReviewState.DRAFT,
)
