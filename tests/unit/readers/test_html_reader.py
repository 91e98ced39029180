"""Notices saved from government websites: the article without the portal around it."""

from __future__ import annotations

import time
import tracemalloc

from duban.intake.blocks import Block
from duban.intake.readers import read_bytes

PORTAL = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>关于印发2023年重点工作分解的通知_某某区人民政府</title>
<script>var nav = "脚本里的字";</script><style>.zoom {{ color: red }}</style></head>
<body>
<div class="logo"><h1><a href="/">某某区人民政府</a></h1></div>
<div class="top-nav">
  <a href="/">首页</a><a href="/zwgk">政务公开</a><a href="/bs">办事服务</a>
</div>
<div id="menu"><ul><li><a href="/a">机构概况</a></li><li><a href="/b">政策文件</a></li></ul></div>
<div class="breadcrumb">当前位置：首页 &gt; 政务公开 &gt; 通知公告</div>
<div class="main">
  <h1>关于印发2023年重点工作分解的通知</h1>
  <div class="info">发布时间：2023-03-28</div>
  <div id="zoom">{body}</div>
</div>
<div class="related"><h3>相关阅读</h3><a href="/x">另一份通知的标题很长很长很长</a></div>
<footer>版权所有：某某区人民政府</footer>
<div id="footer">主办单位：某某区人民政府办公室 地址：某某路1号</div>
</body></html>"""

ARTICLE = """
  <p>各镇人民政府、街道办事处，区政府各部门：</p>
  <p>&nbsp;&nbsp;&nbsp;&nbsp;现将《2023年重点工作任务分解方案》印发给你们，
  请认真贯彻落实。</p>
  <p>一、稳增长<br>1.新增规上企业50家。</p>
  <table border="1">
    <tr><th>序号</th><th>重点任务</th><th>牵头领导</th><th>牵头单位</th></tr>
    <tr><td>1</td><td>新增规上企业50家</td><td rowspan="2">朱蕾</td><td>工信局</td></tr>
    <tr><td>2</td><td>引导投放信贷资金<br>60亿元</td><td>金融局</td></tr>
    <tr><td colspan="4">二、惠民生</td></tr>
  </table>
  <div>某某区人民政府<br>2023年3月28日</div>
"""

EXPECTED = [
    Block.paragraph("关于印发2023年重点工作分解的通知"),
    Block.paragraph("各镇人民政府、街道办事处，区政府各部门："),
    Block.paragraph("现将《2023年重点工作任务分解方案》印发给你们，请认真贯彻落实。"),
    Block.paragraph("一、稳增长\n1.新增规上企业50家。"),
    Block.row(["序号", "重点任务", "牵头领导", "牵头单位"]),
    Block.row(["1", "新增规上企业50家", "朱蕾", "工信局"]),
    Block.row(["2", "引导投放信贷资金\n60亿元", "朱蕾", "金融局"]),
    Block.row(["二、惠民生"] * 4),
    Block.paragraph("某某区人民政府\n2023年3月28日"),
]


def test_the_article_and_its_table_without_navigation_or_footer() -> None:
    page = PORTAL.format(body=ARTICLE).encode("utf-8")

    blocks = read_bytes(page, "notice.html")

    assert blocks == EXPECTED
    text = "".join(block.text for block in blocks)
    for chrome in ("首页", "机构概况", "当前位置", "相关阅读", "版权所有", "主办单位", "脚本"):
        assert chrome not in text


def test_a_gbk_page_decodes_by_its_meta_charset() -> None:
    page = PORTAL.format(body=ARTICLE).encode("gbk")

    assert read_bytes(page, "notice.htm") == EXPECTED


def test_without_a_known_container_the_densest_text_wins() -> None:
    links = "".join(f'<li><a href="/n{i}">新闻标题第{i}条的链接文字</a></li>' for i in range(30))
    page = f"""<html><head><title>重点工作任务分解方案 - 某某县人民政府 - 政务公开</title></head>
    <body><div class="left-column"><ul>{links}</ul></div>
    <div class="wenzhang">
      <p>一、推进项目建设，全年实施重点项目一百个。</p>
      <p>牵头单位：县发改委</p>
      <p>二、优化营商环境，企业开办时间压缩至一个工作日。</p>
    </div></body></html>"""

    blocks = read_bytes(page.encode("utf-8"), "page.shtml")

    assert [block.text for block in blocks] == [
        "重点工作任务分解方案",
        "一、推进项目建设，全年实施重点项目一百个。",
        "牵头单位：县发改委",
        "二、优化营商环境，企业开办时间压缩至一个工作日。",
    ]


def test_a_layout_table_is_read_as_text_and_a_form_wrapping_the_page_is_kept() -> None:
    page = """<!doctype html><html><body><form id="form1">
    <table><tr><td><table><tr><td>
      <p>关于做好重点工作督办的通知</p><p>各单位要按季度报送进展情况。</p>
    </td></tr></table></td></tr></table></form></body></html>"""

    blocks = read_bytes(page.encode("utf-8"), "page.aspx.html")

    assert [block.text for block in blocks] == [
        "关于做好重点工作督办的通知",
        "各单位要按季度报送进展情况。",
    ]


def test_html_is_recognised_by_content_even_when_saved_as_doc() -> None:
    page = "<html><body><p>网页另存为的文档</p></body></html>".encode()

    assert read_bytes(page, "notice.doc") == [Block.paragraph("网页另存为的文档")]


def test_hostile_spans_are_read_in_bounded_memory_and_time() -> None:
    """A 400 KB page whose every cell claims rowspan and colspan of a thousand (such a page once
    took 2.5 GB and minutes): the grid is capped at the table's rows × 64 columns, each position
    visited once. Budgets are generous (a quiet machine needs well under a tenth of them); the
    old reader exceeded both by orders of magnitude."""
    cell = '<td rowspan="1000" colspan="1000">某某</td>'
    rows = "".join(f"<tr><td>{n}</td><td>任务</td>{cell * 4}</tr>" for n in range(1, 2200))
    page = f"<html><body><p>通知</p><table>{rows}</table></body></html>".encode()
    assert len(page) > 400_000
    tracemalloc.start()
    started = time.process_time()
    try:
        blocks = read_bytes(page, "hostile.html")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    spent = time.process_time() - started
    rows_read = [block for block in blocks if block.is_row]
    assert rows_read and max(len(block.cells or ()) for block in rows_read) <= 64
    assert peak < 300 * 1024 * 1024, f"{peak / 2**20:.0f} MB"
    assert spent < 60, f"{spent:.1f} s"


def test_a_rowspan_of_zero_reaches_the_tables_last_row_and_no_further() -> None:
    page = (
        "<table><tr><td>序号</td><td>任务</td><td>单位</td></tr>"
        '<tr><td>1</td><td>甲</td><td rowspan="0">发改委</td></tr>'
        "<tr><td>2</td><td>乙</td></tr></table>"
    ).encode()
    rows = [list(b.cells or ()) for b in read_bytes(page, "zero.html") if b.is_row]
    assert rows == [["序号", "任务", "单位"], ["1", "甲", "发改委"], ["2", "乙", "发改委"]]
