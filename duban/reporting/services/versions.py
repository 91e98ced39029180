"""Frozen copies of a report (ReportVersion) and the side-by-side comparison of two of them.

Every save, submission, return and acceptance writes the whole report into ``data``: the
fields, the value of every quantitative target (with its label and unit, so the copy reads
the same after the ledger changes), the milestones reached and the evidence files' names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from duban.ledger.display import format_number
from duban.ledger.models import TaskStatus

from ..models import Report, ReportVersion, ReviewState

TEXT_FIELDS = ("progress_text", "problems", "next_steps")


def version_data(report: Report, *, action: str, source: str = "") -> dict[str, Any]:
    values = {tv.target_id: tv.value for tv in report.target_values.all()}
    targets = [
        {
            "id": target.pk,
            "label": target.label,
            "unit": target.unit,
            "value": None if values.get(target.pk) is None else format_number(values[target.pk]),
        }
        for target in report.task.targets.order_by("position")
    ]
    milestones = list(report.milestones_reached.order_by("position"))
    return {
        "action": action,
        "source": source,
        "state": report.state,
        "status": report.status,
        "progress": report.progress,
        "derived_progress": report.derived_progress(),
        "progress_text": report.progress_text,
        "problems": report.problems,
        "next_steps": report.next_steps,
        "targets": targets,
        "milestones": [m.pk for m in milestones],
        "milestone_labels": [m.description for m in milestones],
        "evidence": [e.original_name for e in report.evidence.order_by("uploaded_at", "pk")],
        "review_comment": report.review_comment,
        "days_late": report.days_late,
        "submitted_at": (
            timezone.localtime(report.submitted_at).isoformat(timespec="minutes")
            if report.submitted_at
            else None
        ),
    }


def write_version(report: Report, *, user: Any, action: str, source: str = "") -> ReportVersion:
    """Freeze the report as it now is; its number is the report's (new) version."""
    return ReportVersion.objects.create(
        report=report,
        number=report.version,
        state=report.state,
        data=version_data(report, action=action, source=source),
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )


@dataclass(frozen=True)
class CompareRow:
    label: str
    left: str
    right: str

    @property
    def changed(self) -> bool:
        return self.left != self.right


def _display(data: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Field key → (label, text) of one version, in the order the comparison lists them."""
    states = dict(ReviewState.choices)
    statuses = dict(TaskStatus.choices)
    progress = data.get("progress")
    if progress is None and data.get("derived_progress") is not None:
        progress_text = _("%(percent)s (from the targets)") % {"percent": data["derived_progress"]}
    else:
        progress_text = "" if progress is None else str(progress)
    shown: dict[str, tuple[str, str]] = {
        "state": (_("Review state"), str(states.get(data.get("state", ""), ""))),
        "status": (_("Status"), str(statuses.get(data.get("status", ""), ""))),
        "progress": (_("Progress %"), progress_text),
        "progress_text": (_("Progress made"), data.get("progress_text", "")),
        "problems": (_("Problems"), data.get("problems", "")),
        "next_steps": (_("Next steps"), data.get("next_steps", "")),
    }
    for target in data.get("targets", []):
        label = _("Target: %(label)s (%(unit)s)") % {
            "label": target["label"],
            "unit": target["unit"] or "—",
        }
        shown[f"target:{target['id']}"] = (label, target["value"] or "")
    shown["milestones"] = (_("Milestones reached"), "、".join(data.get("milestone_labels", [])))
    shown["evidence"] = (_("Evidence"), "、".join(data.get("evidence", [])))
    shown["review_comment"] = (_("Office's comment"), data.get("review_comment", ""))
    late = data.get("days_late") or 0
    shown["days_late"] = (_("Days late"), str(late) if late else "")
    return shown


def compare(left: ReportVersion, right: ReportVersion) -> list[CompareRow]:
    """Every field of either version, left and right, ``changed`` where they differ."""
    a, b = _display(left.data), _display(right.data)
    keys = list(a) + [key for key in b if key not in a]
    rows = []
    for key in keys:
        label = (a.get(key) or b[key])[0]
        rows.append(CompareRow(label, a.get(key, ("", ""))[1], b.get(key, ("", ""))[1]))
    return rows
