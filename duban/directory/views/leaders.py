"""Leaders (牵头领导) and the units each oversees."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from duban.directory.forms import LeaderForm
from duban.directory.models import Leader

from .common import editor_required, render_page


@require_GET
def leader_list(request: HttpRequest) -> HttpResponse:
    leaders = Leader.objects.prefetch_related("units")
    return render_page(request, "directory/leaders.html", "leaders", {"leaders": leaders})


@editor_required
@require_http_methods(["GET", "POST"])
def leader_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    leader = get_object_or_404(Leader, pk=pk) if pk is not None else Leader()
    form = LeaderForm(request.POST or None, instance=leader)
    if request.method == "POST" and form.is_valid():
        leader = form.save()
        messages.success(request, _("Saved the leader “%(name)s”.") % {"name": leader.name})
        return redirect("directory:leaders")
    return render_page(
        request, "directory/leader_form.html", "leaders", {"form": form, "leader": leader}
    )
