"""Title, 发文字号, issuer, date and declared counts."""

from datetime import date

from duban.intake.parsing import metadata


def test_doc_number_brackets_are_normalised() -> None:
    assert metadata.find_doc_number(["偃政〔2023〕6号"]) == "偃政〔2023〕6号"
    assert metadata.find_doc_number(["文号 舟政办发[2023]9号"]) == "舟政办发〔2023〕9号"
    assert metadata.find_doc_number(["鞍立政发（2023）02号"]) == "鞍立政发〔2023〕2号"
    assert metadata.find_doc_number(["根据《国务院关于…的通知》（国发〔2022〕5号）"]) is None


def test_title_across_lines_and_after_a_doc_number() -> None:
    lines = ["广东省人民政府关于印发2021年", "省《政府工作报告》重点任务", "分工方案的通知"]
    assert (
        metadata.find_title(lines)
        == "广东省人民政府关于印发2021年省《政府工作报告》重点任务分工方案的通知"
    )
    assert metadata.find_title(
        ["XX文件 X政办发〔2018〕32号 市政府办公室关于分解落实2018年 政府工作任务的通知 各镇"]
    ) == ("市政府办公室关于分解落实2018年政府工作任务的通知")


def test_issuer_from_title_or_signature() -> None:
    assert metadata.find_issuer("洛阳市偃师区人民政府关于印发…的通知", []) == "洛阳市偃师区人民政府"
    assert metadata.find_issuer(
        "区政府2024年重点工作目标任务分解落实方案", ["苏州市吴江区人民政府", "2024年1月25日"]
    ) == ("苏州市吴江区人民政府")


def test_signing_date_in_digits_or_chinese_numerals() -> None:
    assert metadata.find_date(["发布日期:2023-02-13", "2023年2月10日"]) == date(2023, 2, 10)
    assert metadata.find_date(["二〇二三年五月四日"]) == date(2023, 5, 4)
    assert metadata.find_date(["2023年2月30日"]) is None


def test_declared_counts() -> None:
    assert metadata.declared_counts("细化分解为10个方面98个具体任务") == (10, 98)
    assert metadata.declared_counts("分解为11项工作目标和138项工作任务") == (None, 138)
    assert metadata.declared_counts("(共118项)") == (None, 118)
    assert metadata.declared_counts("完成剩余128个村改革任务") == (None, None)


def test_declared_counts_of_work_items_and_of_figures_a_reprint_dropped() -> None:
    assert metadata.declared_counts("研究确定了2021年11个方面173项重点工作") == (11, 173)
    # A news reprint that lost its figures declares nothing it cannot count.
    assert metadata.declared_counts("确定了13个方面项重点工作") == (13, None)
    assert metadata.declared_counts("分解为个方面项具体任务") == (None, None)
