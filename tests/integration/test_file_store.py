"""The file store (duban.core.files): checking by content, saving under a random name in the
model's folder, serving, removing after commit, and `duban files clean` for the orphans."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from duban.audit.models import AuditAction, AuditEvent
from duban.core import files
from duban.reporting.models import Evidence, Report
from duban.reporting.services import reports
from tests.support.files import pdf_bytes, png_bytes
from tests.support.world import World, build_world

EXE = b"MZ\x90\x00" + b"\x00" * 200


@pytest.fixture
def media(settings: object, tmp_path: Path) -> Path:
    """Uploaded files go to a fresh folder per test, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    return tmp_path / "media"


@pytest.fixture
def world(db: None, media: Path) -> World:
    return build_world()


def _report(world: World) -> Report:
    return reports.save_report(
        task=world.task("1"),
        period=world.q1,
        user=world.fgw,
        data=reports.ReportInput(),
        version=0,
    )


def _on_disk(media: Path) -> list[str]:
    return sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file())


def _age(path: Path, seconds: float = 2 * files.ORPHAN_MIN_AGE) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_check_upload_judges_the_content_and_the_size(settings: object) -> None:
    checked = files.check_upload(SimpleUploadedFile("C:\\照片\\现场.PNG", png_bytes()))
    assert (checked.name, checked.content_type) == ("现场.PNG", "image/png")
    assert len(checked.sha256) == 64

    with pytest.raises(files.UploadRejected) as refused:
        files.check_upload(SimpleUploadedFile("清单.pdf", EXE))
    assert "清单.pdf" in str(refused.value) and "不是PDF文件" in str(refused.value)
    assert "另存为" in str(refused.value)  # what to do

    settings.DUBAN_MAX_UPLOAD_BYTES = 1024  # type: ignore[attr-defined]
    with pytest.raises(files.UploadRejected) as refused:
        files.check_upload(SimpleUploadedFile("大图.png", png_bytes() + b"\0" * 2048))
    assert "大图.png" in str(refused.value) and "上限" in str(refused.value)

    with pytest.raises(files.UploadRejected) as refused:
        files.check_uploads(
            [SimpleUploadedFile("好.png", png_bytes()), SimpleUploadedFile("坏.exe", EXE)]
        )
    assert "坏.exe" in str(refused.value) and "只接受" in str(refused.value)


def test_save_upload_writes_a_random_name_in_the_models_folder(world: World, media: Path) -> None:
    report = _report(world)
    data = pdf_bytes()
    checked = files.check_file("项目清单.pdf", data)
    name = files.save_upload(Evidence(report=report), checked, user=world.fgw)

    item = Evidence.objects.get()
    assert item.file.name == name and name.startswith("evidence/") and name.endswith(".pdf")
    assert "项目清单" not in name
    assert (item.original_name, item.content_type, item.size, item.sha256) == (
        "项目清单.pdf",
        "application/pdf",
        len(data),
        checked.sha256,
    )
    assert item.uploaded_by == world.fgw
    assert (media / name).read_bytes() == data
    other = files.save_upload(Evidence(report=report), checked, user=None)
    assert other != name and Evidence.objects.get(file=other).uploaded_by is None


def test_serve_hands_out_the_original_name_and_is_audited(world: World, media: Path) -> None:
    report = _report(world)
    files.save_upload(Evidence(report=report), files.check_file("现场.png", png_bytes()))
    item = Evidence.objects.get()
    response = files.serve(item, task_id=report.task_id, fallback_stem="evidence")
    assert b"".join(response.streaming_content) == png_bytes()  # type: ignore[attr-defined]
    assert "filename*=UTF-8''%E7%8E%B0%E5%9C%BA.png" in response["Content-Disposition"]
    assert f'filename="evidence-{item.pk}.png"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.objects.get(action=AuditAction.DOWNLOAD)
    assert (event.object_id, event.task_id) == (str(item.pk), report.task_id)


def test_remove_deletes_the_file_only_once_committed(
    world: World, media: Path, django_capture_on_commit_callbacks: object
) -> None:
    report = _report(world)
    name = files.save_upload(Evidence(report=report), files.check_file("错传.png", png_bytes()))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # type: ignore[operator]
        files.remove(Evidence.objects.get())
    assert not Evidence.objects.exists() and (media / name).exists()  # not committed yet
    for callback in callbacks:
        callback()
    assert not (media / name).exists()


def test_orphans_and_the_clean_command(world: World, media: Path) -> None:
    report = _report(world)
    kept = files.save_upload(Evidence(report=report), files.check_file("留.png", png_bytes()))
    gone = files.save_upload(Evidence(report=report), files.check_file("丢.png", png_bytes()))
    (media / gone).unlink()  # a row whose file is missing
    stray = media / "evidence" / "2023" / "01" / "0123456789abcdef.pdf"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(pdf_bytes())
    fresh = media / "supervision" / "fresh.png"  # a save may still be running: left alone
    fresh.parent.mkdir(parents=True)
    fresh.write_bytes(png_bytes())
    for path in (media / kept, stray):
        _age(path)

    found = files.orphans()
    assert found.files == ["evidence/2023/01/0123456789abcdef.pdf"]
    [missing] = found.missing
    assert (missing.model, missing.name) == ("reporting.evidence", gone)

    out = io.StringIO()
    call_command("files", "clean", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "无主文件：evidence/2023/01/0123456789abcdef.pdf" in text
    assert f"文件缺失：{gone}" in text and "未删除" in text
    assert stray.exists()

    out = io.StringIO()
    call_command("files", "clean", stdout=out)  # a dry run by default
    assert "未删除" in out.getvalue() and stray.exists()

    out = io.StringIO()
    call_command("files", "clean", "--delete", stdout=out)
    assert "已删除无主文件：evidence/2023/01/0123456789abcdef.pdf" in out.getvalue()
    assert not stray.exists() and not (media / "evidence" / "2023").exists()  # emptied folders
    left = _on_disk(media)
    assert kept in left and "supervision/fresh.png" in left and len(left) == 3  # + the notice
    assert Evidence.objects.count() == 2  # the row of the missing file is the record: kept
    assert files.orphans().files == []


def test_the_command_needs_an_action(db: None) -> None:
    with pytest.raises(CommandError):
        call_command("files")
