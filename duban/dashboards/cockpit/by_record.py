"""The cockpit's charts of the record: the completion rate and the reports per period, the open
督办 and rectification items, the assessment's scores (``duban.dashboards.cockpit``)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date
from typing import Any

from django.db.models import CharField, QuerySet, Value
from django.utils.translation import gettext as _

from duban.assessment.models import UnitScore
from duban.assessment.services.results import current_scores
from duban.core.permissions import Action
from duban.inspections.models import ItemState
from duban.ledger.models import Plan, Task
from duban.reporting.services.periods import period_label
from duban.supervision.models import Notice, NoticeLevel

from .. import charts
from ..charts import BARS, LINE, Cell, Chart, Links, Series
from ..facets import (
    OPEN_ITEMS,
    notice_overdue,
    open_items,
    open_notices,
    overdue_value,
    report_value,
)

GRADE_COLOURS = {
    "excellent": charts.GREEN,
    "good": charts.BLUE,
    "fair": charts.YELLOW,
    "poor": charts.RED,
}


def _rate(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def trend_chart(periods: list[Any], marks: Counter[str], total: int, links: Links) -> Chart:
    """``marks``: how many of the tasks shown have each report mark (``facets.report_marks``)."""
    series = []
    for kind, name, colour in (
        ("done", _("Completion rate"), charts.GREEN),
        ("accepted", _("Reports accepted"), charts.BLUE),
    ):
        cells = []
        for period in periods:
            value = report_value(period.code, kind)
            count = marks[value]
            text = _("%(rate)s%% (%(count)s tasks)") % {
                "rate": f"{_rate(count, total):.1f}",
                "count": count,
            }
            cells.append(
                Cell(_rate(count, total), links.ledger(report=value) if count else "", text)
            )
        series.append(Series(kind, name, colour, cells))
    return Chart(
        key="trend",
        title=_("Completion rate per period"),
        note=_(
            "Share of the tasks whose accepted report of that period, or of an earlier one, "
            "says they are completed; and share of the tasks whose report of that period is "
            "accepted."
        ),
        kind=LINE,
        heading=_("Reporting period"),
        categories=[period_label(period) for period in periods],
        series=series,
        unit="%",
    )


def reports_chart(periods: list[Any], marks: Counter[str], links: Links) -> Chart:
    series = []
    for kind, name, colour in (
        ("late", _("Submitted late"), charts.YELLOW),
        ("returned", _("Returned at least once"), charts.ORANGE),
        ("missing", _("Not submitted"), charts.RED),
    ):
        cells = []
        for period in periods:
            value = report_value(period.code, kind)
            count = marks[value]
            cells.append(Cell(count, links.ledger(report=value) if count else ""))
        series.append(Series(kind, name, colour, cells))
    return Chart(
        key="reports",
        title=_("Late, returned and missing reports per period"),
        note=_(
            "Reports submitted after the due date; reports returned at least once; tasks "
            "without a submitted or accepted report once the due date has passed."
        ),
        kind=BARS,
        heading=_("Reporting period"),
        categories=[period_label(period) for period in periods],
        series=series,
    )


def _open_and_overdue(
    values: list[str],
    open_count: Counter[str],
    overdue: Counter[str],
    overdue_label: str,
    link: Callable[[str], str],
) -> list[Series]:
    """The two series of an open-records chart: not closed, and past its date; each figure
    links to the ledger filtered by ``link(value)`` (``link(overdue_value(value))``)."""

    def cells(counts: Counter[str], key: Callable[[str], str]) -> list[Cell]:
        return [Cell(counts[v], link(key(v)) if counts[v] else "") for v in values]

    return [
        Series("open", _("Not closed"), charts.BLUE, cells(open_count, lambda v: v)),
        Series("overdue", overdue_label, charts.RED, cells(overdue, overdue_value)),
    ]


def open_records_charts(
    user: Any, chosen: QuerySet[Task], today: date, links: Links
) -> list[Chart]:
    """The open 督办/催办 by level and the open rectification items by state, on the tasks
    shown, as ``user`` sees them: one query for both (the notices' and the items' rows)."""
    seen = Notice.objects.restrict(user, Action.VIEW).values("pk")
    notices = (
        open_notices(chosen)
        .filter(pk__in=seen)
        .values_list(Value("notice", output_field=CharField()), "level", "state", "reply_due")
    )
    items = open_items(chosen, user).values_list(
        Value("item", output_field=CharField()), "state", "state", "deadline"
    )
    rows = list(notices.order_by().union(items.order_by(), all=True))
    return [
        notices_chart([row[1:] for row in rows if row[0] == "notice"], today, links),
        items_chart([(row[2], row[3]) for row in rows if row[0] == "item"], today, links),
    ]


def notices_chart(rows: list[tuple[str, str, date]], today: date, links: Links) -> Chart:
    """``rows``: the open notices' (level, state, reply due)."""
    levels = [value for value, _label in NoticeLevel.choices]
    open_count = Counter(level for level, _s, _d in rows)
    overdue = Counter(level for level, state, due in rows if notice_overdue(state, due, today))
    return Chart(
        key="notices",
        title=_("Open supervision notices by level"),
        note=_(
            "Notices issued, signed for or replied to but not yet accepted; overdue: "
            "the reply date has passed without a reply. Each links to the tasks concerned."
        ),
        kind=BARS,
        heading=_("Level"),
        categories=[str(NoticeLevel(level).label) for level in levels],
        series=_open_and_overdue(
            levels, open_count, overdue, _("Reply overdue"), lambda v: links.ledger(notice=v)
        ),
    )


