"""The Excel ledger template: a notice no parser reads is typed into it once, and the filled
template is read back as the parser's result, through the same preview and ``duban import``."""

from __future__ import annotations

import datetime
from io import BytesIO, StringIO
from pathlib import Path
from urllib.parse import quote

import openpyxl
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from duban.audit.models import AuditAction, AuditEvent
from duban.exports.ledger_xlsx import build_ledger_xlsx
from duban.intake.errors import IntakeError
from duban.intake.parsing.result import ParseResult
from duban.intake.pipeline import parse_upload
from duban.intake.template import HEADERS, MARK, read_template, write_template
from duban.ledger.models import Plan
from tests.support.ledger_template import (
    DOC_NUMBER,
    HEADER,
    TITLE,
    copied_without_mark,
    fill,
    header_row,
    save,
)
from tests.support.world import World


def chinese_template() -> bytes:
    with translation.override("zh-hans"):
        return write_template(gettext)


EXPECTED = ParseResult(
    document={
        "title": TITLE,
        "doc_number": DOC_NUMBER,
        "issuer": "洛阳市偃师区人民政府",
        "date": None,
        "year": 2024,
        "declared_areas": None,
        "declared_tasks": None,
    },
    areas=[{"number": 1, "title": "扎实推进项目建设"}, {"number": 2, "title": "持续改善民生"}],
    tasks=[
        {
            "number": 1,
            "area": 1,
            "text": "新增规上工业企业50家",
            "lead_leaders": ["朱蕾", "薛超峰"],
            "lead_units": ["发改委"],
            "responsible_units": ["工信局", "财政局"],
            "deadline": "2024-06-30",
            "targets": [
                {
                    "label": "新增规上工业企业",
                    "value": 50,
                    "value_max": None,
                    "unit": "家",
                    "op": "=",
                    "source": "新增规上工业企业50家",
                }
            ],
            "source": [5, 5],
            "confidence": 1.0,
            "doubtful": [],
        },
        {
            "number": 2,
            "area": 1,
            "text": "加快重点项目前期工作",
            "lead_leaders": ["朱蕾"],
            "lead_units": ["工信局"],
            "responsible_units": [],
            "deadline": "2024-12-31",
            "targets": [],
            "source": [6, 6],
            "confidence": 1.0,
            "doubtful": [],
        },
        {
            "number": 3,
            "area": 2,
            "text": "办好十件民生实事",
            "lead_leaders": ["叶占芳"],
            "lead_units": ["财政局"],
            "responsible_units": ["各镇（街道）"],
            "deadline": None,
            "targets": [],
            "source": [7, 7],
            "confidence": 1.0,
            "doubtful": [],
        },
    ],
    warnings=[],
)


def test_the_template_is_a_clean_ledger_with_its_explanations() -> None:
    workbook = openpyxl.load_workbook(BytesIO(chinese_template()))
    assert workbook.sheetnames == ["任务", "填写说明"]
    tasks = workbook["任务"]
    assert [cell.value for cell in tasks[4]] == HEADER
    assert (tasks["A1"].value, tasks["A2"].value, tasks["E2"].value) == ("文件标题", "文号", "年度")
    assert tasks.freeze_panes == "A5"
    assert all(tasks.cell(row=row, column=1).value is None for row in range(5, 300))  # no example
    assert MARK in workbook.defined_names
    explained = " ".join(str(c.value) for row in workbook["填写说明"].iter_rows() for c in row)
    for words in ("“、”隔开", "2023年6月30日或2023-06-30", "领域", "每行一项任务"):
        assert words in explained


def test_a_filled_template_reads_as_the_parser_would_have_read_the_notice() -> None:
    filled = fill(chinese_template())
    result = read_template(filled, "台账.xlsx")
    assert result is not None
    assert (result.document, result.areas, result.tasks, result.warnings) == (
        EXPECTED.document,
        EXPECTED.areas,
        EXPECTED.tasks,
        EXPECTED.warnings,
    )
    assert (
        result.lines[5]
        == "1 |  | 新增规上工业企业50家 | 朱蕾、薛超峰 | 发改委 | 工信局、财政局 | 2024年6月30日"
    )
    assert parse_upload(filled, "台账.xlsx") == result  # the one entry point takes it too


