"""The clerk is not stuck when the parser is unsure: the preview shows where each task was read
and how sure duban is of it, and tasks can be added, split, merged, renumbered and deleted
before the commit — each refusal in Chinese, changing nothing."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import pytest
from django.contrib.auth.models import AbstractUser, User
from django.test import Client
from django.urls import reverse
from django.utils import translation

from duban.accounts.models import Membership, Role
from duban.directory.models import Unit
from duban.directory.services import DirectoryIndex
from duban.intake import services, staging
from duban.intake.parsing.result import TaskInfo
from duban.ledger.models import Plan, Task

pytestmark = pytest.mark.usefixtures("directory", "media")

TWO_SENTENCES = 36  # task 37: "统筹实施…有序推进城市更新。高标准启动64个、3209户老旧小区改造，…"


def _stage(data: bytes) -> staging.StagedImport:
    return services.stage_upload(data=data, filename="seed.txt", user=None)


def _tasks(staged: staging.StagedImport) -> list[TaskInfo]:
    """The tasks as the preview shows them, read back from the disk."""
    return services.effective_parse(staging.load(staged.token, None)).tasks


def _files(staged: staging.StagedImport) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(staged.folder.iterdir())}


def _codes(staged: staging.StagedImport) -> list[tuple[str, object]]:
    return [(w.code, w.task) for w in services.effective_parse(staged).warnings]


def test_a_task_holding_two_is_split_where_the_clerk_chooses(seed_bytes: bytes) -> None:
    staged = _stage(seed_bytes)
    original = staged.parsed.tasks[TWO_SENTENCES]
    text = original["text"]
    at = text.index("高标准启动")
    assert (at, text[at:]) in services.split_points(text)  # offered in the preview
    services.split_task(staged, TWO_SENTENCES, at)
    tasks = _tasks(staged)
    assert len(tasks) == 99
    first, second = tasks[TWO_SENTENCES], tasks[TWO_SENTENCES + 1]
    assert first["text"] == "统筹实施总投资69.7亿元的66个“两建设三改造”项目，有序推进城市更新。"
    assert second["text"] == "高标准启动64个、3209户老旧小区改造，全年完成2300户以上。"
    assert (first["number"], second["number"]) == (37, 38)
    for field in ("area", "lead_leaders", "lead_units", "responsible_units", "deadline"):
        assert second[field] == first[field] == original[field]  # the units are copied
    # the targets are read again from each part's text
    assert second["targets"] and all(t["source"] in second["text"] for t in second["targets"])
    assert first["targets"] and all(t["source"] in first["text"] for t in first["targets"])
    # the tasks after it move up by one: the numbers still run without a gap
    assert [t["number"] for t in tasks] == list(range(1, 100))
    assert tasks[-1]["text"].startswith("深入实施食品安全放心工程")
    assert _codes(staged) == [("declared_tasks", None)]  # the notice declares 98


def test_a_split_keeps_the_corrections_made_before_it(seed_bytes: bytes) -> None:
    staged = _stage(seed_bytes)
    services.edit_task(staged, 0, "lead_units", "财政局")
    services.edit_task(staged, 40, "text", "改过的任务内容。第二句。")
    services.split_task(
        staged, TWO_SENTENCES, staged.parsed.tasks[TWO_SENTENCES]["text"].index("高")
    )
    loaded = staging.load(staged.token, None)
    assert loaded.edits == {}  # folded into the parse
    assert loaded.parsed.tasks[0]["lead_units"] == ["财政局"]
    assert loaded.parsed.tasks[41]["text"] == "改过的任务内容。第二句。"  # moved down by one


def test_two_tasks_are_merged_with_their_units_united_in_order(seed_bytes: bytes) -> None:
    staged = _stage(seed_bytes)
    a, b = staged.parsed.tasks[96], staged.parsed.tasks[97]
    services.merge_task(staged, 96)
    tasks = _tasks(staged)
    assert len(tasks) == 97
    merged = tasks[96]
    assert merged["number"] == 97 and merged["text"] == a["text"] + b["text"]
    assert merged["lead_leaders"] == ["朱蕾", "叶占芳"]
    assert merged["lead_units"] == ["金融局", "财政局", "应急局", "市场监管局"]
    assert merged["responsible_units"] == a["responsible_units"]  # 各镇（街道） once
    first_lines, second_lines = a.get("source"), b.get("source")
    assert first_lines and second_lines
    assert merged.get("source") == [first_lines[0], second_lines[1]]
    assert _codes(staged) == [("declared_tasks", None)]  # the notice declares 98


def test_deleting_leaves_a_gap_that_renumbering_closes(seed_bytes: bytes) -> None:
    staged = _stage(seed_bytes)
    services.delete_task(staged, 4)
    assert [t["number"] for t in _tasks(staged)][3:6] == [4, 6, 7]
    assert ("numbering_gap", 6) in _codes(staged)
    preview = services.build_preview(staging.load(staged.token, None))
    row = preview.rows[4]
    assert "number" in row.review and row.needs_review
    services.renumber(staged)
    assert [t["number"] for t in _tasks(staged)] == list(range(1, 98))
    assert _codes(staged) == [("declared_tasks", None)]
    preview = services.build_preview(staging.load(staged.token, None))
    assert not any("number" in row.review for row in preview.rows)


def test_one_task_gets_another_number(seed_bytes: bytes) -> None:
    staged = _stage(seed_bytes)
    services.set_number(staged, 97, "１００")  # full-width digits, as a Chinese keyboard types
    assert _tasks(staged)[97]["number"] == 100
    assert ("numbering_gap", 100) in _codes(staged)


def test_a_task_the_parser_missed_is_added_after_a_given_one(seed_bytes: bytes) -> None:
    staged = _stage(seed_bytes)
    position = services.add_task(
        staged,
        4,
        {
            "text": "加快推进新型储能项目建设。",
            "lead_units": "发改委、工信局",
            "responsible_units": "工信局，各镇（街道）",
            "lead_leaders": "朱蕾",
            "deadline": "2023年12月31日",
        },
    )
    tasks = _tasks(staged)
    added = tasks[position]
    assert position == 5 and added["number"] == 6 and added["area"] == tasks[4]["area"]
    assert added["lead_units"] == ["发改委", "工信局"]
    assert added["responsible_units"] == ["各镇（街道）"]
    assert (added["lead_leaders"], added["deadline"]) == (["朱蕾"], "2023-12-31")
    assert tasks[6]["text"].startswith("常态化开展“万人助万企”活动") and tasks[6]["number"] == 7
    assert [t["number"] for t in tasks] == list(range(1, 100))


BAD: list[tuple[str, Callable[[staging.StagedImport], object], str]] = [
    ("split at the start", lambda s: services.split_task(s, 0, 0), "拆分后的两部分都须有内容"),
    (
        "split leaving an empty part",
        lambda s: services.split_task(s, 0, len(s.parsed.tasks[0]["text"])),
        "拆分后的两部分都须有内容",
    ),
    ("split out of range", lambda s: services.split_task(s, 98, 3), "本次导入中没有这项任务"),
    ("merge the last task", lambda s: services.merge_task(s, 97), "最后一项任务之后没有"),
    ("merge out of range", lambda s: services.merge_task(s, 500), "本次导入中没有这项任务"),
    ("a number in use", lambda s: services.set_number(s, 0, "2"), "编号 2 已被另一项任务使用"),
    ("a number in words", lambda s: services.set_number(s, 0, "十二"), "任务编号请填写整数"),
    ("number zero", lambda s: services.set_number(s, 0, "0"), "任务编号请填写整数"),
    ("delete out of range", lambda s: services.delete_task(s, -1), "本次导入中没有这项任务"),
    (
        "add without text",
        lambda s: services.add_task(s, 0, {"text": "  ", "lead_units": "发改委"}),
        "任务内容不能为空",
    ),
    (
        "add with a bad deadline",
        lambda s: services.add_task(s, 0, {"text": "新任务。", "deadline": "年底"}),
        "2023年6月30日",
    ),
    ("add after no task", lambda s: services.add_task(s, 98, {"text": "新任务。"}), "没有这项任务"),
]


@pytest.mark.parametrize(("case", "operation", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_refused_in_chinese_and_changes_nothing(
    seed_bytes: bytes, case: str, operation: Callable[[staging.StagedImport], object], message: str
) -> None:
    staged = _stage(seed_bytes)
    services.edit_task(staged, 3, "lead_units", "财政局")  # a pending correction stays pending
    files, parsed, edits = _files(staged), staged.parsed, dict(staged.edits)
    with translation.override("zh-hans"), pytest.raises(services.ImportProblem) as refused:
        operation(staged)
    assert message in str(refused.value)
    assert _files(staged) == files
    assert (staged.parsed, staged.edits) == (parsed, edits)


def test_the_only_task_cannot_be_deleted() -> None:
    notice = (
        "关于印发2023年政府工作报告重点工作责任分解的通知\n1. 新开工项目50个。\n牵头单位：发改委\n"
    )
    staged = _stage(notice.encode())
    with translation.override("zh-hans"), pytest.raises(services.ImportProblem) as refused:
        services.delete_task(staged, 0)
    assert "通知至少要有一项任务" in str(refused.value)
    assert len(_tasks(staged)) == 1


def test_a_failed_write_leaves_the_import_as_it_was(
    seed_bytes: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    staged = _stage(seed_bytes)
    files = _files(staged)

    def full_disk(self: staging.StagedImport) -> None:
        raise OSError("No space left on device")

    monkeypatch.setattr(staging.StagedImport, "save", full_disk)
    with pytest.raises(OSError):
        services.merge_task(staged, 0)
    assert _files(staged) == files and len(staged.parsed.tasks) == 98
    monkeypatch.undo()
    assert len(_tasks(staged)) == 98 and staging.load(staged.token, None).revision == 0


def test_commit_puts_exactly_the_edited_tasks_into_the_ledger(seed_bytes: bytes) -> None:
    staged = _stage(seed_bytes)
    services.choose(staged, "缙氏镇", f"unit:{Unit.objects.get(name='缑氏镇').pk}")
    services.edit_task(staged, 0, "deadline", "2023-09-30")
    services.split_task(
        staged, TWO_SENTENCES, staged.parsed.tasks[TWO_SENTENCES]["text"].index("高")
    )
    services.merge_task(staged, 97)  # tasks 98 and 99 (97 and 98 of the notice)
    services.add_task(staged, 0, {"text": "新增的一项任务。", "lead_units": "财政局"})
    services.delete_task(staged, 10)
    services.set_number(staged, 20, "300")
    services.renumber(staged)
    services.edit_task(staged, 2, "responsible_units", "工信局、住建局")
    expected = services.effective_parse(staged).tasks
    assert services.build_preview(staged).can_commit

    plan = services.commit(staged, None).plan
    index = DirectoryIndex.load()
    goushi = Unit.objects.get(name="缑氏镇").pk

    def ref(name: str) -> tuple[int | None, int | None]:
        resolution = index.resolve(name)
        return (resolution.unit_id, resolution.group_id) if resolution.resolved else (goushi, None)

    tasks = list(Task.objects.filter(plan=plan).order_by("position"))
    assert [(t.number, t.text, t.deadline and t.deadline.isoformat()) for t in tasks] == [
        (str(e["number"]), e["text"], e["deadline"]) for e in expected
    ]
    for task, wanted in zip(tasks, expected, strict=True):
        for role, names in (
            ("lead", wanted["lead_units"]),
            ("responsible", wanted["responsible_units"]),
        ):
            got = [(a.unit_id, a.group_id) for a in task.assignments.filter(role=role)]
            assert got == [ref(n) for n in names], (task.number, role)
        assert [tl.leader.name for tl in task.task_leaders.all()] == wanted["lead_leaders"]
    assert [t.number for t in tasks] == [str(n) for n in range(1, 99)]
    assert tasks[1].text == "新增的一项任务。" and str(tasks[0].deadline) == "2023-09-30"
    assert Plan.objects.count() == 1


# The pages


def _upload(client: Client, data: bytes) -> str:
    file = BytesIO(data)
    file.name = "notice.txt"
    return (
        client.post(reverse("intake:upload"), {"file": file})["Location"].rstrip("/").split("/")[-1]
    )


def test_the_preview_shows_each_tasks_source_confidence_and_what_to_check(
    office_client: Client, seed_bytes: bytes
) -> None:
    token = _upload(office_client, seed_bytes)
    page = office_client.get(reverse("intake:preview", args=[token])).content.decode()
    badges = re.findall(r'class="badge confidence-(\w+)">([^<]+)<', page)
    assert len(badges) == 98  # a Chinese label, never the number
    assert {label for _level, label in badges} <= {"可信度：高", "可信度：中", "可信度：低"}
    assert page.count("<summary>原文</summary>") == 98
    assert '<li value="7" class="own">1. 树牢“项目为王”理念' in page
    assert '<li value="10" class="own">责任单位：投促中心，各镇（街道）</li>' in page
    # task 17 names 缙氏镇, which the directory does not know: its field is marked for review
    row = page[page.index('id="task-16"') : page.index('id="task-17"')]
    assert "data-review" in row and 'class="doubtful"' in row and 'title="请核对"' in row
    # …and its confidence says so: never 高 beside a 请核对 mark
    assert "可信度：中" in row
    other = page[page.index('id="task-15"') : page.index('id="task-16"')]
    assert "可信度：高" in other and 'title="请核对"' not in other
    assert "需核对的任务（1项）" in page and 'href="#task-16"' in page
    assert "只看需核对的任务" in page and "data-review-filter" in page


def test_the_structural_edits_answer_on_the_page(
    office_client: Client, office_user: AbstractUser, seed_bytes: bytes
) -> None:
    token = _upload(office_client, seed_bytes)
    text = office_client.get(reverse("intake:preview", args=[token])).content.decode()
    at = staging.load(token, office_user.pk).parsed.tasks[TWO_SENTENCES]["text"].index("高")
    assert f'name="at" value="{at}"' in text
    split = office_client.post(
        reverse("intake:split_task", args=[token, TWO_SENTENCES]),
        {"at": at},
        HTTP_HX_REQUEST="true",
    )
    assert split.status_code == 200 and b'id="preview"' in split.content
    merged = office_client.post(reverse("intake:merge_task", args=[token, 97]))
    assert merged.status_code == 302 and merged["Location"].endswith("#task-97")
    refused = office_client.post(
        reverse("intake:merge_task", args=[token, 97]), HTTP_HX_REQUEST="true"
    )
    assert "最后一项任务之后没有可以合并的任务" in refused.content.decode()
    assert 'role="alert"' in refused.content.decode()
    numbered = office_client.post(
        reverse("intake:number_task", args=[token, 0]), {"number": "2"}, HTTP_HX_REQUEST="true"
    )
    assert "编号 2 已被另一项任务使用" in numbered.content.decode()
    bad_split = office_client.post(
        reverse("intake:split_task", args=[token, 0]), {"at": "x"}, HTTP_HX_REQUEST="true"
    )
    assert "拆分后的两部分都须有内容" in bad_split.content.decode()
    office_client.post(reverse("intake:add_task", args=[token, 0]), {"text": "新任务。"})
    office_client.post(reverse("intake:delete_task", args=[token, 1]))
    office_client.post(reverse("intake:renumber", args=[token]))
    tasks = services.effective_parse(staging.load(token, office_user.pk)).tasks
    assert len(tasks) == 98 and [t["number"] for t in tasks] == list(range(1, 99))
    assert tasks[37]["text"].startswith("高标准启动")
    assert not Plan.objects.exists()


def test_only_the_office_changes_the_tasks_of_its_own_import(
    office_client: Client, office_user: AbstractUser, seed_bytes: bytes
) -> None:
    token = _upload(office_client, seed_bytes)
    operator = User.objects.create_user("fgw", password="x-Secret-123")
    Membership.objects.create(
        user=operator, role=Role.UNIT_OPERATOR, unit=Unit.objects.get(name="发改委")
    )
    unit_client, anonymous = Client(), Client()
    unit_client.force_login(operator)
    for name, args in (
        ("intake:split_task", [token, 0]),
        ("intake:merge_task", [token, 0]),
        ("intake:number_task", [token, 0]),
        ("intake:delete_task", [token, 0]),
        ("intake:add_task", [token, 0]),
        ("intake:renumber", [token]),
    ):
        assert office_client.get(reverse(name, args=args)).status_code == 405
        assert unit_client.post(reverse(name, args=args)).status_code == 403
        assert anonymous.post(reverse(name, args=args)).status_code == 302  # to the sign-in
    staged = staging.load(token, office_user.pk)
    assert len(staged.parsed.tasks) == 98 and staged.revision == 0


def test_an_older_staged_import_still_opens(
    office_client: Client, seed_bytes: bytes, media: Path
) -> None:
    """Imports staged before the parse carried lines and confidence open as they were."""
    token = _upload(office_client, seed_bytes)
    folder = media / "imports" / token
    data = json.loads((folder / "parsed.json").read_text(encoding="utf-8"))
    del data["lines"]
    for task in data["tasks"]:
        del task["source"], task["confidence"], task["doubtful"]
    (folder / "parsed.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    page = office_client.get(reverse("intake:preview", args=[token]))
    assert page.status_code == 200 and "可信度：高" in page.content.decode()
    assert '<details class="source">' not in page.content.decode()


def test_a_change_from_a_page_showing_an_older_task_list_is_refused(
    office_client: Client, office_user: AbstractUser, seed_bytes: bytes
) -> None:
    """Two windows on one import: after one deletes a task, the other's positions are stale."""
    token = _upload(office_client, seed_bytes)
    page = office_client.get(reverse("intake:preview", args=[token])).content.decode()
    assert 'name="revision" value="0"' in page
    office_client.post(reverse("intake:delete_task", args=[token, 0]), {"revision": "0"})
    for name, data in (
        ("intake:delete_task", {"revision": "0"}),
        ("intake:edit", {"revision": "0", "text": "旧窗口里的修改。"}),
    ):
        stale = office_client.post(reverse(name, args=[token, 0]), data, HTTP_HX_REQUEST="true")
        assert "任务列表已在另一个窗口中修改" in stale.content.decode()
        assert 'name="revision" value="1"' in stale.content.decode()
    tasks = services.effective_parse(staging.load(token, office_user.pk)).tasks
    assert len(tasks) == 97 and tasks[0]["text"].startswith("确保优箔年产15万吨电池箔")