def items_chart(rows: list[tuple[str, date]], today: date, links: Links) -> Chart:
    """``rows``: the open items' (state, deadline)."""
    states = [value for value, _label in ItemState.choices if value in OPEN_ITEMS]
    counts = Counter(state for state, _d in rows)
    late = Counter(state for state, deadline in rows if deadline < today)
    return Chart(
        key="rectification",
        title=_("Open rectification items by state"),
        note=_(
            "Rectification items from special inspections not closed yet; overdue: past their "
            "deadline. Each links to the tasks concerned."
        ),
        kind=BARS,
        heading=_("State"),
        categories=[str(ItemState(state).label) for state in states],
        series=_open_and_overdue(
            states, counts, late, _("Past the deadline"), lambda v: links.ledger(rectification=v)
        ),
    )


def scores_charts(user: Any, plan: Plan, links: Links) -> list[Chart]:
    """The units' current scores, per ranking group, once the person may see them."""
    scores = current_scores(plan, user)
    groups: dict[str, list[UnitScore]] = defaultdict(list)
    labels: dict[str, str] = {}
    for score in scores:
        groups[score.group].append(score)
        labels[score.group] = str(score.get_group_display())
    found = []
    for group, members in groups.items():
        cells = []
        for score in members:
            grade = str(score.get_grade_display())
            text = _("%(score)s, %(grade)s") % {"score": score.score, "grade": grade}
            if score.vetoed:
                text = _("%(score)s, %(grade)s (vetoed)") % {"score": score.score, "grade": grade}
            cells.append(
                Cell(
                    float(score.score),
                    links.unit(score.unit_id),
                    text,
                    GRADE_COLOURS.get(score.grade, charts.GREY),
                )
            )
        found.append(
            Chart(
                key=f"scores_{group}",
                title=_("Assessment scores: %(group)s") % {"group": labels[group]},
                note=_(
                    "The year-end assessment as it stands (published, in publicity, or computed "
                    "for the office); each links to the unit's tasks."
                ),
                kind=BARS,
                heading=_("Unit"),
                categories=[score.unit.name for score in members],
                series=[Series("score", _("Score"), charts.BLUE, cells)],
                horizontal=True,
            )
        )
    return found
