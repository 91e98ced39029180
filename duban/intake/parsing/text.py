"""Cleaning lines and splitting name lists.

Extraction from PDF and web pages leaves markdown decorations, inline tags, justification
spaces inside short names ("朱 蕾", "法 院") and lists continued on the next line. These
helpers undo that without knowing which document they serve.
"""

from __future__ import annotations

import re
from functools import lru_cache

_MARKDOWN = re.compile(r"^(?:#{1,6}\s*|>\s+|[-+]\s+(?=\S))")
_EMPHASIS = re.compile(r"\*\*|__")
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")
_SPACES = re.compile(r"[ \t\u00a0\u3000\u2002\u2003\u2009\u200b\ufeff]+")
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_INNER_SPACE = re.compile(r"(?<=[^\sA-Za-z0-9])\s+|\s+(?=[^\sA-Za-z0-9])")

OPEN_BRACKETS = "(（[［【〔《“‘"
CLOSE_BRACKETS = ")）]］】〕》”’"
LIST_SEPARATORS = "、，,；;\n"
MARKERS = "★☆*※＊▲"

UNIT_SUFFIXES = (
    "局",
    "委",
    "办",
    "室",
    "厅",
    "部",
    "处",
    "科",
    "所",
    "站",
    "队",
    "院",
    "会",
    "中心",
    "公司",
    "集团",
    "政府",
    "街道",
    "镇",
    "乡",
    "村",
    "社区",
    "园区",
    "开发区",
    "管委会",
    "银行",
    "机构",
    "单位",
    "部门",
    "分局",
    "海关",
    "联社",
    "办事处",
    "馆",
    "校",
    "团",
    "区",
    "县",
    "市",
    "省",
    "组",
    "专班",
    "企业",
    "行",
    "社",
    "台",
    "场",
    "署",
    "庭",
    "法院",
    "检察院",
    "管理处",
    "总站",
    "协会",
    "联合会",
    "工商联",
    "妇联",
    "团委",
    "公安",
    "税务",
    "电力",
    "供电",
    "移动",
    "电信",
    "联通",
    "邮政",
    "（街道）",
    "(街道)",
    "各地",
    "各部门",
    "成员单位",
    "残联",
    "侨联",
    "文联",
    "科协",
    "红十字会",
)
GROUP_PREFIXES = ("各", "相关", "有关", "全区", "全市", "全县", "区直", "市直", "县直", "其他")

# Common surnames: a person cell in a table starts with one of them.
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞"
    "左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕"
    "屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧"
    "闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥"
    "南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支"
    "卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印"
    "逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
_PERSON = re.compile(rf"^[{_CJK}·]{{2,4}}$")


def clean_line(line: str) -> str:
    """A line without markdown decorations, inline tags and odd spaces."""
    line = _TAG.sub("", line)
    line = _SPACES.sub(" ", line).strip()
    line = _MARKDOWN.sub("", line)
    line = _EMPHASIS.sub("", line)
    return line.strip()


def squeeze(text: str) -> str:
    """Remove whitespace except between two Latin letters or digits ("PPP 项目" → "PPP项目")."""
    text = _SPACES.sub(" ", text.replace("\n", " ")).strip()
    return _INNER_SPACE.sub("", text)


