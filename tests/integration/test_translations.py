"""Every string has its Chinese, with the same placeholders, and the compiled catalogue is current."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation

PO = (
    Path(__file__).resolve().parents[2]
    / "duban"
    / "locale"
    / "zh_Hans"
    / "LC_MESSAGES"
    / "django.po"
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def _unquote(block: str) -> str:
    text = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', block))
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def entries() -> list[tuple[str, str, bool, bool, str]]:
    """(msgid, msgstr, fuzzy, plural, context) of every entry but the header."""
    found = []
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        match = re.search(
            r"(?ms)^msgid (.*?)^(msgid_plural .*?)?^msgstr(?:\[0\])? (.*?)(?=^msgstr\[|\Z)", block
        )
        if not match or not _unquote(match.group(1)):
            continue
        fuzzy = bool(re.search(r"^#,.*fuzzy", block, re.M))
        context = re.search(r"(?m)^msgctxt (.*)$", block)
        found.append(
            (
                _unquote(match.group(1)),
                _unquote(match.group(3)),
                fuzzy,
                bool(match.group(2)),
                _unquote(context.group(1)) if context else "",
            )
        )
    return found


def test_every_message_is_translated_with_its_placeholders() -> None:
    problems = []
    for msgid, msgstr, fuzzy, _plural, _context in entries():
        if fuzzy or not msgstr:
            problems.append(f"untranslated: {msgid!r}")
        elif sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(msgstr)):
            problems.append(f"placeholders differ: {msgid!r} → {msgstr!r}")
    assert problems == []


def test_the_compiled_catalogue_matches_the_po_file() -> None:
    with translation.override("zh-hans"):
        stale = [
            m
            for m, s, _f, plural, context in entries()
            if not plural
            and (translation.pgettext(context, m) if context else translation.gettext(m)) != s
        ]
    assert stale == [], "run `make messages` to compile django.mo"
