"""What the API reads and writes, as pydantic models (django-ninja's ``Schema``).

Descriptions are English msgids: the schema (/api/schema/) and the docs page (/api/docs/) give
them in the request's language (``duban.api.docs.translated``). Enumerations carry the stored
value (``draft``) for programs and, beside it, a ``…_label`` in the request's language for
people.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")

# Text a person may send: anything but NUL, which PostgreSQL cannot store (422, not 500).
NO_NUL = r"^[^\x00]*$"


class Schema(BaseModel):
    """Plain pydantic models, not django-ninja's ``Schema``: the API builds dictionaries
    (``duban.api.build``), and ninja's ``Schema`` validates each object through a Python hook
    (for reading model attributes) that made the list of 98 tasks 5× slower to serialise
    (bench/api_frameworks.py)."""


TaskStatusValue = Literal["not_started", "in_progress", "done", "lagging"]
ReviewStateValue = Literal["draft", "submitted", "accepted", "returned"]
ColourValue = Literal["none", "green", "yellow", "red"]
PeriodStateValue = Literal["planned", "open", "closed"]
NoticeStateValue = Literal["issued", "signed", "replied", "accepted", "pressed"]
NoticeLevelValue = Literal["urge", "supervise", "listed"]
ScopeValue = Literal["read", "read_write"]


# --- Errors -----------------------------------------------------------------------------------


class FieldError(Schema):
    field: str = Field(description="The parameter or field at fault (query.limit, body.progress)")
    message: str = Field(description="What is wrong with it, in the request's language")


class Error(Schema):
    detail: str = Field(description="What went wrong, in the request's language")
    errors: list[FieldError] = Field(
        default_factory=list, description="One entry per wrong parameter or field"
    )


# --- Pages ------------------------------------------------------------------------------------


class Page(Schema, Generic[T]):
    count: int = Field(description="How many there are in all, with these filters")
    limit: int = Field(description="The most returned at once (1–200)")
    offset: int = Field(description="How many were skipped")
    items: list[T]


# --- The ledger -------------------------------------------------------------------------------


class PlanOut(Schema):
    id: int
    year: int
    title: str
    doc_number: str = Field(description="The notice's document number (偃政〔2023〕6号)")
    issuer: str
    signed_on: datetime.date | None = Field(description="The notice's date")


class AreaOut(Schema):
    id: int
    plan: int = Field(description="The plan's id")
    number: int = Field(description="The area's number in the notice (一、二、… as 1, 2, …)")
    title: str


class AreaRef(Schema):
    id: int
    number: int
    title: str


class LeaderOut(Schema):
    id: int
    name: str
    title: str = Field(description="The leader's post (副区长)")
    active: bool


class Named(Schema):
    id: int
    name: str


class UnitOut(Schema):
    id: int
    name: str = Field(description="The short name notices use (发改委)")
    full_name: str
    kind: str = Field(description="department, town, street, enterprise, court, party, other")
    kind_label: str
    code: str = Field(description="The division code (towns and streets)")
    active: bool
    aliases: list[str]


class AssignmentOut(Schema):
    role: Literal["lead", "responsible"] = Field(description="Lead unit or responsible unit")
    role_label: str
    name: str = Field(description="The unit or group as the notice names it")
    unit: int | None = Field(description="The unit's id, when a unit is named")
    group: int | None = Field(
        description="The group's id, when a group is named (各镇（街道）, 相关单位)"
    )
    members: list[Named] = Field(
        description="The units the group stands for (for an open group: named later)"
    )


class TargetOut(Schema):
    id: int
    label: str = Field(description="What is measured (新增规上企业)")
    op: Literal["=", ">=", "<=", "range"]
    value: float
    value_max: float | None = Field(description="The upper end of a range")
    unit: str = Field(description="The unit of measure (家, 亿元)")
    source: str = Field(description="The words of the notice the target was read from")


class LightOut(Schema):
    colour: ColourValue = Field(description="The colour shown (an office override included)")
    label: str
    computed: ColourValue = Field(description="The colour the rules give")
    overridden: bool = Field(description="Whether the office set the colour by hand")
    reasons: list[str] = Field(description="Why, in the request's language")


class LatestOut(Schema):
    period: str | None = Field(
        description="The latest opened period of the task's plan (2023Q2), null if none"
    )
    period_label: str
    state: ReviewStateValue | None = Field(
        description="The state of the task's report for that period, null when not written"
    )
    state_label: str
    at: datetime.datetime | None = Field(description="When it was submitted or reviewed")
    days_late: int
    progress: int | None = Field(
        description="Progress in percent of the latest submitted or accepted report"
    )
    progress_period: str = Field(description="That report's period")
    progress_text: str = Field(description="That report's progress (进展情况)")


class TaskOut(Schema):
    id: int
    plan: int
    number: str = Field(description="The task's number in the notice")
    text: str
    area: AreaRef | None
    deadline: datetime.date | None
    status: TaskStatusValue
    status_label: str
    leaders: list[Named] = Field(description="The lead leaders (牵头领导)")
    assignments: list[AssignmentOut] = Field(
        description="Lead units, then responsible units, as the notice names them"
    )
    targets: list[TargetOut]
    light: LightOut | None
    latest_report: LatestOut | None


class PeriodOut(Schema):
    id: int
    plan: int
    code: str = Field(description="2023Q1 … 2023Q4, 2023Y")
    label: str
    kind: Literal["quarter", "year_end"]
    quarter: int | None
    opens_on: datetime.date
    due_on: datetime.date
    state: PeriodStateValue
    state_label: str


# --- Reports and contributions ----------------------------------------------------------------


class TargetValueOut(Schema):
    target: int = Field(description="The target's id")
    value: float


class ReportOut(Schema):
    id: int
    task: int
    period: int
    period_code: str
    state: ReviewStateValue
    state_label: str
    status: TaskStatusValue = Field(description="The task's status as the report gives it")
    progress: int | None = Field(description="Progress in percent as the author gave it")
    progress_text: str = Field(description="进展情况")
    problems: str = Field(description="存在问题")
    next_steps: str = Field(description="下步打算")
    target_values: list[TargetValueOut]
    submitted_at: datetime.datetime | None
    days_late: int
    review_comment: str = Field(description="The office's comment")
    reviewed_at: datetime.datetime | None
    version: int = Field(description="Send it back with a change: a stale version is refused")


class TargetValueIn(Schema):
    model_config = ConfigDict(extra="forbid")

    target: int = Field(description="The id of one of the task's targets")
    value: Decimal | None = Field(
        max_digits=16, decimal_places=4, description="The current value; null clears it"
    )


class ReportIn(Schema):
    model_config = ConfigDict(extra="forbid")

    status: TaskStatusValue = "in_progress"
    progress: int | None = Field(None, ge=0, le=100, description="Progress in percent, 0–100")
    progress_text: str = Field("", max_length=3000, pattern=NO_NUL, description="进展情况")
    problems: str = Field("", max_length=3000, pattern=NO_NUL, description="存在问题")
    next_steps: str = Field("", max_length=3000, pattern=NO_NUL, description="下步打算")
    target_values: list[TargetValueIn] = Field(default_factory=list)
    confirmed: bool = Field(
        False,
        description="The author has checked figures that look unusual (more than three times "
        "the target, lower than last quarter's)",
    )
    submit: bool = Field(False, description="Submit the report to the office at once")


class ReportCreate(ReportIn):
    task: int = Field(description="The task's id")
    period: int = Field(description="The period's id (it must be open)")


class ReportUpdate(ReportIn):
    version: int = Field(ge=1, description="The report's version the change starts from")


class VersionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    version: int | None = Field(
        None, ge=1, description="The report's version the change starts from (checked if given)"
    )


class ContributionOut(Schema):
    id: int
    task: int
    period: int
    period_code: str
    unit: Named
    state: ReviewStateValue
    state_label: str
    text: str = Field(description="What the unit did")
    figures: str = Field(description="The unit's figures")
    submitted_at: datetime.datetime | None


# --- Notices ----------------------------------------------------------------------------------


class NoticeOut(Schema):
    id: int
    doc_number: str = Field(description="The notice's document number (偃督办〔2023〕3号)")
    level: NoticeLevelValue
    level_label: str
    state: NoticeStateValue
    state_label: str
    task: int | None = Field(description="The task, for a notice on one task")
    period: int | None = Field(description="The period, for a period 催办 on missing reports")
    tasks: list[int] = Field(description="The tasks the notice is about")
    unit: Named = Field(description="The unit it is addressed to")
    co_units: list[Named] = Field(description="Co-operating units")
    problem: str
    requirement: str
    reply_due: datetime.date
    issuer: str
    issued_at: datetime.datetime
    signed_at: datetime.datetime | None
    reply_text: str
    replied_at: datetime.datetime | None
    office_comment: str
    closed_at: datetime.datetime | None
    parent: int | None = Field(description="The notice this one presses again")


class ReplyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        min_length=1, max_length=3000, pattern=NO_NUL, description="What was done: the answer"
    )


# --- Figures ----------------------------------------------------------------------------------


class SummaryOut(Schema):
    # What ``duban summary --json`` prints (docs/summary.md).

    model_config = ConfigDict(extra="allow")

    plan: dict[str, object]
    as_of: datetime.date
    tasks: dict[str, object]
    reports: dict[str, object]
    notices: dict[str, object]
    rectification: dict[str, object]


class CockpitOut(Schema):
    # The cockpit's figures, as /cockpit/data.json gives them (docs/cockpit.md).

    model_config = ConfigDict(extra="allow")

    plan: dict[str, object] | None
    as_of: datetime.date | None
    scope: str
    tasks: int
    charts: list[dict[str, object]]


class MeOut(Schema):
    id: int
    username: str
    name: str
    unit: Named | None = Field(description="The unit the person acts for")
    via: Literal["session", "token"]
    scope: ScopeValue = Field(description="What this request may do")