def test_a_copy_that_lost_the_mark_is_read_the_same_by_its_header() -> None:
    copy = copied_without_mark(fill(chinese_template()))
    result = read_template(copy, "复制.xlsx")
    assert result is not None
    assert (result.document, result.areas, result.tasks) == (
        EXPECTED.document,
        EXPECTED.areas,
        EXPECTED.tasks,
    )


def test_merged_cells_and_dates_typed_as_dates_read_as_a_clerk_means_them() -> None:
    workbook = openpyxl.load_workbook(BytesIO(fill(chinese_template())))
    sheet = workbook["任务"]
    sheet["E8"] = None
    sheet.merge_cells("E7:E8")  # 工信局 leads tasks 2 and 3
    sheet["G7"] = datetime.date(2024, 9, 30)
    result = read_template(save(workbook))
    assert result is not None
    assert [t["lead_units"] for t in result.tasks] == [["发改委"], ["工信局"], ["工信局"]]
    assert result.tasks[1]["deadline"] == "2024-09-30"


def test_a_marked_template_whose_headers_were_reworded_still_reads() -> None:
    workbook = openpyxl.load_workbook(BytesIO(fill(chinese_template())))
    workbook["任务"]["B4"], workbook["任务"]["C4"] = "领域", "重点任务"
    result = read_template(save(workbook))
    assert result is not None and result.tasks == EXPECTED.tasks


def test_a_template_without_title_takes_the_file_name_and_warns_as_the_parser_does() -> None:
    rows = [(1, None, "任务甲", None, "发改委"), (3, None, "任务乙", None, None)]
    result = read_template(fill(chinese_template(), rows, plan={}), "2024年重点工作台账.xlsx")
    assert result is not None
    assert (result.document["title"], result.document["year"]) == ("2024年重点工作台账", 2024)
    assert result.areas == [] and [t["area"] for t in result.tasks] == [None, None]
    assert [w.code for w in result.warnings] == ["numbering_gap", "no_lead_unit"]
    assert result.tasks[1]["confidence"] < 1.0 and "lead_units" in result.tasks[1]["doubtful"]


def test_workbooks_that_are_no_template_go_to_the_parser() -> None:
    export = build_ledger_xlsx(
        "2023年重点工作台账",
        [],
        headers={"number": "序号", "text": "重点任务"},
        sheet_name="台账",
    )
    plain = openpyxl.Workbook()
    plain.active.append(["序号", "重点工作任务", "牵头领导", "牵头单位", "责任单位", "完成时限"])
    plain.active.append([1, "任务", "朱蕾", "发改委", "", ""])
    for data, name in (
        (export, "台账.xlsx"),
        (save(plain), "ledger.xlsx"),
        ("序号,领域（一级标题）".encode(), "a.csv"),
        (b"PK\x03\x04 damaged", "x.xlsx"),
    ):
        assert read_template(data, name) is None


