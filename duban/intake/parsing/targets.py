"""Quantitative targets ("新增规上企业50家") pulled out of one task's text.

An office checks a task at year end against the numbers it committed to, so every measured
quantity becomes a row it can tick off. The rules are lexical on purpose: notices from
different governments share their vocabulary (units, 以上/以内, 力争/确保) far more than their
layout, and a lexical rule is fast and can be explained to a clerk. Nothing here imports
Django; every pattern is compiled once at import time and none can backtrack badly.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import TypedDict


class Target(TypedDict):
    """One number a task commits to; ``value_max`` is set only when ``op == "range"``."""

    label: str
    value: int | float
    value_max: int | float | None
    unit: str
    op: str
    source: str


def _words(text: str) -> tuple[str, ...]:
    """Word lists below are written space-separated to keep them readable."""
    return tuple(text.split())


# Each unit, with ":" and the characters that, right after it, show that the unit character
# starts another word instead ("5部门联合" is not five 部 of anything, "20个体户" not 20 个).
_UNITS = dict(
    item.partition(":")[::2]
    for item in _words(
        """
        元:旦素宇 美元
        个:人体性别案 家:庭长乡具居电政属 项 座 套 户:籍口型外 人:民均口员才大社工居数
        名:称单义牌片录额 人次 户次 件次 场次 所:属有在得以需长 条:件例款 台:账阶风湾 辆
        间:隔距接歇 处:置理罚分于在级室长 批:准复示评 批次 次:数性级生序要 件 场:所景地馆
        支:持出付撑柱 部:门署分长队件位 张:贴 张床 张床位 床 床位 种:植子业养苗类 类:似型
        村:级民委庄镇居组 宗:教旨 株 头:部条号 只:有是要能 篇 例:如 艘 栋 幢 棵 盏 标箱
        亩 平方米 平方公里 公顷 公里 千米 米 吨 立方米 公斤 千克
        % ‰ 个百分点
        个工作日 工作日 天:然气空津下 日:常报本益 小时 个月 分钟
        """
    )
)
_TIME_UNITS = frozenset(_words("个工作日 工作日 天 日 小时 个月 分钟"))
_UNIT = "|".join(
    re.escape(unit) + (f"(?![{starts}])" if starts else "")
    for unit, starts in sorted(_UNITS.items(), key=lambda item: -len(item[0]))
)
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MAG = r"千万|百万|万|亿"
_SEP = r"—{1,2}|[–―\-~〜至到]"
# A number not glued to letters (PM2.5, G351), a decimal tail or an ordinal (第3批); an
# optional range head; 多/余 ("100余家"); the unit with its magnitude and an optional "/亩"
# rate tail; never "…级" ("10万吨级码头" sizes a wharf); then a trailing comparison word.
_TARGET = re.compile(
    rf"(?<![\dA-Za-z.×*+/#第])(?P<n1>{_NUM})"
    rf"(?:(?:{_MAG})?(?:{_UNIT})?(?:{_SEP})(?P<n2>{_NUM}))?"
    rf"(?P<ap1>[多余])?(?P<mag>{_MAG})?(?P<ap2>[多余])?"
    rf"(?P<unit>(?:{_UNIT})(?:/(?:亩|人|户|年|月|日|天|吨|平方米|小时))?)(?!级)"
    r"(?P<suf>及以上|以上|及以下|以下|以内|之内|内(?![部设外容涵资需])|左右|上下)?"
)
_FULLWIDTH = str.maketrans(
    {**{chr(0xFF10 + d): str(d) for d in range(10)}, "％": "%", "．": ".", "～": "~", "－": "-"}
)
_WHITESPACE = re.compile(r"(\s*\n\s*)|(?<=\d)(\s+)(?=\d)|\s+")
# Numbers inside quotes or title marks name something ("金融支持房地产16条", 《…十四五…》).
_QUOTED = re.compile(
    "|".join(
        f"{o}[^{o}{c}\n]{{0,80}}{c}" for o, c in ("“”", "‘’", "《》", "「」", "『』", "〈〉", '""')
    )
)
_DIGIT = re.compile(r"\d")
_LABEL_STOP = re.compile(r"[，。；、：,;:!！？?|\n]|(?<!\d)\.|\.(?!\d)")
_CLAUSE_STOP = re.compile(r"[，。；,;!！？?|\n]|(?<!\d)\.|\.(?!\d)")
# "年产15万吨电池箔项目" sizes a plant; "15分钟急救圈" names a service radius.
_CAPACITY = re.compile(r"[年月日](?:产|处理|加工)(?:能力)?$")
_CIRCLE = re.compile(r"[\u4e00-\u9fff]{0,6}?圈")
_POLICY = re.compile(r"[\u4e00-\u9fff]{0,3}?(?:措施|意见|政策|举措|规定|办法|细则|条例)")
_CREATE = re.compile(r"出台|制定|起草|研究|推出|形成")
# A quoted name after the unit is part of the noun (66个“两建设三改造”项目); the two branches
# never start alike, so the repetition stays linear.
_NOUN_AFTER = re.compile(r"的?((?:“[^“”，。；、|\n]{1,12}”|[^，。；、：,;:!！？?|\n\d和并及“])+)")
_VERBS = "|".join(
    _words(
        """
        建设 新建 完成 新增 实施 建成 启动 推进 打造 培育 引进 创建 改造 提升 开展 举办 发放 招引
        签约 认定 培训 转移 帮助 用好 落实 组织 解决 建立 设立 支持 扶持 改建 扩建 续建 开工 竣工
        整治 治理 修复 推动 带动 吸引 安置 救助 惠及 覆盖 开通 申报 争创 创成 培树 挂牌 新认定
        新培育 新引进
        """
    )
)
_VERB_ONLY = re.compile(rf"[\u4e00-\u9fff]{{0,3}}?(?:{_VERBS})")
# A threshold's gap that opens a new clause after all ("100亿元以上和新建项目5个").
_NEW_CLAUSE = re.compile(rf"[和并及且与]|{_VERBS}")

_HEDGES = _words("力争 确保 争取 至少 全年 累计 努力 实现 力求 预计 年内 同时 其中")
_COMPARISONS = tuple(
    sorted(
        _words(
            """
            达到 达 为 至 到 保持在 稳定在 控制在 保持 压减至 压减到 压缩至 压缩到 提高到
            提高至 提升至 提升到 降至 降到 降低到 降低至 缩短至 缩短到 突破 超过 不低于 不少于
            不超过 不高于 增长 均 约 近 在 和 与 及
            """
        ),
        key=len,
        reverse=True,
    )
)
# Endings that look like a comparison word but belong to the noun ("人均", "行为").
_NOUN_ENDINGS = _words("人均 年均 亩均 日均 户均 月均 行为 存在 所在 普及")
_GE_BEFORE = _words("不低于 不少于 不小于 至少 超过 突破 高于 多于 大于")
_LE_BEFORE = _words(
    """
    不超过 不高于 不多于 不大于 控制在 限制在 压减至 压减到 压缩至 压缩到 压降至 压降到 降至 降到
    降低到 降低至 下降到 下降至 减少到 减少至 减至 减到 缩短至 缩短到 缩减至 低于 少于 小于
    """
)
# Longest first, so that 不低于 (>=) wins over 低于 (<=).
_OP_BEFORE = sorted(
    [(w, ">=") for w in _GE_BEFORE] + [(w, "<=") for w in _LE_BEFORE],
    key=lambda item: -len(item[0]),
)
_OP_AFTER = dict.fromkeys(("及以上", "以上"), ">=") | dict.fromkeys(
    ("及以下", "以下", "以内", "之内", "内"), "<="
)
_THRESHOLDS = frozenset(("以上", "及以上", "以下", "及以下"))


def extract_targets(text: str) -> list[Target]:
    """Every measured quantity of one task's text, in document order.

    Labels and sources come from the normalised text (half-width digits, no whitespace), so
    they are stable however a reader spaced the numbers.
    """
    text = _WHITESPACE.sub(_space, text.translate(_FULLWIDTH))
    masked = _QUOTED.sub(lambda m: _DIGIT.sub("#", m.group()), text)
    label_stops = [m.end() for m in _LABEL_STOP.finditer(text)]
    clause_stops = [m.start() for m in _CLAUSE_STOP.finditer(text)]

    found = [m for m in _TARGET.finditer(masked) if not _is_specification(text, m)]
    # "签约10亿元以上项目8个": a threshold (以上/以下) followed by a noun and, in the same
    # clause, another target qualifies that noun; only the count after it is the target.
    kept: list[re.Match[str]] = []
    for i, m in enumerate(found):
        gap = text[_end(m) : found[i + 1].start()] if i + 1 < len(found) else ""
        if (
            m["suf"] in _THRESHOLDS
            and 0 < len(gap) <= 15
            and not _LABEL_STOP.search(gap)
            and not _NEW_CLAUSE.match(gap)
        ):
            continue
        kept.append(m)

    targets: list[Target] = []
    previous_end = 0
    for m in kept:
        start, end = m.start(), _end(m)
        stops_before = bisect_right(label_stops, start)
        lo = max(label_stops[stops_before - 1] if stops_before else 0, previous_end)
        previous_end = end
        c = bisect_right(clause_stops, start - 1)
        c_lo = clause_stops[c - 1] + 1 if c else 0
        c = bisect_left(clause_stops, end)
        c_hi = clause_stops[c] if c < len(clause_stops) else len(text)
        value_max = _number(m["n2"]) if m["n2"] else None
        targets.append(
            Target(
                label=_label(text[lo:start], text, end),
                value=_number(m["n1"]),
                value_max=value_max,
                unit=(m["mag"] or "") + m["unit"],
                op="range" if value_max is not None else _op(m, text[lo:start]),
                source=text[c_lo:c_hi].replace(" ", ""),
            )
        )
    return targets


def _space(m: re.Match[str]) -> str:
    """Line breaks end a clause; a gap between digits keeps two numbers apart; others vanish."""
    return "\n" if m.group(1) else " " if m.group(2) else ""


def _end(m: re.Match[str]) -> int:
    """Where a target stops; a bare 内 counts only after a time ("3个工作日内", not "5个内设")."""
    if m["suf"] == "内" and m["unit"] not in _TIME_UNITS:
        return m.end("unit")
    return m.end()


def _is_specification(text: str, m: re.Match[str]) -> bool:
    """True when the number describes a noun instead of setting a goal for it."""
    start, unit = m.start(), m["unit"]
    if unit == "日" and text[start - 1 : start] == "月":  # "3月28日" is a date
        return True
    if unit in _TIME_UNITS and _CIRCLE.match(text, m.end("unit")):
        return True
    if unit == "条" and _POLICY.match(text, m.end("unit")):  # "落实15条硬措施" names a policy
        return not _CREATE.search(text, max(0, start - 12), start)
    return bool(_CAPACITY.search(text, max(0, start - 6), start))


def _number(raw: str) -> int | float:
    """int when integral, so that 50 家 compares and prints as 50, not 50.0."""
    value = float(raw.replace(",", ""))
    return int(value) if value.is_integer() else value


def _op(m: re.Match[str], before: str) -> str:
    """A word after the unit decides; else 多/余; else a word right before the number."""
    suffix = m["suf"] if _end(m) == m.end() else None
    if suffix in ("左右", "上下"):
        return "="
    if suffix:
        return _OP_AFTER[suffix]
    if m["ap1"] or m["ap2"]:
        return ">="
    before = before.replace(" ", "")
    for word, op in _OP_BEFORE:
        if before.endswith(word):
            return op
    return ">=" if "至少" in before else "="  # an adverb: "至少培育3家"


def _label(before: str, text: str, end: int) -> str:
    """The clause before the number without hedges and comparison words.

    When that is empty or just a verb ("建设2958套安置房"), or dangles on 的 ("863亿元的270个
    项目"), the noun after the unit says what is counted.
    """
    label = before.replace(" ", "")[-60:]  # only the end survives; bounds the work
    changed = True
    while changed and label and not label.endswith(_NOUN_ENDINGS):
        changed = False
        for word in _HEDGES:
            if label.startswith(word):
                label, changed = label[len(word) :], True
        for word in _COMPARISONS:
            if label.endswith(word):
                label, changed = label[: -len(word)], True
                break
    label = label.lstrip(")）]】”》").rstrip("(（[【“《")
    dangling = label.endswith("的")
    label = label.rstrip("的")[-20:]
    if label and not dangling and not _VERB_ONLY.fullmatch(label):
        return label
    noun = _NOUN_AFTER.match(text, end)
    if noun is None:
        return label
    verb = label if not dangling or _VERB_ONLY.fullmatch(label) else ""
    return (verb + noun.group(1)[:16])[:20]
