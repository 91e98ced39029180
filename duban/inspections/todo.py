"""待办 of special inspections: rectification items (整改事项) waiting on someone, registered
with duban.core.todo in ``InspectionsConfig.ready``.

- A unit's operators report on the items their unit owns (``restrict(user, REPLY)``) while
  they are open or returned (退回整改, with the office's reason), by the item's deadline,
  marked overdue once it has passed.
- The office (``restrict(user, REVIEW)``) verifies the reported items, then closes (销号) the
  verified ones.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.core import clock
from duban.core.permissions import Action, actor
from duban.core.todo import Item, Source

from .models import ItemState, RectificationItem

ITEMS_TO_REPORT = "items_to_report"
ITEMS_TO_VERIFY = "items_to_verify"
ITEMS_TO_CLOSE = "items_to_close"

TITLES = {
    ITEMS_TO_REPORT: gettext_lazy("Rectification items to report on"),
    ITEMS_TO_VERIFY: gettext_lazy("Rectification reports to verify"),
    ITEMS_TO_CLOSE: gettext_lazy("Verified rectification items to close"),
}


def _note(item: RectificationItem, kind: str) -> str:
    if kind == ITEMS_TO_REPORT and item.state == ItemState.RETURNED:
        return _("Returned for rectification: %(reason)s") % {"reason": item.return_reason}
    if kind == ITEMS_TO_VERIFY:
        return item.report_text
    return item.review_comment


class InspectionsSource(Source):
    name = "inspections"
    order = 30
    kinds = TITLES

    def querysets(self, user: Any) -> dict[str, QuerySet[Any]]:
        who = actor(user)
        found: dict[str, QuerySet[Any]] = {}
        if who.unit_id is not None:  # the owner unit reports what it did
            found[ITEMS_TO_REPORT] = (
                RectificationItem.objects.restrict(user, Action.REPLY)
                .filter(state__in=(ItemState.OPEN, ItemState.RETURNED))
                .order_by("deadline", "pk")
            )
        if who.manages:  # the office verifies, then closes
            reviewed = RectificationItem.objects.restrict(user, Action.REVIEW)
            found[ITEMS_TO_VERIFY] = reviewed.filter(state=ItemState.REPORTED).order_by(
                "reported_at", "pk"
            )
            found[ITEMS_TO_CLOSE] = reviewed.filter(state=ItemState.VERIFIED).order_by(
                "verified_at", "pk"
            )
        return found

    def items(self, kind: str, queryset: QuerySet[Any]) -> list[Item]:
        today = clock.today()
        office = kind != ITEMS_TO_REPORT
        return [
            Item(
                title=item.text,
                link=reverse("inspections:item", args=[item.pk]),
                task=item.task,
                due_on=item.deadline,
                note=_note(item, kind),
                submitted_at=item.reported_at if kind == ITEMS_TO_VERIFY else None,
                unit=item.unit.name if office else "",
                overdue=kind == ITEMS_TO_REPORT and item.deadline < today,
                key=str(item.pk),
            )
            for item in queryset.select_related("task__plan", "unit")
        ]


SOURCE = InspectionsSource()
