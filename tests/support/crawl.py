"""Walk the pages a person can reach by following links, and say what on them is not Chinese.

``crawl(client, start)`` signs nothing in: it follows every same-site GET link from ``start``
(breadth first), leaving out signing out, the language switch and downloads, and visiting at
most ``per_pattern`` pages of each path pattern (``/ledger/tasks/<n>/``) and one query-string
variant of each, up to ``limit`` pages. It returns every HTML page it saw and every link that
failed (an error status).

``visible_text(html)`` is what a person reads on a page: its text without scripts and styles,
the page title, and the words that appear on hover or in an empty field or as a button
(``title``, ``placeholder``, ``aria-label``, ``alt``, the ``value`` of an input button).

``offences(text)`` lists what may not reach the Chinese interface: English words (ASCII words
of three or more letters, but the few in ``ALLOWED_WORDS``), raw internal values (the stored
value of a choice, ``draft``), field names (``submitted_by_id``), ISO dates and timestamps
(``2023-08-15``, ``2023-08-15T14:05``) and Python values (``None``, ``True``, ``False``).
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urldefrag, urlsplit

from bs4 import BeautifulSoup
from django.apps import apps
from django.test import Client

# English a Chinese page may show, each for a reason; keep it short.
ALLOWED_WORDS = {
    # File formats, as Chinese offices name them (导出Excel, 上传Word或PDF, JPG或PNG).
    "Excel",
    "Word",
    "PDF",
    "CSV",
    "JPG",
    "PNG",
    # The language switch names each language in its own language (简体中文 · English).
    "English",
    # A 钉钉/企业微信 robot's address and signing secret, as those apps name them in Chinese.
    "Webhook",
    "SEC",
    # The seed notice's own words (政府和社会资本合作 is written PPP in Chinese documents).
    "PPP",
}
# Pages that show accounts by their user names (the name a person signs in with): the accounts
# pages and the audit trail. Anywhere else a person is shown by name.
USERNAME_PAGES = ("/accounts/", "/audit/")

# Links the crawl never follows: signing out and switching language change the session, and
# downloads are files, not pages.
SKIPPED_PATHS = ("/accounts/logout", "/i18n/", "/static/", "/admin/")
DOWNLOAD_SUFFIXES = (".xlsx", ".docx", ".pdf", ".xls", ".doc", ".zip", ".csv", ".txt")
DOWNLOAD_WORDS = ("/download", "/export", "/files/", "/file/", "/attachment")

# Attributes whose text a person sees: on hover, in an empty field, read out, or as a button.
SHOWN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
BUTTON_INPUTS = {"submit", "button", "reset"}
HIDDEN_ELEMENTS = ["script", "style", "template", "noscript"]
# A command typed at the server's console is the same in every language (<code>duban parse</code>).
CODE_ELEMENTS = ["code", "kbd"]

WORD = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z][A-Za-z_]*(?![A-Za-z0-9_])")
FIELD_NAME = re.compile(r"(?<![A-Za-z0-9_])[a-z]+(?:_[a-z0-9]+)+(?![A-Za-z0-9_])")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
PYTHON_VALUES = {"None", "True", "False", "null", "true", "false"}
# A file is called what its author called it (yanshi-2023-notice.txt); a format by its suffix.
FILE_NAME = re.compile(
    r"[\w\-（）()]*\.(?:txt|docx?|xlsx?|pdf|html?|csv|jpe?g|png|zip|wps|et)\b", re.IGNORECASE
)


@cache
def stored_choice_values() -> frozenset[str]:
    """Every stored value of every choice of duban's models (``draft``, ``pending``, ...)."""
    values: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("duban."):
            continue
        for model_field in model._meta.get_fields():
            for value, _label in getattr(model_field, "flatchoices", None) or ():
                if isinstance(value, str) and value.isascii() and value.strip():
                    values.add(value)
    return frozenset(values)


def visible_text(html: str) -> list[str]:
    """The pieces of text a person sees on the page, in document order."""
    return _visible_text(BeautifulSoup(html, "lxml"))


