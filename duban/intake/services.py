"""Import workflows: upload → preview a person checks and fixes → commit in one transaction.

The same functions serve the upload pages, ``duban import`` and the demo. Names the directory
does not know are never turned into units silently: a person picks a candidate, a group or
"create a new unit" first.

The parse stays typed all the way: the staged ``ParseResult`` (JSON only on disk, see
``staging``), with the person's corrections applied, becomes the ledger's ``Notice``
(``to_notice``); ``prepare_import`` computes the diff once and the commit applies that diff.

Corrections of fields are kept per task position (``staged.edits``). A structural edit (add,
split, merge, renumber, delete) first folds those corrections into the staged parse, then
changes its task list and keeps it (``staging.StagedImport.save_parse``), so positions never
point at the wrong task; each one checks its input first and changes nothing when it refuses.
The warnings that name tasks (numbering, no lead unit, empty text, counts against those the
notice declares) are found again on every preview from the tasks as they are now
(``assemble.findings``); after a structural edit an unclear deadline stays marked on its task.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.audit.context import acting_as, current
from duban.directory.models import Group, Leader, Unit, UnitAlias, UnitKind
from duban.directory.services import DirectoryIndex, Resolution, remember_alias
from duban.ledger.models import Plan, Task
from duban.ledger.services import (
    ImportOutcome,
    NameRef,
    Notice,
    NoticeArea,
    NoticeDocument,
    NoticeTarget,
    NoticeTask,
    PlanDiff,
    PreparedImport,
    find_plan,
    import_plan,
    prepare_import,
)

from .parsing.assemble import CHECKED, findings, level, numbering_restarts
from .parsing.result import DOUBTFUL_FIELDS, ParseResult, ParseWarning, TaskInfo
from .parsing.targets import Target, extract_targets
from .parsing.text import dedupe
from .pipeline import parse_upload
from .staging import StagedImport, TaskEdits, stage

EDITABLE_FIELDS = ("text", "lead_leaders", "lead_units", "responsible_units", "deadline")
LIST_FIELDS = ("lead_leaders", "lead_units", "responsible_units")
DEMO_NOTICE = Path(__file__).resolve().parent.parent / "demo" / "data" / "yanshi-2023-notice.txt"
DEMO_CORRECTIONS = {"缙氏镇": "缑氏镇"}  # the seed's typo, as a clerk resolves it


FIELD_LABELS = {
    "number": gettext_lazy("number"),
    "area": gettext_lazy("area"),
    "text": gettext_lazy("task"),
    "lead_leaders": gettext_lazy("lead leaders"),
    "lead_units": gettext_lazy("lead units"),
    "responsible_units": gettext_lazy("responsible units"),
    "deadline": gettext_lazy("deadline"),
    "targets": gettext_lazy("targets"),
}


@dataclass
class ChangeEntry:
    kind: str  # "added", "removed" or "changed"
    number: str
    text: str
    fields: list[str] = field(default_factory=list)  # labels of the changed fields


def change_entries(diff: PlanDiff, notice: Notice) -> list[ChangeEntry]:
    """What a revised notice changes, task by task, in the order people read a ledger."""
    entries = [
        ChangeEntry("added", notice.tasks[i].number, notice.tasks[i].text) for i in diff.added
    ]
    entries += [
        ChangeEntry("removed", task.number, task.text)
        for task in Task.objects.filter(pk__in=diff.removed).order_by("position")
    ]
    entries += [
        ChangeEntry(
            "changed",
            change.number,
            notice.tasks[change.index].text,
            [str(FIELD_LABELS[f]) for f in change.fields],
        )
        for change in diff.changed
    ]
    return entries


class ImportProblem(ValueError):
    """Input a person must correct (a bad choice or edit, unresolved names)."""


LEVEL_LABELS = {
    "high": gettext_lazy("confidence: high"),
    "medium": gettext_lazy("confidence: medium"),
    "low": gettext_lazy("confidence: low"),
}
SOURCE_CONTEXT = 1  # lines shown before and after a task's own lines
_SENTENCE_END = re.compile(r"[。；;！!？?]")
_CLAUSE_END = re.compile(r"[，,、：:]")


@dataclass
class SourceLine:
    number: int  # 1-based, as people count lines
    text: str
    own: bool  # one of the task's lines (False: context around them)


@dataclass
class TaskRow:
    """One task as the preview shows it: what the parser was unsure of and where it read it."""

    index: int
    task: TaskInfo
    level: str  # "high", "medium" or "low"
    review: list[str]  # fields a person should check: the parser's doubts and today's problems
    flags: list[str]  # problems to name on the row
    source: list[SourceLine]
    split_points: list[tuple[int, str]]  # (offset, text from there) where a split may start

    @property
    def level_label(self) -> str:
        return str(LEVEL_LABELS[self.level])

    @property
    def needs_review(self) -> bool:
        return self.level != "high" or bool(self.flags) or "number" in self.review


@dataclass
class NameRow:
    name: str
    resolution: Resolution
    choice: str
    tasks: list[str] = field(default_factory=list)
    chosen_label: str = ""

    @property
    def status(self) -> str:
        if self.choice.startswith("new:"):
            return "new"
        if self.choice:
            return "chosen"
        if self.resolution.group_id:
            return "group"
        if self.resolution.unit_id:
            return "alias" if self.resolution.via_alias else "unit"
        return "unresolved"


@dataclass
class Preview:
    staged: StagedImport
    parsed: ParseResult  # with the person's corrections
    notice: Notice  # the same, as the ledger takes it
    names: list[NameRow]
    new_leaders: list[str]
    plan: Plan | None
    prepared: PreparedImport | None  # once every name is resolved and the year is known
    flags: dict[int, list[str]]  # task index → problems to show on its row
    rows: list[TaskRow] = field(default_factory=list)  # every task, as the table shows it

    @property
    def diff(self) -> PlanDiff | None:
        """What committing changes in the existing plan; None for a new plan (or not ready)."""
        if self.prepared is None or self.prepared.plan is None:
            return None
        return self.prepared.diff

    @property
    def changes(self) -> list[ChangeEntry]:
        diff = self.diff
        return change_entries(diff, self.notice) if diff else []

    @property
    def warnings(self) -> list[str]:
        return [warning.render(_) for warning in self.parsed.warnings]

    @property
    def unresolved(self) -> list[NameRow]:
        return [row for row in self.names if row.status == "unresolved"]

    @property
    def can_commit(self) -> bool:
        return not self.unresolved and self.notice.document.year is not None

    @property
    def unchanged(self) -> bool:
        return self.diff is not None and self.diff.empty

    @property
    def to_review(self) -> list[TaskRow]:
        return [row for row in self.rows if row.needs_review]


def stage_upload(*, data: bytes, filename: str, user: User | None) -> StagedImport:
    """Parse an uploaded notice and keep it for the preview. Raises IntakeError."""
    result = parse_upload(data, filename, max_bytes=settings.DUBAN_MAX_UPLOAD_BYTES)
    return stage(data=data, filename=filename, parsed=result, owner_id=user.pk if user else None)


# Warnings found again on the tasks as they are now (``findings`` without a directory: the
# preview resolves names against the directory itself).
RECHECKED = CHECKED - {"unknown_unit", "unknown_unit_no_candidate"}


def effective_parse(staged: StagedImport) -> ParseResult:
    """The parse with the person's corrections applied, its warnings found again."""
    parsed = staged.parsed
    tasks = [_edited(task, staged.edits.get(str(index))) for index, task in enumerate(parsed.tasks)]
    redated = {
        parsed.tasks[int(index)]["number"]
        for index, edits in staged.edits.items()
        if "deadline" in edits and int(index) < len(parsed.tasks)
    }
    kept = [
        w
        for w in parsed.warnings
        if w.code not in RECHECKED and not (w.code == "unclear_deadline" and w.task in redated)
    ]
    found = [w for w, _index, _field in findings(parsed.document, parsed.areas, tasks, None)]
    return replace(parsed, tasks=tasks, warnings=kept + found)


