"""Word's automatic list numbering, rendered the way Word shows it.

Notices number their areas and tasks (``一、`` / ``（一）`` / ``1.``) with Word lists far more often
than by typing the numbers, and the run text then lacks them: without this the parser would see
98 tasks with no numbers. Counters follow Word: they live per abstract list (so two ``numId`` s
sharing one definition continue each other unless a ``startOverride`` restarts them) and a
level restarts when a shallower level advances (or as ``lvlRestart`` says).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from lxml import etree

from duban.intake.readers.ooxml import W_VAL, w

_CN_DIGITS = "零一二三四五六七八九"
_CN_UNITS = ("", "十", "百", "千")
_CN_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_CN_LEGAL_UNITS = ("", "拾", "佰", "仟")
_ROMAN = tuple(
    zip(
        (1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1),
        ("m", "cm", "d", "cd", "c", "xc", "l", "xl", "x", "ix", "v", "iv", "i"),
        strict=True,
    )
)
# fmt: off
_CJK_COUNTING = frozenset({
    "chineseCounting", "chineseCountingThousand", "japaneseCounting",
    "taiwaneseCounting", "taiwaneseCountingThousand", "koreanCounting",
})
# fmt: on
_NO_NUMBER = frozenset({"bullet", "none"})


def _cjk(
    n: int, digits: str = _CN_DIGITS, units: tuple[str, ...] = _CN_UNITS, short_ten: bool = True
) -> str:
    if n <= 0 or n >= 10000:
        return str(n)
    out, zero = "", False
    text = str(n)
    for i, ch in enumerate(text):
        d, position = int(ch), len(text) - i - 1
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out, zero = out + digits[0], False
        out += digits[d] + units[position]
    return out[1:] if short_ten and 10 <= n < 20 else out


def _roman(n: int) -> str:
    if n <= 0 or n >= 4000:
        return str(n)
    out = ""
    for value, letters in _ROMAN:
        count, n = divmod(n, value)
        out += letters * count
    return out


def _enclosed(n: int, ranges: tuple[tuple[int, int, int], ...]) -> str:
    for low, high, base in ranges:
        if low <= n <= high:
            return chr(base + n - low)
    return str(n)


def format_number(n: int, fmt: str) -> str:
    """``n`` in Word's ``numFmt``; formats nobody uses for notices fall back to decimal."""
    if fmt in _CJK_COUNTING:
        return _cjk(n)
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional"):
        return _cjk(n, _CN_LEGAL_DIGITS, _CN_LEGAL_UNITS, short_ten=False)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(n)) if n >= 0 else str(n)
    if fmt == "ideographTraditional":
        return "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10] if n > 0 else str(n)
    if fmt == "ideographZodiac":
        return "子丑寅卯辰巳午未申酉戌亥"[(n - 1) % 12] if n > 0 else str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle"):
        return _enclosed(n, ((1, 20, 0x2460), (21, 35, 0x3251), (36, 50, 0x32B1)))
    if fmt == "decimalEnclosedFullstop":
        return _enclosed(n, ((1, 20, 0x2488),))
    if fmt == "decimalEnclosedParen":
        return _enclosed(n, ((1, 20, 0x2474),))
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(ord(d) + 0xFEE0) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("lowerLetter", "upperLetter") and n > 0:
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n).upper() if fmt == "upperRoman" else _roman(n)
    return str(n)


@dataclass(frozen=True)
class Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    restart: int | None = None
    legal: bool = False
    style: str | None = None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _val(parent: etree._Element | None, tag: str) -> str | None:
    if parent is None:
        return None
    child = parent.find(w(tag))
    return None if child is None else child.get(W_VAL)


def _level(lvl: etree._Element) -> Level:
    legal = lvl.find(w("isLgl"))
    return Level(
        fmt=_val(lvl, "numFmt") or "decimal",
        text=_val(lvl, "lvlText") or "",
        start=_int(_val(lvl, "start"), 0),
        restart=_int(_val(lvl, "lvlRestart"), -1)
        if lvl.find(w("lvlRestart")) is not None
        else None,
        legal=legal is not None and legal.get(W_VAL, "true") not in ("0", "false", "off"),
        style=_val(lvl, "pStyle"),
    )


def _levels(parent: etree._Element) -> dict[int, Level]:
    return {_int(lvl.get(w("ilvl")), 0): _level(lvl) for lvl in parent.findall(w("lvl"))}


