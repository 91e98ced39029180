"""No state is a dead end: every state machine of duban, walked state by state.

For each machine this file declares its final states and, for every other state, the ways out
of it: who takes the step, and the real service they call. Each way out is tried on an object
built in that state in the test world (tests/support/world.py), by that person, and must move
the object to another state.

The declaration is checked against the model's choices: a state added to a model without a way
out (or without being declared final) fails ``test_every_state_is_final_or_has_a_way_out``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import models

from duban.core import clock
from duban.inspections import services as inspections
from duban.inspections.models import (
    Inspection,
    InspectionState,
    ItemState,
    RectificationItem,
)
from duban.ledger.models import Task
from duban.reporting.models import Period, PeriodState, Refinement, Report, ReviewState
from duban.reporting.services import refinement as refinements
from duban.reporting.services import reports
from duban.reporting.services.periods import close_period, open_period
from duban.reporting.services.refinement_rules import MilestoneInput, RefinementInput
from duban.supervision.models import (
    Circular,
    CircularState,
    ExtensionRequest,
    ExtensionState,
    Notice,
    NoticeLevel,
    NoticeState,
)
from duban.supervision.services import circulars, notices
from tests.support.inspections import (
    new_item,
    plan_inspection,
    report_with_evidence,
)
from tests.support.reporting import q1_input
from tests.support.world import World

Build = Callable[[World], models.Model]
Take = Callable[[World, Any], Any]


@dataclass(frozen=True)
class Exit:
    """A way out of a state: who takes it (for people) and the real service call."""

    who: str
    what: str
    take: Take


@dataclass(frozen=True)
class Machine:
    name: str
    model: type[models.Model]
    states: type[models.TextChoices]
    final: frozenset[str]
    build: dict[str, Build]  # an object in each non-final state
    exits: dict[str, list[Exit]] = field(default_factory=dict)


def state_of(obj: models.Model) -> str:
    """The state as stored now (the services work on locked copies)."""
    fresh = type(obj)._default_manager.get(pk=obj.pk)
    return str(fresh.state)  # type: ignore[attr-defined]


def later(days: int) -> date:
    return clock.today() + timedelta(days=days)


# --- Reports (ReviewState): 发改委 writes task 1's 2023Q1 report, the office reviews it ---------


def report_draft(w: World) -> Report:
    return reports.save_report(
        task=w.task("1"), period=w.q1, user=w.fgw, data=q1_input(), version=0
    )


def report_submitted(w: World) -> Report:
    return reports.submit_report(report=report_draft(w), user=w.fgw)


def report_returned(w: World) -> Report:
    return reports.return_report(report=report_submitted(w), user=w.office, comment="请补充数据。")


REPORTS = Machine(
    name="report",
    model=Report,
    states=ReviewState,
    final=frozenset({ReviewState.ACCEPTED}),
    build={
        ReviewState.DRAFT: report_draft,
        ReviewState.SUBMITTED: report_submitted,
        ReviewState.RETURNED: report_returned,
    },
    exits={
        ReviewState.DRAFT: [
            Exit(
                "the lead unit", "submits", lambda w, r: reports.submit_report(report=r, user=w.fgw)
            )
        ],
        ReviewState.SUBMITTED: [
            Exit(
                "the office", "accepts", lambda w, r: reports.accept_report(report=r, user=w.office)
            ),
            Exit(
                "the office",
                "returns",
                lambda w, r: reports.return_report(report=r, user=w.office, comment="请补充。"),
            ),
        ],
        ReviewState.RETURNED: [
            Exit(
                "the lead unit",
                "submits again",
                lambda w, r: reports.submit_report(report=r, user=w.chenjing),
            )
        ],
    },
)


# --- Refinements (ReviewState): 发改委 refines task 1, the office reviews (and may reopen) -----


def complete_refinement(w: World) -> RefinementInput:
    return RefinementInput(
        milestones=[MilestoneInput("完成项目集中开工", date(2023, 6, 30), w.unit("发改委").pk)],
        percents=(25, 50, 75, 100),
    )


def refinement_draft(w: World) -> Refinement:
    return refinements.save_refinement(
        task=w.task("1"), user=w.fgw, version=0, data=complete_refinement(w)
    ).refinement


def refinement_submitted(w: World) -> Refinement:
    draft = refinement_draft(w)
    return refinements.submit_refinement(
        task=draft.task, user=w.fgw, version=draft.version
    ).refinement


def refinement_returned(w: World) -> Refinement:
    submitted = refinement_submitted(w)
    return refinements.return_refinement(
        task=submitted.task, user=w.office, version=submitted.version, comment="请细化节点。"
    )


def refinement_accepted(w: World) -> Refinement:
    submitted = refinement_submitted(w)
    return refinements.approve_refinement(
        task=submitted.task, user=w.office, version=submitted.version
    )


def _refine(step: Callable[..., Any], user: str, **kwargs: Any) -> Take:
    def take(w: World, r: Refinement) -> Any:
        return step(task=r.task, user=w.user(user), version=r.version, **kwargs)

    return take


REFINEMENTS = Machine(
    name="refinement",
    model=Refinement,
    states=ReviewState,
    final=frozenset(),  # an approved refinement can be reopened by the office
    build={
        ReviewState.DRAFT: refinement_draft,
        ReviewState.SUBMITTED: refinement_submitted,
        ReviewState.RETURNED: refinement_returned,
        ReviewState.ACCEPTED: refinement_accepted,
    },
    exits={
        ReviewState.DRAFT: [
            Exit("the lead unit", "submits", _refine(refinements.submit_refinement, "fgw"))
        ],
        ReviewState.SUBMITTED: [
            Exit("the office", "approves", _refine(refinements.approve_refinement, "office")),
            Exit(
                "the office",
                "returns",
                _refine(refinements.return_refinement, "office", comment="请细化。"),
            ),
        ],
        ReviewState.RETURNED: [
            Exit("the lead unit", "submits again", _refine(refinements.submit_refinement, "fgw"))
        ],
        ReviewState.ACCEPTED: [
            Exit(
                "the office",
                "reopens",
                _refine(refinements.reopen_refinement, "office", comment="目标调整，请重新细化。"),
            )
        ],
    },
)


# --- Supervision notices (NoticeState): the office urges 发改委 on task 1 ----------------------


def notice_issued(w: World) -> Notice:
    return notices.issue_notice(
        task=w.task("1"),
        data=notices.NoticeInput(
            level=NoticeLevel.SUPERVISE,
            problem="一季度投资进度滞后。",
            requirement="请于两周内报送整改措施。",
            reply_due=later(14),
        ),
        user=w.office,
    )


def notice_signed(w: World) -> Notice:
    return notices.sign_notice(notice=notice_issued(w), user=w.fgw)


def notice_replied(w: World) -> Notice:
    return notices.reply_notice(notice=notice_signed(w), text="已制定整改措施。", user=w.fgw)


def _press(w: World, n: Notice) -> Any:
    return notices.press_again(notice=n, reply_due=later(21), comment="仍未落实。", user=w.office)


NOTICES = Machine(
    name="notice",
    model=Notice,
    states=NoticeState,
    final=frozenset({NoticeState.ACCEPTED, NoticeState.PRESSED}),
    build={
        NoticeState.ISSUED: notice_issued,
        NoticeState.SIGNED: notice_signed,
        NoticeState.REPLIED: notice_replied,
    },
    exits={
        NoticeState.ISSUED: [
            Exit("the unit", "signs", lambda w, n: notices.sign_notice(notice=n, user=w.fgw)),
            Exit(
                "the unit",
                "replies",
                lambda w, n: notices.reply_notice(notice=n, text="已整改。", user=w.fgw),
            ),
            Exit("the office", "presses again", _press),
        ],
        NoticeState.SIGNED: [
            Exit(
                "the unit",
                "replies",
                lambda w, n: notices.reply_notice(notice=n, text="已整改。", user=w.fgw),
            ),
            Exit("the office", "presses again", _press),
        ],
        NoticeState.REPLIED: [
            Exit(
                "the office", "accepts", lambda w, n: notices.accept_reply(notice=n, user=w.office)
            ),
            Exit("the office", "presses again", _press),
        ],
    },
)


# --- Extension requests (ExtensionState): 发改委 asks for a later deadline of task 1 -----------


def extension_pending(w: World) -> ExtensionRequest:
    Task.objects.filter(pk=w.task("1").pk).update(deadline=later(30))
    return notices.request_extension(
        task=w.task("1"),
        milestone=None,
        requested_due=later(90),
        reason="用地审批尚未完成。",
        user=w.fgw,
    )


EXTENSIONS = Machine(
    name="extension",
    model=ExtensionRequest,
    states=ExtensionState,
    final=frozenset({ExtensionState.APPROVED, ExtensionState.REFUSED}),
    build={ExtensionState.PENDING: extension_pending},
    exits={
        ExtensionState.PENDING: [
            Exit(
                "the office",
                "approves",
                lambda w, r: notices.decide_extension(request=r, approve=True, user=w.office),
            ),
            Exit(
                "the office",
                "refuses",
                lambda w, r: notices.decide_extension(
                    request=r, approve=False, comment="理由不充分。", user=w.office
                ),
            ),
        ]
    },
)


# --- Special inspections (InspectionState): the office plans and carries them out -------------


def _inspection_to(state: str) -> Take:
    def take(w: World, i: Inspection) -> Any:
        return inspections.update_inspection(
            inspection=i,
            topic=i.topic,
            tasks=list(i.tasks.all()),
            team=i.team,
            starts_on=i.starts_on,
            ends_on=i.ends_on,
            state=state,
            user=w.office,
        )

    return take


INSPECTIONS = Machine(
    name="inspection",
    model=Inspection,
    states=InspectionState,
    final=frozenset({InspectionState.FINISHED}),
    build={
        InspectionState.PLANNED: lambda w: plan_inspection(w, InspectionState.PLANNED),
        InspectionState.UNDER_WAY: lambda w: plan_inspection(w, InspectionState.UNDER_WAY),
    },
    exits={
        InspectionState.PLANNED: [
            Exit("the office", "starts it", _inspection_to(InspectionState.UNDER_WAY))
        ],
        InspectionState.UNDER_WAY: [
            Exit("the office", "finishes it", _inspection_to(InspectionState.FINISHED))
        ],
    },
)


# --- Rectification items (ItemState): 发改委 fixes what the inspection found -------------------


def item_reported(w: World) -> RectificationItem:
    return report_with_evidence(w, new_item(w))


def item_returned(w: World) -> RectificationItem:
    return inspections.return_item(item=item_reported(w), reason="请补充照片。", user=w.office)


def item_verified(w: World) -> RectificationItem:
    return inspections.verify_item(item=item_reported(w), user=w.office)


def item_verified_without_evidence(w: World) -> RectificationItem:
    """Verified on a report without evidence: it cannot be closed, only returned."""
    item = inspections.report_item(item=new_item(w), text="已整改。", user=w.fgw)
    return inspections.verify_item(item=item, user=w.office)


def _return_item(w: World, item: RectificationItem) -> Any:
    return inspections.return_item(item=item, reason="请补充佐证材料。", user=w.office)


ITEMS = Machine(
    name="rectification item",
    model=RectificationItem,
    states=ItemState,
    final=frozenset({ItemState.CLOSED}),
    build={
        ItemState.OPEN: new_item,
        ItemState.REPORTED: item_reported,
        ItemState.RETURNED: item_returned,
        ItemState.VERIFIED: item_verified,
    },
    exits={
        ItemState.OPEN: [
            Exit("the owner unit", "reports", lambda w, i: report_with_evidence(w, i)),
        ],
        ItemState.REPORTED: [
            Exit(
                "the office",
                "verifies",
                lambda w, i: inspections.verify_item(item=i, user=w.office),
            ),
            Exit("the office", "returns", _return_item),
        ],
        ItemState.RETURNED: [
            Exit(
                "the owner unit",
                "reports again",
                lambda w, i: report_with_evidence(w, i, "已补充照片。", user=w.chenjing),
            ),
        ],
        ItemState.VERIFIED: [
            Exit(
                "the office", "closes", lambda w, i: inspections.close_item(item=i, user=w.office)
            ),
            Exit("the office", "returns", _return_item),
        ],
    },
)


# --- Circulars (CircularState): the office's quarterly 通报 ------------------------------------


CIRCULARS = Machine(
    name="circular",
    model=Circular,
    states=CircularState,
    final=frozenset({CircularState.ISSUED}),
    build={CircularState.DRAFT: lambda w: circulars.create_draft(period=w.q1, user=w.office)},
    exits={
        CircularState.DRAFT: [
            Exit(
                "the office",
                "issues it",
                lambda w, c: circulars.issue_circular(circular=c, user=w.office),
            )
        ]
    },
)


# --- Reporting periods (PeriodState): the office opens, closes and reopens them ---------------


def period_closed(w: World) -> Period:
    return close_period(period=w.q1, user=w.office)


PERIODS = Machine(
    name="period",
    model=Period,
    states=PeriodState,
    final=frozenset(),  # a closed period can be reopened
    build={
        PeriodState.PLANNED: lambda w: w.period("2023Q2"),
        PeriodState.OPEN: lambda w: w.q1,
        PeriodState.CLOSED: period_closed,
    },
    exits={
        PeriodState.PLANNED: [
            Exit("the office", "opens it", lambda w, p: open_period(period=p, user=w.office))
        ],
        PeriodState.OPEN: [
            Exit("the office", "closes it", lambda w, p: close_period(period=p, user=w.office))
        ],
        PeriodState.CLOSED: [
            Exit("the office", "reopens it", lambda w, p: open_period(period=p, user=w.office))
        ],
    },
)


MACHINES = [REPORTS, REFINEMENTS, NOTICES, EXTENSIONS, INSPECTIONS, ITEMS, CIRCULARS, PERIODS]


def _non_final() -> list[Any]:
    """Every non-final state of every machine, read from the MODEL's choices (not from the
    declaration), so that a new state shows up here whether or not it was declared."""
    return [
        pytest.param(machine, state, id=f"{machine.name}-{state}")
        for machine in MACHINES
        for state in machine.states.values
        if state not in machine.final
    ]


def _ways_out() -> list[Any]:
    return [
        pytest.param(machine, state, way, id=f"{machine.name}-{state}-{way.who}-{way.what}")
        for machine in MACHINES
        for state, ways in machine.exits.items()
        for way in ways
    ]


@pytest.mark.parametrize("machine", MACHINES, ids=lambda m: m.name)
def test_the_declared_states_are_the_models_choices(machine: Machine) -> None:
    declared = set(machine.final) | set(machine.exits)
    assert declared == set(machine.states.values), (
        f"{machine.name}: declare every state of {machine.states.__name__} as final or with "
        f"its ways out (declared {sorted(declared)}, the model has "
        f"{sorted(machine.states.values)})"
    )
    assert not set(machine.final) & set(machine.exits), f"{machine.name}: final with a way out?"
    field_choices = {value for value, _label in machine.model._meta.get_field("state").choices}  # type: ignore[union-attr]
    assert field_choices == set(machine.states.values), (
        f"{machine.name}: the model's state field offers {sorted(field_choices)}"
    )


@pytest.mark.parametrize(("machine", "state"), _non_final())
def test_every_state_is_final_or_has_a_way_out(machine: Machine, state: str) -> None:
    assert machine.exits.get(state), (
        f"{machine.name}: “{state}” is not final and nobody can move it out of it: add the "
        "service that does (and declare it here), or declare the state final"
    )
    assert state in machine.build, f"{machine.name}: say how to build an object in “{state}”"


@pytest.mark.django_db
@pytest.mark.parametrize(("machine", "state", "way"), _ways_out())
def test_someone_moves_it_out(world: World, machine: Machine, state: str, way: Exit) -> None:
    obj = machine.build[state](world)
    assert state_of(obj) == state, f"{machine.name}: built in “{state_of(obj)}”, not “{state}”"
    way.take(world, obj)
    after = state_of(obj)
    assert after != state, f"{machine.name}: {way.who} {way.what}, yet it is still “{state}”"


@pytest.mark.django_db
def test_a_verified_item_without_evidence_is_no_dead_end(world: World) -> None:
    """The dead end this walk was written for: verified on a report without evidence, an item
    cannot be closed — the office returns it, the unit reports with evidence, and it closes."""
    item = item_verified_without_evidence(world)
    with pytest.raises(inspections.InspectionError):
        inspections.close_item(item=item, user=world.office)
    _return_item(world, item)
    assert state_of(item) == ItemState.RETURNED
    report_with_evidence(world, item)
    inspections.verify_item(item=item, user=world.office)
    inspections.close_item(item=item, user=world.office)
    assert state_of(item) == ItemState.CLOSED


@pytest.mark.django_db
def test_a_returned_report_in_a_closed_period_is_no_dead_end(world: World) -> None:
    """Returned, then the period closed: the unit cannot resubmit until the office reopens the
    period — then it can."""
    report = report_returned(world)
    close_period(period=world.q1, user=world.office)
    with pytest.raises(reports.ReportingError):
        reports.submit_report(report=report, user=world.fgw)
    open_period(period=world.period("2023Q1"), user=world.office)
    reports.submit_report(report=report, user=world.fgw)
    assert state_of(report) == ReviewState.SUBMITTED