def _edited(task: TaskInfo, edits: TaskEdits | None) -> TaskInfo:
    """The task with a person's corrections: the fields they saved are no longer doubtful, and
    a task with no doubtful field left is certain."""
    if not edits:
        return task
    edited: TaskInfo = {**task, **edits}
    doubtful = [f for f in task.get("doubtful", []) if f not in edits]
    edited["doubtful"] = doubtful
    if not doubtful:
        edited["confidence"] = 1.0
    return edited


def to_notice(parsed: ParseResult) -> Notice:
    """The parse as the ledger takes it: numbers as text, dates as dates, values as decimals."""
    document = parsed.document
    return Notice(
        document=NoticeDocument(
            year=document["year"],
            title=document["title"],
            doc_number=document["doc_number"],
            issuer=document["issuer"],
            signed_on=_date(document["date"]),
            declared_areas=document["declared_areas"],
            declared_tasks=document["declared_tasks"],
        ),
        areas=tuple(NoticeArea(number=a["number"], title=a["title"]) for a in parsed.areas),
        tasks=tuple(_notice_task(task) for task in parsed.tasks),
    )


def _notice_task(task: TaskInfo) -> NoticeTask:
    return NoticeTask(
        number=str(task["number"]),
        area=task["area"],
        text=task["text"],
        lead_leaders=tuple(task["lead_leaders"]),
        lead_units=tuple(task["lead_units"]),
        responsible_units=tuple(task["responsible_units"]),
        deadline=_date(task["deadline"]),
        targets=tuple(_notice_target(target) for target in task["targets"]),
    )


