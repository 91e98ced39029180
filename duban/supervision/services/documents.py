"""The notice as an official document (GB/T 9704, written by duban.exports.official_docx).

A notice on one task names the task, its problem, the requirement and the deadline; a period
催办 lists every task whose report it presses for (第N项：the task's text) before them.
"""

from __future__ import annotations

from django.utils import timezone

from duban.core.formatting import format_cn_date
from duban.exports.official import OfficialDocument, Para
from duban.ledger.models import Plan, Task, TaskLeader

from ..models import Notice
from .circulars import period_words


def _lines(text: str) -> list[Para]:
    return [Para(line.strip()) for line in text.splitlines() if line.strip()]


def _source(plan: Plan) -> str:
    return f"《{plan.title}》" + (f"（{plan.doc_number}）" if plan.doc_number else "")


def _deadline(notice: Notice) -> Para:
    return Para(
        f"请于{format_cn_date(notice.reply_due)}前将办理情况书面报送{notice.issuer}，"
        "并在督办系统中签收、反馈，逾期未反馈的，将予以通报。"
    )


def _leaders(tasks: list[Task]) -> list[str]:
    found = TaskLeader.objects.filter(task__in=tasks).select_related("leader")
    names = dict.fromkeys(tl.leader.name for tl in found.order_by("task__position", "position"))
    return [f"{name}同志" for name in names]


def _document(
    notice: Notice, title: str, paragraphs: list[Para], tasks: list[Task]
) -> OfficialDocument:
    word = notice.level_word
    if notice.parent_id is not None and notice.parent is not None:
        paragraphs.insert(
            1,
            Para(
                f"此前已以{notice.parent.doc_number}{notice.parent.level_word}，办理未达要求，现再次{word}。"
            ),
        )
    co_units = list(notice.co_units.all())
    if co_units:
        names = "、".join(u.name for u in co_units)
        paragraphs.insert(-2, Para(f"{names}要积极配合，共同推进。"))
    issued = timezone.localtime(notice.issued_at).date()
    return OfficialDocument(
        title=title,
        doc_number=notice.doc_number,
        recipients=[notice.unit.name],
        paragraphs=paragraphs,
        issuer=notice.issuer,
        date=issued,
        cc=_leaders(tasks) + [u.name for u in co_units],
        printed_by=notice.issuer,
        printed_on=issued,
    )


def notice_document(notice: Notice) -> OfficialDocument:
    """The 督办通知 for ``notice``: the matter, the problem, the requirement and the deadline."""
    if notice.period_id is not None:
        return period_notice_document(notice)
    task = notice.task
    assert task is not None
    word = notice.level_word
    matter = f"第{task.number}项重点任务"
    if notice.milestone is not None:
        matter += (
            f"“{notice.milestone.description}”节点（{format_cn_date(notice.milestone.due_on)}）"
        )
    opening = (
        f"根据{_source(task.plan)}，你单位牵头负责{matter}：{task.text.rstrip('。')}。"
        f"经督查，该项工作存在以下问题，现予以{word}。"
    )
    paragraphs = [
        Para(opening),
        Para("存在问题", 1),
        *_lines(notice.problem),
        Para("工作要求", 1),
        *_lines(notice.requirement),
        Para("办理时限", 1),
        _deadline(notice),
    ]
    title = f"关于对第{task.number}项重点任务进行{word}的通知"
    return _document(notice, title, paragraphs, [task])


def period_notice_document(notice: Notice) -> OfficialDocument:
    """The 催办通知 of a period: the reports due, the tasks whose reports are missing (each
    by number and text), the state they were found in, the requirement and the deadline."""
    period = notice.period
    assert period is not None
    word = notice.level_word
    when = period_words(period)
    tasks = notice.listed_tasks()
    opening = (
        f"根据{_source(period.plan)}和重点任务进展情况报送要求，{when}重点任务进展情况"
        f"应于{format_cn_date(period.due_on)}前报送。你单位牵头的以下{len(tasks)}项重点任务"
        f"进展情况尚未报送，现予以{word}。"
    )
    paragraphs = [
        Para(opening),
        Para("未报送事项", 1),
        *[Para(f"第{task.number}项：{task.text.rstrip('。')}。") for task in tasks],
        Para("存在问题", 1),
        *_lines(notice.problem),
        Para("工作要求", 1),
        *_lines(notice.requirement),
        Para("办理时限", 1),
        _deadline(notice),
    ]
    title = f"关于对{when}重点任务进展情况进行{word}的通知"
    return _document(notice, title, paragraphs, tasks)
