"""督办 notices through the API: the addressed unit reads, signs for and answers them with its
token, through the notice service; others see them only with their task, and may not answer."""

from __future__ import annotations

import datetime

from duban.accounts.models import TokenScope
from duban.core import clock
from duban.supervision.models import Notice, NoticeState
from duban.supervision.services.notices import NoticeInput, issue_notice
from tests.support.api import as_token
from tests.support.world import World


def _notice(world: World, unit: str = "发改委") -> Notice:
    return issue_notice(
        task=world.task("1"),
        data=NoticeInput(
            level="supervise",
            problem="一季度投资进度滞后",
            requirement="请于规定时间内报送整改措施",
            reply_due=clock.today() + datetime.timedelta(days=10),
            unit=world.unit(unit),
        ),
        user=world.office,
    )


def test_the_addressed_unit_signs_and_answers_with_its_token(world: World) -> None:
    notice = _notice(world)
    api = as_token(world.fgw)
    listed = api.get("notices/", {"waiting": "reply"}).json()
    assert [item["id"] for item in listed["items"]] == [notice.pk]
    item = listed["items"][0]
    assert item["doc_number"] == notice.doc_number and item["level_label"]
    assert item["unit"]["name"] == "发改委" and item["tasks"] == [world.task("1").pk]
    signed = api.post(f"notices/{notice.pk}/sign/")
    assert signed.status_code == 200 and signed.json()["state"] == "signed"
    again = api.post(f"notices/{notice.pk}/sign/")
    assert again.status_code == 400 and "已签收" in again.json()["detail"]
    empty = api.post(f"notices/{notice.pk}/reply/", {"text": ""})
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "body.text"
    replied = api.post(f"notices/{notice.pk}/reply/", {"text": "已制定整改措施，本月底前完成。"})
    assert replied.status_code == 200 and replied.json()["state"] == "replied"
    notice.refresh_from_db()
    assert notice.state == NoticeState.REPLIED and notice.replied_by == world.fgw


def test_others_read_it_with_its_task_but_may_not_answer(world: World) -> None:
    notice = _notice(world)
    goushi = as_token(world.goushi)  # sees task 1, the notice is 发改委's
    assert goushi.get(f"notices/{notice.pk}/").status_code == 200
    assert goushi.post(f"notices/{notice.pk}/reply/", {"text": "x"}).status_code == 403
    gongxin = as_token(world.gongxin, TokenScope.READ)  # not on task 1
    assert gongxin.get("notices/").json()["count"] == 0
    assert gongxin.get(f"notices/{notice.pk}/").status_code == 403
    notice.refresh_from_db()
    assert notice.state == NoticeState.ISSUED
