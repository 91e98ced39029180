"""The office uploads a notice, resolves what duban could not know, and commits it."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from duban.accounts.models import Membership, Role
from duban.directory.models import Unit
from duban.ledger.models import Plan, Task
from tests.support.notices import revised_seed

pytestmark = pytest.mark.usefixtures("directory", "media")


def upload(client: Client, data: bytes, name: str = "notice.txt") -> object:
    file = BytesIO(data)
    file.name = name
    return client.post(reverse("intake:upload"), {"file": file})


def test_office_uploads_resolves_and_commits_the_seed(
    office_client: Client, seed_bytes: bytes
) -> None:
    response = upload(office_client, seed_bytes)
    assert response.status_code == 302
    preview_url = response["Location"]
    page = office_client.get(preview_url).content.decode()
    assert 'data-name="缙氏镇"' in page and "缑氏镇" in page
    assert (
        'id="commit" disabled' in page.replace("\n", " ").replace("  ", " ") or "disabled" in page
    )

    token = preview_url.rstrip("/").split("/")[-1]
    goushi = Unit.objects.get(name="缑氏镇")
    fragment = office_client.post(
        reverse("intake:choose", args=[token]),
        {"name": "缙氏镇", "choice": f"unit:{goushi.pk}"},
        HTTP_HX_REQUEST="true",
    )
    assert fragment.status_code == 200 and b'id="preview"' in fragment.content
    assert not Plan.objects.exists()  # nothing is written before the commit

    done = office_client.post(reverse("intake:commit", args=[token]))
    assert done.status_code == 302 and reverse("ledger:tasks") in done["Location"]
    plan = Plan.objects.get()
    assert plan.tasks.count() == 98
    assert plan.source_file.read() == seed_bytes
    assert plan.imports.get().imported_by.username == "office"


def test_a_field_is_corrected_in_place(office_client: Client, seed_bytes: bytes) -> None:
    token = upload(office_client, seed_bytes)["Location"].rstrip("/").split("/")[-1]
    response = office_client.post(
        reverse("intake:edit", args=[token, 0]),
        {"lead_units": "发改委、财政局", "text": "新的任务内容", "deadline": "2023-09-30"},
        HTTP_HX_REQUEST="true",
    )
    assert "新的任务内容" in response.content.decode()
    bad = office_client.post(
        reverse("intake:edit", args=[token, 0]), {"deadline": "九月"}, HTTP_HX_REQUEST="true"
    )
    assert 'role="alert"' in bad.content.decode()


def test_unreadable_files_are_refused_on_the_form(office_client: Client) -> None:
    for data, name in (
        (b"", "empty.txt"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old.doc"),
    ):
        response = upload(office_client, data, name)
        assert response.status_code == 200
        assert 'role="alert"' in response.content.decode()
    covering = "杭州市人民政府办公厅关于印发2020年政府工作报告重点工作责任分解的通知\n一、各级各部门要提高站位。\n"
    response = upload(office_client, covering.encode(), "covering.txt")
    assert 'role="alert"' in response.content.decode()
    assert not Plan.objects.exists()


def test_a_revision_shows_its_changes_before_they_are_applied(
    office_client: Client, seed_bytes: bytes
) -> None:
    from duban.intake.services import import_demo_plan

    import_demo_plan()
    token = upload(office_client, revised_seed())["Location"].rstrip("/").split("/")[-1]
    goushi = Unit.objects.get(name="缑氏镇")
    office_client.post(
        reverse("intake:choose", args=[token]), {"name": "缙氏镇", "choice": f"unit:{goushi.pk}"}
    )
    page = office_client.get(reverse("intake:preview", args=[token])).content.decode()
    assert page.count('class="change-removed"') == 1 and page.count('class="change-changed"') == 1
    assert page.count('class="change-added"') == 0
    assert Task.objects.count() == 98
    office_client.post(reverse("intake:commit", args=[token]))
    assert Task.objects.count() == 97


def test_only_the_office_imports_and_only_its_own_uploads(
    client: Client, office_client: Client, seed_bytes: bytes, db: None
) -> None:
    operator = User.objects.create_user("fgw", password="x-Secret-123")
    Membership.objects.create(
        user=operator, role=Role.UNIT_OPERATOR, unit=Unit.objects.get(name="发改委")
    )
    token = upload(office_client, seed_bytes)["Location"].rstrip("/").split("/")[-1]
    client.force_login(operator)
    assert client.get(reverse("intake:upload")).status_code == 403
    assert client.get(reverse("intake:preview", args=[token])).status_code == 403
    other_office = User.objects.create_user("office2", password="x-Secret-123")
    Membership.objects.create(user=other_office, role=Role.OFFICE)
    client.force_login(other_office)
    assert client.get(reverse("intake:preview", args=[token])).status_code == 404
    client.logout()
    assert client.get(reverse("intake:upload")).status_code == 302


def test_abandon_keeps_the_ledger_as_it_was(office_client: Client, seed_bytes: bytes) -> None:
    token = upload(office_client, seed_bytes)["Location"].rstrip("/").split("/")[-1]
    office_client.post(reverse("intake:abandon", args=[token]))
    assert office_client.get(reverse("intake:preview", args=[token])).status_code == 404
    assert not Plan.objects.exists()
