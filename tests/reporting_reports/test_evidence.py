"""Evidence files are judged by their content: 王强's photo goes in, a program dressed up as a
PDF and a file over the size limit do not, and nothing of a refused upload is stored."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from duban.core import files as store
from duban.reporting.models import Evidence, Report
from duban.reporting.services import reports
from tests.support.files import docx_bytes, pdf_bytes, png_bytes, upload
from tests.support.world import World

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def stored_files(media: Path) -> list[Path]:
    """Evidence files on disk (the seed notice itself is kept under plans/)."""
    folder = media / "evidence"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_content_decides(settings: object) -> None:
    assert store.check_file("现场照片.PNG", png_bytes()).content_type == "image/png"
    assert store.check_file("清单.pdf", pdf_bytes()).content_type == "application/pdf"
    assert store.check_file("汇报.docx", docx_bytes()).content_type.endswith("document")
    assert (
        store.check_file("照片.jpeg", b"\xff\xd8\xff\xe0" + b"\0" * 32).content_type == "image/jpeg"
    )
    workbook = io.BytesIO()
    with zipfile.ZipFile(workbook, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert store.check_file("台账.xlsx", workbook.getvalue()).content_type.endswith("sheet")

    refused = {
        "setup.pdf": EXE,  # a program renamed
        "setup.exe": EXE,  # not a kind we take
        "照片.pdf": png_bytes(),  # an image named like a PDF
        "空.pdf": b"",
        "坏.docx": b"PK\x03\x04 not really a zip",
        "宏.docx": _zip({"word/document.xml": "<w/>", "word/vbaProject.bin": "macro"}),
        "压缩包.docx": _zip({"readme.txt": "hello"}),
    }
    for name, data in refused.items():
        with pytest.raises(store.UploadRejected) as error:
            store.check_file(name, data)
        assert name in str(error.value)


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_refused_uploads_store_nothing(
    client: Client, world: World, media: Path, settings: object
) -> None:
    task = world.task("1")
    edit = reverse("reporting:report_edit", args=[task.pk, world.q1.pk])
    wang = world.as_unit("发改委", client)
    form = {"version": 0, "status": "in_progress", "progress_text": "一季度开工项目45个。"}

    response = wang.post(edit, {**form, "attachments": [upload("项目清单.pdf", EXE)]})
    assert response.status_code == 400
    assert "项目清单.pdf" in response.content.decode()
    assert not Report.objects.exists() and not Evidence.objects.exists()
    assert stored_files(media) == []

    settings.DUBAN_MAX_UPLOAD_BYTES = 1024  # type: ignore[attr-defined]
    big = png_bytes() + b"\0" * 2048
    response = wang.post(edit, {**form, "attachments": [upload("大图.png", big)]})
    assert response.status_code == 400
    assert "大图.png" in response.content.decode()
    assert not Evidence.objects.exists() and stored_files(media) == []

    # A good file and a bad one: neither is stored, the report is not saved either.
    files = [upload("现场.png", png_bytes()), upload("说明.pdf", b"%PNG fake")]
    assert wang.post(edit, {**form, "attachments": files}).status_code == 400
    assert not Report.objects.exists() and stored_files(media) == []

    response = wang.post(edit, {**form, "attachments": [upload("现场.png", png_bytes())]})
    assert response.status_code == 302
    item = Evidence.objects.get()
    assert (item.original_name, item.content_type, item.size) == (
        "现场.png",
        "image/png",
        len(png_bytes()),
    )
    [path] = stored_files(media)
    assert path.read_bytes() == png_bytes()
    assert path.name != "现场.png" and path.suffix == ".png"  # stored under a random name
    assert path.is_relative_to(media / "evidence")


def test_removing_a_file_from_a_draft(
    world: World, media: Path, django_capture_on_commit_callbacks: object
) -> None:
    task = world.task("1")
    draft = reports.save_report(
        task=task,
        period=world.q1,
        user=world.fgw,
        data=reports.ReportInput(),
        version=0,
        files=[upload("错传.png", png_bytes())],
    )
    item = draft.evidence.get()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        reports.save_report(
            task=task,
            period=world.q1,
            user=world.fgw,
            data=reports.ReportInput(),
            version=1,
            remove_evidence=[item.pk],
        )
    assert not draft.evidence.exists() and stored_files(media) == []
    assert draft.versions.get(number=1).data["evidence"] == ["错传.png"]
    assert draft.versions.get(number=2).data["evidence"] == []


def test_evidence_is_not_served_as_a_static_or_media_url(client: Client, world: World) -> None:
    report = reports.save_report(
        task=world.task("1"),
        period=world.q1,
        user=world.fgw,
        data=reports.ReportInput(),
        version=0,
        files=[upload("现场.png", png_bytes())],
    )
    name = report.evidence.get().file.name
    world.as_office(client)
    assert client.get("/media/" + name).status_code == 404
    assert client.get("/static/../media/" + name).status_code in (400, 404)  # refused, not served
