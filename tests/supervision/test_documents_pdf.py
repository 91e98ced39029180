"""The 督办通知 and the 通报 as PDF in the GB/T 9704 layout, beside their .docx: who may
download them, their text read back, their fonts embedded, and the answer without
WeasyPrint's system libraries (back to the page, with what to install)."""

from __future__ import annotations

import sys
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from duban.directory.models import Unit
from duban.exports import pdf
from duban.supervision.models import Notice, NoticeLevel
from duban.supervision.services import circulars
from duban.supervision.services import notices as services
from tests.support.clock import at
from tests.support.pdf import assert_fonts_embedded, page_texts
from tests.support.world import World


def notice(world: World) -> Notice:
    return services.issue_notice(
        task=world.task("1"),
        data=services.NoticeInput(
            level=NoticeLevel.SUPERVISE,
            problem="项目开工率偏低。",
            requirement="5月底前开工项目达到60个。",
            reply_due=date(2023, 5, 15),
        ),
        user=world.office,
    )


@pytest.mark.usefixtures("may_4")
def test_notice_pdf(client: Client, world: World) -> None:
    issued = notice(world)
    url = reverse("supervision:notice_document_pdf", args=[issued.pk])
    page = world.as_unit("发改委", client).get(reverse("supervision:notice", args=[issued.pk]))
    assert url in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert_fonts_embedded(response.content)
    text = "".join(page_texts(response.content)).replace("\n", "")
    for expected in (
        "偃督办〔2023〕1号",
        "关于对第1项重点任务进行督办的通知",
        "发改委：",
        "一、存在问题",
        "项目开工率偏低。",
        "请于2023年5月15日前",
        "2023年5月4日",
    ):
        assert expected in text, expected
    assert world.as_unit("工信局", Client()).get(url).status_code == 403


def test_circular_pdf(client: Client, world: World) -> None:
    with at(2023, 4, 10):
        circular = circulars.create_draft(
            period=world.q1,
            user=world.office,
            praised=[Unit.objects.get(name="工信局")],
            criticised=[],
        )
        circulars.issue_circular(circular=circular, user=world.office)
        url = reverse("supervision:circular_document_pdf", args=[circular.pk])
        page = world.as_viewer(client).get(reverse("supervision:circular", args=[circular.pk]))
        assert url in page.content.decode()
        response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert_fonts_embedded(response.content)
    text = "".join(page_texts(response.content)).replace("\n", "")
    assert "关于2023年第一季度重点工作推进情况的通报" in text
    assert "一、总体情况" in text and "工信局" in text
    circular.refresh_from_db()
    assert circular.doc_number in text


@pytest.mark.usefixtures("may_4")
def test_without_the_pdf_library_the_notice_page_says_what_to_install(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    issued = notice(world)
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as without WeasyPrint
    pdf._weasyprint.cache_clear()
    try:
        office = world.as_office(client)
        url = reverse("supervision:notice_document_pdf", args=[issued.pk])
        response = office.get(url, follow=True)
    finally:
        pdf._weasyprint.cache_clear()
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("supervision:notice", args=[issued.pk])
    body = response.content.decode()
    assert "本服务器暂时无法生成PDF文档" in body and "fonts-noto-cjk" in body
    docx = reverse("supervision:notice_document", args=[issued.pk])
    assert office.get(docx).status_code == 200  # Word still works
