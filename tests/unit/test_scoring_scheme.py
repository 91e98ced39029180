"""The assessment scheme as data: the shipped default's numbers, the JSON round trip, missing
keys taking their defaults, and every wrong value reported by its field code."""

from __future__ import annotations

from decimal import Decimal

import pytest

from duban.assessment.scheme import DEFAULT, FIELD_NAMES, Scheme, SchemeInvalid, from_dict, validate


def test_the_default_scheme_is_the_issues() -> None:
    d = DEFAULT
    assert (d.completion_pool, d.pace_pool, d.reporting_pool, d.response_pool) == (60, 10, 15, 15)
    assert d.base == 100
    assert (d.lead_weight, d.responsible_weight, d.evidence_required) == (1, Decimal("0.5"), True)
    assert (d.pace_red, d.pace_yellow, d.responsible_share) == (1, Decimal("0.5"), Decimal("0.5"))
    assert d.late_minor_days == 3
    assert (d.report_late_minor, d.report_late_major, d.report_missing, d.report_returned) == (
        Decimal("0.5"),
        1,
        2,
        1,
    )
    assert (d.notice_late_reply, d.notice_supervise, d.notice_listed) == (1, 2, 3)
    assert (d.bonus_cap, d.early_bonus, d.beyond_target_bonus, d.task_bonus_cap) == (
        5,
        Decimal("0.5"),
        Decimal("0.5"),
        1,
    )
    assert (d.praise_bonus, d.recognition_min, d.recognition_max) == (1, 1, 2)
    assert d.instruction_bonus is False  # 领导批示肯定: present but off
    assert (d.criticism, d.falsified, d.veto_falsified, d.veto_missed_tasks) == (1, 3, True, 2)
    assert d.township_kinds == ("town", "street")
    assert (d.grade_excellent, d.grade_good, d.grade_fair, d.excellent_quota) == (90, 80, 60, 25)
    assert d.publicity_days == 5
    assert d.problems() == []


def test_to_dict_and_back_is_the_same_scheme_and_plain_json() -> None:
    data = DEFAULT.to_dict()
    assert set(data) == set(FIELD_NAMES)
    assert data["pace_yellow"] == "0.5" and data["completion_pool"] == "60"
    assert data["township_kinds"] == ["town", "street"] and data["publicity_days"] == 5
    assert from_dict(data) == DEFAULT


def test_missing_keys_take_their_defaults_and_numbers_may_be_numbers() -> None:
    scheme = from_dict({"pace_pool": 12, "report_missing": 1.5, "instruction_bonus": True})
    assert scheme.pace_pool == 12 and scheme.report_missing == Decimal("1.5")
    assert scheme.instruction_bonus is True
    assert scheme.response_pool == DEFAULT.response_pool
    assert from_dict({}) == DEFAULT == from_dict(None)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"pace_pool": "ten"}, ("pace_pool", "not_number")),
        ({"pace_pool": True}, ("pace_pool", "not_number")),
        ({"publicity_days": 2.5}, ("publicity_days", "not_whole")),
        ({"instruction_bonus": "yes"}, ("instruction_bonus", "not_bool")),
        ({"criticism": -1}, ("criticism", "negative")),
        ({"excellent_quota": 120}, ("excellent_quota", "range")),
        ({"recognition_min": 3}, ("recognition_max", "order")),
        ({"grade_good": 95}, ("grade_good", "order")),
        ({"publicity_days": 0}, ("publicity_days", "range")),
        ({"township_kinds": ["village"]}, ("township_kinds", "kinds")),
        ({"bonus": 5}, ("bonus", "unknown")),
    ],
)
def test_each_wrong_value_is_named_by_its_field(
    data: dict[str, object], problem: tuple[str, str]
) -> None:
    with pytest.raises(SchemeInvalid) as caught:
        from_dict(data)
    assert problem in [(p.field, p.code) for p in caught.value.problems]
    assert problem in [(p.field, p.code) for p in validate(data)]


def test_every_problem_at_once_and_a_lenient_reading() -> None:
    problems = validate({"pace_pool": "x", "criticism": -1, "nonsense": 1})
    assert {(p.field, p.code) for p in problems} == {
        ("pace_pool", "not_number"),
        ("criticism", "negative"),
        ("nonsense", "unknown"),
    }
    lenient = from_dict({"pace_pool": "x", "criticism": "2"}, strict=False)
    assert lenient.pace_pool == DEFAULT.pace_pool and lenient.criticism == 2


def test_a_scheme_is_frozen() -> None:
    with pytest.raises(AttributeError):
        DEFAULT.pace_pool = Decimal(5)  # type: ignore[misc]
    assert Scheme() == DEFAULT
