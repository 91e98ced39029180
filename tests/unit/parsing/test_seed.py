"""The seed notice (偃政〔2023〕6号) parses exactly as its answer key says."""

import json
from pathlib import Path

from duban.intake.parsing.result import ParseResult
from duban.intake.pipeline import DEMO_DIRECTORY, load_directory, parse_file
from tests.support.keys import seed_differences

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "seed"


def test_seed_matches_answer_key_in_every_field() -> None:
    parsed = parse_file(SEED / "yanshi-2023-notice.txt").as_dict()
    key = json.loads((SEED / "expected.json").read_text(encoding="utf-8"))
    assert seed_differences(parsed, key) == []


def test_seed_warns_only_about_what_is_doubtful() -> None:
    parsed = parse_file(SEED / "yanshi-2023-notice.txt").as_dict()
    # counts agree with "10个方面98个具体任务", every task has a lead unit, numbering runs 1–98
    assert parsed["warnings"] == []
    assert [t["number"] for t in parsed["tasks"]] == list(range(1, 99))
    assert all(t["deadline"] is None for t in parsed["tasks"])


def test_seed_typo_is_flagged_against_the_directory() -> None:
    from duban.intake.pipeline import DEMO_DIRECTORY, load_directory

    parsed = parse_file(SEED / "yanshi-2023-notice.txt", directory=load_directory(DEMO_DIRECTORY))
    unknown = [w for w in parsed.warnings if w.code.startswith("unknown_unit")]
    assert [(w.task, w.params["name"]) for w in unknown] == [(17, "缙氏镇")]
    assert "缑氏镇" in unknown[0].params["candidates"]


def test_seed_parse_survives_its_json_round_trip() -> None:
    parsed = parse_file(SEED / "yanshi-2023-notice.txt", directory=load_directory(DEMO_DIRECTORY))
    again = ParseResult.from_json(json.loads(json.dumps(parsed.to_json(), ensure_ascii=False)))
    assert again == parsed and again.as_dict() == parsed.as_dict()
