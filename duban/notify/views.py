"""The notification list (every signed-in user) and the channel settings (the office only)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.accounts.permissions import Action, can

from .forms import ChannelForm
from .models import Channel, Delivery, Notification
from .services import mark_read


def notifications(request: HttpRequest) -> HttpResponse:
    mine = Notification.objects.filter(user_id=int(request.user.pk or 0)).select_related("task")
    page = Paginator(mine, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notify/list.html",
        {
            "nav": "notifications",
            "page": page,
            "unread": mine.filter(read_at__isnull=True).count(),
            "manages": can(request.user, Action.MANAGE_LEDGER),
        },
    )


@require_POST
def read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, user_id=request.user.pk)
    mark_read(request.user, [notification.pk])
    if request.POST.get("open") and url_has_allowed_host_and_scheme(
        notification.link, allowed_hosts={request.get_host()}
    ):
        return redirect(notification.link or "notify:list")
    return redirect("notify:list")


@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    mark_read(request.user)
    return redirect("notify:list")


def _require_office(request: HttpRequest) -> None:
    if not can(request.user, Action.MANAGE_LEDGER):
        raise PermissionDenied


def masked(url: str) -> str:
    """Only the host of a webhook address: its access token is as secret as the secret."""
    if not url:
        return ""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/…"


def channels(request: HttpRequest) -> HttpResponse:
    _require_office(request)
    rows = [(channel, masked(channel.url)) for channel in Channel.objects.select_related("unit")]
    deliveries = Delivery.objects.select_related("channel", "notification__user")[:50]
    return render(
        request,
        "notify/channels.html",
        {"nav": "notifications", "rows": rows, "deliveries": deliveries},
    )


def channel_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require_office(request)
    channel = get_object_or_404(Channel, pk=pk) if pk is not None else None
    form = ChannelForm(request.POST or None, instance=channel)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect("notify:channels")
    return render(
        request,
        "notify/channel_form.html",
        {
            "nav": "notifications",
            "form": form,
            "channel": channel,
            "has_secret": bool(channel and channel.secret),
            "has_url": bool(channel and channel.url),
            "title": _("Edit channel") if channel else _("New channel"),
        },
    )


@require_POST
def channel_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_office(request)
    get_object_or_404(Channel, pk=pk).delete()
    return redirect("notify:channels")
