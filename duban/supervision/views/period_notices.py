"""The period 催办 page: per unit, the reports of a period still missing (the preview); on
confirmation one 催办 notice per unit ticked, all in one transaction
(``duban.supervision.services.period_notices``). The office's (``Action.MANAGE_LEDGER``)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from duban.core import clock
from duban.core.permissions import Action, requires
from duban.reporting.models import Period, PeriodState
from duban.reporting.services.periods import period_label

from ..forms import PeriodPressForm
from ..services import period_notices as services
from ..services.notices import SupervisionError


def _result_message(result: services.PressResult) -> str:
    parts = []
    if result.issued:
        numbers = [n.doc_number for n in result.issued]
        span = numbers[0] if len(numbers) == 1 else f"{numbers[0]}—{numbers[-1]}"
        parts.append(
            ngettext(
                "%(count)s 催办 notice issued (%(numbers)s), pressing for %(reports)s reports.",
                "%(count)s 催办 notices issued (%(numbers)s), pressing for %(reports)s reports.",
                len(numbers),
            )
            % {"count": len(numbers), "numbers": span, "reports": result.reports}
        )
    else:
        parts.append(_("No notice was issued."))
    if result.already_pressed:
        parts.append(
            _("Already pressed today for the same reports, not pressed again: %(units)s.")
            % {"units": "、".join(u.name for u in result.already_pressed)}
        )
    if result.nothing_missing:
        parts.append(
            _("Nothing missing any more: %(units)s.")
            % {"units": "、".join(u.name for u in result.nothing_missing)}
        )
    return " ".join(parts)


@require_http_methods(["GET", "POST"])
@requires(Action.MANAGE_LEDGER)
def period_press(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(Period.objects.select_related("plan"), pk=pk)
    today = clock.today()
    entries = services.missing_by_unit(period, today)
    pressable = [e.unit for e in entries if not e.already_pressed]
    initial = {
        "reply_due": today + timedelta(days=services.DEFAULT_REPLY_DAYS),
        "requirement": services.DEFAULT_REQUIREMENT,
        "units": [str(u.pk) for u in pressable],
    }
    form = PeriodPressForm(request.POST or None, units=[e.unit for e in entries], initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.press_period(
                period=period,
                reply_due=data["reply_due"],
                requirement=data["requirement"],
                units=data["units"],
                user=request.user,
            )
        except SupervisionError as exc:
            form.add_error(None, str(exc))
        else:
            report = messages.success if result.issued else messages.warning
            report(request, _result_message(result))
            return redirect("supervision:period_press", period.pk)
    options = {str(option.data["value"]): option for option in form["units"]}
    rows = [(entry, options.get(str(entry.unit.pk))) for entry in entries]
    context = {
        "period": period,
        "period_label": period_label(period),
        "open": period.state == PeriodState.OPEN,
        "entries": entries,
        "rows": rows,
        "form": form,
        "reports": sum(len(e.missing) for e in entries),
        "pressable": len(pressable),
        "nav": "periods",
    }
    status = 400 if form.errors else 200
    return render(request, "supervision/period_press.html", context, status=status)
