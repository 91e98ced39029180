"""Groups: the placeholders notices write instead of unit names, and what each stands for."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from duban.directory.forms import GroupForm
from duban.directory.models import Group

from .common import editor_required, render_page


@require_GET
def group_list(request: HttpRequest) -> HttpResponse:
    groups = [(group, list(group.expanded_units())) for group in Group.objects.all()]
    return render_page(request, "directory/groups.html", "groups", {"groups": groups})


@editor_required
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    group = get_object_or_404(Group, pk=pk) if pk is not None else Group()
    form = GroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        group = form.save()
        messages.success(request, _("Saved the group “%(name)s”.") % {"name": group.name})
        return redirect("directory:groups")
    expands_to = list(group.expanded_units()) if group.pk else []
    return render_page(
        request,
        "directory/group_form.html",
        "groups",
        {"form": form, "group": group, "expands_to": expands_to},
    )
