"""The real seed and the people of the reporting stories.

- 王强 (``wangqiang``) and 陈静 (``chenjing``) report for 发改委, lead unit of tasks 1–4, 30, 62,
  66 and 75 (task 1 with 投促中心 and 各镇（街道） responsible; its targets are 总投资 863亿元,
  270个项目 and 年度完成投资 294亿元);
- 赵敏 (``zhaomin``) works for 缑氏镇, a town, so responsible on task 1 through 各镇（街道）;
- 孙浩 (``sunhao``) works for 工信局, responsible on tasks 2–4 but nowhere on task 1;
- 刘芳 (``liufang``) is the supervision office (督查室);
- 朱蕾 (``zhulei``) is the deputy district head who leads task 1.

The plan has its standard periods, 2023Q1 open.
"""

from __future__ import annotations

import json
import struct
import zlib
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from duban.accounts.models import Role
from duban.accounts.services import ensure_account
from duban.directory.models import Leader, Unit, UnitKind
from duban.directory.services import create_unit, load_directory
from duban.intake.services import import_demo_plan
from duban.ledger.models import Plan, Task
from duban.reporting.models import Period
from duban.reporting.periods import create_standard_periods, open_period
from duban.reporting.reports import ReportInput

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser
    from django.test import Client

PASSWORD = "Reports-test-2023"
DIRECTORY = (
    Path(__file__).resolve().parents[2] / "duban" / "demo" / "data" / "yanshi-directory.json"
)


@dataclass
class Story:
    plan: Plan
    q1: Period
    wangqiang: AbstractUser
    chenjing: AbstractUser
    zhaomin: AbstractUser
    sunhao: AbstractUser
    liufang: AbstractUser
    zhulei: AbstractUser

    def task(self, number: str) -> Task:
        return self.plan.tasks.get(number=number)

    def period(self, code: str) -> Period:
        return self.plan.periods.get(code=code)


def build_story() -> Story:
    load_directory(json.loads(DIRECTORY.read_text(encoding="utf-8")))
    plan = import_demo_plan().plan
    office_unit = create_unit("督查室", UnitKind.DEPARTMENT, "洛阳市偃师区人民政府督查室")

    def operator(username: str, unit: str, full_name: str) -> AbstractUser:
        user = ensure_account(
            username, PASSWORD, Role.UNIT_OPERATOR, unit=Unit.objects.get(name=unit)
        )
        user.first_name = full_name
        user.save()
        return user

    create_standard_periods(plan=plan, user=None)
    q1 = open_period(period=plan.periods.get(code="2023Q1"), user=None)
    return Story(
        plan=plan,
        q1=q1,
        wangqiang=operator("wangqiang", "发改委", "王强"),
        chenjing=operator("chenjing", "发改委", "陈静"),
        zhaomin=operator("zhaomin", "缑氏镇", "赵敏"),
        sunhao=operator("sunhao", "工信局", "孙浩"),
        liufang=ensure_account("liufang", PASSWORD, Role.OFFICE, unit=office_unit),
        zhulei=ensure_account(
            "zhulei", PASSWORD, Role.LEADER, leader=Leader.objects.get(name="朱蕾")
        ),
    )


@pytest.fixture(autouse=True)
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Uploaded files go to a fresh folder per test, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    return tmp_path / "media"


@pytest.fixture
def story(db: None) -> Story:
    return build_story()


@pytest.fixture
def story_committed(transactional_db: None) -> Story:
    """The story in a database that real transactions (threads, live_server) see."""
    return build_story()


def signed_in(client: Client, user: AbstractUser) -> Client:
    client.force_login(user)
    return client


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    """A real PNG image (grey pixels)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )


def pdf_bytes() -> bytes:
    from reportlab.pdfgen import canvas

    buffer = BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "Project list, Q1 2023")
    page.save()
    return buffer.getvalue()


def docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("一季度项目推进情况")
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload(
    name: str, data: bytes, content_type: str = "application/octet-stream"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def q1_input(**changes: object) -> ReportInput:
    """王强's first draft of task 1's Q1 report (targets by label: 年度完成投资 = 80亿元)."""
    data = ReportInput(
        status="in_progress",
        progress=None,
        progress_text="一季度开工项目45个，完成投资80亿元。",
        problems="部分项目用地手续办理较慢。",
        next_steps="二季度加快用地审批，推动项目集中开工。",
    )
    for name, value in changes.items():
        setattr(data, name, value)
    return data


def target(task: Task, label: str) -> int:
    return task.targets.get(label=label).pk
