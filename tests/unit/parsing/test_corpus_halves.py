"""The public corpus in two halves (tests/fixtures/corpus/README.md, docs/parsing.md).

The parser was developed on the tuned set: each of its notices matches its key exactly, or
keeps the recorded share of a known gap. The held-out set was never read while changing the
parser; it is scored as a whole (a task the parser invents costs as much as one it misses) and
keeps its measured share — the goal of 95 % is not reached yet. Keys were written by reading
the documents, never by running the parser.
"""

from __future__ import annotations

import re

import pytest

from tests.support.corpus import ROOT, key_of, notices, parse_tasks, score_half, score_notice
from tests.support.keys import corpus_differences, norm

TUNED = notices("tuned")
HELD_OUT = notices("held-out")
FAMILIES = {
    "cell-per-line",
    "flattened-table",
    "next-line-responsibility",
    "news-reprint",
    "state-council",
    "labelled-lines",
    "traditional",
    "other",
}


def test_the_corpus_has_forty_notices_and_a_held_out_set() -> None:
    # Five rounds were kept (docs/parsing.md): each held-out set was measured untouched, the
    # first three, the fifth and the sixth then opened for the parser's development; the fourth
    # and the seventh are held out.
    assert len(TUNED) + len(HELD_OUT) >= 40
    assert len(HELD_OUT) >= 5 and len(TUNED) >= 40
    assert not set(TUNED) & set(HELD_OUT)


# Tuned notices the parser does not yet read in full, each with the share of fields it keeps
# (a floor: it may rise, never fall). Every other tuned notice must match its key exactly.
# docs/parsing.md ("What it does not read yet") says what each of them lacks.
FLOORS = {
    # Three lines under a three-column header ("发改局 / 区工信局 / 各街道办事处"): the two readers
    # of the key split them differently; the parser gives the last column the extra line.
    "106": 0.86,
    "229": 0.84,  # a project register whose sub-rows' dates and units are continuation rows
    "230": 0.95,  # units run together, one ending in no unit's ending ("钱江世纪城")
    "301": 0.96,  # one 协同单位 line shared by the sub-points above it
    "333": 0.76,  # a glued table whose lead cell holds two units glued to the next column
    "366": 0.48,  # a glued table whose rows hold several sub-items, each with its names
    "369": 0.98,  # a target cell that reads like a unit's name ("全市统筹")
    "435": 0.90,  # the last row, cut inside a unit's name, read as a full row
    "465": 0.97,  # a row whose cells run into an extra column ("最低生活保障 | 农村标准…")
    "733": 0.66,  # a row holding a sub-table (农村标准 / 城市标准 lines with their figures)
}
# Progress reports whose task table the excerpt cut off before its first row: the tasks are
# only named in prose ("市发改委牵头的第1项“…”"); the parser refuses them rather than inventing.
REFUSED = {"737", "738"}


@pytest.mark.parametrize("name", TUNED)
def test_tuned_notice_matches_its_key(name: str) -> None:
    if name in REFUSED:
        assert parse_tasks("tuned", name) is None
        return
    if name in FLOORS:
        assert score_notice("tuned", name).share >= FLOORS[name]
        return
    key = key_of("tuned", name)
    parsed = parse_tasks("tuned", name)
    assert parsed is not None, "refused as holding no tasks"
    assert corpus_differences(parsed, key, key.get("cut_entry")) == []


def test_the_tuned_half_keeps_its_share_of_fields() -> None:
    """The tuned half as docs/parsing.md records it (3,756 of 3,890 fields, 96.6 %)."""
    scored = score_half("tuned")
    assert scored.share >= 0.965, f"tuned half: {scored.right}/{scored.total} fields"


def test_held_out_set_keeps_its_measured_share_of_fields() -> None:
    """The held-out set (rounds 4 and 7, never read while the parser changed) as
    docs/parsing.md records it: 461 of 575 fields, 80.2 % (round 4: 89.5 %, round 7: 71.7 %).
    The goal is 95 %, not reached; this guards the figure against falling."""
    scored = score_half("held-out")
    right, total = scored.right, scored.total  # figures only: a failure shows no document
    assert total >= 5 * 100  # at least a hundred keyed tasks
    assert right / total >= 0.801, f"held-out set: {right}/{total} fields"


@pytest.mark.parametrize(
    ("half", "name"), [("tuned", n) for n in TUNED] + [("held-out", n) for n in HELD_OUT]
)
def test_each_key_is_well_formed_and_read_off_its_document(half: str, name: str) -> None:
    """What a key says can be checked against its text without the parser: every task start
    is in the document once, names are not empty, the cut entry is near the end."""
    key = key_of(half, name)
    text = norm((ROOT / half / f"{name}.txt").read_text(encoding="utf-8"))
    assert key["source"].startswith(("http://", "https://"))
    assert key["family"] in FAMILIES
    starts = [norm(t["text_starts_with"]) for t in key["tasks"]]
    assert key["tasks"] and len(set(starts)) == len(starts)
    for task in key["tasks"]:
        # A number as printed; None where the copy prints none (the parse is not judged on it).
        assert task["number"] is None or (isinstance(task["number"], str) and task["number"])
        for field in ("lead_leaders", "lead_units", "responsible_units"):
            assert all(isinstance(n, str) and n.strip() for n in task[field])
        assert task["deadline"] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", task["deadline"])
    if key.get("family") != "traditional":
        for start in starts:
            assert start in text, start
    if key.get("cut_entry"):
        assert norm(key["cut_entry"]) in text[-600:] or key.get("family") == "traditional"


PAIRS = [
    (half, name, key_of(half, name)["traditional_of"])
    for half, names in (("tuned", TUNED), ("held-out", HELD_OUT))
    for name in names
    if key_of(half, name).get("traditional_of")
]


def test_there_are_real_traditional_copies_of_notices_in_the_corpus() -> None:
    assert len(PAIRS) >= 3


@pytest.mark.parametrize(("half", "name", "original"), PAIRS)
def test_traditional_copy_gives_the_tasks_of_its_simplified_original(
    half: str, name: str, original: str
) -> None:
    """Where a mirror site's Traditional copy and the Simplified original are both in the
    corpus, every task both keys hold comes out of the parser the same from both."""
    copy, source = parse_tasks(half, name), parse_tasks(half, original)
    assert copy is not None and source is not None
    copy_key, source_key = key_of(half, name), key_of(half, original)
    # Tasks both keys hold, known by the start of their text (keys are written in Simplified).
    both = {norm(t["text_starts_with"])[:8] for t in copy_key["tasks"]} & {
        norm(t["text_starts_with"])[:8] for t in source_key["tasks"]
    }
    assert len(both) >= 2

    def found(tasks: list[dict[str, object]], key: dict[str, object]) -> dict[str, object]:
        result: dict[str, object] = {}
        for want in key["tasks"]:  # type: ignore[attr-defined]
            start = norm(want["text_starts_with"])
            if start[:8] in both:
                got = next(t for t in tasks if norm(str(t["text"])).startswith(start))
                result[start[:8]] = (
                    norm(str(got["text"])),
                    got["lead_leaders"],
                    got["lead_units"],
                    got["responsible_units"],
                )
        return result

    assert found(copy, copy_key) == found(source, source_key)
