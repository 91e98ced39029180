"""The pages: who opens what (403 otherwise), the forms of the office and of the owner unit."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import translation

from duban.audit.history import label_of
from duban.inspections import services
from duban.inspections.models import Finding, Inspection, ItemState, RectificationItem
from tests.support.files import pdf_bytes, png_bytes, upload
from tests.support.world import World, signed_in


def test_the_office_plans_an_inspection_through_the_form(client: Client, world: World) -> None:
    world.as_office(client)
    page = client.get("/inspections/new/")
    assert page.status_code == 200
    response = client.post(
        "/inspections/new/",
        {
            "plan": world.plan.pk,
            "topic": "重大项目建设专项督查",
            "tasks": [world.task("1").pk],
            "team": "刘芳、张伟",
            "starts_on": "2023-05-08",
            "ends_on": "2023-05-12",
            "state": "planned",
        },
    )
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/inspections/{inspection.pk}/"
    bad = client.post(
        "/inspections/new/",
        {
            "plan": world.plan.pk,
            "topic": "x",
            "tasks": [world.task("1").pk],
            "starts_on": "2023-05-12",
            "ends_on": "2023-05-08",
            "state": "planned",
        },
    )
    assert bad.status_code == 400 and Inspection.objects.count() == 1
    assert "cannot end before it starts" in bad.content.decode()


def test_the_office_records_a_finding_with_a_photo_and_raises_an_item(
    client: Client, world: World, inspection: Inspection
) -> None:
    world.as_office(client)
    task = world.task("1")
    response = client.post(
        f"/inspections/{inspection.pk}/findings/new/",
        {
            "task": task.pk,
            "text": "部分项目未按计划开工。",
            "severity": "serious",
            "found_on": "2023-05-09",
            "attachments": [upload("现场.png", png_bytes())],
        },
    )
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert finding.files.get().original_name == "现场.png"
    # A file whose content is not what its name says is refused, and nothing is recorded.
    refused = client.post(
        f"/inspections/{inspection.pk}/findings/new/",
        {
            "task": task.pk,
            "text": "x",
            "severity": "minor",
            "found_on": "2023-05-09",
            "attachments": [upload("假照片.png", b"MZ not a picture")],
        },
    )
    assert refused.status_code == 400 and Finding.objects.count() == 1
    form = client.get(f"/inspections/findings/{finding.pk}/items/new/").content.decode()
    assert "selected>发改委" in form  # the lead unit is proposed
    response = client.post(
        f"/inspections/findings/{finding.pk}/items/new/",
        {
            "text": "6月底前完成开工手续",
            "unit": finding.task.assignments.filter(role="lead").first().unit_id,  # type: ignore[union-attr]
            "deadline": "2023-06-30",
        },
    )
    item = RectificationItem.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/inspections/items/{item.pk}/"
    detail = client.get(f"/inspections/{inspection.pk}/").content.decode()
    assert "部分项目未按计划开工。" in detail and f"/inspections/items/{item.pk}/" in detail
    photo = finding.files.get()
    download = client.get(f"/inspections/files/{photo.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == png_bytes()  # type: ignore[attr-defined]


def test_the_unit_reports_the_office_verifies_and_closes(
    client: Client, world: World, item: RectificationItem
) -> None:
    world.as_unit("发改委", client)
    page = client.get(f"/inspections/items/{item.pk}/").content.decode()
    assert 'id="report-form"' in page and 'id="item-close"' not in page
    response = client.post(
        f"/inspections/items/{item.pk}/report/",
        {"text": "已完成开工手续。", "attachments": [upload("开工手续.pdf", pdf_bytes())]},
    )
    assert response.status_code == 302
    assert (
        client.post(f"/inspections/items/{item.pk}/verify/", {"decision": "accept"}).status_code
        == 403
    )
    assert client.post(f"/inspections/items/{item.pk}/close/").status_code == 403

    world.as_office(client)
    page = client.get(f"/inspections/items/{item.pk}/").content.decode()
    assert 'id="item-verify"' in page and "开工手续.pdf" in page
    client.post(f"/inspections/items/{item.pk}/verify/", {"decision": "accept"})
    assert client.post(f"/inspections/items/{item.pk}/close/").status_code == 302
    item.refresh_from_db()
    assert item.state == ItemState.CLOSED and item.verified_by == world.office


def test_closure_without_evidence_is_refused_with_a_message(
    client: Client, world: World, item: RectificationItem
) -> None:
    world.as_unit("发改委", client)
    client.post(f"/inspections/items/{item.pk}/report/", {"text": "已整改。"})
    world.as_office(client)
    premature = client.post(f"/inspections/items/{item.pk}/close/")
    assert premature.status_code == 409
    client.post(f"/inspections/items/{item.pk}/verify/", {"decision": "accept"})
    refused = client.post(f"/inspections/items/{item.pk}/close/")
    assert refused.status_code == 409
    # The message (in English until the pending translations reach the .po files).
    assert "no evidence file" in refused.content.decode()
    item.refresh_from_db()
    assert item.state == ItemState.VERIFIED


def test_a_returned_report_goes_back_to_the_unit_with_the_reason(
    client: Client, world: World, item: RectificationItem
) -> None:
    url = f"/inspections/items/{item.pk}/"
    world.as_unit("发改委", client)
    client.post(f"{url}report/", {"text": "已整改。"})
    # The unit may not return its own report.
    assert client.post(f"{url}return/", {"reason": "x"}).status_code == 403
    world.as_office(client)
    page = client.get(url).content.decode()
    assert 'id="return-form"' in page and 'id="verify-form"' in page
    # No reason: refused with the message, nothing changes.
    refused = client.post(f"{url}return/", {"reason": "  "})
    assert refused.status_code == 400
    assert "the unit needs the reason" in refused.content.decode()
    item.refresh_from_db()
    assert item.state == ItemState.REPORTED
    response = client.post(f"{url}return/", {"reason": "请补充开工现场照片。"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == ItemState.RETURNED and item.return_reason == "请补充开工现场照片。"
    # Back with the unit: the reason on the item, with the report form; in its list too.
    world.as_unit("发改委", client)
    page = client.get(url).content.decode()
    assert 'id="return-reason"' in page and "请补充开工现场照片。" in page
    assert 'id="report-form"' in page
    listing = client.get("/inspections/").content.decode()
    assert 'id="returned-items"' in listing
    assert 'class="insp-return-reason"' in listing and "请补充开工现场照片。" in listing
    # Its task page's panel shows the reason as well.
    panel = client.get(f"/ledger/tasks/{item.task_id}/").content.decode()
    assert "请补充开工现场照片。" in panel
    # It reports again, with evidence; the office verifies and closes.
    client.post(
        f"{url}report/",
        {"text": "已整改，附开工手续。", "attachments": [upload("开工手续.pdf", pdf_bytes())]},
    )
    world.as_office(client)
    assert client.post(f"{url}verify/", {"comment": ""}).status_code == 302
    assert client.post(f"{url}close/").status_code == 302
    item.refresh_from_db()
    assert item.state == ItemState.CLOSED and item.times_returned == 1
    page = client.get(url).content.decode()
    assert 'id="return-form"' not in page and 'id="return-reason"' not in page


def test_a_verified_item_without_evidence_can_be_returned(
    client: Client, world: World, item: RectificationItem
) -> None:
    url = f"/inspections/items/{item.pk}/"
    world.as_unit("发改委", client)
    client.post(f"{url}report/", {"text": "已整改。"})
    world.as_office(client)
    client.post(f"{url}verify/", {"decision": "accept"})
    page = client.get(url).content.decode()
    assert 'id="item-close"' in page and 'id="return-form"' in page
    assert client.post(f"{url}return/", {"reason": "请上传佐证材料。"}).status_code == 302
    item.refresh_from_db()
    assert item.state == ItemState.RETURNED and item.verified_by is None
    # Returned already: a second return is refused with a message.
    again = client.post(f"{url}return/", {"reason": "再次"})
    assert again.status_code == 409 and "Only a reported or verified item" in again.content.decode()


def test_who_sees_what(client: Client, world: World, item: RectificationItem) -> None:
    urls = [f"/inspections/items/{item.pk}/", f"/inspections/{item.finding.inspection_id}/"]
    photo = item.finding.files.get()
    # 工信局 is nowhere on task 1 and owns no item: 403 on the item, its files and its inspection
    # — though the inspection also covers task 2, where 工信局 is responsible, so that page opens
    # without the finding on task 1.
    world.as_unit("工信局", client)
    assert client.get(urls[0]).status_code == 403
    assert client.get(f"/inspections/files/{photo.pk}/").status_code == 403
    assert client.post(f"/inspections/items/{item.pk}/report/", {"text": "x"}).status_code == 403
    page = client.get(urls[1])
    assert page.status_code == 200 and "部分项目未按计划开工" not in page.content.decode()
    assert client.get("/inspections/new/").status_code == 403
    # 缑氏镇 sees task 1 (responsible through 各镇（街道）): the finding, but not 发改委's item.
    world.as_unit("缑氏镇", client)
    assert client.get(urls[0]).status_code == 403
    assert "部分项目未按计划开工" in client.get(urls[1]).content.decode()
    assert client.get(f"/inspections/files/{photo.pk}/").status_code == 200
    # The leader of task 1 reads everything on it, changes nothing.
    world.as_leader("朱蕾", client)
    page = client.get(urls[0]).content.decode()
    assert "6月底前完成项目开工手续" in page and 'id="report-form"' not in page
    assert (
        client.post(f"/inspections/items/{item.pk}/verify/", {"decision": "accept"}).status_code
        == 403
    )
    # The administrators of 三权分立 see nothing.
    world.as_admin("audit", client)
    for url in ["/inspections/", *urls]:
        assert client.get(url).status_code == 403


def test_the_nav_link_and_the_task_panel(
    client: Client, world: World, item: RectificationItem
) -> None:
    for user, link in ((world.office, True), (world.fgw, True), (world.zhulei, False)):
        signed_in(client, user)
        home = client.get("/ledger/").content.decode()
        assert ('href="/inspections/"' in home) is link, user
    world.as_unit("发改委", client)
    task_page = client.get(f"/ledger/tasks/{item.task_id}/").content.decode()
    assert 'id="inspections"' in task_page and f"/inspections/items/{item.pk}/" in task_page
    listing = client.get("/inspections/").content.decode()
    assert f"/inspections/items/{item.pk}/" in listing
    world.as_unit("缑氏镇", client)
    task_page = client.get(f"/ledger/tasks/{item.task_id}/").content.decode()
    assert 'id="inspections"' in task_page and f"/inspections/items/{item.pk}/" not in task_page
    assert f"/inspections/items/{item.pk}/" not in client.get("/inspections/").content.decode()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_pages_render_in_both_languages(
    client: Client, world: World, item: RectificationItem, language: str
) -> None:
    world.as_office(client)
    client.cookies["django_language"] = language
    for url in [
        "/inspections/",
        f"/inspections/{item.finding.inspection_id}/",
        f"/inspections/items/{item.pk}/",
        f"/inspections/{item.finding.inspection_id}/findings/new/",
        f"/inspections/findings/{item.finding_id}/items/new/",
        f"/inspections/{item.finding.inspection_id}/edit/",
    ]:
        assert client.get(url).status_code == 200, url


def test_a_returned_item_speaks_chinese_to_its_unit(
    client: Client, world: World, item: RectificationItem
) -> None:
    services.report_item(item=item, text="已整改。", user=world.fgw)
    services.return_item(item=item, reason="请补充照片", user=world.office)
    world.as_unit("发改委", client)
    client.cookies["django_language"] = "zh-hans"
    page = client.get(f"/inspections/items/{item.pk}/").content.decode()
    for chinese in ("退回整改", "由刘芳于", "退回。", "退回原因: 请补充照片", "请按督查室要求整改"):
        assert chinese in page, chinese
    listing = client.get("/inspections/").content.decode()
    assert "有1项整改事项被退回本单位：请查看退回原因并重新报送。" in listing
    assert "退回原因: 请补充照片" in listing
    shown = re.sub(r"<[^>]+>", " ", page + listing)  # the text, not the markup's values
    for english in ("Returned", "Reason", "returned", "Show them", "the supervision office"):
        assert english not in shown, english


def test_the_office_records_a_finding_verified_as_a_falsified_report(
    client: Client, world: World, inspection: Inspection
) -> None:
    """核实为虚报瞒报: a tick on the finding form, shown on the inspection, the item and the task's
    panel, labelled in the task's history (the assessment deducts and vetoes on it)."""
    world.as_office(client)
    task = world.task("1")
    form = client.get(f"/inspections/{inspection.pk}/findings/new/").content.decode()
    assert 'name="falsified"' in form and "Verified as a falsified report" in form
    fields = {"task": task.pk, "severity": "serious", "found_on": "2023-05-09"}
    plain = client.post(
        f"/inspections/{inspection.pk}/findings/new/", {**fields, "text": "台账不完整。"}
    )
    false = client.post(
        f"/inspections/{inspection.pk}/findings/new/",
        {**fields, "text": "报送进度与实际不符。", "falsified": "on"},
    )
    assert plain.status_code == false.status_code == 302
    found = dict(Finding.objects.values_list("text", "falsified"))
    assert found == {"台账不完整。": False, "报送进度与实际不符。": True}
    finding = Finding.objects.get(falsified=True)
    item = services.raise_item(
        finding=finding, text="如实更正", deadline=finding.found_on, user=world.office
    )
    client.cookies["django_language"] = "zh-hans"
    detail = client.get(f"/inspections/{inspection.pk}/").content.decode()
    assert detail.count("核实为虚报瞒报") == 1  # on the falsified finding only
    assert "核实为虚报瞒报" in client.get(f"/inspections/items/{item.pk}/").content.decode()
    task_page = client.get(f"/ledger/tasks/{task.pk}/").content.decode()
    panel = task_page[task_page.index(finding.text) - 2000 : task_page.index(finding.text)]
    assert "核实为虚报瞒报" in panel
    # A change of the field reads by its label in the task's history.
    with translation.override("zh-hans"):
        assert label_of(Finding._meta.get_field("falsified")) == "核实为虚报瞒报"
