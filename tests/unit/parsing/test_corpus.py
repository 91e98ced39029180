"""Real notices from other governments, each with a hand-made key (tests/fixtures/corpus)."""

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from duban.intake.errors import IntakeError
from duban.intake.pipeline import parse_file
from tests.support.keys import corpus_differences as strict_differences
from tests.support.keys import norm

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus"
WITH_TASKS = sorted(p.stem for p in CORPUS.glob("*.txt") if p.stem != "033")

# Each excerpt is cut at about 2,000 characters, most of them mid-entry, and the keys hold only
# complete entries (fixtures/corpus/README.md). The entry the cut falls in is named here, read
# off the end of each .txt by hand: the parser may give it (incomplete) as its LAST task and the
# comparison does not judge its fields, since no key can. Any other task the key lacks is one
# the parser invented.
CUT_ENTRY = {
    "001": "其他主要经济指标不低于全市平均水平",  # 7., its 牵头单位 line cut off
    "004": "改善农村居民生活条件,解决20万人安",  # (二), cut mid-sentence
    "006": "加快实施流域综合治理统筹发展规划",  # 13., cut mid-sentence
    "010": "居民人均可支配收入增速",  # 9, cut before its target and unit
    "012": "强化“大抓项目、抓大项目”导向",  # 12., cut mid-sentence
    "022": "紧盯“中字头、国字号、500强”",  # 11., cut in its 责任单位 line ("市")
    "023": "深入实施“一岛一功能”首发工程",  # 3., cut mid-sentence
    "029": "进出口实现正增长",  # 5., cut in its 部门分工 line
}


def corpus(name: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    key = json.loads((CORPUS / f"{name}.expected.json").read_text(encoding="utf-8"))
    return parse_file(CORPUS / f"{name}.txt").as_dict()["tasks"], key


@pytest.mark.parametrize("name", WITH_TASKS)
def test_corpus_notice_matches_its_key(name: str) -> None:
    parsed, key = corpus(name)
    assert key["tasks"], "every notice but 033 has keyed tasks"
    assert strict_differences(parsed, key, CUT_ENTRY.get(name)) == []


@pytest.mark.parametrize("name", sorted(CUT_ENTRY))
def test_each_cut_entry_is_the_end_of_its_excerpt(name: str) -> None:
    """The allowance above is only for the entry the excerpt ends in, which no key holds."""
    text = norm((CORPUS / f"{name}.txt").read_text(encoding="utf-8"))
    start = norm(CUT_ENTRY[name])
    assert start in text[-400:]
    assert text.count(start) == 1
    key = json.loads((CORPUS / f"{name}.expected.json").read_text(encoding="utf-8"))
    assert not any(norm(t["text_starts_with"]).startswith(start[:8]) for t in key["tasks"])


# --- The comparison itself catches what a parser could get wrong ------------------------------


def keyed_001() -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """001's parse made to agree with its key (the cut entry dropped): no differences."""
    parsed, key = corpus("001")
    parsed = [t for t in parsed if not norm(t["text"]).startswith(norm(CUT_ENTRY["001"]))]
    assert strict_differences(parsed, key) == []
    return copy.deepcopy(parsed), key


def test_an_invented_task_is_a_difference() -> None:
    parsed, key = keyed_001()
    heading = {**parsed[0], "number": "一", "text": "主要经济指标", "lead_units": ["区发改局"]}
    problems = strict_differences([*parsed[:3], heading, *parsed[3:]], key)
    assert len(problems) == 1 and problems[0].startswith("invented task '一' (#4 of 7)")
    # Appended at the end it is no cut entry either, nor is a repeated task.
    assert len(strict_differences([*parsed, heading], key, CUT_ENTRY["001"])) == 1
    assert len(strict_differences([*parsed, parsed[0]], key)) == 1


def test_the_cut_entry_may_only_come_last() -> None:
    parsed, key = corpus("001")
    assert strict_differences(parsed, key, CUT_ENTRY["001"]) == []
    moved = [parsed[-1], *parsed[:-1]]
    assert strict_differences(moved, key, CUT_ENTRY["001"]) == [
        f"invented task 7 (#1 of 7): {CUT_ENTRY['001'] + '。'!r} {{}}"
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("lead_units", ["区"]),  # truncated: the key says 区发改局
        ("lead_units", ["区发改局", "区财政局"]),  # a unit invented
        ("lead_units", []),  # a unit lost
        ("responsible_units", ["立山经济开发区"]),  # one of two lost
        ("responsible_units", ["立山经济开发区", "全区经济运行各专班", "各街道"]),  # invented
        ("lead_leaders", ["张三"]),
        ("deadline", "2023-12-31"),
    ],
)
def test_a_wrong_name_list_is_a_difference(field: str, value: Any) -> None:
    parsed, key = keyed_001()
    assert (parsed[0]["lead_units"], parsed[0]["responsible_units"]) == (
        ["区发改局"],
        ["立山经济开发区", "全区经济运行各专班"],
    )
    parsed[0][field] = value
    [problem] = strict_differences(parsed, key)
    assert problem.startswith(f"1.{field}: ")


def test_covering_notice_without_tasks_is_refused() -> None:
    with pytest.raises(IntakeError) as caught:
        parse_file(CORPUS / "033.txt")
    assert caught.value.code == "no_tasks"


@pytest.mark.parametrize(
    ("name", "title", "doc_number", "date"),
    [
        (
            "001",
            "立山区人民政府关于印发《立山区政府2023年重点工作任务分解和责任分工方案》的通知",
            "鞍立政发〔2023〕2号",
            "2023-03-28",
        ),
        (
            "010",
            "市政府办公室关于分解落实2018年政府工作任务的通知",
            "常政办发〔2018〕32号",
            "2018-02-24",
        ),
        (
            "023",
            "舟山市人民政府办公室关于印发2023年政府工作报告重点工作和民生实事责任分解的通知",
            "舟政办发〔2023〕9号",
            "2023-02-10",
        ),
        (
            "029",
            "广东省人民政府关于印发2021年省《政府工作报告》重点任务分工方案的通知",
            "粤府〔2021〕22号",
            "2021-03-21",
        ),
    ],
)
def test_corpus_metadata(name: str, title: str, doc_number: str, date: str) -> None:
    document = parse_file(CORPUS / f"{name}.txt").document
    assert (document["title"], document["doc_number"], document["date"]) == (
        title,
        doc_number,
        date,
    )


def test_declared_count_that_differs_is_a_warning() -> None:
    parsed = parse_file(CORPUS / "012.txt").as_dict()
    assert parsed["document"]["declared_tasks"] == 118
    warning = next(w for w in parsed["warnings"] if w["code"] == "declared_tasks")
    assert warning["task"] is None
    assert "118" in warning["message"]
    assert str(len(parsed["tasks"])) in warning["message"]