class Numbering:
    """Renders the list label of each paragraph, fed in document order."""

    def __init__(self, numbering: etree._Element | None, styles: etree._Element | None) -> None:
        self._abstract: dict[str, dict[int, Level]] = {}
        self._style_links: dict[str, str] = {}
        self._num_abstract: dict[str, str] = {}
        self._num_levels: dict[str, dict[int, Level]] = {}
        self._num_restarts: dict[str, set[int]] = {}
        self._counters: dict[str, dict[int, int]] = {}
        self._used: set[str] = set()
        self._styles: dict[str, tuple[str | None, str | None, str | None]] = {}
        self._default_style: str | None = None
        if styles is not None:
            self._load_styles(styles)
        if numbering is not None:
            self._load_numbering(numbering)

    def _load_styles(self, styles: etree._Element) -> None:
        for style in styles.iter(w("style")):
            if style.get(w("type")) != "paragraph" or not style.get(w("styleId")):
                continue
            ppr = style.find(w("pPr"))
            numpr = ppr.find(w("numPr")) if ppr is not None else None
            based = _val(style, "basedOn")
            self._styles[style.get(w("styleId"), "")] = (
                _val(numpr, "numId"),
                _val(numpr, "ilvl"),
                based,
            )
            if style.get(w("default")) in ("1", "true", "on"):
                self._default_style = style.get(w("styleId"))

    def _load_numbering(self, numbering: etree._Element) -> None:
        for abstract in numbering.findall(w("abstractNum")):
            key = abstract.get(w("abstractNumId"), "")
            self._abstract[key] = _levels(abstract)
            link = _val(abstract, "numStyleLink")
            if link and not self._abstract[key]:
                self._style_links[key] = link
        for num in numbering.findall(w("num")):
            num_id = num.get(w("numId"), "")
            self._num_abstract[num_id] = _val(num, "abstractNumId") or ""
            levels: dict[int, Level] = {}
            restarts: set[int] = set()
            for override in num.findall(w("lvlOverride")):
                ilvl = _int(override.get(w("ilvl")), 0)
                lvl = override.find(w("lvl"))
                if lvl is not None:
                    levels[ilvl] = _level(lvl)
                start = _val(override, "startOverride")
                if start is not None:
                    base = levels.get(ilvl) or self._abstract_levels(num_id).get(ilvl, Level())
                    levels[ilvl] = replace(base, start=_int(start, 1))
                    restarts.add(ilvl)
            self._num_levels[num_id] = levels
            self._num_restarts[num_id] = restarts

    def _abstract_id(self, num_id: str) -> str:
        key = self._num_abstract.get(num_id, "")
        link = self._style_links.get(key)
        if link:  # a list style: the definition lives with the num the style points at
            linked_num = self._style_numpr(link)[0]
            if linked_num and self._num_abstract.get(linked_num, key) != key:
                return self._num_abstract[linked_num]
        return key

    def _abstract_levels(self, num_id: str) -> dict[int, Level]:
        return self._abstract.get(self._abstract_id(num_id), {})

    def _style_numpr(self, style_id: str | None) -> tuple[str | None, str | None]:
        seen: set[str] = set()
        num_id: str | None = None
        ilvl: str | None = None
        while style_id and style_id in self._styles and style_id not in seen:
            seen.add(style_id)
            s_num, s_ilvl, based = self._styles[style_id]
            num_id = num_id or s_num
            ilvl = ilvl or s_ilvl
            style_id = based
        return num_id, ilvl

    def _level_of(self, num_id: str, ilvl: int) -> Level | None:
        return self._num_levels.get(num_id, {}).get(ilvl) or self._abstract_levels(num_id).get(ilvl)

    def label(self, paragraph: etree._Element) -> str:
        """Advance the counters for ``paragraph`` and return its label ('' when not numbered)."""
        ppr = paragraph.find(w("pPr"))
        numpr = ppr.find(w("numPr")) if ppr is not None else None
        style = _val(ppr, "pStyle") or self._default_style
        style_num, style_ilvl = self._style_numpr(style)
        num_id = _val(numpr, "numId") or style_num
        if not num_id or num_id == "0" or num_id not in self._num_abstract:
            return ""
        raw_ilvl = _val(numpr, "ilvl") or style_ilvl
        if raw_ilvl is None:
            matches = [
                i
                for i, lvl in self._abstract_levels(num_id).items()
                if style and lvl.style == style
            ]
            raw_ilvl = str(min(matches)) if matches else "0"
        ilvl = min(max(_int(raw_ilvl, 0), 0), 8)
        level = self._level_of(num_id, ilvl)
        if level is None:
            return ""
        counters = self._counters.setdefault(self._abstract_id(num_id), {})
        if num_id not in self._used:
            self._used.add(num_id)
            for restarted in self._num_restarts.get(num_id, ()):
                counters.pop(restarted, None)
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else level.start
        for deeper in [k for k in counters if k > ilvl]:
            threshold = self._level_of(num_id, deeper)
            restart = threshold.restart if threshold and threshold.restart is not None else deeper
            if ilvl < restart:
                del counters[deeper]
        if level.fmt == "bullet":
            return ""
        return self._render(num_id, level, counters)

    def _render(self, num_id: str, level: Level, counters: dict[int, int]) -> str:
        out, text, i = "", level.text, 0
        while i < len(text):
            if text[i] == "%" and i + 1 < len(text) and text[i + 1].isdigit():
                ref = int(text[i + 1]) - 1
                ref_level = self._level_of(num_id, ref) or Level()
                value = counters.get(ref, ref_level.start)
                fmt = (
                    "decimal" if level.legal and ref_level.fmt not in _NO_NUMBER else ref_level.fmt
                )
                out += "" if fmt in _NO_NUMBER else format_number(value, fmt)
                i += 2
            else:
                out += text[i]
                i += 1
        return out.strip()
