"""PDF through WeasyPrint: HTML and CSS in, a PDF with embedded, subset fonts and selectable text
out.

WeasyPrint lays out pages with the system's Pango, HarfBuzz and fontconfig and embeds only the
glyphs used (subset fonts named ``ABCDEF+Noto-Serif-CJK-SC``). ReportLab was not chosen: it
cannot embed the CFF-outline Noto CJK fonts Debian ships (``fonts-noto-cjk``).

WeasyPrint is imported only when a PDF is asked for, so duban runs without it: ``available()``
says whether PDFs can be made, ``render_html`` raises ``PdfUnavailable`` (whose message names
the Debian packages to install) when they cannot, the download views answer with that message,
and ``duban check`` warns (``pdf_check``, registered by duban.reporting's ``ready()``: the core
is below this module and cannot import it).
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path
from typing import Any

from django.core.checks import CheckMessage
from django.core.checks import Warning as CheckWarning
from django.template import Context, Engine
from django.utils.translation import gettext as _

# The HTML templates of the PDF documents (official.html, summary.html): Django templates of
# their own engine, since duban.exports is a library of writers, not an installed app.
TEMPLATES = Path(__file__).resolve().parent / "templates"

# The Debian packages WeasyPrint needs beyond itself, and a CJK font for Chinese text.
DEBIAN_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk"
# Where fonts-noto-cjk puts its fonts, when fontconfig's fc-list is not there to ask.
_CJK_FONT_FILES = (
    Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
)


class PdfUnavailable(RuntimeError):
    """PDFs cannot be made here; ``str()`` is the message for the person (what to install)."""

    def __init__(self, detail: str = "") -> None:
        self.detail = detail  # what failed, for the log
        super().__init__(
            _(
                "PDF documents cannot be made on this server: the system libraries WeasyPrint "
                "needs or a Chinese font are missing. The administrator installs them (as root): "
                "apt-get install -y %(packages)s; Word and Excel downloads still work."
            )
            % {"packages": DEBIAN_PACKAGES}
        )


@functools.cache
def _weasyprint() -> Any:
    """The weasyprint module; ``PdfUnavailable`` when it or a system library it loads is
    missing (an ImportError without the package, an OSError without Pango)."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:
        raise PdfUnavailable(f"{type(exc).__name__}: {exc}") from exc
    return weasyprint


@functools.cache
def _has_cjk_font() -> bool:
    """Whether fontconfig knows a font for Chinese (else every character would be a box)."""
    fc_list = shutil.which("fc-list")
    if fc_list is not None:
        try:
            found = subprocess.run(
                [fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=20
            )
        except (OSError, subprocess.SubprocessError):
            found = None
        if found is not None and found.returncode == 0:
            return bool(found.stdout.strip())
    return any(path.exists() for path in _CJK_FONT_FILES)


def _engine() -> Any:
    try:
        module = _weasyprint()
    except PdfUnavailable as exc:
        raise PdfUnavailable(exc.detail) from exc  # the message in the current language
    if not _has_cjk_font():
        raise PdfUnavailable("no font for Chinese (fc-list :lang=zh is empty)")
    return module


def available() -> bool:
    """Whether PDFs can be made: WeasyPrint and its libraries load and a CJK font is there."""
    try:
        _engine()
    except PdfUnavailable:
        return False
    return True


def render_html(html: str, base_url: str | None = None) -> bytes:
    """The PDF of an HTML document (its CSS ``@page`` rules set paper, margins and page
    numbers); ``base_url`` resolves relative links and images."""
    weasyprint = _engine()
    pdf: bytes = weasyprint.HTML(string=html, base_url=base_url).write_pdf()
    return pdf


@functools.cache
def _templates() -> Engine:
    return Engine(dirs=[str(TEMPLATES)], autoescape=True)


def render_template(name: str, context: dict[str, Any]) -> str:
    """One of this package's templates (``exports/official.html``) as HTML."""
    return _templates().get_template(name).render(Context(context))


def pdf_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """``duban check``: warn when PDFs cannot be made (the rest of duban works)."""
    try:
        _engine()
    except PdfUnavailable as exc:
        return [CheckWarning(str(exc), hint=exc.detail or None, id="duban.W002")]
    return []
