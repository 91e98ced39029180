"""Each ledger page shows only what its user may see: lists, counts, leader and unit pages,
the navigation; exports and downloads leave a trace in the audit trail."""

from __future__ import annotations

import re

from django.urls import reverse

from duban.audit.models import AuditAction, AuditEvent
from duban.ledger.models import Plan
from tests.support.permissions import People, independent_view
from tests.support.world import World

COUNT = re.compile(r"[（(](\d+)[）)]$")


def _count(label: str) -> int:
    match = COUNT.search(label)
    assert match, label
    return int(match.group(1))


def test_filter_options_count_only_the_tasks_the_user_sees(world: World, people: People) -> None:
    visible = independent_view(world, people["goushi"])
    options = world.as_unit("缑氏镇").get(reverse("ledger:tasks")).context["options"]
    assert sum(_count(option.label) for option in options["areas"]) == len(visible)
    assert sum(_count(option.label) for option in options["statuses"]) == len(visible)
    lead_units = {
        option.label.split("（")[0] for _kind, group in options["lead"] for option in group
    }
    everyone = world.as_office().get(reverse("ledger:tasks")).context["options"]
    all_leads = {
        option.label.split("（")[0] for _kind, group in everyone["lead"] for option in group
    }
    assert lead_units < all_leads  # units leading only tasks 缑氏镇 does not see are not offered
    assert "发改委" in lead_units


def test_a_filter_for_an_unseen_unit_finds_nothing_more(world: World, people: People) -> None:
    """Filtering by a unit the user does not work with cannot widen the list."""
    gongxin = world.as_unit("工信局")
    fgw = world.units["发改委"]
    response = gongxin.get(reverse("ledger:tasks"), {"lead": fgw.pk})
    found = {task.number for task in response.context["page_obj"].paginator.object_list}
    assert found <= independent_view(world, people["gongxin"])
    assert "1" not in found


def test_leader_and_unit_pages_show_only_visible_tasks(world: World, people: People) -> None:
    gongxin = world.as_unit("工信局")
    zhu = world.leaders["朱蕾"]
    rows = gongxin.get(reverse("ledger:leader", args=[zhu.pk])).context["rows"]
    numbers = {row.task.number for row in rows}
    assert numbers and numbers <= independent_view(world, people["gongxin"]) and "1" not in numbers
    fgw = world.units["发改委"]
    rows = world.as_unit("缑氏镇").get(reverse("ledger:unit", args=[fgw.pk])).context["rows"]
    assert {row.task.number for row in rows} <= independent_view(world, people["goushi"])
    assert world.as_admin("security").get(reverse("ledger:unit", args=[fgw.pk])).status_code == 403


def test_a_task_one_may_not_see_is_403_and_a_task_that_does_not_exist_404(world: World) -> None:
    gongxin = world.as_unit("工信局")
    assert gongxin.get(reverse("ledger:task", args=[world.tasks["1"].pk])).status_code == 403
    assert gongxin.get(reverse("ledger:task", args=[999999])).status_code == 404
    assert gongxin.get(reverse("ledger:plan_source", args=[999999])).status_code == 404


def test_the_notice_of_a_plan_without_visible_tasks_is_403(world: World) -> None:
    archive = world.as_unit("档案馆")
    assert archive.get(reverse("ledger:plan_source", args=[world.plan.pk])).status_code == 403
    other = Plan.objects.create(year=2022, title="另一份通知")
    fgw = world.as_unit("发改委")
    assert fgw.get(reverse("ledger:plan_source", args=[other.pk])).status_code == 403


def test_each_export_and_download_is_in_the_audit_trail(world: World, people: People) -> None:
    goushi = world.as_unit("缑氏镇")
    response = goushi.get(reverse("ledger:export"), {"q": "项目"})
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert (event.username, event.object_type, event.object_id) == (
        "goushi",
        "ledger.plan",
        str(world.plan.pk),
    )
    assert event.after is not None and event.after["query"] == "q=%E9%A1%B9%E7%9B%AE"
    assert 0 < event.after["rows"] <= len(independent_view(world, people["goushi"]))

    response = goushi.get(reverse("ledger:plan_source", args=[world.plan.pk]))
    assert response.status_code == 200
    b"".join(response.streaming_content)
    download = AuditEvent.objects.get(action=AuditAction.DOWNLOAD)
    assert download.username == "goushi" and download.object_id == str(world.plan.pk)


def test_refused_exports_and_downloads_leave_no_event(world: World) -> None:
    security = world.as_admin("security")
    assert security.get(reverse("ledger:export")).status_code == 403
    archive = world.as_unit("档案馆")
    assert archive.get(reverse("ledger:plan_source", args=[world.plan.pk])).status_code == 403
    assert not AuditEvent.objects.filter(
        action__in=[AuditAction.EXPORT, AuditAction.DOWNLOAD]
    ).exists()


NAV = {
    "ledger": 'href="/ledger/"',
    "imports": 'href="/imports/"',
    "directory": 'href="/directory/units/"',
    "users": 'href="/accounts/users/"',
    "audit": 'href="/audit/"',
}
NAV_FOR = {
    "goushi": {"ledger", "directory"},
    "zhulei": {"ledger", "directory"},
    "viewer": {"ledger", "directory"},
    "office": {"ledger", "imports", "directory", "users"},
    "superuser": {"directory"},  # the superuser flag grants nothing in duban
    "security": {"directory", "users"},
    "auditor": {"directory", "audit"},
}


def test_the_navigation_shows_only_what_each_person_may_open(world: World, people: People) -> None:
    for person, expected in NAV_FOR.items():
        page = world.as_user(people[person]).get(reverse("home")).content.decode()
        nav = page.split('class="mainnav"')[1].split("</nav>")[0]
        shown = {name for name, href in NAV.items() if href in nav}
        assert shown == expected, person


def test_without_a_plan_only_the_office_is_offered_the_import(world: World) -> None:
    Plan.objects.all().delete()
    assert 'href="/imports/"' in world.as_office().get(reverse("ledger:tasks")).content.decode()
    page = world.as_viewer().get(reverse("ledger:tasks")).content.decode()
    assert 'href="/imports/"' not in page