def split_outside_brackets(text: str, separators: str = LIST_SEPARATORS) -> list[str]:
    """Split on separators that are not inside brackets or quotes."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char in OPEN_BRACKETS:
            depth += 1
        elif char in CLOSE_BRACKETS and depth:
            depth -= 1
        if char in separators and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p for p in (p.strip() for p in parts) if p]


def merge_single_characters(tokens: list[str]) -> list[str]:
    """Rejoin names that justification spread out: ["朱", "蕾", "薛超峰"] → ["朱蕾", "薛超峰"].

    A run of four single characters is read as two two-character names, the common case for
    justified leader names; longer runs are paired the same way.
    """
    merged: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if not run:
            return
        if len(run) in (2, 3) or len(run) == 1:
            merged.append("".join(run))
        else:
            merged.extend("".join(run[i : i + 2]) for i in range(0, len(run), 2))
        run.clear()

    for token in tokens:
        if len(token) == 1:
            run.append(token)
        else:
            flush()
            merged.append(token)
    flush()
    return merged


def join_spread_words(tokens: list[str]) -> list[str]:
    """Rejoin header words that justification spread out: 工 作 任 务 → 工作任务."""
    joined: list[str] = []
    run: list[str] = []
    for token in [*tokens, ""]:
        if len(token) == 1 and re.match(rf"[{_CJK}]", token):
            run.append(token)
            continue
        if run:
            joined.append("".join(run))
            run = []
        if token:
            joined.append(token)
    return joined


def looks_like_unit(name: str) -> bool:
    name = re.sub(r"等$", "", name.strip(MARKERS + " "))
    if not name:
        return False
    if name.startswith(GROUP_PREFIXES):
        return True
    if name.endswith(UNIT_SUFFIXES) or re.search(r"[(（](?:街道|市|区|县)[)）]$", name):
        return True
    # "区发改局(区金融办)", "市商务局(市粮食和物资储备局)": a unit with its other name
    alias = re.fullmatch(r"(?P<unit>.+?)[(（][^()（）]{2,20}[)）]", name)
    return alias is not None and alias.group("unit").endswith(UNIT_SUFFIXES)


def looks_like_person(name: str) -> bool:
    name = re.sub(r"\s+", "", name)
    return bool(_PERSON.match(name)) and name[0] in SURNAMES and not looks_like_unit(name)


def looks_like_person_list(text: str) -> bool:
    names = split_leaders(text)
    return bool(names) and all(looks_like_person(n) for n in names)


def looks_like_unit_list(text: str) -> bool:
    if any(m in text for m in "★☆▲"):
        return True
    names = [strip_name(n) for n in split_outside_brackets(text)]
    names = [n for n in names if n]
    return bool(names) and sum(looks_like_unit(n) for n in names) * 2 > len(names)


_NAME_TRAILERS = re.compile(
    r"(?:分别牵头|共同牵头|牵头负责|牵头落实|牵头|主办|协办|分别负责|按职责分工负责|按职责负责|按职责分工落实|"
    r"负责落实|共同负责|负责|配合落实|配合|协助|协同|参与|落实)$"
)


def strip_name(name: str) -> str:
    """A unit or leader name without markers, trailing punctuation and role verbs."""
    name = re.sub(r"\s+", "", name)
    name = name.strip(MARKERS + "。.：:")
    previous = None
    while previous != name:
        previous = name
        name = _NAME_TRAILERS.sub("", name).strip(MARKERS + "。.：:")
    return name


_RUN_TOGETHER = re.compile(
    r"(?:(?<=[局委办部院会])|(?<=中心|公司|政府|集团))(?=(?:市|区|县|省)[\u4e00-\u9fff]{2})"
)


def unglue(name: str) -> list[str]:
    """Unit names a copy ran together without separators: "县发改局县财政局" → two names, when
    every piece is a unit on its own."""
    if len(name) < 7:
        return [name]
    if not looks_like_unit(name):
        return [name]
    pieces = _RUN_TOGETHER.split(name)
    if not (len(pieces) > 1 and all(len(p) >= 3 and looks_like_unit(p) for p in pieces)):
        pieces = [name]
    result: list[str] = []
    for piece in pieces:
        found = _units_in(piece) if 12 <= len(piece) <= 60 else None
        # "区委宣传部湘湖国家旅游度假区蜀山街道": three units or more
        result.extend(found if found is not None and len(found) >= 3 else [piece])
    return result


_STRONG_END = re.compile(
    r"(?:局|委|部|办|中心|公司|集团|政府|管委会|街道|镇|乡|度假区|开发区|园区)"
)


@lru_cache(maxsize=4096)
def _units_in(name: str) -> list[str] | None:
    """The name cut into units, each of three characters or more and ending like a unit, cut
    only after a strong ending (局, 部, 街道, 度假区 …); None when there is no such cutting.
    (Cached: the tails of one name are tried again from each cut.)"""
    if looks_like_unit(name) and _STRONG_END.search(name[-3:]) and len(name) >= 3:
        whole: list[str] | None = [name]
    else:
        whole = None
    for match in _STRONG_END.finditer(name):
        cut = match.end()
        head, tail = name[:cut], name[cut:]
        if len(head) < 3 or len(tail) < 3 or not looks_like_unit(head):
            continue
        rest = _units_in(tail)
        if rest is not None:
            return [head, *rest]
    return whole


_ADMIN_PREFIX = re.compile(r"[省市县区州盟旗镇乡]|[省市县区]委|[省市县区]政府")


def _join_prefixes(tokens: list[str]) -> list[str]:
    """ "市 财政局": a level's character a space set apart from the unit it names is no unit."""
    joined: list[str] = []
    for token in tokens:
        if joined and _ADMIN_PREFIX.fullmatch(joined[-1]):
            joined[-1] += token
        else:
            joined.append(token)
    return joined


