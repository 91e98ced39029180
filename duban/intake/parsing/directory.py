"""The names a parse is checked against: units, their aliases, and placeholder groups."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

_GROUP = re.compile(
    r"^(?:各|相关|有关|其他|其它|全区|全市|全县|区直|市直|县直)|(?:成员单位|各方|等)$"
)


class NameDirectory:
    """Known unit names (with aliases). Placeholders such as 各镇（街道） are always known."""

    def __init__(self, names: Iterable[str]) -> None:
        self._names = {self._key(n): n for n in names if n.strip()}

    @staticmethod
    def _key(name: str) -> str:
        return re.sub(r"\s+", "", name).replace("(", "（").replace(")", "）")

    def knows(self, name: str) -> bool:
        return self._key(name) in self._names or bool(_GROUP.search(self._key(name)))

    def candidates(self, name: str, limit: int = 3) -> list[str]:
        keys = difflib.get_close_matches(self._key(name), list(self._names), n=limit, cutoff=0.6)
        return [self._names[k] for k in keys]
