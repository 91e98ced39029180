"""From a stream of blocks to areas and tasks (pure Python, no Django).

One pass reads lines and table rows into numbered items with their text and responsibility
fields; ``items.resolve`` then decides from the whole document which items are tasks; the
last step fills in what the document states once for all tasks (the "first listed unit
leads" rule, ★ markers, leaders named in a section heading) and checks what looks doubtful.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..blocks import Block
from ..errors import N_, IntakeError
from . import metadata
from .assemble import areas_of, build_task, check, source_spans
from .directory import NameDirectory
from .fields import FIRST_LISTED_RULE
from .items import TASK, resolve
from .reading import read_line, read_row, settle_row_headings
from .result import DocumentInfo, ParseResult, ParseWarning
from .script import simplify
from .stream import State, lines_of
from .text import squeeze


def parse_blocks(blocks: Iterable[Block], directory: NameDirectory | None = None) -> ParseResult:
    """Parse a notice. Raises IntakeError("no_tasks") when it holds no task list."""
    simplified = simplify(blocks)
    lines = lines_of(simplified.blocks)
    texts = [ln.text for ln in lines if ln.cells is None]
    state = State()
    for index, line in enumerate(lines):
        if line.cells is not None:
            read_row(state, list(line.cells), index, line.synthetic)
        else:
            read_line(state, line.text, index)
    settle_row_headings(state.items)
    resolve(state.items)
    tasks_items = [i for i in state.items if i.role == TASK]
    if not tasks_items:
        missing = metadata.missing_attachments(texts)
        if missing:
            raise IntakeError(
                "no_tasks",
                N_(
                    "No tasks were found in this document: it is a covering notice, and its task "
                    "list, “%(attachment)s”, is an attachment that this file does not hold."
                ),
                N_(
                    "Upload the attachment (the file with the numbered tasks and their lead "
                    "units), or one file holding the notice and its attachment."
                ),
                attachment="”、“".join(missing),
            )
        raise IntakeError(
            "no_tasks",
            N_("No tasks were found in this document."),
            N_(
                "It may be a covering notice without the task list, or a layout duban does "
                "not know: check that the file contains the numbered tasks with their lead units."
            ),
        )
    whole = "\n".join(texts)
    title = metadata.find_title(texts)
    doc_number = metadata.find_doc_number(texts)
    signed = metadata.find_date(texts)
    year = metadata.find_year(title, doc_number, signed)
    first_task_line = tasks_items[0].line
    preamble = "\n".join(ln.text for ln in lines[:first_task_line] if ln.cells is None)
    declared_areas, declared_tasks = metadata.declared_counts(preamble)
    document: DocumentInfo = {
        "title": title,
        "doc_number": doc_number,
        "issuer": metadata.find_issuer(title, texts),
        "date": signed.isoformat() if signed else None,
        "year": year,
        "declared_areas": declared_areas,
        "declared_tasks": declared_tasks,
    }
    first_listed = bool(FIRST_LISTED_RULE.search(squeeze(whole)))
    warnings: list[ParseWarning] = []
    areas, area_of = areas_of(state.items)
    read = [ln.text if ln.cells is None else " | ".join(ln.cells) for ln in lines]
    spans = source_spans(state.items, read)
    tasks = [
        build_task(item, area_of.get(id(item)), first_listed, year, warnings, spans.get(id(item)))
        for item in tasks_items
    ]
    if simplified.readings:
        warnings.insert(0, ParseWarning("pinyin_readings", None, {"readings": simplified.readings}))
    if simplified.traditional:
        warnings.insert(0, ParseWarning("traditional"))
    check(document, areas, tasks, warnings, directory)
    return ParseResult(document=document, areas=areas, tasks=tasks, warnings=warnings, lines=read)


__all__ = ["parse_blocks"]