def _notice_target(target: Target) -> NoticeTarget:
    value_max = target["value_max"]
    return NoticeTarget(
        label=target["label"],
        value=Decimal(str(target["value"])),
        value_max=None if value_max is None else Decimal(str(value_max)),
        unit=target["unit"],
        op=target["op"],
        source=target["source"],
    )


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def refs_for(
    names: list[str], index: DirectoryIndex, choices: dict[str, str]
) -> dict[str, NameRef]:
    refs: dict[str, NameRef] = {}
    for name in names:
        choice = choices.get(name, "")
        if choice:
            refs[name] = _ref_from_choice(choice)
            continue
        resolution = index.resolve(name)
        if resolution.resolved:
            refs[name] = NameRef(unit_id=resolution.unit_id, group_id=resolution.group_id)
    return refs


def _ref_from_choice(choice: str) -> NameRef:
    kind, _sep, value = choice.partition(":")
    if kind == "unit":
        return NameRef(unit_id=int(value))
    if kind == "group":
        return NameRef(group_id=int(value))
    return NameRef(new_unit_kind=value)


def build_preview(staged: StagedImport) -> Preview:
    parsed = effective_parse(staged)
    notice = to_notice(parsed)
    index = DirectoryIndex.load()
    rows: dict[str, NameRow] = {}
    for task in notice.tasks:
        for name in task.unit_names:
            if name not in rows:
                rows[name] = NameRow(name, index.resolve(name), staged.choices.get(name, ""))
            rows[name].tasks.append(task.number)
    labels = _choice_labels([row.choice for row in rows.values()])
    for row in rows.values():
        row.chosen_label = labels.get(row.choice, "")
        if row.status == "alias" and row.resolution.unit_id is not None:
            row.chosen_label = index.unit_names[row.resolution.unit_id]
    known_leaders = set(Leader.objects.values_list("name", flat=True))
    new_leaders = sorted({n for t in notice.tasks for n in t.lead_leaders} - known_leaders)
    flags: dict[int, list[str]] = {}
    review: dict[int, set[str]] = {}
    for position, task in enumerate(notice.tasks):
        problems = []
        if not task.lead_units:
            problems.append(_("no lead unit"))
        unresolved = [n for n in task.unit_names if rows[n].status == "unresolved"]
        if unresolved:
            problems.append(_("unknown names: %(names)s") % {"names": "、".join(unresolved)})
            info = parsed.tasks[position]
            for role in ("lead_units", "responsible_units"):
                listed = info["lead_units"] if role == "lead_units" else info["responsible_units"]
                if any(n in unresolved for n in listed):
                    review.setdefault(position, set()).add(role)
        if problems:
            flags[position] = problems
    for _warning, found_at, field_name in findings(
        parsed.document, parsed.areas, parsed.tasks, None
    ):
        if found_at is not None and field_name is not None:
            review.setdefault(found_at, set()).add(field_name)
    task_rows = [
        _task_row(index, task, parsed.lines, review.get(index, set()), flags.get(index, []))
        for index, task in enumerate(parsed.tasks)
    ]
    prepared = None
    if notice.document.year is not None and all(r.status != "unresolved" for r in rows.values()):
        # the one diff of this import: the preview shows it, the commit applies it
        prepared = prepare_import(notice, refs_for(list(rows), index, staged.choices))
        plan = prepared.plan
    else:
        plan = find_plan(notice.document)
    order = {"unresolved": 0, "new": 1, "chosen": 1, "alias": 2, "group": 3, "unit": 4}
    names = sorted(rows.values(), key=lambda row: order[row.status])  # what needs a person first
    return Preview(staged, parsed, notice, names, new_leaders, plan, prepared, flags, task_rows)


