"""Numbered items and how they become areas and tasks.

The parser first collects every numbered item with what follows it (text, fields); only then
does it decide, from the whole document, which items are tasks: an item that carries
responsibility fields and has no numbered descendant that carries them is a task; an item
whose descendants carry fields is a section (its own fields become their defaults); an item
with no fields is a task only beside sibling tasks of the same numbering style, a sub-point
inside a task, or noise (a covering notice's numbered paragraphs).
"""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass, field

from .fields import DEADLINE, LEAD, LEADERS, RESPONSIBLE, Fields, parse_labelled
from .numbering import AR, DEPTH, GROUP

TASK, SECTION, FOLD, IGNORE = "task", "section", "fold", "ignore"


@dataclass(eq=False)
class Item:
    style: str
    label: str
    value: int | None
    parts: list[str]
    line: int
    fields: Fields = field(default_factory=Fields)
    label_lines: list[str] = field(default_factory=list)
    defaults: Fields = field(default_factory=Fields)
    in_fields: bool = False
    inline: bool = False  # its fields are in its own paragraph ("…。(就管中心)")
    from_table: bool = False
    # A table row of only a number and a short title: a group heading or a task whose other
    # cells are all row-spanned from above (``spanned``); settled once the rows after it are read.
    row_heading: bool = False
    spanned: Fields = field(default_factory=Fields)
    parent: Item | None = None
    children: list[Item] = field(default_factory=list)
    role: str = IGNORE
    heading_phrase: str | None = None  # "省监察厅牵头的工作": a heading naming the lead unit
    unnumbered: bool = False  # the copy printed no number: the parser gave the next one

    @property
    def depth(self) -> int:
        return DEPTH[self.style]

    @property
    def number(self) -> int | str:
        return self.value if self.style == AR and self.value is not None else self.label

    def settle_fields(self) -> None:
        for line in self.label_lines:
            parsed = parse_labelled(line)
            if parsed is not None:
                self.fields.merge(parsed)
        self.label_lines = []


def _link(items: list[Item]) -> None:
    stack: list[Item] = []
    for item in items:
        while stack and stack[-1].depth >= item.depth:
            stack.pop()
        item.parent = stack[-1] if stack else None
        item.children = []
        if item.parent:
            item.parent.children.append(item)
        stack.append(item)


def _ancestors(item: Item) -> list[Item]:
    found = []
    node = item.parent
    while node is not None:
        found.append(node)
        node = node.parent
    return found


def _group_root(item: Item) -> Item | None:
    """The item's parent, looking through group headings read off table rows."""
    node = item.parent
    while node is not None and node.style == GROUP:
        node = node.parent
    return node


def _spread_heading_units(items: list[Item]) -> None:
    """A heading that names the lead unit ("一、县示范区管委会牵头工作", "（一）省监察厅牵头的
    工作") gives it to each numbered item under it that names none; with no items under it, the
    heading is the task itself, its text the paragraph after the heading's words."""
    for item in items:
        if item.heading_phrase is None:
            continue
        lead = Fields(
            lead=list(item.defaults.lead),
            responsible=list(item.defaults.responsible),
            explicit=item.defaults.explicit & {LEAD, RESPONSIBLE},
        )
        if item.children:
            for child in item.children:
                if not child.fields:
                    child.fields = copy.deepcopy(lead)
        elif len(item.parts) > 1:
            if not lead.explicit & item.fields.explicit:
                item.fields.merge(lead)
            item.parts = item.parts[1:]


def resolve(items: list[Item]) -> None:
    """Decide the role of every item (task, section, fold into parent, ignore)."""
    for item in items:
        item.settle_fields()
    _link(items)
    _spread_heading_units(items)
    with_fields = [i for i in items if i.fields]
    if not with_fields:
        for item in items:
            item.role = IGNORE
        return
    counts = Counter(i.style for i in with_fields)
    task_style = max(counts, key=lambda s: (counts[s], DEPTH[s]))
    task_depth = DEPTH[task_style]
    _link(items)
    # Fields written after a task's own sub-points belong to the task, not to its last point.
    for item in with_fields:
        if item.depth > task_depth:
            owner = next((a for a in _ancestors(item) if a.style == task_style), None)
            if owner is None or owner.fields:
                continue
            # Sub-points of the owner that carry fields of their own are tasks ("1.…(省发改委
            # 主办)" "2.…(省工信委主办)"); one alone, its last, holds the owner's fields.
            carriers = [i for i in with_fields if i is not item and owner in _ancestors(i)]
            if not carriers and not item.inline:
                owner.fields = item.fields
                item.fields = Fields()
    has_desc: dict[int, bool] = {}
    for item in reversed(items):
        has_desc[id(item)] = any(bool(c.fields) or has_desc[id(c)] for c in item.children)
    for item in items:
        if item.fields and not has_desc[id(item)]:
            item.role = TASK
        elif has_desc[id(item)]:
            item.role = SECTION
    for item in items:
        if item.role != IGNORE:
            continue
        # Group headings read off table rows (GROUP) only group tasks: tasks on either side
        # of one are still siblings.
        root = _group_root(item)
        siblings = [i for i in items if _group_root(i) is root]
        if item.style == task_style and any(
            s.role == TASK and s.style == item.style for s in siblings
        ):
            item.role = TASK
        elif any(a.role == TASK for a in _ancestors(item)):
            item.role = FOLD


def task_text(item: Item) -> str:
    """The task's text with its folded sub-points, in order."""
    parts = list(item.parts)

    def add(node: Item) -> None:
        for child in node.children:
            if child.role == FOLD:
                parts.append(child.label + "".join(child.parts))
                add(child)

    add(item)
    return "".join(parts)


def effective_fields(item: Item) -> Fields:
    """The task's fields, completed from the sections above it (leaders named in a heading)."""
    result = Fields()
    result.merge(item.fields)
    for ancestor in _ancestors(item):
        for source in (ancestor.fields, ancestor.defaults):
            for role in (LEADERS, LEAD, RESPONSIBLE, DEADLINE):
                if role in result.explicit or role not in source.explicit:
                    continue
                if role == LEADERS:
                    result.leaders = list(source.leaders)
                elif role == LEAD:
                    result.lead = list(source.lead)
                elif role == RESPONSIBLE:
                    result.responsible = list(source.responsible)
                else:
                    result.deadline = source.deadline
                result.explicit.add(role)
    return result
