"""Task 2's open placeholder 相关镇（街道） is named by 发改委 (townships only), and two operators
of 发改委 editing the same draft: the first save wins, the second is refused and keeps its input."""

from __future__ import annotations

import re

import pytest

from duban.directory.models import Unit
from duban.ledger.models import Assignment
from duban.reporting.models import Milestone, SlotUnit
from duban.reporting.services import refinement as workflow
from duban.reporting.services.refinement_rules import MilestoneInput, RefinementInput, slot_scope
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
from tests.support.world import World, signed_in


def open_slot(world: World) -> Assignment:
    return world.task("2").assignments.get(group__name="相关镇（街道）")


def test_fgw_names_the_towns_behind_the_open_slot_of_task_2(world: World) -> None:
    task, slot = world.task("2"), open_slot(world)
    fgw = world.as_unit("发改委")
    page = html(fgw, edit_url(task))
    assert f'name="slot_{slot.pk}"' in page
    offered = set(re.findall(rf'name="slot_{slot.pk}" value="(\d+)"', page))
    townships = Unit.objects.filter(kind__in=("town", "street"))
    assert offered == {str(pk) for pk in townships.values_list("pk", flat=True)}
    assert len(offered) == 13

    data = edit_data(
        task,
        version=0,
        milestones=[("电池箔项目竣工投产", "2023-09-30", "缑氏镇")],  # one of the towns named
        percents=(20, 50, 80, 100),
        slots={slot.pk: ["缑氏镇", "府店镇"]},
        action="submit",
    )
    response = fgw.post(edit_url(task), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    named = SlotUnit.objects.filter(assignment=slot).values_list("unit__name", flat=True)
    assert sorted(named) == ["府店镇", "缑氏镇"]
    shown = panel(html(fgw, task_url(task)))
    assert "相关镇（街道）" in shown and "缑氏镇" in shown and "府店镇" in shown


def test_only_townships_stand_behind_the_open_slot(world: World) -> None:
    task, slot = world.task("2"), open_slot(world)
    fgw = world.as_unit("发改委")
    data = edit_data(task, version=0, slots={slot.pk: ["工信局"]})
    assert fgw.post(edit_url(task), data).status_code == 400  # not even offered
    bureau = Unit.objects.get(name="工信局").pk
    with pytest.raises(workflow.InvalidRefinement) as refused:
        workflow.save_refinement(
            task=task, user=world.fgw, version=0, data=RefinementInput(slots={slot.pk: [bureau]})
        )
    assert refused.value.errors[0].where == f"slot-{slot.pk}"
    assert not SlotUnit.objects.exists()


def test_a_milestone_for_a_town_needs_the_town_named_first(world: World) -> None:
    task = world.task("2")
    town = Unit.objects.get(name="缑氏镇").pk
    from datetime import date

    data = RefinementInput(milestones=[MilestoneInput("开工", date(2023, 6, 30), town)])
    with pytest.raises(workflow.InvalidRefinement):
        workflow.save_refinement(task=task, user=world.fgw, version=0, data=data)


def test_submission_needs_every_open_slot_named(world: World) -> None:
    task = world.task("2")
    fgw = world.as_unit("发改委")
    data = edit_data(
        task, version=0, milestones=TWO_MILESTONES[:1], percents=(20, 50, 80, 100), action="submit"
    )
    response = fgw.post(edit_url(task), data)
    assert response.status_code == 400
    assert chinese("Name the units behind “%(group)s”.") % {"group": "相关镇（街道）"} in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("name", "kinds"),
    [
        ("相关镇（街道）", {"town", "street"}),
        ("相关街道", {"street"}),
        ("相关单位", set()),  # any active unit
    ],
)
def test_what_each_placeholder_may_stand_for(world: World, name: str, kinds: set[str]) -> None:
    from duban.directory.models import Group

    group = Group.objects.get(name=name)
    found = set(Unit.objects.filter(slot_scope(group)).values_list("kind", flat=True))
    everything = set(Unit.objects.filter(active=True).values_list("kind", flat=True))
    assert found == (kinds or everything)