def _task_row(
    index: int, task: TaskInfo, lines: list[str], review: set[str], flags: list[str]
) -> TaskRow:
    marked = review | set(task.get("doubtful", []))
    # Fields the preview itself marks (a name the directory does not know) weigh on the task's
    # confidence as the parser's own doubts do (0.3 each, as in assemble.DOUBTS), so that a
    # task is never shown 高 beside a 请核对 mark.
    confidence = task.get("confidence", 1.0) * 0.7 ** len(review - set(task.get("doubtful", [])))
    source: list[SourceLine] = []
    span = task.get("source")
    if span and 0 <= span[0] <= span[1] < len(lines):
        first, last = span
        for number in range(
            max(0, first - SOURCE_CONTEXT), min(len(lines), last + 1 + SOURCE_CONTEXT)
        ):
            source.append(SourceLine(number + 1, lines[number], first <= number <= last))
    return TaskRow(
        index=index,
        task=task,
        level=level(confidence),
        review=[f for f in DOUBTFUL_FIELDS if f in marked],
        flags=flags,
        source=source,
        split_points=split_points(task["text"]),
    )


def split_points(text: str) -> list[tuple[int, str]]:
    """Where a task's text may be split: the start of each sentence but the first (of each
    clause, when the text is one sentence), with the text from there."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    if not [e for e in ends if e < len(text.rstrip())]:
        ends = [m.end() for m in _CLAUSE_END.finditer(text)]
    points = []
    for end in ends:
        start = len(text) - len(text[end:].lstrip())
        if 0 < start < len(text):
            points.append((start, text[start:]))
    return points


def _choice_labels(choices: list[str]) -> dict[str, str]:
    units = {c: int(c[5:]) for c in choices if c.startswith("unit:")}
    groups = {c: int(c[6:]) for c in choices if c.startswith("group:")}
    labels = {}
    names = dict(Unit.objects.filter(pk__in=units.values()).values_list("pk", "name"))
    labels.update({c: names.get(pk, "?") for c, pk in units.items()})
    names = dict(Group.objects.filter(pk__in=groups.values()).values_list("pk", "name"))
    labels.update({c: names.get(pk, "?") for c, pk in groups.items()})
    kinds = dict(UnitKind.choices)
    labels.update({c: str(kinds.get(c[4:], c[4:])) for c in choices if c.startswith("new:")})
    return labels


def choose(staged: StagedImport, name: str, choice: str) -> None:
    """Record what an unknown name is: ``unit:ID``, ``group:ID``, ``new:KIND`` or "" to undo."""
    if name not in to_notice(effective_parse(staged)).unit_names():
        raise ImportProblem(_("“%(name)s” does not occur in this notice.") % {"name": name})
    kind, _sep, value = choice.partition(":")
    valid = (
        choice == ""
        or (kind == "unit" and value.isdigit() and Unit.objects.filter(pk=int(value)).exists())
        or (kind == "group" and value.isdigit() and Group.objects.filter(pk=int(value)).exists())
        or (kind == "new" and value in UnitKind.values)
    )
    if not valid:
        raise ImportProblem(_("Choose an existing unit, a group or “create a new unit”."))
    if kind == "new" and DirectoryIndex.load().resolve(name).resolved:
        raise ImportProblem(_("“%(name)s” is already in the directory.") % {"name": name})
    if choice:
        staged.choices[name] = choice
    else:
        staged.choices.pop(name, None)
    staged.save()


def edit_task(staged: StagedImport, position: int, field_name: str, value: str) -> None:
    """Correct one field of one task before the commit."""
    if not 0 <= position < len(staged.parsed.tasks) or field_name not in EDITABLE_FIELDS:
        raise ImportProblem(_("This field cannot be edited."))
    edit = _field_edit(field_name, value)
    staged.edits.setdefault(str(position), {}).update(edit)
    staged.save()


def _field_edit(field_name: str, value: str) -> TaskEdits:
    """A person's value of an editable field, read; ImportProblem when it cannot be used."""
    value = value.strip()
    edit: TaskEdits = {}
    if field_name in LIST_FIELDS:
        names = [n for n in (re.sub(r"\s+", "", p) for p in re.split(r"[、，,；;\n]+", value)) if n]
        if field_name == "lead_leaders":
            edit["lead_leaders"] = names
        elif field_name == "lead_units":
            edit["lead_units"] = names
        else:
            edit["responsible_units"] = names
    elif field_name == "deadline":
        edit["deadline"] = _deadline(value)
    else:
        if not value:
            raise ImportProblem(_("The task text cannot be empty."))
        edit["text"] = value
    return edit


