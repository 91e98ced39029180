"""A full disk during an upload (运维, 数据完整性): 王强 saves his report with a photo; the disk
then fills up while his second photo is written. He gets the Chinese 存储空间不足 page (507),
the half-written file is gone, the report is as he saved it before, and the first photo is
intact."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from duban.reporting.models import Evidence, Report
from tests.support.disk import FullDisk
from tests.support.files import png_bytes, upload
from tests.support.world import World


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_a_full_disk_loses_nothing_saved_and_leaves_no_partial_file(
    client: Client, world: World, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    task = world.task("1")
    edit = reverse("reporting:report_edit", args=[task.pk, world.q1.pk])
    wang = world.as_unit("发改委", client)
    form = {"status": "in_progress", "progress_text": "一季度开工项目45个。"}
    photo = upload("现场.png", png_bytes())
    assert wang.post(edit, {**form, "version": 0, "attachments": [photo]}).status_code == 302
    saved = Report.objects.get(task=task)
    [first] = files_under(media / "evidence")

    disk = FullDisk(media)
    monkeypatch.setattr(os, "fdopen", disk.fdopen)
    wang.raise_request_exception = False
    later = {"status": "in_progress", "progress_text": "一季度开工项目50个。"}
    second = upload("第二张.png", png_bytes(40, 40))
    response = wang.post(edit, {**later, "version": saved.version, "attachments": [second]})
    monkeypatch.undo()

    assert response.status_code == 507
    assert "存储空间不足" in response.content.decode()
    assert disk.partial and not any(path.exists() for path in disk.partial)
    assert files_under(media / "evidence") == [first]
    assert first.read_bytes() == png_bytes()
    report = Report.objects.get(task=task)
    assert (report.progress_text, report.version) == (saved.progress_text, saved.version)
    assert list(Evidence.objects.values_list("original_name", flat=True)) == ["现场.png"]
