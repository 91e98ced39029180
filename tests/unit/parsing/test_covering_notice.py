"""A covering notice whose task list is an attachment in another file: the refusal names the
attachment it misses (still code no_tasks, exit 2) instead of only "no tasks"."""

from __future__ import annotations

from pathlib import Path

import pytest

from duban.intake.errors import IntakeError
from duban.intake.pipeline import parse_file
from tests.unit.parsing.helpers import parse_text

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus"


def _refusal(text: str) -> IntakeError:
    with pytest.raises(IntakeError) as refused:
        parse_text(text)
    assert refused.value.code == "no_tasks"
    return refused.value


def test_the_corpus_covering_notice_names_its_attachment() -> None:
    with pytest.raises(IntakeError) as refused:
        parse_file(CORPUS / "033.txt")
    assert refused.value.code == "no_tasks"
    assert refused.value.params["attachment"] == "2020年政府工作报告重点工作责任分解"
    assert "attachment" in refused.value.render()


def test_an_attachment_list_is_named_whole() -> None:
    refusal = _refusal(
        """
        某县人民政府办公室关于印发2024年重点工作的通知
        各乡镇人民政府，县直各单位：
        现将有关事项通知如下，请认真贯彻落实。
        附件：1.2024年主要经济指标预期目标分解表
        2.2024年重点工作任务分解表
        某县人民政府办公室
        2024年3月1日
        """
    )
    assert (
        refusal.params["attachment"]
        == "2024年主要经济指标预期目标分解表”、“2024年重点工作任务分解表"
    )


def test_the_document_issued_in_book_title_marks_is_named() -> None:
    refusal = _refusal(
        """
        某市人民政府关于印发重点工作的通知
        各区人民政府：
        现将《某市2022年政府工作报告重点任务分工方案》印发给你们，请认真抓好落实。
        某市人民政府
        """
    )
    assert refusal.params["attachment"] == "某市2022年政府工作报告重点任务分工方案"


def test_an_attachment_bound_into_the_file_is_not_called_missing() -> None:
    # The attachment's title stands on a line of its own after the cover letter: the file holds
    # it, in a layout duban does not read, and the refusal says only that.
    refusal = _refusal(
        """
        某县人民政府关于印发2023年重点工作任务分解表的通知
        现将《2023年重点工作任务分解表》印发给你们。
        2023年重点工作任务分解表
        （表格为图片，无法读取）
        """
    )
    assert "attachment" not in refusal.params


def test_a_document_that_issues_nothing_gets_the_plain_refusal() -> None:
    refusal = _refusal(
        """
        某县2023年第一季度经济运行情况
        一季度全县经济运行总体平稳。
        """
    )
    assert "attachment" not in refusal.params
