"""Document metadata: title, 发文字号, issuer, date, year and the counts the notice declares."""

from __future__ import annotations

import re
from datetime import date

from .numbering import cn_to_int, parse_numbering
from .text import squeeze

_DOC_NUMBER = re.compile(
    r"(?P<agency>[\u4e00-\u9fff]{1,12}?)\s*[〔\[［【(（]\s*(?P<year>(?:19|20)\d{2})\s*[〕\]］】)）]"
    r"\s*(?P<serial>\d{1,4})\s*号"
)
_ORG_SUFFIX = (
    r"(?:人民政府办公室|人民政府办公厅|人民政府|政府办公室|政府办公厅|办公室|办公厅|委员会|"
    r"政府|管委会)"
)
_TITLE = re.compile(r"关于.{2,120}?的?通知")
_PLAN_TITLE = re.compile(
    r"(?:方案|分工|分解|清单|任务书|台账|计划|安排|意见|情况|一览表|表|通知)(?:[(（][^()（）]{1,12}[)）])?$"
)
_CN_DATE_DIGITS = "〇零一二三四五六七八九十"
_YEAR_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0}
_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_CN_DATE = re.compile(
    rf"([{_CN_DATE_DIGITS}○]{{4}})年([{_CN_DATE_DIGITS}]{{1,3}})月([{_CN_DATE_DIGITS}]{{1,3}})日"
)
_DECLARED_TASKS = re.compile(
    r"([\d]+|[一二三四五六七八九十百]+)\s*(?:个|项|条|件)\s*(?:具体|重点|主要|工作|目标|民生)*\s*"
    r"(?:任务|事项|实事)"
)
_DECLARED_WORK = re.compile(  # "11个方面173项重点工作": only when no "…项任务" is declared
    r"([\d]+|[一二三四五六七八九十百]+)\s*(?:个|项|条|件)\s*(?:具体|重点|主要|民生)+\s*工作"
)
_DECLARED_TOTAL = re.compile(r"[(（]\s*共\s*(\d+)\s*(?:项|条|个)\s*[)）]")
_DECLARED_AREAS = re.compile(
    r"([\d]+|[一二三四五六七八九十]+)\s*(?:个|大)?\s*(?:方面|领域|板块|部分)"
)
_SKIP_TITLE = re.compile(r"^(?:当前位置|首页|索引号|发布|来源|编辑|时间|分享|打印|字号|【)")


def find_doc_number(lines: list[str]) -> str | None:
    for line in lines[:60]:
        match = _DOC_NUMBER.search(line)
        if match and not re.search(r"关于|根据|按照|依据|印发的", line[: match.start()]):
            agency = match.group("agency")
            agency = re.sub(r"^(?:文号|字号|文件|发文字号)", "", agency)
            return f"{agency}〔{match.group('year')}〕{int(match.group('serial'))}号"
    return None


def find_title(lines: list[str]) -> str | None:
    for line in lines[:60]:
        match = _TITLE.search(line)
        if not match or len(line) > 400:
            continue
        start = match.start()
        head = line[:start]
        cut = max(head.rfind("号"), head.rfind("文件"), head.rfind(":"), head.rfind("："))
        if cut >= 0:
            head = head[cut + (2 if head[cut:].startswith("文件") else 1) :]
        head = re.split(r"[\s]{2,}|[,，。；;]", head.strip())[-1] if head.strip() else ""
        if len(squeeze(head)) > 40 or re.search(r"根据|按照|贯彻|《", head):
            continue
        return squeeze(head + line[start : match.end()])
    for index, line in enumerate(lines[:60]):
        if "关于" in line and not line.rstrip().endswith(("。", "：", ":")):
            joined = line
            for follower in lines[index + 1 : index + 4]:
                joined += follower
                if squeeze(joined).endswith("通知"):
                    return squeeze(joined)
    for line in lines[:80]:
        candidate = squeeze(line)
        plausible = 6 <= len(candidate) <= 80 and "。" not in candidate
        if (
            plausible
            and not _SKIP_TITLE.match(candidate)
            and _PLAN_TITLE.search(candidate)
            and parse_numbering(candidate) is None
        ):
            return candidate
    return None


def find_issuer(title: str | None, lines: list[str]) -> str | None:
    if title and "关于" in title:
        head = title[: title.index("关于")]
        if re.search(_ORG_SUFFIX + "$", head):
            return head
    for index, line in enumerate(lines):
        if _is_date_line(line) and index > 0:
            previous = squeeze(lines[index - 1])
            if re.fullmatch(r"[\u4e00-\u9fff（）()]{2,30}" + _ORG_SUFFIX, previous):
                return previous
    for line in lines:
        match = re.search(r"([\u4e00-\u9fff]{2,30}" + _ORG_SUFFIX + r")\s+" + _DATE.pattern, line)
        if match:
            return match.group(1)
    return None