def test_two_operators_save_the_same_draft_the_second_is_refused_and_keeps_its_input(
    world: World,
) -> None:
    task = world.task("1")
    # 王强 and 陈静 both report for 发改委.
    wang, chen = world.as_unit("发改委"), signed_in(None, world.chenjing)
    workflow.save_refinement(
        task=task, user=world.fgw, version=0, data=RefinementInput(percents=(10, None, None, None))
    )
    # Both open the draft at version 1.
    for client in (wang, chen):
        assert 'name="version" value="1"' in html(client, edit_url(task))

    mine = edit_data(task, version=1, milestones=TWO_MILESTONES, percents=(25, 50, 75, 100))
    assert wang.post(edit_url(task), mine).status_code == 302
    assert refinement(task).version == 2

    theirs = edit_data(
        task,
        version=1,
        milestones=[("招商引资签约", "2023-05-31", "投促中心")],
        percents=(30, 60, 90, 100),
    )
    response = chen.post(edit_url(task), theirs)
    assert response.status_code == 409
    page = response.content.decode()
    assert chinese(workflow.STALE_MESSAGE) in page
    assert 'value="招商引资签约"' in page and 'name="percent_1" value="30"' in page  # kept
    assert 'id="latest"' in page and "完成一季度项目集中开工" in page  # what won, to compare
    assert 'name="version" value="2"' in page  # saving again replaces it knowingly
    saved = refinement(task)
    assert saved.version == 2
    assert [q.expected_percent for q in saved.quarters.all()] == [25, 50, 75, 100]
    assert list(
        Milestone.objects.filter(refinement=saved).values_list("description", flat=True)
    ) == [
        "完成一季度项目集中开工",
        "年度完成投资294亿元",
    ]

    again = {**theirs, "version": "2"}
    assert chen.post(edit_url(task), again).status_code == 302
    saved = refinement(task)
    assert saved.version == 3
    assert [m.description for m in saved.milestones.all()] == ["招商引资签约"]


def test_two_first_drafts_at_once_only_one_is_created(world: World) -> None:
    task = world.task("1")
    workflow.save_refinement(task=task, user=world.fgw, version=0, data=RefinementInput())
    with pytest.raises(workflow.StaleRefinement):
        workflow.save_refinement(
            task=task, user=world.fgw, version=0, data=RefinementInput(percents=(5, 6, 7, 8))
        )
    assert refinement(task).version == 1
    assert not refinement(task).quarters.exists()


def test_a_submission_by_a_colleague_makes_the_form_read_only(world: World) -> None:
    task = world.task("1")
    fgw = world.as_unit("发改委")
    opened = edit_data(task, version=0, milestones=TWO_MILESTONES, percents=(25, 50, 75, 100))
    workflow.save_refinement(
        task=task,
        user=world.fgw,
        version=0,
        data=RefinementInput(
            milestones=[MilestoneInput("已提交", _date(), Unit.objects.get(name="发改委").pk)],
            percents=(25, 50, 75, 100),
        ),
        submit=True,
    )
    response = fgw.post(edit_url(task), opened)
    assert response.status_code == 409
    page = response.content.decode()
    assert 'value="完成一季度项目集中开工"' in page
    assert (
        chinese(
            "It can no longer be changed by the lead unit; keep a copy of what you wrote below if you need it."
        )
        in page
    )
    assert refinement(task).state == "submitted"


def _date() -> object:
    from datetime import date

    return date(2023, 6, 30)


def test_the_version_moves_forward_in_one_conditional_update(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    task = world.task("1")
    workflow.save_refinement(task=task, user=world.fgw, version=0, data=RefinementInput())
    with CaptureQueriesContext(connection) as captured:
        workflow.save_refinement(task=task, user=world.fgw, version=1, data=RefinementInput())
    updates = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('UPDATE "reporting_refinement"')
    ]
    assert len(updates) == 1
    assert re.search(r'WHERE .*"reporting_refinement"\."version" = 1', updates[0])
    assert '"version" = 2' in updates[0]
