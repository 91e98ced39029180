"""The scheme page: the rules of the version in force in words, every rule with its value, the
versions; the office edits them in a form (bad input said next to its field, nothing saved),
saving makes the next version, the older stays readable and a year names the version it used."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bs4 import BeautifulSoup

from duban.assessment.models import Scheme
from duban.assessment.scheme import DEFAULT
from duban.assessment.services import compute, schemes
from tests.support.world import World


def soup(response: Any) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def text_of(response: Any, selector: str) -> str:
    found = soup(response).select_one(selector)
    return found.get_text(" ", strip=True) if found is not None else ""


def form_data(**changes: Any) -> dict[str, Any]:
    """The edit form as the page fills it from the default scheme, with ``changes``."""
    data: dict[str, Any] = {}
    for name, value in DEFAULT.to_dict().items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    data["note"] = "调整报送扣分"
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def test_everyone_who_reads_the_ledger_reads_the_scheme_in_words(world: World) -> None:
    for client in (world.as_office(), world.as_unit("缑氏镇"), world.as_leader("朱蕾")):
        page = client.get("/assessment/scheme/")
        assert page.status_code == 200
        summary = text_of(page, "#scheme-summary")
        assert "基础分100分：任务完成60分、序时进度10分、报送15分、督办响应15分" in summary
        assert "领导批示肯定不计加分" in summary
        assert "优秀须达到90分且位于本组前25%（向下取整）" in summary
        assert text_of(page, '[data-rule="late_minor_days"]') == "3个工作日"
        assert text_of(page, '[data-rule="excellent_quota"]') == "25%"
        assert text_of(page, '[data-rule="instruction_bonus"]') == "否"
        assert text_of(page, '[data-rule="township_kinds"]') == "镇、街道"
        assert text_of(page, "#scheme-version") == "第1版 · 现行"
    office = world.as_office().get("/assessment/scheme/")
    assert soup(office).select_one("#scheme-edit") is not None
    unit = world.as_unit("缑氏镇").get("/assessment/scheme/")
    assert soup(unit).select_one("#scheme-edit") is None
    assert world.as_admin("system").get("/assessment/scheme/").status_code == 403


def test_only_the_office_edits_the_scheme(world: World) -> None:
    for client in (world.as_unit("缑氏镇"), world.as_leader("朱蕾"), world.as_viewer()):
        assert client.get("/assessment/scheme/edit/").status_code == 403
        assert client.post("/assessment/scheme/edit/", form_data()).status_code == 403
    assert Scheme.objects.count() <= 1


def test_bad_rules_are_said_next_to_their_field_and_nothing_is_saved(world: World) -> None:
    client = world.as_office()
    page = client.get("/assessment/scheme/edit/")
    assert soup(page).select_one("#id_report_missing")["value"] == "2"
    assert soup(page).select_one("#id_veto_falsified").has_attr("checked")
    for changes, field in (
        ({"report_missing": "两分"}, "report_missing"),
        ({"report_missing": "-1"}, "report_missing"),
        ({"publicity_days": "2.5"}, "publicity_days"),
        ({"grade_good": "95"}, "grade_good"),  # above 优秀's 90
        ({"excellent_quota": "120"}, "excellent_quota"),
        ({"township_kinds": None}, "township_kinds"),
        ({"note": " "}, "note"),
    ):
        refused = client.post("/assessment/scheme/edit/", form_data(**changes))
        assert refused.status_code == 400, field
        error = text_of(refused, f"#field-{field} .errors")
        assert error and not any(c.isascii() and c.isalpha() for c in error), (field, error)
    assert Scheme.objects.count() == 1  # v1, created when the page was first shown


def test_saving_makes_the_next_version_and_a_year_keeps_its_own(
    world: World, settings: Any
) -> None:
    settings.DUBAN_TODAY = dt.date(2024, 1, 15)
    compute.compute(world.plan, world.office)  # 2023 computed with v1
    client = world.as_office()
    done = client.post(
        "/assessment/scheme/edit/",
        form_data(report_missing="3", instruction_bonus="on", note="未报扣分提高到3分"),
        follow=True,
    )
    assert "考核方案第2版已保存" in done.content.decode()
    current = schemes.current_scheme()
    assert current.version == 2 and current.note == "未报扣分提高到3分"
    assert schemes.rules_of(current).report_missing == 3
    assert schemes.rules_of(current).instruction_bonus is True
    assert text_of(done, '[data-rule="report_missing"]') == "3分"
    assert "领导批示肯定计入加分" in text_of(done, "#scheme-summary")
    versions = soup(done).select("#scheme-versions tr[data-version]")
    assert [row["data-version"] for row in versions] == ["2", "1"]
    assert "2023" in versions[1].get_text()  # the year computed with v1
    old = client.get("/assessment/scheme/v1/")
    assert old.status_code == 200
    assert "这是历史版本，现行为第2版" in old.content.decode()
    assert text_of(old, '[data-rule="report_missing"]') == "2分"
    assert "2023年度考核采用本版" in text_of(old, "#scheme-summary")
    year = client.get("/assessment/")
    assert text_of(year, "#assessment-scheme") == "重点工作责任目标考核办法（第1版）"