def _cn_digits(text: str) -> int:
    if len(text) == 4:
        return int("".join(str(_YEAR_DIGITS.get(c, 0)) for c in text))
    return cn_to_int(text)


def _to_date(match: re.Match[str], chinese: bool) -> date | None:
    try:
        if chinese:
            return date(
                _cn_digits(match.group(1)), cn_to_int(match.group(2)), cn_to_int(match.group(3))
            )
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _is_date_line(line: str) -> bool:
    text = squeeze(line)
    return bool(_DATE.fullmatch(text) or _CN_DATE.fullmatch(text))


def find_date(lines: list[str]) -> date | None:
    """The signing date: a line that is only a date, else a date right after the issuer."""
    for line in lines:
        text = squeeze(line)
        for pattern, chinese in ((_DATE, False), (_CN_DATE, True)):
            match = pattern.fullmatch(text)
            if match:
                return _to_date(match, chinese)
    for line in lines:
        match = re.search(_ORG_SUFFIX + r"\s+" + _DATE.pattern, line)
        if match:
            return _to_date(re.search(_DATE, match.group(0)), False)  # type: ignore[arg-type]
    return None


def find_year(title: str | None, doc_number: str | None, signed: date | None) -> int | None:
    if title:
        match = re.search(r"((?:19|20)\d{2})\s*年", title)
        if match:
            return int(match.group(1))
    if doc_number:
        match = re.search(r"〔(\d{4})〕", doc_number)
        if match:
            return int(match.group(1))
    return signed.year if signed else None


def _count(text: str) -> int:
    return int(text) if text.isdigit() else cn_to_int(text)


def declared_counts(preamble: str) -> tuple[int | None, int | None]:
    """(areas, tasks) the notice says it contains, e.g. "10个方面98个具体任务"."""
    text = squeeze(preamble)
    tasks = (
        _DECLARED_TASKS.search(text) or _DECLARED_TOTAL.search(text) or _DECLARED_WORK.search(text)
    )
    areas = _DECLARED_AREAS.search(text)
    return (_count(areas.group(1)) if areas else None, _count(tasks.group(1)) if tasks else None)


# What a covering notice encloses: an 附件 line ("附件：1.2023年重点工作任务分解表"), the
# document it issues in 《》 ("现将《…》印发给你们", "《…》已经市政府同意，现印发给你们"), or
# its title's "关于印发…的通知".
_ATTACHMENT_LINE = re.compile(r"^附\s*件\s*\d*\s*[:：]?\s*(.*)$")
_NUMBERED_NAME = re.compile(r"^\s*(?:\d{1,2}|[一二三四五六七八九十])\s*[.．、]\s*(.+)$")
_ISSUED = re.compile(
    r"《([^《》]{4,80})》[^。]{0,30}印\s*发|印\s*发[^。《]{0,10}《([^《》]{4,80})》"
)
_ISSUED_TITLE = re.compile(r"关于印发(.{4,80}?)的通知")


def _name(text: str) -> str:
    text = re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", text)  # a line's wrap
    return text.strip().strip("《》“”\"'，,。.；;:：").strip()


def find_attachments(lines: list[str]) -> list[str]:
    """The documents a covering notice encloses, by name, in the order it names them."""
    found: list[str] = []
    for index, line in enumerate(lines):
        match = _ATTACHMENT_LINE.match(line.strip())
        if not match:
            continue
        first = match.group(1)
        numbered = _NUMBERED_NAME.match(first)
        if first:
            found.append(_name(numbered.group(1) if numbered else first))
        for following in lines[index + 1 : index + 10]:  # 附件：1.… then 2.… on the next lines
            more = _NUMBERED_NAME.match(following)
            if not more:
                break
            found.append(_name(more.group(1)))
        break
    if not found:
        for line in lines[:60]:
            match = _ISSUED.search(line)
            if match:
                found.append(_name(match.group(1) or match.group(2)))
                break
    if not found:
        title = find_title(lines)
        match = _ISSUED_TITLE.search(title or "")
        if match:
            found.append(_name(match.group(1)))
    return [name for name in dict.fromkeys(found) if name]


def missing_attachments(lines: list[str]) -> list[str]:
    """Enclosed documents that this file does not hold: named, but never a line of their own
    after the line that names them (an attachment bound into the file starts with its title)."""
    names = find_attachments(lines)
    squeezed = [re.sub(r"\s+", "", line) for line in lines]
    missing = []
    for name in names:
        key = re.sub(r"\s+", "", name)
        mentions = [i for i, line in enumerate(squeezed) if key in line]
        headings = [
            i
            for i in mentions
            if len(squeezed[i]) <= len(key) + 12 and not squeezed[i].startswith("附件")
        ]
        if not headings or headings[-1] <= mentions[0]:
            missing.append(name)
    return missing
