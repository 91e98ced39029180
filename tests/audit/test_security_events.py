"""What 等保 asks the trail to hold besides changes: every refusal (403) with its path, each
reading of the trail with its filters, configuration changes with secrets masked, and every
export with its filters. The audit page names objects by kind and number only."""

from __future__ import annotations

import io
import json
from pathlib import Path

from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from duban.assessment.models import Scheme
from duban.audit.context import acting_as
from duban.audit.models import AuditAction, AuditEvent
from duban.directory.models import UnitKind
from duban.directory.services import create_unit
from duban.lights.models import LightSettings
from duban.notify.models import Channel
from tests.support.world import World, signed_in

TOKEN = "0f1e2d3c4b5a69788796a5b4c3d2e1f0aabbccddeeff00112233445566778899"
SECRET = "SEC5c9d0e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0"


def latest(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).latest("pk")


def test_a_refusal_is_recorded_with_its_path(world: World, client: Client) -> None:
    world.as_office(client)
    response = client.get(reverse("audit:events"), {"user": "x"}, REMOTE_ADDR="10.3.3.3")
    assert response.status_code == 403
    denied = latest(AuditAction.DENIED)
    assert (denied.username, denied.address, denied.result) == ("office", "10.3.3.3", "failed")
    assert denied.after == {"method": "GET", "path": "/audit/"}  # never the query string


def test_a_form_without_its_csrf_token_is_a_recorded_refusal(world: World) -> None:
    client = signed_in(Client(enforce_csrf_checks=True), world.fgw)
    response = client.post(reverse("notify:read_all"), REMOTE_ADDR="10.3.3.4")
    assert response.status_code == 403
    denied = latest(AuditAction.DENIED)
    assert (denied.username, denied.address) == ("fgw", "10.3.3.4")
    assert denied.after == {"method": "POST", "path": reverse("notify:read_all")}


def test_what_is_allowed_or_not_found_is_no_refusal(world: World, client: Client) -> None:
    world.as_office(client)
    assert client.get(reverse("ledger:tasks")).status_code == 200
    assert client.get(reverse("ledger:task", args=[999999])).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.DENIED).exists()


def test_reading_the_trail_is_recorded_with_its_filters(world: World, client: Client) -> None:
    auditor = world.as_admin("audit", client)
    query = {"user": "office", "action": "create", "since": "2023-01-01", "until": ""}
    assert auditor.get(reverse("audit:events"), query).status_code == 200
    read = latest(AuditAction.READ)
    assert read.username == world.admin("audit").username
    assert read.after == {"filters": {"user": "office", "action": "create", "since": "2023-01-01"}}


def test_the_audit_page_shows_kind_and_number_not_business_text(
    world: World, client: Client
) -> None:
    with acting_as(world.office, "127.0.0.1"):
        unit = create_unit("人防办", UnitKind.DEPARTMENT, "偃师区人民防空办公室")
    page = world.as_admin("audit", client).get(reverse("audit:events"), {"action": "create"})
    html = page.content.decode()
    assert f"单位 · {unit.pk}" in html
    assert "人防办" not in html and "人民防空" not in html
    # The reading itself is on the page, as its first (newest) line.
    first = AuditEvent.objects.latest("pk")
    assert first.action == AuditAction.READ


def test_a_channel_is_configuration_its_secrets_masked(world: World) -> None:
    url = f"https://oapi.dingtalk.com/robot/send?access_token={TOKEN}"
    with acting_as(world.admin("system"), "10.4.4.4"):
        channel = Channel.objects.create(kind="dingtalk", name="督查群", url=url, secret=SECRET)
        channel.url = url.replace(TOKEN[:8], "99999999")
        channel.save()
        channel.enabled = False
        channel.save()
        pk = channel.pk
        channel.delete()
    events = list(
        AuditEvent.objects.filter(object_type="notify.channel", object_id=str(pk)).order_by("pk")
    )
    assert [e.action for e in events] == [AuditAction.CONFIG] * 4
    created, token_changed, disabled, deleted = events
    assert created.before is None and created.after is not None
    assert deleted.after is None and deleted.before is not None
    assert created.after["url"].startswith("https://oapi.dingtalk.com/… #")
    assert created.after["secret"].startswith("****** #")
    # A new token shows as a change (another fingerprint), never as itself.
    assert token_changed.before["url"] != token_changed.after["url"]
    assert disabled.before["url"] == disabled.after["url"]
    assert (disabled.before["enabled"], disabled.after["enabled"]) == (True, False)
    written = json.dumps([[e.before, e.after] for e in events])
    assert TOKEN not in written and TOKEN[:12] not in written and "99999999" not in written
    assert SECRET not in written and SECRET[3:15] not in written
    assert created.username == world.admin("system").username


def test_the_light_thresholds_and_the_scheme_are_configuration(world: World) -> None:
    with acting_as(world.office, "10.5.5.5"):
        settings = LightSettings.current()
        settings.pace_red = 40
        settings.save()
        Scheme.objects.create(name="考核办法", version=99, rules={}, created_at=timezone.now())
    light = AuditEvent.objects.filter(object_type="lights.lightsettings").latest("pk")
    assert light.action == AuditAction.CONFIG and light.after["pace_red"] == 40
    scheme = AuditEvent.objects.filter(object_type="assessment.scheme").latest("pk")
    assert scheme.action == AuditAction.CONFIG and scheme.after["version"] == 99


def test_the_ledger_export_records_its_filters(world: World, client: Client) -> None:
    world.as_office(client)
    response = client.get(reverse("ledger:export"), {"q": "项目", "status": "", "sort": "number"})
    assert response.status_code == 200
    export = latest(AuditAction.EXPORT)
    assert export.after is not None
    assert export.after["filters"] == {"q": "项目", "sort": "number"}
    assert export.after["file"].endswith(".xlsx") and export.after["rows"] > 0


def test_the_period_exports_record_what_they_hold(world: World, client: Client) -> None:
    world.as_office(client)
    summary = reverse("reporting:period_summary", args=[world.q1.pk, "xlsx"])
    assert client.get(summary).status_code == 200
    export = latest(AuditAction.EXPORT)
    assert export.after["filters"] == {"period": world.q1.code, "format": "xlsx"}
    assert export.object_type == "reporting.period" and export.object_id == str(world.q1.pk)

    unit = world.unit("发改委")
    template = reverse("reporting:report_template", args=[world.q1.pk])
    assert client.get(template, {"unit": unit.pk}).status_code == 200
    export = latest(AuditAction.EXPORT)
    assert export.after["filters"] == {"period": world.q1.code, "unit": "发改委"}


def test_a_template_written_from_the_console_is_an_export(world: World, tmp_path: Path) -> None:
    path = tmp_path / "发改委.xlsx"
    call_command(
        "reports", "template", "--unit", "发改委", "--period", "2023Q1", "-o", str(path),
        stdout=io.StringIO(),
    )  # fmt: skip
    export = latest(AuditAction.EXPORT)
    assert export.after == {
        "file": "发改委.xlsx",
        "filters": {"period": "2023Q1", "unit": "发改委"},
    }
    assert export.username == "" and export.object_id == str(world.q1.pk)  # the console
