"""The seed notice (偃政〔2023〕6号) as a file, and a revised version of it."""

from __future__ import annotations

import re
from pathlib import Path

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "seed" / "yanshi-2023-notice.txt"


def revised_seed() -> bytes:
    """The seed with task 46 removed and task 47's text changed, as a revised notice would be."""
    text = SEED.read_text(encoding="utf-8")
    text, removed = re.subn(r"46\. 加快智慧城市建设，建好数字城管。\n+(?:.+\n+){3}", "", text)
    assert removed == 1
    text = text.replace(
        "开展交通秩序、文明素质提升等攻坚行动", "开展交通秩序、文明素质提升等专项攻坚行动"
    )
    return text.encode("utf-8")