def _deadline(value: str) -> str | None:
    if not value:
        return None
    match = re.fullmatch(r"(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})\s*日?", value)
    try:
        if match:
            return date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        pass
    raise ImportProblem(_("Write the deadline as 2023年6月30日 or 2023-06-30."))


# Structural edits: each reads the tasks as the person sees them (corrections applied), checks
# its input, changes a copy and only then keeps it (``_reshape``).

_LEADING_NUMBER = re.compile(r"^[(（]?\d{1,3}[)）.、．]\s*")


def _current_tasks(staged: StagedImport) -> list[TaskInfo]:
    return [_copy(task) for task in effective_parse(staged).tasks]


def _copy(task: TaskInfo) -> TaskInfo:
    copied: TaskInfo = {
        **task,
        "lead_leaders": list(task["lead_leaders"]),
        "lead_units": list(task["lead_units"]),
        "responsible_units": list(task["responsible_units"]),
        "targets": [{**target} for target in task["targets"]],
        "doubtful": list(task.get("doubtful", [])),
    }
    return copied


def _task_at(tasks: list[TaskInfo], position: int) -> TaskInfo:
    if not 0 <= position < len(tasks):
        raise ImportProblem(_("This import has no such task; reload the page and try again."))
    return tasks[position]


def _reshape(staged: StagedImport, tasks: list[TaskInfo]) -> None:
    """Keep ``tasks`` as the staged parse's tasks, the person's corrections folded in. The
    warnings that name tasks are found again on every preview; of the parse's own, only the
    document's (Traditional characters, pinyin dropped) stay."""
    before = (staged.parsed, staged.edits)
    warnings: list[ParseWarning] = [
        w for w in staged.parsed.warnings if w.task is None and w.code not in CHECKED
    ]
    staged.parsed = replace(staged.parsed, tasks=tasks, warnings=warnings)
    staged.edits = {}
    try:
        staged.save_parse()
    except BaseException:
        staged.parsed, staged.edits = before
        raise


def _number_inserted(tasks: list[TaskInfo], position: int) -> None:
    """Number the task just inserted at ``position``: one more than the task before it; the
    tasks after it that would then repeat a number move up by one, as far as the next gap."""
    previous, new = tasks[position - 1], tasks[position]
    if not isinstance(previous["number"], int):
        new["number"] = position + 1  # labels as written (“（一）”): renumbering evens them
        return
    expected = previous["number"] + 1
    new["number"] = expected
    restarts = numbering_restarts(tasks)
    for later in tasks[position + 1 :]:
        if (restarts and later["area"] != new["area"]) or later["number"] != expected:
            break
        expected += 1
        later["number"] = expected