def _visible_text(soup: BeautifulSoup) -> list[str]:
    for hidden in soup(HIDDEN_ELEMENTS + CODE_ELEMENTS):
        hidden.decompose()
    pieces: list[str] = []
    for element in soup.find_all(True):
        for attribute in SHOWN_ATTRIBUTES:
            value = element.get(attribute)
            if isinstance(value, str) and value.strip():
                pieces.append(value.strip())
        kind = element.get("type")
        if element.name == "input" and isinstance(kind, str) and kind.lower() in BUTTON_INPUTS:
            value = element.get("value")
            if isinstance(value, str) and value.strip():
                pieces.append(value.strip())
    for string in soup.find_all(string=True):
        if string.parent is not None and string.parent.name in ("[document]", "html"):
            continue
        if type(string).__name__ in ("Comment", "Doctype", "Declaration", "ProcessingInstruction"):
            continue
        text = " ".join(str(string).split())
        if text:
            pieces.append(text)
    return pieces


def offences(text: str, usernames: frozenset[str] = frozenset()) -> list[str]:
    """What in ``text`` may not reach a Chinese page, each said with why; ``usernames`` are
    allowed (on the pages that show accounts)."""
    found: list[str] = []
    choices = stored_choice_values()
    text = FILE_NAME.sub(" ", text)
    if usernames:
        tokens = re.split(r"([^A-Za-z0-9_.@+\-]+)", text)
        text = "".join(" " if token in usernames else token for token in tokens)
    for match in ISO_DATE.finditer(text):
        found.append(f"ISO date {match.group()!r}")
    text_without_dates = ISO_DATE.sub(" ", text)
    for match in FIELD_NAME.finditer(text_without_dates):
        found.append(f"field name {match.group()!r}")
    for match in WORD.finditer(FIELD_NAME.sub(" ", text_without_dates)):
        word = match.group()
        if word in PYTHON_VALUES:
            found.append(f"Python value {word!r}")
        elif word in choices:
            found.append(f"raw value {word!r}")
        elif len(word) >= 3 and word not in ALLOWED_WORDS:
            found.append(f"English {word!r}")
    return found


@dataclass
class Page:
    url: str
    text: list[str]


@dataclass
class Crawl:
    pages: list[Page] = field(default_factory=list)
    failures: list[tuple[str, int]] = field(default_factory=list)  # (url, status)


def path_pattern(path: str) -> str:
    """The page a path is an instance of: numbers become ``<n>``."""
    return re.sub(r"/\d+(?=/|$)", "/<n>", path)


def is_followed(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
        return False
    path = parts.path
    if not path.startswith("/") or path.startswith(SKIPPED_PATHS):
        return False
    lowered = path.lower()
    return not (lowered.endswith(DOWNLOAD_SUFFIXES) or any(w in lowered for w in DOWNLOAD_WORDS))


def links(soup: BeautifulSoup, base: str) -> list[str]:
    """The same-site pages ``soup`` links to, as paths with their query strings."""
    found = []
    for anchor in soup.find_all("a", href=True):
        if anchor.has_attr("download"):
            continue
        href = urldefrag(str(anchor["href"]).strip()).url
        if not href:
            continue
        if href.startswith("?"):
            href = urlsplit(base).path + href
        elif not href.startswith(("/", "http:", "https:")) and ":" not in href.split("/")[0]:
            href = base.rsplit("/", 1)[0] + "/" + href
        if is_followed(href):
            parts = urlsplit(href)
            found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def crawl(
    client: Client,
    start: str = "/",
    *,
    seeds: tuple[str, ...] = (),
    limit: int = 400,
    per_pattern: int = 4,
) -> Crawl:
    """Follow links from ``start``; ``seeds`` are visited too, past the per-pattern limit (the
    pages of the objects in the states worth seeing: a pending extension, a returned report)."""
    result = Crawl()
    queue: deque[str] = deque([start, *seeds])
    seen: set[str] = {start, *seeds}
    per_path: dict[str, int] = {}
    queried: set[str] = set()
    while queue and len(result.pages) < limit:
        url = queue.popleft()
        response = client.get(url, follow=True, HTTP_ACCEPT_LANGUAGE="zh-hans")
        if response.status_code >= 400:
            result.failures.append((url, response.status_code))
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        soup = BeautifulSoup(response.content.decode(), "lxml")
        found = links(soup, url)
        result.pages.append(Page(url, _visible_text(soup)))
        for link in found:
            if link in seen:
                continue
            seen.add(link)
            path, _, query = link.partition("?")
            pattern = path_pattern(path)
            if query:
                if pattern in queried:
                    continue
                queried.add(pattern)
            else:
                if per_path.get(pattern, 0) >= per_pattern:
                    continue
                per_path[pattern] = per_path.get(pattern, 0) + 1
            queue.append(link)
    return result
