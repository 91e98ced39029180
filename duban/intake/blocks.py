"""The normalised stream every reader produces and the parser consumes.

A notice arrives as PDF, Word, HTML, a spreadsheet or plain text; each reader turns it into
the same thing: paragraphs and table rows in document order. Nothing here imports Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph (``cells is None``) or one table row (``cells`` holds its cell texts).

    ``text`` of a paragraph may hold several lines separated by ``"\\n"`` (soft line breaks);
    the parser splits them. For a row, ``text`` is the cells joined by ``" | "`` so that a
    reader-agnostic consumer can still print it. Cells of merged (spanned) ranges carry the
    merged value in every position they cover; a cell that is really empty is ``""``.
    ``page`` is the 1-based page for paged sources (PDF), else ``None``.
    """

    text: str
    cells: tuple[str, ...] | None = None
    page: int | None = None
    source: str = field(default="", compare=False)

    @property
    def is_row(self) -> bool:
        return self.cells is not None

    @classmethod
    def paragraph(cls, text: str, *, page: int | None = None, source: str = "") -> Block:
        return cls(text=text, page=page, source=source)

    @classmethod
    def row(
        cls, cells: list[str] | tuple[str, ...], *, page: int | None = None, source: str = ""
    ) -> Block:
        cells_t = tuple(cells)
        return cls(text=" | ".join(cells_t), cells=cells_t, page=page, source=source)
