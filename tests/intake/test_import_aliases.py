"""A name the clerk resolved once (缙氏镇 → 缑氏镇) is kept as the unit's alias: the next notice
that writes it resolves by itself, in the preview and in ``duban import``."""

from __future__ import annotations

from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from duban.audit.models import AuditAction, AuditEvent
from duban.directory.models import Group, Unit, UnitAlias
from duban.directory.services import remember_alias
from duban.intake import services
from tests.support.notices import SEED, revised_seed
from tests.support.world import World


def _upload(client: Client, data: bytes) -> str:
    file = BytesIO(data)
    file.name = "notice.txt"
    response = client.post(reverse("intake:upload"), {"file": file})
    assert response.status_code == 302
    return str(response["Location"]).rstrip("/").split("/")[-1]


def test_a_name_resolved_in_the_preview_is_kept_for_next_time(client: Client, world: World) -> None:
    office = world.as_office(client)
    goushi = Unit.objects.get(name="缑氏镇")
    token = _upload(office, revised_seed())
    preview = office.get(reverse("intake:preview", args=[token])).content.decode()
    assert 'data-name="缙氏镇"' in preview and not UnitAlias.objects.filter(name="缙氏镇").exists()
    office.post(
        reverse("intake:choose", args=[token]), {"name": "缙氏镇", "choice": f"unit:{goushi.pk}"}
    )
    preview = office.get(reverse("intake:preview", args=[token])).content.decode()
    assert "提交后“缙氏镇”将作为缑氏镇的别名保存" in preview
    assert not UnitAlias.objects.filter(name="缙氏镇").exists()  # nothing before the commit

    assert office.post(reverse("intake:commit", args=[token])).status_code == 302
    alias = UnitAlias.objects.get(name="缙氏镇")
    assert alias.unit == goushi
    event = AuditEvent.objects.get(object_type="directory.unitalias", object_id=str(alias.pk))
    assert event.action == AuditAction.CREATE and event.user == world.office

    # The next import of a notice that writes 缙氏镇 needs nobody.
    staged = services.stage_upload(data=SEED.read_bytes(), filename="seed.txt", user=world.office)
    again = services.build_preview(staged)
    assert again.unresolved == [] and again.can_commit
    row = next(row for row in again.names if row.name == "缙氏镇")
    assert row.status == "alias" and row.chosen_label == "缑氏镇"
    page = office.get(reverse("intake:preview", args=[_upload(office, SEED.read_bytes())]))
    html = page.content.decode()
    assert "即“缑氏镇”（别名）" in html and 'class="flagged"' not in html

    # The alias is on the unit's line of the directory, for everyone who reads it.
    units = world.as_unit("发改委").get(reverse("directory:units"), {"q": "缑氏"}).content.decode()
    assert "缙氏镇" in units


@pytest.mark.usefixtures("directory")
def test_a_new_unit_or_a_group_adds_no_alias(seed_bytes: bytes) -> None:
    staged = services.stage_upload(data=seed_bytes, filename="seed.txt", user=None)
    services.choose(staged, "缙氏镇", "new:town")
    services.commit(staged, None)
    assert Unit.objects.get(name="缙氏镇").kind == "town"
    assert not UnitAlias.objects.filter(name="缙氏镇").exists()
    group = Group.objects.first()
    assert group is not None
    assert services.remember_choices({"某某片区": f"group:{group.pk}"}) == []
    assert not UnitAlias.objects.filter(name="某某片区").exists()


@pytest.mark.usefixtures("directory")
def test_a_name_that_already_answers_to_something_is_not_taken() -> None:
    goushi, fgw = Unit.objects.get(name="缑氏镇"), Unit.objects.get(name="发改委")
    aliases = UnitAlias.objects.count()
    assert remember_alias(goushi, "发改委") is None  # another unit's name
    assert remember_alias(goushi, "缑氏镇") is None  # its own name
    assert remember_alias(goushi, " 缑 氏镇 ") is None  # the same name, as names are compared
    taken = UnitAlias.objects.exclude(unit=goushi).first()
    assert taken is not None and remember_alias(goushi, taken.name) is None  # another's alias
    group = Group.objects.first()
    assert group is not None and remember_alias(goushi, group.name) is None  # a group
    assert remember_alias(goushi, "   ") is None
    assert UnitAlias.objects.count() == aliases
    first = remember_alias(fgw, "发展改革委员会办公室")
    assert first is not None and remember_alias(fgw, "发展改革委员会办公室") is None
    assert UnitAlias.objects.count() == aliases + 1


@pytest.mark.usefixtures("directory")
def test_the_console_keeps_a_mapped_name_too() -> None:
    def run(*args: str) -> str:
        out = StringIO()
        call_command("import", *args, stdout=out)
        return out.getvalue()

    run(str(SEED), "--map", "缙氏镇=缑氏镇", "--dry-run")
    assert not UnitAlias.objects.filter(name="缙氏镇").exists()  # a dry run keeps nothing
    run(str(SEED), "--map", "缙氏镇=缑氏镇")
    assert UnitAlias.objects.get(name="缙氏镇").unit.name == "缑氏镇"
    assert AuditEvent.objects.filter(
        object_type="directory.unitalias", action=AuditAction.CREATE
    ).exists()
    out = run(str(SEED))  # no --map needed any more
    assert "缙氏镇" not in out
