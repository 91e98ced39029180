"""Who may sign for and answer a 督办 notice, asked of the services directly (not the views).

The notice on task 1 goes to 发改委, its lead unit: 发改委's operators may sign and reply.
Another unit's operator (工信局, nowhere on task 1; 缑氏镇, responsible on task 1 through
各镇（街道） but not addressed), the leader, viewers and the office may not: PermissionDenied,
and the notice is left as it was.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from duban.accounts.models import Role
from duban.accounts.services import ensure_account
from duban.core.permissions import Action, can
from duban.directory.models import Unit
from duban.supervision.models import Notice, NoticeState
from duban.supervision.services import notices as services
from tests.support.world import PASSWORD, World

pytestmark = pytest.mark.usefixtures("may_4")

REFUSED = ["gongxin", "goushi", "zhulei", "office", "viewer", "former"]


def issue(world: World, unit: str = "发改委", co_units: tuple[str, ...] = ()) -> Notice:
    return services.issue_notice(
        task=world.task("1"),
        data=services.NoticeInput(
            level="supervise",
            problem="项目开工率偏低，一季度进度滞后。",
            requirement="加快项目审批，5月底前开工项目达到60个。",
            reply_due=date(2023, 5, 15),
            unit=Unit.objects.get(name=unit),
            co_units=[Unit.objects.get(name=name) for name in co_units],
        ),
        user=world.office,
    )


def person(world: World, who: str) -> Any:
    if who == "viewer":  # a viewer without a unit: reads every task
        return world.chaxun
    if who == "viewer_of_fgw":  # a viewer who belongs to the addressed unit
        return ensure_account(
            "viewer_fgw", PASSWORD, Role.VIEWER, unit=Unit.objects.get(name="发改委")
        )
    if who == "former":  # 发改委's operator whose account was deactivated
        user = ensure_account(
            "former", PASSWORD, Role.UNIT_OPERATOR, unit=Unit.objects.get(name="发改委")
        )
        user.is_active = False
        user.save()
        return user
    return world.user(who)


def as_stored(notice: Notice) -> dict[str, Any]:
    fresh = Notice.objects.get(pk=notice.pk)
    return {
        name: getattr(fresh, name)
        for name in (
            "state",
            "signed_at",
            "signed_by_id",
            "reply_text",
            "replied_at",
            "replied_by_id",
        )
    } | {"files": fresh.files.count()}


def test_the_addressed_units_operators_sign_and_reply(world: World) -> None:
    notice = issue(world)
    signed = services.sign_notice(notice=notice, user=world.fgw)
    assert (signed.state, signed.signed_by) == (NoticeState.SIGNED, world.fgw)
    replied = services.reply_notice(notice=notice, text="已开工项目58个。", user=world.chenjing)
    assert (replied.state, replied.replied_by) == (NoticeState.REPLIED, world.chenjing)
    assert Notice.objects.get(pk=notice.pk).reply_text == "已开工项目58个。"


def test_a_reply_without_signing_first_signs_too(world: World) -> None:
    notice = issue(world)
    replied = services.reply_notice(notice=notice, text="正在推进。", user=world.fgw)
    assert replied.state == NoticeState.REPLIED
    assert replied.signed_by == world.fgw and replied.signed_at is not None


def assert_refused(world: World, user: Any) -> None:
    """``user`` may neither sign for the issued notice nor reply to it once 发改委 signed."""
    notice = issue(world)
    assert not can(user, Action.REPLY, notice)
    before = as_stored(notice)
    with pytest.raises(PermissionDenied):
        services.sign_notice(notice=notice, user=user)
    with pytest.raises(PermissionDenied):
        services.reply_notice(notice=notice, text="代为反馈。", user=user)
    assert as_stored(notice) == before
    assert before["state"] == NoticeState.ISSUED

    services.sign_notice(notice=notice, user=world.fgw)
    signed = as_stored(notice)
    with pytest.raises(PermissionDenied):
        services.reply_notice(notice=notice, text="代为反馈。", user=user)
    assert as_stored(notice) == signed
    assert (signed["state"], signed["reply_text"]) == (NoticeState.SIGNED, "")


@pytest.mark.parametrize("who", REFUSED)
def test_others_may_not_sign_or_reply(world: World, who: str) -> None:
    assert_refused(world, person(world, who))


def test_a_viewer_of_the_addressed_unit_may_not_answer(world: World) -> None:
    """A viewer reads; belonging to 发改委 (the user pages let a viewer keep a unit) does not
    make him 发改委's operator."""
    assert_refused(world, person(world, "viewer_of_fgw"))


def test_a_responsible_unit_answers_only_what_is_addressed_to_it(world: World) -> None:
    """投促中心 is responsible on task 1: its operator answers a notice addressed to it (or
    naming it as co-operating unit), not one addressed to 发改委 alone."""
    touzi = ensure_account(
        "touzi", PASSWORD, Role.UNIT_OPERATOR, unit=Unit.objects.get(name="投促中心")
    )
    to_fgw = issue(world)
    with pytest.raises(PermissionDenied):
        services.sign_notice(notice=to_fgw, user=touzi)
    with pytest.raises(PermissionDenied):
        services.reply_notice(notice=to_fgw, text="x", user=touzi)
    assert as_stored(to_fgw)["state"] == NoticeState.ISSUED

    to_touzi = issue(world, unit="投促中心")
    assert services.sign_notice(notice=to_touzi, user=touzi).signed_by == touzi
    # Named as co-operating unit on a notice to 发改委, it answers that notice too.
    co = issue(world, co_units=("投促中心",))
    assert services.reply_notice(notice=co, text="配合推进。", user=touzi).replied_by == touzi
