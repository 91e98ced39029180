"""Units and their aliases, edited together: an alias only means something next to its unit."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from duban.directory.forms import UnitFilterForm, UnitForm, alias_formset
from duban.directory.models import Unit
from duban.directory.services import find_units

from .common import editor_required, render_page


@require_GET
def unit_list(request: HttpRequest) -> HttpResponse:
    filters = UnitFilterForm(request.GET)
    text = kind = ""
    if filters.is_valid():
        text, kind = filters.cleaned_data["q"], filters.cleaned_data["kind"]
    units = find_units(text=text, kind=kind).prefetch_related("aliases")
    return render_page(
        request,
        "directory/units.html",
        "units",
        {"filters": filters, "units": units, "filtered": bool(text or kind)},
    )


@editor_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=pk) if pk is not None else Unit()
    if request.method == "POST":
        form = UnitForm(request.POST, instance=unit)
        form_valid = form.is_valid()  # first: the aliases are checked against the new name
        aliases = alias_formset(unit, request.POST, unit_name=form.cleaned_data.get("name", ""))
        if aliases.is_valid() and form_valid:
            with transaction.atomic():
                unit = form.save()
                aliases.instance = unit
                aliases.save()
            messages.success(request, _("Saved the unit “%(name)s”.") % {"name": unit.name})
            return redirect("directory:units")
    else:
        form = UnitForm(instance=unit)
        aliases = alias_formset(unit)
    leaders = unit.leaders.order_by("name") if unit.pk else []
    return render_page(
        request,
        "directory/unit_form.html",
        "units",
        {"form": form, "aliases": aliases, "unit": unit, "leaders": leaders},
    )