BAD = [
    pytest.param(
        [],
        None,
        "模板中没有任务：“任务”工作表第4行的表头下面没有填写任何任务。请在表头下面每行填写一项任务",
        id="empty",
    ),
    pytest.param(
        [(1, "一、项目建设", "任务甲", "朱蕾", "发改委"), (2, None, None, "朱蕾", "发改委")],
        None,
        "“任务”工作表第6行：第2项任务有序号，但“重点工作任务”列没有内容。请在该单元格填写任务内容，或删除这一行。",
        id="number-without-text",
    ),
    pytest.param(
        [
            (1, None, "任务甲", None, "发改委", None, "2024-06-30"),
            (2, None, "任务乙", None, "发改委", None, "年底前"),
            (3, None, "任务丙", None, "发改委", None, "六月底"),
        ],
        None,
        "“任务”工作表第7行“完成时限”列的“六月底”不是日期。请写成2023年6月30日或2023-06-30，没有完成时限的请留空。",
        id="unreadable-date",
    ),
    pytest.param(
        [
            (1, None, "任务甲", None, "发改委"),
            (2, None, "任务乙", None, "发改委"),
            (2, None, "任务丙"),
        ],
        None,
        "“任务”工作表第7行的序号“2”与第6行重复。请给每项任务不同的序号。",
        id="number-twice",
    ),
    pytest.param(
        [(None, None, "任务甲", None, "发改委")],
        None,
        "“任务”工作表第5行的任务在“序号”列没有填写序号。",
        id="no-number",
    ),
    pytest.param(
        [(1, None, "任务甲", None, "发改委"), (None, None, None, None, "财政局")],
        None,
        "“任务”工作表第6行填写了内容，但没有序号和重点工作任务。请把这些内容填到所属任务的那一行",
        id="units-without-task",
    ),
    pytest.param(
        [(1, None, "任务甲", None, "发改委")],
        {"年度": "二〇二四"},
        "“任务”工作表第2行的年度“二〇二四”不是年份。请写成四位数字，例如2023。",
        id="year",
    ),
    pytest.param(
        [(1, None, "任务甲", None, "发改委")],
        "drop-deadline-header",
        "“任务”工作表第4行的表头缺少“完成时限”列。请按模板恢复表头（序号、领域（一级标题）、",
        id="header-lacks-a-column",
    ),
    pytest.param(
        [(1, None, "任务甲", None, "发改委")],
        "copy-without-lead-header",
        "“Sheet1”工作表第6行的表头缺少“牵头单位”列。",
        id="copy-header-lacks-a-column",
    ),
]


def _bad_file(rows: list[tuple[object, ...]], change: object) -> bytes:
    data = fill(chinese_template(), rows, plan=change if isinstance(change, dict) else None)
    if change == "drop-deadline-header":
        workbook = openpyxl.load_workbook(BytesIO(data))
        workbook["任务"]["G4"] = None
        data = save(workbook)
    if change == "copy-without-lead-header":
        workbook = openpyxl.load_workbook(BytesIO(copied_without_mark(data)))
        workbook.active["E6"] = None
        data = save(workbook)
    return data


@pytest.mark.parametrize(("rows", "change", "message"), BAD)
def test_a_bad_template_is_refused_naming_row_and_column_and_nothing_is_staged(
    world: World, rows: list[tuple[object, ...]], change: object, message: str
) -> None:
    plans = Plan.objects.count()
    office = world.as_office()
    data = _bad_file(rows, change)
    response = office.post(reverse("intake:upload"), {"file": _named(data, "台账.xlsx")})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page and message in page
    assert Plan.objects.count() == plans
    assert not list((Path(django_settings.DATA_DIR) / "imports").glob("*"))


def test_errors_carry_a_stable_code_for_programs() -> None:
    with pytest.raises(IntakeError) as caught:
        read_template(_bad_file([(1, None, "任务甲", None, None, None, "六月底")], None))
    assert caught.value.code == "template_deadline"
    assert caught.value.params["row"] == 5 and caught.value.params["column"] == HEADERS["deadline"]


def _named(data: bytes, name: str) -> BytesIO:
    file = BytesIO(data)
    file.name = name
    return file


def test_the_upload_page_links_the_template_and_serves_it_audited(world: World) -> None:
    office = world.as_office()
    page = office.get(reverse("intake:upload")).content.decode()
    link = reverse("intake:template")
    assert f'href="{link}"' in page and "下载Excel台账模板" in page
    response = office.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert f"filename*=UTF-8''{quote('重点工作台账模板.xlsx')}" in response["Content-Disposition"]
    assert 'filename="ledger-template.xlsx"' in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["任务", "填写说明"]
    assert header_row(workbook["任务"]) == 4
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("pk")
    assert event.after is not None and event.after["file"] == "重点工作台账模板.xlsx"
    assert event.user == world.office
    assert world.as_unit("发改委").get(link).status_code == 403