def add_task(staged: StagedImport, after: int, values: dict[str, str]) -> int:
    """A task the parser missed, written by a person, after the task at ``after``. Returns the
    new task's position."""
    tasks = _current_tasks(staged)
    previous = _task_at(tasks, after)
    edits: TaskEdits = {}
    for field_name in EDITABLE_FIELDS:
        edits.update(_field_edit(field_name, values.get(field_name, "")))
    text = edits.get("text", "")
    task: TaskInfo = {
        "number": 0,
        "area": previous["area"],
        "text": text,
        "lead_leaders": edits.get("lead_leaders", []),
        "lead_units": edits.get("lead_units", []),
        "responsible_units": [
            n for n in edits.get("responsible_units", []) if n not in edits.get("lead_units", [])
        ],
        "deadline": edits.get("deadline"),
        "targets": extract_targets(text),
        "source": None,
        "confidence": 1.0,
        "doubtful": [],
    }
    tasks.insert(after + 1, task)
    _number_inserted(tasks, after + 1)
    _reshape(staged, tasks)
    return after + 1


def split_task(staged: StagedImport, position: int, at: int) -> None:
    """Split a task that holds two into two: its text before ``at`` stays, the rest becomes the
    next task (a number written at its start dropped) with copies of its leaders, units and
    deadline."""
    tasks = _current_tasks(staged)
    task = _task_at(tasks, position)
    text = task["text"]
    first = text[:at].strip() if 0 < at < len(text) else ""
    second = _LEADING_NUMBER.sub("", text[at:].strip()) if 0 < at < len(text) else ""
    if not first or not second:
        raise ImportProblem(
            _("Both parts of a split task need text: choose where the second task begins.")
        )
    task["text"], task["targets"] = first, extract_targets(first)
    rest = _copy(task)
    rest["text"], rest["targets"] = second, extract_targets(second)
    tasks.insert(position + 1, rest)
    _number_inserted(tasks, position + 1)
    _reshape(staged, tasks)


def merge_task(staged: StagedImport, position: int) -> None:
    """Merge a task with the next one: the texts joined, the leaders and units of both in
    order (a unit leading either leads), the later deadline, the first one's number."""
    tasks = _current_tasks(staged)
    first = _task_at(tasks, position)
    if position == len(tasks) - 1:
        raise ImportProblem(_("The last task has no next task to merge with."))
    second = tasks[position + 1]
    lead = dedupe(first["lead_units"] + second["lead_units"])
    deadlines = [d for d in (first["deadline"], second["deadline"]) if d]
    spans = [s for s in (first.get("source"), second.get("source")) if s]
    doubtful = set(first.get("doubtful", [])) | set(second.get("doubtful", []))
    merged: TaskInfo = {
        **first,
        "text": first["text"] + second["text"],
        "lead_leaders": dedupe(first["lead_leaders"] + second["lead_leaders"]),
        "lead_units": lead,
        "responsible_units": [
            n
            for n in dedupe(first["responsible_units"] + second["responsible_units"])
            if n not in lead
        ],
        "deadline": max(deadlines) if deadlines else None,
        "targets": first["targets"] + second["targets"],
        "source": [min(s[0] for s in spans), max(s[1] for s in spans)] if spans else None,
        "confidence": min(first.get("confidence", 1.0), second.get("confidence", 1.0)),
        "doubtful": [f for f in DOUBTFUL_FIELDS if f in doubtful],
    }
    tasks[position : position + 2] = [merged]
    _reshape(staged, tasks)


def renumber(staged: StagedImport) -> None:
    """Number the tasks 1, 2, 3… in their order: across the plan, or within each area when
    the notice numbers each area from 1."""
    tasks = _current_tasks(staged)
    restarts = numbering_restarts(tasks)
    counters: dict[int | None, int] = {}
    for task in tasks:
        scope = task["area"] if restarts else None
        counters[scope] = counters.get(scope, 0) + 1
        if task["number"] != counters[scope]:
            task["number"] = counters[scope]
            task["doubtful"] = [f for f in task.get("doubtful", []) if f != "number"]
    _reshape(staged, tasks)


