"""Who may do what to a refinement: the lead unit's operator refines, the office reviews, a
responsible unit and a leader read, a unit the task does not concern sees nothing (403)."""

from __future__ import annotations

import pytest
from django.test import Client

from duban.reporting.services import refinement as workflow
from duban.reporting.services.refinement_rules import RefinementInput
from tests.support.refinement import (
    edit_data,
    edit_url,
    html,
    page_url,
    panel,
    refine_task_1,
    review_url,
    state,
    submit_url,
    task_url,
)
from tests.support.world import World

BUTTONS = (
    'id="refinement-edit"',
    'id="refinement-submit"',
    'id="refinement-approve"',
    'id="refinement-return"',
    'id="refinement-reopen"',
)


def test_gxj_may_neither_refine_nor_see_task_1(world: World) -> None:
    """Task 1 is 发改委's with 投促中心 and 各镇（街道）: nothing of it concerns 工信局."""
    task = world.task("1")
    refine_task_1(world, action="submit")
    gxj = world.as_unit("工信局")
    assert gxj.get(page_url(task)).status_code == 403
    assert gxj.get(edit_url(task)).status_code == 403
    data = edit_data(task, version=1, percents=(10, 20, 30, 40))
    assert gxj.post(edit_url(task), data).status_code == 403
    assert gxj.post(submit_url(task), {"version": "1"}).status_code == 403
    assert gxj.post(review_url(task), {"version": "1", "decision": "approve"}).status_code == 403
    with pytest.raises(workflow.NotAllowed):
        workflow.save_refinement(task=task, user=world.gongxin, version=1, data=RefinementInput())
    assert state(task) == "submitted"


def test_gxj_reads_task_2_where_it_is_responsible_but_does_not_refine_it(world: World) -> None:
    task = world.task("2")
    gxj = world.as_unit("工信局")
    page = html(gxj, page_url(task))
    assert not any(button in page for button in BUTTONS)
    assert gxj.get(edit_url(task)).status_code == 403


def test_the_leader_reads_the_refinement_and_changes_nothing(world: World) -> None:
    task = world.task("1")
    refine_task_1(world, action="submit")
    zhulei = world.as_leader("朱蕾")
    page = html(zhulei, page_url(task))
    assert "完成一季度项目集中开工" in page
    assert not any(button in page for button in BUTTONS)
    assert not any(button in panel(html(zhulei, task_url(task))) for button in BUTTONS)
    assert zhulei.get(edit_url(task)).status_code == 403
    assert zhulei.post(submit_url(task), {"version": "1"}).status_code == 403
    assert zhulei.post(review_url(task), {"version": "1", "decision": "approve"}).status_code == 403
    assert state(task) == "submitted"


def test_a_signed_out_visitor_is_sent_to_sign_in(world: World) -> None:
    task = world.task("1")
    response = Client().get(edit_url(task))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_unknown_task_is_404(world: World) -> None:
    assert world.as_unit("发改委").get("/reporting/tasks/99999/refinement/").status_code == 404
