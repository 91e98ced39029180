"""Finding the article on a government web page: strip the site's chrome, pick the container.

A published notice sits inside a portal page whose menus, breadcrumbs, share buttons, related
links and footers often hold more words than the notice. Chinese government CMSs (TRS, Hanweb,
the gov.cn UCAP platform, WeChat articles) mark the body with well-known ids and classes, so
those are tried first; anything else falls back to a text-density score in the manner of
Readability: text not inside links, credited to the block that holds it and half to its parent.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html
from lxml.etree import _Element

# fmt: off
_DROP_TAGS = frozenset({
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe",
    "template", "svg", "button", "select", "textarea", "input", "object", "embed", "canvas",
    "audio", "video", "map", "link", "meta", "title", "head",
})
_NAV_WORDS = (
    "nav", "menu", "breadcrumb", "crumb", "footer", "header", "sidebar", "share", "bdshare",
    "toolbar", "copyright", "related", "print", "search", "login", "topbar", "position", "location",
    "dqwz",
)
_NAV_SUFFIXES = (
    "nav", "menu", "footer", "header", "share", "crumb", "crumbs", "sidebar", "toolbar",
)
_CONTENT_WORDS = frozenset({"content", "article", "detail", "zoom", "text", "editor", "zw", "zwnr"})
# Most specific first: a generic "content" wrapper often encloses one of the CMS-specific ones.
CONTENT_NAMES = (
    "ucap-content", "zoom", "trs_editor", "trs_ueditor", "xxgk_content",
    "pages_content", "js_content", "rich_media_content", "article-content", "article_content",
    "articlecontent", "detail-content", "news_content", "zwnr", "main-content",
    "maincontent", "article", "content", "con",
)
# fmt: on
_CONTAINER_TAGS = frozenset({"div", "section", "article", "main", "td", "th", "body", "center"})
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _tokens(element: _Element) -> list[str]:
    raw = f"{element.get('id', '')} {element.get('class', '')}"
    return [token.lower() for token in re.split(r"[^A-Za-z0-9]+", _CAMEL.sub(" ", raw)) if token]


def _is_navigation(element: _Element) -> bool:
    tokens = _tokens(element)
    if not tokens or _CONTENT_WORDS.intersection(tokens):
        return False
    return any(t.startswith(_NAV_WORDS) or t.endswith(_NAV_SUFFIXES) for t in tokens)


class TextStats:
    """Non-link and link text length of every element, computed once for the whole tree."""

    def __init__(self, root: _Element) -> None:
        self.plain: dict[_Element, int] = {}
        self.linked: dict[_Element, int] = {}
        self._measure(root, in_link=False)

    def _measure(self, element: _Element, *, in_link: bool) -> tuple[int, int]:
        in_link = in_link or element.tag == "a"
        own = len((element.text or "").strip())
        plain, linked = (0, own) if in_link else (own, 0)
        for child in element:
            if not isinstance(child.tag, str):
                continue
            child_plain, child_linked = self._measure(child, in_link=in_link)
            tail = len((child.tail or "").strip())
            plain += child_plain + (0 if in_link else tail)
            linked += child_linked + (tail if in_link else 0)
        self.plain[element], self.linked[element] = plain, linked
        return plain, linked


def clean(body: _Element) -> None:
    """Remove what is never the notice: scripts, forms, hidden parts and navigation blocks.

    A block that holds most of the page's text is kept whatever its name: ASP.NET pages wrap the
    whole page in a ``<form>``, and some CMSs put the article in ``#printContent``.
    """
    stats = TextStats(body)
    total = max(stats.plain.get(body, 0), 1)
    doomed = []
    for element in body.iter():
        if not isinstance(element.tag, str) or element is body:
            continue
        tag = element.tag.lower()
        unwanted = (
            tag in _DROP_TAGS
            or _is_navigation(element)
            or bool(_HIDDEN.search(element.get("style", "")))
            or element.get("hidden") is not None
        )
        if unwanted and (tag in ("script", "style") or stats.plain.get(element, 0) < 0.5 * total):
            doomed.append(element)
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()


def _matches(element: _Element, name: str) -> bool:
    if element.get("id", "").lower() == name:
        return True
    if name in (cls.lower() for cls in element.get("class", "").split()):
        return True
    return name == "article" and element.tag == "article"


def choose_container(body: _Element) -> _Element:
    stats = TextStats(body)
    total = stats.plain.get(body, 0)
    for name in CONTENT_NAMES:
        found = [el for el in body.iter() if isinstance(el.tag, str) and _matches(el, name)]
        if found:
            best = max(found, key=lambda el: stats.plain.get(el, 0))
            if stats.plain.get(best, 0) >= max(20, 0.25 * total):
                return best
    return _densest(body, stats)


def _densest(body: _Element, stats: TextStats) -> _Element:
    scores: dict[_Element, float] = {}
    for element in body.iter():
        if not isinstance(element.tag, str) or element.tag == "a":
            continue
        own = len((element.text or "").strip()) + sum(
            len((child.tail or "").strip()) for child in element if isinstance(child.tag, str)
        )
        if own == 0:
            continue
        weight = 1.0
        ancestor = element if element.tag in _CONTAINER_TAGS else element.getparent()
        while ancestor is not None and weight >= 0.5:
            if ancestor.tag in _CONTAINER_TAGS:
                scores[ancestor] = scores.get(ancestor, 0.0) + own * weight
                weight /= 2
            ancestor = ancestor.getparent()
    if not scores:
        return body

    def score(element: _Element) -> float:
        plain, linked = stats.plain.get(element, 0), stats.linked.get(element, 0)
        return scores[element] * (1 - linked / max(plain + linked, 1))

    return max(scores, key=score)


def page_title(document: _Element, body: _Element) -> str:
    """The notice's title: the CMS's ArticleTitle meta, else the first h1, else <title>.

    Called after ``clean``, so a site logo set as ``<h1>`` in the page header is gone; an h1
    that is nothing but a link is a logo or a menu entry too.
    """
    for meta in document.iter("meta"):
        if meta.get("name", "").lower() == "articletitle" and meta.get("content", "").strip():
            return " ".join(str(meta.get("content")).split())
    stats = TextStats(body)
    for h1 in body.iter("h1"):
        text = " ".join(h1.text_content().split())
        if text and stats.plain.get(h1, 0):
            return text
    title = document.find(".//title")
    if title is None:
        return ""
    separators = r"\s*(?:\||｜|_|——|(?<!\d)—(?!\d)|\s-\s|\s–\s)\s*"
    parts = re.split(separators, " ".join(title.text_content().split()))
    return max(parts, key=len).strip()


def parse(text: str) -> lxml_html.HtmlElement:
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    parser = lxml_html.HTMLParser(remove_comments=True, remove_pis=True)
    return lxml_html.document_fromstring(text, parser=parser)