def set_number(staged: StagedImport, position: int, value: str) -> None:
    """Give one task another number (a whole number no other task of its numbering has)."""
    tasks = _current_tasks(staged)
    task = _task_at(tasks, position)
    value = unicodedata.normalize("NFKC", value).strip()  # full-width digits as typed
    if not re.fullmatch(r"[0-9]{1,4}", value) or int(value) == 0:
        raise ImportProblem(_("Write the task number as a whole number such as 12."))
    number = int(value)
    taken = [
        other
        for index, other in enumerate(tasks)
        if index != position and str(other["number"]) == str(number)
    ]
    restarts = numbering_restarts(tasks)  # then a number is unique within its area only
    if any(not restarts or other["area"] == task["area"] for other in taken):
        raise ImportProblem(
            _(
                "Number %(number)s is already used by another task: renumber that task "
                "first, or choose another number."
            )
            % {"number": number}
        )
    task["number"] = number
    task["doubtful"] = [f for f in task.get("doubtful", []) if f != "number"]
    _reshape(staged, tasks)


def delete_task(staged: StagedImport, position: int) -> None:
    """Drop a task the parser read by mistake (a heading, a closing remark)."""
    tasks = _current_tasks(staged)
    _task_at(tasks, position)
    if len(tasks) == 1:
        raise ImportProblem(
            _("A notice needs at least one task; to import nothing, abandon the import.")
        )
    del tasks[position]
    _reshape(staged, tasks)


def commit(staged: StagedImport, user: User | None) -> ImportOutcome:
    """Put the checked notice into the ledger, all or nothing, then forget the staged files."""
    preview = build_preview(staged)
    if preview.unresolved:
        names = "、".join(row.name for row in preview.unresolved)
        raise ImportProblem(_("Resolve these names first: %(names)s") % {"names": names})
    if preview.prepared is None:  # every name is resolved: only the year can be missing
        raise ImportProblem(_("The notice states no year; the plan's year is needed."))
    acting = current()  # the request's address stays on the audit trail
    with transaction.atomic(), acting_as(user or acting.user, acting.address):
        remember_choices({row.name: row.choice for row in preview.names if row.choice})
        outcome = import_plan(
            preview.prepared, source_name=staged.filename, data=staged.data(), user=user
        )
    staged.discard()
    return outcome


def remember_choices(choices: dict[str, str]) -> list[UnitAlias]:
    """Keep each name a person resolved to an existing unit (``unit:ID``) as that unit's alias,
    so that the next notice naming it resolves by itself; names that already answer to a unit,
    an alias or a group, and names resolved to a group or a new unit, add nothing."""
    unit_ids = {
        name: int(choice[5:])
        for name, choice in choices.items()
        if choice.startswith("unit:") and choice[5:].isdigit()
    }
    units = Unit.objects.in_bulk(set(unit_ids.values()))
    learned = []
    for name, unit_id in unit_ids.items():
        unit = units.get(unit_id)
        alias = remember_alias(unit, name) if unit is not None else None
        if alias is not None:
            learned.append(alias)
    return learned


def import_demo_plan(user: User | None = None) -> ImportOutcome:
    """The seed notice in the ledger, its typo resolved as a clerk would: idempotent."""
    data = DEMO_NOTICE.read_bytes()
    notice = to_notice(parse_upload(data, DEMO_NOTICE.name))
    index = DirectoryIndex.load()
    choices = {}
    for wrong, right in DEMO_CORRECTIONS.items():
        resolution = index.resolve(right)
        if resolution.unit_id is not None:
            choices[wrong] = f"unit:{resolution.unit_id}"
    refs = refs_for(notice.unit_names(), index, choices)
    return import_plan(
        prepare_import(notice, refs), source_name=DEMO_NOTICE.name, data=data, user=user
    )
