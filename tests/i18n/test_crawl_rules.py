"""The crawl's reading of a page: what it sees, and what it calls out (tests/support/crawl.py)."""

from __future__ import annotations

from tests.support.crawl import is_followed, offences, path_pattern, visible_text

PAGE = """<html><head><title>台账 · 重点工作督办</title><style>.x{color:red}</style></head>
<body><script>var state = "draft";</script>
<h1>任务</h1><input type="submit" value="保存"><input type="hidden" value="secret">
<button aria-label="关闭">×</button><input placeholder="搜索任务"><a title="下载Excel">导出</a>
<p>运行 <code>duban parse 文件</code></p></body></html>"""


def test_it_reads_what_a_person_sees() -> None:
    text = visible_text(PAGE)
    assert "台账 · 重点工作督办" in text and "任务" in text
    assert {"保存", "关闭", "搜索任务", "下载Excel"} <= set(text)
    assert not any("draft" in t or "secret" in t or "color" in t for t in text)
    assert not any("duban" in t for t in text)  # a console command, in <code>


def test_it_calls_out_english_and_internal_values() -> None:
    assert offences("状态：draft") == ["raw value 'draft'"]
    assert offences("submitted_by_id：5") == ["field name 'submitted_by_id'"]
    assert offences("2023-08-15T14:05:00+08:00 提交") == ["ISO date '2023-08-15T14:05:00'"]
    assert offences("提交于 2023-08-15 14:05") == ["ISO date '2023-08-15 14:05'"]
    assert offences("None") == ["Python value 'None'"]
    assert offences("Reports overdue · 2023Q2") == ["English 'Reports'", "English 'overdue'"]


def test_it_lets_pass_what_a_chinese_reader_reads_too() -> None:
    assert offences("导出Excel；上传Word或PDF（.docx）") == []
    assert offences("2023Q2 · 2023年8月15日 14:05 · 身份证号ID · 20 MB") == []
    assert offences("yanshi-2023-notice.txt") == []
    assert offences("fgw") == ["English 'fgw'"]
    assert offences("fgw · 王强", frozenset({"fgw"})) == []


def test_it_follows_pages_not_downloads_nor_other_sites() -> None:
    assert is_followed("/ledger/tasks/3/") and is_followed("/ledger/?sort=-number")
    assert not is_followed("/ledger/export.xlsx")
    assert not is_followed("/supervision/notices/3/document.docx")
    assert not is_followed("/accounts/logout/") and not is_followed("/i18n/setlang/")
    assert not is_followed("https://example.com/") and not is_followed("mailto:a@b.cn")
    assert path_pattern("/reporting/tasks/3/periods/12/") == "/reporting/tasks/<n>/periods/<n>/"