def split_units(text: str) -> list[str]:
    """Unit names of a list cell or field ("工信局、住建局，各镇（街道）" → three names)."""
    names: list[str] = []
    for part in split_outside_brackets(text):
        tokens = _join_prefixes(merge_single_characters(part.split()))
        if len(tokens) > 1 and looks_like_unit(tokens[0]):
            # "市民政局 伍泽国": a unit with the name of the person who answers for it
            tokens = [t for t in tokens if not looks_like_person(t)] or tokens
        if len(tokens) > 1 and all(looks_like_unit(t) for t in tokens):
            names.extend(tokens)
        else:
            names.append("".join(tokens))
    return [p for n in names for p in unglue(strip_name(n)) if p]


_LEADER_TITLE = re.compile(
    r"(?<=[\u4e00-\u9fff]{2})(?:常务)?副?(?:省长|市长|区长|县长|州长|旗长|镇长|乡长|主任|书记|秘书长|部长|"
    r"主席|局长|院长|检察长)(?:同志)?$|(?<=[\u4e00-\u9fff]{2})同志$|"
    r"^(?:常务)?副?(?:省长|市长|区长|县长|州长|旗长|镇长|乡长|主任|书记|秘书长)(?=[\u4e00-\u9fff]{2,4}$)"
)


_TITLE_NOTE = re.compile(r"[(（][^()（）]*(?:长|主任|书记|主席|同志|领导)[^()（）]*[)）]")


def split_leaders(text: str) -> list[str]:
    """Leader names; a space alone may separate them ("朱 蕾 薛超峰" → 朱蕾, 薛超峰).

    Titles written after a name ("朱蕾副区长") are dropped: the directory knows them.
    """
    names: list[str] = []
    text = _TITLE_NOTE.sub("", text)
    inner = re.fullmatch(
        r"[^()（）]{0,30}(?:分工|按|《)[^()（）]{0,30}[(（](?P<names>[^()（）]{2,40})[)）]",
        text.strip(),
    )
    if inner is not None:  # "按《市委工作要点》分工(蒋永根、俞福才、金跃民)": the names inside
        listed = split_leaders(inner.group("names"))
        if listed and all(looks_like_person(n) for n in listed):
            return listed
    for part in split_outside_brackets(text):
        names.extend(merge_single_characters(part.split()))
    names = [_drop_title(strip_name(n)) for n in names]
    return [n for n in names if n]


def _drop_title(name: str) -> str:
    """ "朱蕾副区长" → 朱蕾, "张三同志" → 张三; a post named without a person ("省政府分管领导
    同志", "常务副市长") stays as written."""
    if name.endswith("同志") and len(name) > 6:
        return name
    return _LEADER_TITLE.sub("", name)


def dedupe(names: list[str]) -> list[str]:
    seen: set[str] = set()
    result = []
    for name in names:
        if name not in seen:
            seen.add(name)
            result.append(name)
    return result
