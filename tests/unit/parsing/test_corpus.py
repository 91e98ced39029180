"""Real notices from other governments, each with a hand-made key (tests/fixtures/corpus)."""

import json
from pathlib import Path

import pytest

from duban.intake.errors import IntakeError
from duban.intake.pipeline import parse_file
from tests.support.keys import corpus_differences

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus"
WITH_TASKS = sorted(p.stem for p in CORPUS.glob("*.txt") if p.stem != "033")


@pytest.mark.parametrize("name", WITH_TASKS)
def test_corpus_notice_matches_its_key(name: str) -> None:
    key = json.loads((CORPUS / f"{name}.expected.json").read_text(encoding="utf-8"))
    parsed = parse_file(CORPUS / f"{name}.txt").as_dict()
    assert key["tasks"], "every notice but 033 has keyed tasks"
    assert corpus_differences(parsed["tasks"], key) == []


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