def test_an_unreadable_notice_is_refused_with_the_advice_and_the_template_link(
    world: World,
) -> None:
    letter = (
        "关于召开季度工作会议的通知\n各单位：\n定于下周一召开季度工作会议，请准时参加。\n".encode()
    )
    response = world.as_office().post(
        reverse("intake:upload"), {"file": _named(letter, "letter.txt")}
    )
    page = response.content.decode()
    assert "该文件中未找到任何任务。" in page
    advice = page[page.index('id="template-advice"') :]
    assert f'<a href="{reverse("intake:template")}">Excel台账模板</a>' in advice
    assert "再在此上传填好的模板" in advice


def test_a_filled_template_goes_through_the_preview_into_the_ledger(world: World) -> None:
    office = world.as_office()
    response = office.post(
        reverse("intake:upload"), {"file": _named(fill(chinese_template()), "台账.xlsx")}
    )
    assert response.status_code == 302
    preview = office.get(response["Location"]).content.decode()
    for text in (
        "新增规上工业企业50家",
        "加快重点项目前期工作",
        "办好十件民生实事",
        DOC_NUMBER,
    ):
        assert text in preview
    token = response["Location"].rstrip("/").split("/")[-1]
    done = office.post(reverse("intake:commit", args=[token]))
    assert done.status_code == 302
    plan = Plan.objects.get(year=2024)
    assert (plan.title, plan.doc_number, plan.tasks.count(), plan.areas.count()) == (
        TITLE,
        DOC_NUMBER,
        3,
        2,
    )
    task = plan.tasks.get(number="1")
    assert task.area is not None and task.area.title == "扎实推进项目建设"
    assert [a.name for a in task.assignments.filter(role="lead")] == ["发改委"]
    assert [a.name for a in task.assignments.filter(role="responsible")] == ["工信局", "财政局"]
    assert [tl.leader.name for tl in task.task_leaders.all()] == ["朱蕾", "薛超峰"]
    assert str(task.deadline) == "2024-06-30"


def run(*args: str) -> str:
    out = StringIO()
    call_command("import", *args, stdout=out)
    return out.getvalue()


def test_duban_import_template_writes_it_and_never_overwrites_without_force(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out = run("--template")
    default = tmp_path / "重点工作台账模板.xlsx"
    assert str(default) in out and "Excel台账模板已写入" in out
    assert openpyxl.load_workbook(default).sheetnames == ["任务", "填写说明"]

    default.write_bytes(b"the clerk's filled copy")
    with pytest.raises(CommandError) as refused:
        run("--template")
    assert refused.value.returncode == 2
    assert "已存在，未写入任何内容" in str(refused.value) and "--force" in str(refused.value)
    assert default.read_bytes() == b"the clerk's filled copy"

    named = tmp_path / "out" / "模板.xlsx"
    named.parent.mkdir()
    run("--template", str(named))
    run("--template", str(named), "--force")
    assert MARK in openpyxl.load_workbook(named).defined_names


def test_duban_import_of_a_filled_template_creates_the_plan(world: World, tmp_path: Path) -> None:
    path = tmp_path / "2024年台账.xlsx"
    path.write_bytes(fill(chinese_template()))
    out = run(str(path))
    assert "3" in out and "2" in out
    plan = Plan.objects.get(year=2024)
    assert [t.number for t in plan.tasks.order_by("position")] == ["1", "2", "3"]
    towns = plan.tasks.get(number="3").assignments.get(role="responsible")
    assert towns.name == "各镇（街道）" and towns.group is not None

    parsed = StringIO()
    call_command("parse", str(path), stdout=parsed)
    assert "办好十件民生实事" in parsed.getvalue()


def test_duban_import_says_what_is_wrong_in_a_bad_template(world: World, tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(
        fill(chinese_template(), [(1, None, "任务甲", None, "发改委", None, "六月底")])
    )
    plans = Plan.objects.count()
    with pytest.raises(CommandError) as caught:
        run(str(path))
    assert "第5行“完成时限”列的“六月底”不是日期" in str(caught.value)
    assert Plan.objects.count() == plans
