"""发改委 refines task 1 through the pages, submits it, the office approves, returns or reopens."""

from __future__ import annotations

import pytest

from duban.audit.models import AuditEvent
from duban.reporting.models import Milestone, QuarterPlan
from tests.support.refinement import (
    ACCEPTED,
    DRAFT,
    RETURNED,
    SUBMITTED,
    TWO_MILESTONES,
    chinese,
    edit_data,
    edit_url,
    html,
    panel,
    refine_task_1,
    refinement,
    review_url,
    state,
    submit_url,
    task_url,
)
from tests.support.world import World


def test_fgw_refines_task_1_submits_and_the_office_approves(world: World) -> None:
    task = world.task("1")
    fgw = refine_task_1(world)

    saved = refinement(task)
    assert (saved.state, saved.version) == (DRAFT, 1)
    assert [(m.description, str(m.due_on), m.unit.name) for m in saved.milestones.all()] == [
        ("完成一季度项目集中开工", "2023-03-31", "发改委"),
        ("年度完成投资294亿元", "2023-12-31", "投促中心"),
    ]
    quarters = QuarterPlan.objects.filter(refinement=saved)
    assert [(q.quarter, q.expected_percent, q.target_id) for q in quarters] == [
        (1, 25, None),
        (2, 50, None),
        (3, 75, None),
        (4, 100, None),
    ]
    shown = panel(html(fgw, task_url(task)))
    assert 'data-state="draft"' in shown
    assert "完成一季度项目集中开工" in shown and "投促中心" in shown
    assert "25%" in shown and "100%" in shown
    assert 'id="refinement-edit"' in shown and 'id="refinement-submit"' in shown

    response = fgw.post(submit_url(task), {"version": "1"})
    assert response.status_code == 302
    assert (refinement(task).state, refinement(task).version) == (SUBMITTED, 2)
    assert refinement(task).submitted_by == world.fgw
    # Submitted: read-only for the lead unit, on the panel and on the edit page.
    shown = panel(html(fgw, task_url(task)))
    assert 'id="refinement-edit"' not in shown and 'id="refinement-submit"' not in shown
    assert fgw.get(edit_url(task)).status_code == 302
    late = edit_data(task, version=2, milestones=TWO_MILESTONES[:1], percents=(10, 20, 30, 40))
    assert fgw.post(edit_url(task), late).status_code == 409  # refused, input shown back
    assert Milestone.objects.filter(refinement__task=task).count() == 2

    office = world.as_office()
    shown = panel(html(office, task_url(task)))
    assert 'id="refinement-approve"' in shown and 'id="refinement-return"' in shown
    response = office.post(review_url(task), {"version": "2", "decision": "approve"})
    assert response.status_code == 302
    approved = refinement(task)
    assert (approved.state, approved.reviewed_by) == (ACCEPTED, world.office)

    shown = panel(html(fgw, task_url(task)))
    assert 'data-state="accepted"' in shown and 'id="refinement-edit"' not in shown
    assert (
        chinese("Approved: read-only. The supervision office can reopen it if it must change.")
        in shown
    )
    assert 'id="refinement-reopen"' in panel(html(office, task_url(task)))
    # Every step is in the task's history, attributed to whoever took it.
    events = AuditEvent.objects.filter(task_id=task.pk, object_type="reporting.refinement")
    assert {(e.username, (e.after or {}).get("state")) for e in events} >= {
        ("fgw", "draft"),
        ("fgw", "submitted"),
        ("office", "accepted"),
    }


def test_save_and_submit_in_one_step(world: World) -> None:
    refine_task_1(world, action="submit")
    assert state(world.task("1")) == SUBMITTED


def test_a_return_needs_a_comment_and_makes_the_refinement_editable_again(world: World) -> None:
    task = world.task("1")
    fgw = refine_task_1(world, action="submit")
    office = world.as_office()

    version = str(refinement(task).version)
    response = office.post(
        review_url(task), {"version": version, "decision": "return", "comment": " "}
    )
    assert response.status_code == 400
    assert chinese("Say what the lead unit should fix.") in response.content.decode()
    assert state(task) == SUBMITTED

    comment = "二季度形象进度偏低，请结合年度目标调整。"
    response = office.post(
        review_url(task), {"version": version, "decision": "return", "comment": comment}
    )
    assert response.status_code == 302
    assert (refinement(task).state, refinement(task).review_comment) == (RETURNED, comment)

    shown = panel(html(fgw, task_url(task)))
    assert 'data-state="returned"' in shown and comment in shown
    assert 'id="refinement-edit"' in shown
    assert comment in html(fgw, edit_url(task))  # shown while fixing it
    assert 'id="refinement-approve"' not in panel(html(office, task_url(task)))
    returned = refinement(task).version
    fixed = edit_data(
        task,
        version=returned,
        milestones=TWO_MILESTONES,
        percents=(25, 60, 80, 100),
        action="submit",
    )
    assert fgw.post(edit_url(task), fixed).status_code == 302
    again = refinement(task)
    assert (again.state, again.version) == (SUBMITTED, returned + 1)
    assert [q.expected_percent for q in again.quarters.all()] == [25, 60, 80, 100]


def test_the_office_reopens_an_approved_refinement_with_a_reason(world: World) -> None:
    task = world.task("1")
    refine_task_1(world, action="submit")
    office = world.as_office()
    office.post(review_url(task), {"version": refinement(task).version, "decision": "approve"})
    assert state(task) == ACCEPTED

    version = refinement(task).version
    response = office.post(review_url(task), {"version": version, "decision": "reopen"})
    assert response.status_code == 400
    assert state(task) == ACCEPTED
    response = office.post(
        review_url(task),
        {"version": version, "decision": "reopen", "comment": "目标调整，请重新细化"},
    )
    assert response.status_code == 302
    assert state(task) == RETURNED
    assert world.as_unit("发改委").get(edit_url(task)).status_code == 200


def test_the_office_cannot_approve_what_is_not_submitted(world: World) -> None:
    task = world.task("1")
    refine_task_1(world)  # a draft
    office = world.as_office()
    response = office.post(review_url(task), {"version": "1", "decision": "approve"})
    assert response.status_code == 302
    assert state(task) == DRAFT
    assert office.get(edit_url(task)).status_code == 403  # the office does not refine


@pytest.mark.parametrize("decision", ["approve", "return"])
def test_two_clerks_reviewing_at_once_one_wins(world: World, decision: str) -> None:
    task = world.task("1")
    refine_task_1(world, action="submit")
    office = world.as_office()
    data = {"version": refinement(task).version, "decision": decision, "comment": "请补充"}
    assert office.post(review_url(task), data).status_code == 302
    after = refinement(task)
    assert office.post(review_url(task), {**data, "decision": "approve"}).status_code == 302
    assert refinement(task).version == after.version  # the stale second review changed nothing


def test_each_milestone_shows_its_own_light(world: World) -> None:
    import time_machine

    with time_machine.travel("2023-03-29 10:00 +0800"):
        fgw = refine_task_1(world)
        page = html(fgw, task_url(world.task("1")))
    assert 'data-milestone-light="yellow"' in page  # due 31 March: two days away
    assert 'data-milestone-light="green"' in page  # due 31 December
