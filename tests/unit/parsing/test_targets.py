"""Tests for quantitative target extraction (duban.intake.parsing.targets)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from duban.intake.parsing.targets import Target, extract_targets

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SEED = json.loads((FIXTURES / "seed" / "expected.json").read_text(encoding="utf-8"))
KEYED_TASKS = [t for t in SEED["tasks"] if t.get("targets_must_include")]


def _units_match(key: str, got: str) -> bool:
    return key == got or (key == "个工作日" and got == "工作日")


def _ops_match(key: str, got: str) -> bool:
    return key == got or (key == "=" and got == ">=")


def _matches(key: dict[str, Any], got: Target) -> bool:
    return (
        key["value"] == got["value"]
        and key["value_max"] == got["value_max"]
        and _units_match(key["unit"], got["unit"])
        and _ops_match(key["op"], got["op"])
    )


def _brief(targets: list[Target]) -> list[tuple[object, ...]]:
    return [(t["value"], t["value_max"], t["unit"], t["op"]) for t in targets]


# --- the seed notice's answer key -----------------------------------------------------------


@pytest.mark.parametrize("task", KEYED_TASKS, ids=lambda t: f"task{t['number']}")
def test_seed_targets_include_key(task: dict[str, Any]) -> None:
    remaining = list(extract_targets(task["text"]))
    for key in task["targets_must_include"]:
        hit = next((t for t in remaining if _matches(key, t)), None)
        assert hit is not None, f"missing {key} in {_brief(remaining)}"
        remaining.remove(hit)  # each key entry needs its own target


def test_seed_targets_are_in_document_order() -> None:
    for task in SEED["tasks"]:
        text = task["text"].replace(" ", "")
        positions = [text.find(t["source"]) for t in extract_targets(task["text"])]
        assert all(p >= 0 for p in positions)
        assert positions == sorted(positions)


def test_seed_is_fast() -> None:
    texts = [t["text"] for t in SEED["tasks"]]
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for text in texts:
            extract_targets(text)
        best = min(best, time.perf_counter() - start)
    assert best < 0.010


# --- shape ----------------------------------------------------------------------------------


def test_full_record() -> None:
    text = "强化主体培育，力争市场主体平稳增长，新增规上企业50家。"
    assert extract_targets(text) == [
        Target(
            label="新增规上企业",
            value=50,
            value_max=None,
            unit="家",
            op="=",
            source="新增规上企业50家",
        )
    ]


def test_value_is_int_when_integral_and_float_otherwise() -> None:
    values = [t["value"] for t in extract_targets("完成粮食种植61.5万亩，新建高标准农田1.0万亩")]
    assert values == [61.5, 1]
    assert isinstance(values[1], int)


def test_no_targets() -> None:
    assert extract_targets("") == []
    assert extract_targets("加快智慧城市建设，建好数字城管。") == []


# --- ranges -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("力争1—2家企业启动上市程序", (1, 2, "家", "range")),
        ("建成社区体育公园6—8个", (6, 8, "个", "range")),
        ("规划建设2-3座小型水库", (2, 3, "座", "range")),
        ("建成2–3座", (2, 3, "座", "range")),
        ("建成6至8个", (6, 8, "个", "range")),
        ("建成6~8个", (6, 8, "个", "range")),
        ("建成6～8个", (6, 8, "个", "range")),
        ("引进5到10家", (5, 10, "家", "range")),
        ("增长8%—10%", (8, 10, "%", "range")),
        ("培训1万—2万人次", (1, 2, "万人次", "range")),
    ],
)
def test_ranges(text: str, expected: tuple[object, ...]) -> None:
    assert _brief(extract_targets(text)) == [expected]


def test_range_is_not_made_of_years_or_months() -> None:
    assert extract_targets("2022-2025年持续推进") == []
    assert _brief(extract_targets("1-11月完成投资5亿元")) == [(5, None, "亿元", "=")]


# --- comparison ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "op"),
    [
        ("引导投放信贷资金60亿元以上", ">="),
        ("高考一本上线950人及以上", ">="),
        ("技术合同成交额达到1亿元以上", ">="),
        ("比例不低于90%", ">="),
        ("新增就业岗位不少于500个", ">="),
        ("至少培育3家", ">="),
        ("营收超过100亿元", ">="),
        ("产值突破100亿元", ">="),
        ("新增企业100余家", ">="),
        ("居民消费价格总水平涨幅在3%以内", "<="),
        ("人口自然增长率控制在6‰以下", "<="),
        ("城镇登记失业率控制在4.5%以内", "<="),
        ("审批时间压减至40个工作日", "<="),
        ("审批时间压减到20个工作日", "<="),
        ("审批时间压缩至3个工作日内", "<="),
        ("负债率不超过5%", "<="),
        ("增幅不高于3个百分点", "<="),
        ("能耗降至0.5吨", "<="),
        ("办理时限缩短至10天", "<="),
        ("空置率低于5%", "<="),
        ("城镇调查失业率控制在5.5%左右", "="),
        ("地区生产总值增长6.2%左右", "="),
        ("约3000人", "="),
        ("粮食产量稳定在23万吨", "="),
    ],
)
def test_ops(text: str, op: str) -> None:
    targets = extract_targets(text)
    assert len(targets) == 1
    assert targets[0]["op"] == op


def test_at_least_may_precede_the_verb() -> None:
    (target,) = extract_targets("至少培育3家")
    assert (target["op"], target["label"]) == (">=", "培育")


def test_yishang_before_number_qualifies_the_noun() -> None:
    text = "新增省级以上研发平台2家、总数达到20家以上，市级以上15家、总数达到215家以上。"
    assert _brief(extract_targets(text)) == [
        (2, None, "家", "="),
        (20, None, "家", ">="),
        (15, None, "家", "="),
        (215, None, "家", ">="),
    ]


def test_threshold_qualifier_is_skipped() -> None:
    text = "确保签约亿元以上项目30个以上、10亿元以上项目8个以上。"
    assert _brief(extract_targets(text)) == [(30, None, "个", ">="), (8, None, "个", ">=")]
    assert _brief(extract_targets("新增年营收2000万元以上企业30家")) == [(30, None, "家", "=")]


def test_threshold_before_a_new_verb_is_kept() -> None:
    text = "完成投资100亿元以上和新建项目5个"
    assert _brief(extract_targets(text)) == [(100, None, "亿元", ">="), (5, None, "个", "=")]


def test_threshold_at_clause_end_is_kept() -> None:
    text = "完成技能培训1.4万人次以上、新增技能人才8000人以上。"
    assert _brief(extract_targets(text)) == [(1.4, None, "万人次", ">="), (8000, None, "人", ">=")]


# --- units ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("完成粮食种植61.5万亩", "万亩"),
        ("接待游客500万人次", "万人次"),
        ("新增供暖面积30万平方米", "万平方米"),
        ("实际利用外资6亿美元", "亿美元"),
        ("工业增加值率提升0.5个百分点以上", "个百分点"),
        ("覆盖率达96%", "%"),
        ("人口自然增长率控制在6‰以下", "‰"),
        ("建成安置房390套", "套"),
        ("新增床位500张床位", "张床位"),
        ("亩均税收20万元/亩", "万元/亩"),
        ("办结时限5个工作日", "个工作日"),
    ],
)
def test_units_keep_their_prefix(text: str, unit: str) -> None:
    assert [t["unit"] for t in extract_targets(text)] == [unit]


def test_full_width_digits_and_spaces() -> None:
    assert _brief(extract_targets("改造 ３０．５ 万平方米，覆盖率达９５％")) == [
        (30.5, None, "万平方米", "="),
        (95, None, "%", "="),
    ]
    targets = extract_targets("推进总投资 863 亿元的 270 个项目")
    assert _brief(targets) == [(863, None, "亿元", "="), (270, None, "个", "=")]
    assert targets[0]["source"] == "推进总投资863亿元的270个项目"


def test_thousands_separator() -> None:
    assert _brief(extract_targets("新增企业1,200家，投资12,500.5万元")) == [
        (1200, None, "家", "="),
        (12500.5, None, "万元", "="),
    ]


# --- exclusions -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "落实“金融支持房地产16条”，完善金融支持",
        "抢抓商城遗址列入国家《大遗址保护利用“十四五”专项规划》机遇",
        "提升村（社区）党群服务中心“7+N”服务功能",
        "打造城区“15分钟急救圈”",
        "打造城区15分钟急救圈、1小时经济圈",
        "推进一道新能源年产3GW高效能光伏组件项目建设",
        "确保优箔年产15万吨电池箔项目投产",
        "建设110千伏变电站",
        "建设10万吨级码头",
        "力争引进20亿级项目",
        "重要环保指标（PM2.5、PM10、优良天数）实现“两降一升”",
        "2023年3月28日前完成",
        "1-11月推进情况",
        "第3批次",
        "5部门联合印发",
        "严格落实国家安全生产15条硬措施和省50条细化措施",
        "推进s356横沟至黄沙铺改扩建",
    ],
)
def test_exclusions(text: str) -> None:
    assert extract_targets(text) == []


def test_specification_inside_a_task_keeps_the_real_target() -> None:
    assert _brief(extract_targets("构建绿色电力系统，新建110千伏全智能变电站1座")) == [
        (1, None, "座", "=")
    ]
    text = "确保优箔年产15万吨电池箔、建园高端工业模具等16个项目竣工投产"
    assert _brief(extract_targets(text)) == [(16, None, "个", "=")]


def test_policy_count_is_a_target_when_it_is_being_made() -> None:
    assert _brief(extract_targets("研究出台10条支持措施")) == [(10, None, "条", "=")]


def test_days_are_a_unit_but_dates_are_not() -> None:
    assert _brief(extract_targets("5日内办结")) == [(5, None, "日", "<=")]
    assert extract_targets("12月31日前办结") == []


# --- labels and sources ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("建设2958套安置房，早日实现搬迁群众“安居梦”。", ["建设安置房"]),
        ("清单化推进总投资863亿元的270个项目", ["清单化推进总投资", "项目"]),
        ("力争1—2家企业启动上市程序", ["企业启动上市程序"]),
        ("力争规上工业总产值达到650亿元", ["规上工业总产值"]),
        ("审批时间压减至40个工作日", ["审批时间"]),
        ("新增省级、市级上市后备库企业4家、总数达13家", ["市级上市后备库企业", "总数"]),
        (
            "统筹实施总投资69.7亿元的66个“两建设三改造”项目",
            ["统筹实施总投资", "“两建设三改造”项目"],
        ),
        ("伊洛河出境断面、饮用水水源地水质达标率均达100%", ["饮用水水源地水质达标率"]),
        ("地区生产总值增长8%以上", ["地区生产总值"]),
        (
            "高新技术产业增加值占规上工业增加值比重达到42%以上",
            ["高新技术产业增加值占规上工业增加值比重"],
        ),
    ],
)
def test_labels(text: str, labels: list[str]) -> None:
    assert [t["label"] for t in extract_targets(text)] == labels


def test_label_keeps_noun_endings_that_look_like_comparisons() -> None:
    (target,) = extract_targets("补贴标准提高到人均1000元")
    assert target["label"] == "补贴标准提高到人均"


def test_label_is_at_most_twenty_characters_keeping_the_end() -> None:
    text = "推动全市范围内所有规模以上工业企业的数字化智能化改造覆盖率达到80%"
    (target,) = extract_targets(text)
    assert len(target["label"]) <= 20
    assert target["label"].endswith("数字化智能化改造覆盖率")


def test_source_is_the_clause() -> None:
    text = "完成“三未”土地处置500亩，盘活低效用地300亩以上。"
    assert [t["source"] for t in extract_targets(text)] == [
        "完成“三未”土地处置500亩",
        "盘活低效用地300亩以上",
    ]


# --- other governments' notices -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("居民消费价格总水平涨幅在3%以内", [(3, None, "%", "<=")]),
        ("城镇登记失业率控制在4.5%以内", [(4.5, None, "%", "<=")]),
        ("人口自然增长率控制在6‰以下", [(6, None, "‰", "<=")]),
        ("粮食产量稳定在23万吨", [(23, None, "万吨", "=")]),
        (
            "力争引进20亿级项目不少于12个、50亿级项目不少于2个",
            [(12, None, "个", ">="), (2, None, "个", ">=")],
        ),
        (
            "每年招引亿元以上制造业项目100个,带动未来五年制造业投资1000亿元以上",
            [(100, None, "个", "="), (1000, None, "亿元", ">=")],
        ),
        (
            "工业总产值增长4%,规模以上工业产值增长5%,工业增加值率提升0.5个百分点以上.",
            [(4, None, "%", "="), (5, None, "%", "="), (0.5, None, "个百分点", ">=")],
        ),
        ("优化提升50条背街后巷交通组织。", [(50, None, "条", "=")]),
    ],
)
def test_corpus_clauses(text: str, expected: list[tuple[object, ...]]) -> None:
    assert _brief(extract_targets(text)) == expected


def test_corpus_document_text() -> None:
    text = (FIXTURES / "corpus" / "004.txt").read_text(encoding="utf-8")
    found = _brief(extract_targets(text))
    for expected in [
        (13, None, "%", "="),
        (3, None, "%", "<="),
        (6, None, "‰", "<="),
        (4.2, None, "%", "="),
    ]:
        assert expected in found
    labels = [t["label"] for t in extract_targets(text)]
    assert "居民消费价格总水平涨幅" in labels
    assert "城镇登记失业率" in labels
