"""The seed notice typeset as an official PDF reads back as exactly its paragraphs."""

from __future__ import annotations

import re
from pathlib import Path

from duban.intake.readers import read_file
from tests.unit.readers.builders import typeset_notice

SEED = Path(__file__).parents[2] / "fixtures" / "seed" / "yanshi-2023-notice.txt"
# A space that wraps to a line end is invisible in a PDF, so spaces next to CJK are not compared;
# spaces between two Latin letters or digits are (``1 0`` for a wrapped ``10`` would be a bug).
_CJK_SPACE = re.compile(r"\s+(?=[\u3000-\u9fff\uff00-\uffef])|(?<=[\u3000-\u9fff\uff00-\uffef])\s+")


def _comparable(text: str) -> str:
    return _CJK_SPACE.sub("", re.sub(r"\s+", " ", text))


def test_every_paragraph_of_a_29_page_notice_comes_back_whole(tmp_path: Path) -> None:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    paragraphs = [re.sub(r"^#+\s*", "", line).strip() for line in lines if line.strip()]
    path = typeset_notice(tmp_path / "seed.pdf", paragraphs)

    blocks = read_file(path)

    assert blocks[-1].page == 29
    assert [_comparable(block.text) for block in blocks] == [_comparable(p) for p in paragraphs]
