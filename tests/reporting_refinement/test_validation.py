"""What a refinement must satisfy. Decided: percentages are whole numbers 0–100 that never go
down; target values never go down for =, ≥ and range targets (a ≤ target such as 审批时间 may);
a milestone dated outside the plan's year is saved with a warning, never refused; a draft may be
incomplete, a submission may not (every quarter, one milestone, every placeholder named)."""

from __future__ import annotations

import pytest
from django.test import Client

from duban.accounts.models import Role
from duban.accounts.services import ensure_account
from duban.ledger.models import AssignmentRole
from duban.reporting.models import Refinement
from duban.reporting.services import refinement as workflow
from duban.reporting.services.refinement_rules import (
    PERCENT,
    TARGETS,
    MilestoneInput,
    RefinementInput,
)
from tests.support.refinement import (
    TWO_MILESTONES,
    chinese,
    edit_data,
    edit_url,
    html,
    panel,
    refinement,
    task_url,
)
from tests.support.world import PASSWORD, World


def post(client: Client, world: World, **fields: object) -> tuple[int, str]:
    task = world.task("1")
    response = client.post(edit_url(task), edit_data(task, version=0, **fields))  # type: ignore[arg-type]
    return response.status_code, response.content.decode()


@pytest.fixture
def fgw(world: World) -> Client:
    return world.as_unit("发改委")


def test_percentages_cannot_go_down(world: World, fgw: Client) -> None:
    status, page = post(fgw, world, milestones=TWO_MILESTONES, percents=(25, 60, 50, 100))
    assert status == 400
    assert chinese("Expected progress cannot go down from one quarter to the next.") in page
    assert "完成一季度项目集中开工" in page  # the input is shown back
    assert not Refinement.objects.exists()


def test_percentages_stop_at_100(world: World, fgw: Client) -> None:
    status, page = post(fgw, world, milestones=TWO_MILESTONES, percents=(25, 50, 75, 120))
    assert status == 400
    limit = chinese("Ensure this value is less than or equal to %(limit_value)s.")
    assert limit % {"limit_value": 100} in page
    assert not Refinement.objects.exists()
    with pytest.raises(workflow.InvalidRefinement) as refused:
        workflow.save_refinement(
            task=world.task("1"),
            user=world.fgw,
            version=0,
            data=RefinementInput(percents=(25, 50, 75, 120)),
        )
    assert refused.value.errors[0].where == "percent"


def test_a_milestone_outside_the_year_is_saved_with_a_warning(world: World, fgw: Client) -> None:
    late = [("项目竣工验收", "2024-01-15", "发改委")]
    task = world.task("1")
    response = fgw.post(
        edit_url(task),
        edit_data(task, version=0, milestones=late, percents=(25, 50, 75, 100)),
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "项目竣工验收" in page and "2024-01-15" in page  # the warning names it
    assert refinement(task).milestones.get().due_on.isoformat() == "2024-01-15"
    assert chinese("outside the year") in panel(html(fgw, task_url(task)))


def test_a_draft_may_be_incomplete_but_a_submission_may_not(world: World, fgw: Client) -> None:
    status, _page = post(fgw, world, percents=(25, "", "", ""))
    assert status == 302
    task = world.task("1")
    version = refinement(task).version
    response = fgw.post(
        edit_url(task), edit_data(task, version=version, percents=(25, 50, 75, ""), action="submit")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert chinese("Give the expected progress for every quarter.") in page
    assert chinese("Give at least one milestone.") in page
    assert refinement(task).state == "draft"
    response = fgw.post(f"/reporting/tasks/{task.pk}/refinement/submit/", {"version": version})
    assert response.status_code == 302 and response["Location"].endswith("/refinement/edit/")
    assert refinement(task).state == "draft"


def test_a_milestone_row_needs_what_when_and_who(world: World, fgw: Client) -> None:
    status, page = post(fgw, world, milestones=[("", "2023-06-30", "发改委")], percents=(25,))
    assert status == 400
    assert chinese("Say what is to be done.") in page


def test_a_milestone_goes_to_one_of_the_task_s_units(world: World, fgw: Client) -> None:
    status, _page = post(fgw, world, milestones=[("技改", "2023-06-30", "工信局")])
    assert status == 400  # 工信局 is not among task 1's units: not even offered
    with pytest.raises(workflow.InvalidRefinement):
        workflow.save_refinement(
            task=world.task("1"),
            user=world.fgw,
            version=0,
            data=RefinementInput(milestones=[MilestoneInput("技改", _date(), _unit("工信局"))]),
        )
    # A town stands behind 各镇（街道）, so it is one of the task's units.
    status, _page = post(fgw, world, milestones=[("集中开工", "2023-06-30", "缑氏镇")])
    assert status == 302


def test_target_values_by_quarter(world: World, fgw: Client) -> None:
    task = world.task("1")
    targets = list(task.targets.order_by("position"))
    assert [t.op for t in targets] == ["=", "=", "="]
    values = {t.pk: ["10", "20", "30", str(t.value)] for t in targets}
    going_down = {**values, targets[2].pk: ["100", "90", "200", "294"]}
    response = fgw.post(
        edit_url(task),
        edit_data(task, version=0, mode=TARGETS, targets=going_down, milestones=TWO_MILESTONES),
    )
    assert response.status_code == 400
    assert targets[2].label in response.content.decode()
    response = fgw.post(
        edit_url(task),
        edit_data(
            task,
            version=0,
            mode=TARGETS,
            targets=values,
            milestones=TWO_MILESTONES,
            action="submit",
        ),
    )
    assert response.status_code == 302
    saved = refinement(task)
    assert saved.state == "submitted"
    assert saved.quarters.filter(target__isnull=False).count() == 12
    assert not saved.quarters.filter(target__isnull=True).exists()
    assert "294亿元" in panel(html(fgw, task_url(task)))


def test_a_target_that_must_stay_low_may_go_down(world: World) -> None:
    """Task 68: 审批时间 ≤ …: the expected value may fall from quarter to quarter."""
    task = world.task("68")
    target = task.targets.get(op="<=")
    lead = task.assignments.get(role=AssignmentRole.LEAD, position=1).unit
    assert lead is not None
    operator = ensure_account("lead68", PASSWORD, Role.UNIT_OPERATOR, unit=lead)
    data = RefinementInput(mode=TARGETS, target_values={target.pk: [_d(10), _d(8), _d(6), _d(5)]})
    saved = workflow.save_refinement(task=task, user=operator, version=0, data=data)
    assert saved.refinement.quarters.count() == 4


def test_switching_to_percentages_drops_the_target_values(world: World) -> None:
    task = world.task("1")
    target = task.targets.first()
    assert target is not None
    by_targets = RefinementInput(mode=TARGETS, target_values={target.pk: [_d(1), None, None, None]})
    workflow.save_refinement(task=task, user=world.fgw, version=0, data=by_targets)
    by_percent = RefinementInput(mode=PERCENT, percents=(25, 50, None, None))
    workflow.save_refinement(task=task, user=world.fgw, version=1, data=by_percent)
    rows = refinement(task).quarters.all()
    assert [(q.quarter, q.expected_percent, q.target_id) for q in rows] == [
        (1, 25, None),
        (2, 50, None),
    ]


def _d(value: int) -> object:
    from decimal import Decimal

    return Decimal(value)


def _date() -> object:
    from datetime import date

    return date(2023, 6, 30)


def _unit(name: str) -> int:
    from duban.directory.models import Unit

    return Unit.objects.get(name=name).pk
