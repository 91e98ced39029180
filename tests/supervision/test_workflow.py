"""The notice workflow with the real seed: issue, sign, reply with evidence, accept; press
again; who may do what."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from duban.audit.models import AuditEvent
from duban.directory.models import Unit
from duban.supervision.models import Notice, NoticeState
from duban.supervision.services import notices as services
from tests.support.files import png_bytes, upload
from tests.support.world import World

pytestmark = pytest.mark.usefixtures("may_4")


def issue(client: Client, world: World, **changes: object) -> Notice:
    task = world.task("1")
    data = {
        "level": "supervise",
        "units": [Unit.objects.get(name="发改委").pk],
        "problem": "项目开工率偏低，一季度进度滞后。",
        "requirement": "加快项目审批，5月底前开工项目达到60个。",
        "reply_due": "2023-05-15",
        **changes,
    }
    response = world.as_office(client).post(reverse("supervision:notice_new", args=[task.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Notice.objects.latest("pk")


def test_issue_sign_reply_accept(client: Client, world: World) -> None:
    notice = issue(client, world)
    assert notice.doc_number == "偃督办〔2023〕1号"
    assert notice.state == NoticeState.ISSUED
    assert re.fullmatch(r"偃督办〔\d{4}〕[1-9]\d*号", notice.doc_number)

    fgw = Client()
    world.as_unit("发改委", fgw)
    page = fgw.get(reverse("supervision:notice", args=[notice.pk]))
    assert page.status_code == 200
    assert "偃督办〔2023〕1号" in page.content.decode()
    assert fgw.post(reverse("supervision:notice_sign", args=[notice.pk])).status_code == 302
    notice.refresh_from_db()
    assert notice.state == NoticeState.SIGNED
    assert notice.signed_by == world.fgw and notice.signed_at is not None

    response = fgw.post(
        reverse("supervision:notice_reply", args=[notice.pk]),
        {
            "text": "已开工项目58个，其余2个月底前开工。",
            "attachments": [upload("进度.png", png_bytes())],
        },
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.state == NoticeState.REPLIED
    assert notice.replied_by == world.fgw
    [evidence] = notice.files.all()
    assert evidence.original_name == "进度.png"
    download = fgw.get(reverse("supervision:file_download", args=[evidence.pk]))
    assert download.status_code == 200

    office = Client()
    world.as_office(office)
    response = office.post(
        reverse("supervision:notice_accept", args=[notice.pk]), {"comment": "办理到位。"}
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.state == NoticeState.ACCEPTED
    assert notice.closed_by == world.office

    # Every step is in the task's history.
    events = AuditEvent.objects.filter(task_id=notice.task_id, object_type="supervision.notice")
    assert events.count() >= 4
    # The task page shows the panel.
    task_page = office.get(reverse("ledger:task", args=[notice.task_id]))
    assert 'id="supervision"' in task_page.content.decode()
    assert "偃督办〔2023〕1号" in task_page.content.decode()


def test_press_again_issues_a_follow_up(client: Client, world: World) -> None:
    first = issue(client, world)
    services.reply_notice(notice=first, text="正在推进。", user=world.fgw)
    response = client.post(
        reverse("supervision:notice_press", args=[first.pk]),
        {
            "comment": "反馈内容空泛，未说明开工数量。",
            "requirement": "",
            "level": "listed",
            "reply_due": "2023-05-25",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.state == NoticeState.PRESSED
    follow_up = Notice.objects.get(parent=first)
    assert follow_up.doc_number == "偃督办〔2023〕2号"
    assert follow_up.level == "listed"
    assert follow_up.reply_due == date(2023, 5, 25)
    assert follow_up.state == NoticeState.ISSUED
    assert follow_up.requirement == first.requirement
    # The unit answers the follow-up as before; a pressed notice takes no reply.
    with pytest.raises(services.SupervisionError):
        services.reply_notice(notice=first, text="x", user=world.fgw)
    services.sign_notice(notice=follow_up, user=world.fgw)


def test_serial_per_year_and_agency_code(client: Client, world: World, settings: object) -> None:
    issue(client, world)
    settings.DUBAN_SUPERVISION_AGENCY_CODE = "偃政督"  # type: ignore[attr-defined]
    other = issue(client, world)
    assert other.doc_number == "偃政督〔2023〕1号"
    settings.DUBAN_SUPERVISION_AGENCY_CODE = "偃督办"  # type: ignore[attr-defined]
    assert issue(client, world).doc_number == "偃督办〔2023〕2号"


def test_other_unit_gets_403(client: Client, world: World) -> None:
    notice = issue(client, world)
    other = Client()
    world.as_unit("工信局", other)  # 工信局: nowhere on task 1
    for name in ("notice", "notice_document"):
        assert other.get(reverse(f"supervision:{name}", args=[notice.pk])).status_code == 403
    for name in ("notice_sign", "notice_reply", "notice_accept", "notice_press"):
        assert other.post(reverse(f"supervision:{name}", args=[notice.pk])).status_code == 403
    assert other.get(reverse("supervision:notice_new", args=[notice.task_id])).status_code == 403
    listing = other.get(reverse("supervision:notices"))
    assert listing.status_code == 200
    assert notice.doc_number not in listing.content.decode()


def test_responsible_unit_reads_but_does_not_answer(client: Client, world: World) -> None:
    notice = issue(client, world)
    town = Client()
    world.as_unit("缑氏镇", town)  # 缑氏镇: responsible through 各镇（街道）, not addressed
    assert town.get(reverse("supervision:notice", args=[notice.pk])).status_code == 200
    assert town.post(reverse("supervision:notice_sign", args=[notice.pk])).status_code == 403


def test_leader_reads_only(client: Client, world: World) -> None:
    notice = issue(client, world)
    leader = Client()
    world.as_leader("朱蕾", leader)
    page = leader.get(reverse("supervision:notice", args=[notice.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert reverse("supervision:notice_sign", args=[notice.pk]) not in body
    assert reverse("supervision:notice_accept", args=[notice.pk]) not in body
    document = leader.get(reverse("supervision:notice_document", args=[notice.pk]))
    assert document.status_code == 200
    assert document["Content-Type"].startswith("application/vnd.openxmlformats")
    for name in ("notice_sign", "notice_reply", "notice_accept", "notice_press"):
        assert leader.post(reverse(f"supervision:{name}", args=[notice.pk])).status_code == 403
    assert leader.get(reverse("supervision:notice_new", args=[notice.task_id])).status_code == 403
    assert leader.get(reverse("supervision:summons_new", args=[notice.task_id])).status_code == 403


def test_list_filters(client: Client, world: World) -> None:
    urged = issue(client, world, level="urge", reply_due="2023-05-05")
    listed = issue(client, world, level="listed")
    url = reverse("supervision:notices")

    def shown(params: dict[str, object]) -> set[int]:
        body = client.get(url, params).content.decode()
        return {int(pk) for pk in re.findall(r'data-notice="(\d+)"', body)}

    assert shown({"level": "urge"}) == {urged.pk}
    import time_machine

    with time_machine.travel(date(2023, 5, 10), tick=False):
        world.as_office(client)  # the idle session has ended by then
        assert shown({"overdue": "on"}) == {urged.pk}
    fgw = Unit.objects.get(name="发改委")
    assert shown({"unit": fgw.pk, "state": "issued"}) == {urged.pk, listed.pk}
    assert shown({"state": "accepted"}) == set()


def test_bad_input_is_refused(client: Client, world: World) -> None:
    task = world.task("1")
    world.as_office(client)
    response = client.post(
        reverse("supervision:notice_new", args=[task.pk]),
        {"level": "supervise", "problem": "x", "requirement": "y", "reply_due": "2023-05-01"},
    )
    assert response.status_code == 400
    assert not Notice.objects.exists()


def test_summons_note(client: Client, world: World) -> None:
    task = world.task("1")
    world.as_office(client)
    response = client.post(
        reverse("supervision:summons_new", args=[task.pk]),
        {"held_on": "2023-05-04", "note": "约谈发改委主要负责同志，要求限期整改。"},
    )
    assert response.status_code == 302
    assert task.summonses.get().note.startswith("约谈发改委")
