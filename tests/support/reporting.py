"""A report as 发改委's operator first writes it, and a task's target by its label."""

from __future__ import annotations

from duban.ledger.models import Task
from duban.reporting.services.reports import ReportInput


def q1_input(**changes: object) -> ReportInput:
    """发改委's first draft of task 1's Q1 report (targets by label: 年度完成投资 = 80亿元)."""
    data = ReportInput(
        status="in_progress",
        progress=None,
        progress_text="一季度开工项目45个，完成投资80亿元。",
        problems="部分项目用地手续办理较慢。",
        next_steps="二季度加快用地审批，推动项目集中开工。",
    )
    for name, value in changes.items():
        setattr(data, name, value)
    return data


def target(task: Task, label: str) -> int:
    return task.targets.get(label=label).pk
