"""Copies in Traditional characters: turned into Simplified before a notice is parsed.

Notices are published in Simplified characters, but copies circulate in Traditional ones
(mirror sites, Hong Kong and Taiwan reprints), some with the pinyin reading inserted after a
character (“關(guān)于”). ``simplify`` reads the blocks as they are and:

- drops pinyin readings in brackets after a Chinese character — letters with a tone mark
  (guān) or a tone number (guan1), nothing else, so “人工智能(AI)” or “(5G)” stay;
- converts the text to Simplified with OpenCC (``tw2s``: Traditional with Taiwan's variants,
  so that 著力 becomes 着力 as in the mainland original, while 著作 stays) when the copy is
  Traditional: when conversion changes at least ``_MIN_CHANGED`` characters and ``_MIN_SHARE``
  of its Chinese characters (Simplified text is left as it is; the seed changes in no character).

The blocks keep their sources; the original file is kept by whoever stored it (the import keeps
the upload). What was done is reported, so that the preview can say it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache

from opencc import OpenCC

from ..blocks import Block

_HAN = re.compile(r"[\u3400-\u9fff]")
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# A reading: (guān), （guan1）, (zhòng) after a Chinese character.
_READING = re.compile(
    r"(?<=[\u3400-\u9fff])[(（]\s*(?:[a-zü]*[" + _TONED + r"][a-zü]*|[a-zü]+[1-5])\s*[)）]"
)
_MIN_CHANGED = 5
_MIN_SHARE = 0.02


@dataclass(frozen=True)
class Simplified:
    blocks: list[Block]
    traditional: bool  # the copy was in Traditional characters and was converted
    readings: int  # pinyin readings dropped


@cache
def _converter() -> OpenCC:
    return OpenCC("tw2s")


def _strip_readings(text: str) -> tuple[str, int]:
    return _READING.subn("", text)


def simplify(blocks: Iterable[Block]) -> Simplified:
    cleaned: list[Block] = []
    readings = 0
    for block in blocks:
        text, count = _strip_readings(block.text)
        readings += count
        cells = block.cells
        if cells is not None:
            stripped = [_strip_readings(cell) for cell in cells]
            readings += sum(n for _, n in stripped)
            cells = tuple(cell for cell, _ in stripped)
        cleaned.append(
            replace(block, text=text, cells=cells) if count or cells != block.cells else block
        )
    whole = "\n".join(block.text for block in cleaned)
    converted = _converter().convert(whole)
    han = len(_HAN.findall(whole))
    changed = sum(1 for a, b in zip(whole, converted, strict=False) if a != b)
    if not han or changed < _MIN_CHANGED or changed / han < _MIN_SHARE:
        return Simplified(cleaned, traditional=False, readings=readings)
    convert = _converter().convert
    result = [
        replace(
            block,
            text=convert(block.text),
            cells=None if block.cells is None else tuple(convert(c) for c in block.cells),
        )
        for block in cleaned
    ]
    return Simplified(result, traditional=True, readings=readings)
