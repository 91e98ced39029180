"""The notification list (every signed-in user: his or her own) and the channel settings (the
system administrator's: channels are settings, 三权分立)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.permissions import Action, can, requires

from .forms import ChannelForm
from .models import Channel, Delivery, Notification, NotificationItem
from .services import mark_read


def notifications(request: HttpRequest) -> HttpResponse:
    """The person's notifications, newest day first, each with the list of that day's items."""
    mine = Notification.objects.restrict(request.user, Action.VIEW)
    days = mine.prefetch_related(Prefetch("items", NotificationItem.objects.order_by("pk")))
    page = Paginator(days, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "notify/list.html",
        {
            "nav": "notifications",
            "page": page,
            "unread": mine.filter(read_at__isnull=True).count(),
            "manages": can(request.user, Action.MANAGE_SETTINGS),
        },
    )


@require_POST
def read(request: HttpRequest, pk: int) -> HttpResponse:
    # Someone else's notification is not found (404): its number says nothing.
    notification = get_object_or_404(
        Notification.objects.restrict(request.user, Action.CHANGE), pk=pk
    )
    mark_read(request.user, [notification.pk])
    return redirect("notify:list")


@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    mark_read(request.user)
    return redirect("notify:list")


def masked(url: str) -> str:
    """Only the host of a webhook address: its access token is as secret as the secret."""
    if not url:
        return ""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/…"


@requires(Action.MANAGE_SETTINGS)
def channels(request: HttpRequest) -> HttpResponse:
    rows = [
        (channel, masked(channel.url))
        for channel in Channel.objects.restrict(request.user, Action.VIEW).select_related("unit")
    ]
    deliveries = Delivery.objects.restrict(request.user, Action.VIEW).select_related(
        "channel", "recipient", "unit"
    )[:50]
    return render(
        request,
        "notify/channels.html",
        {"nav": "notifications", "rows": rows, "deliveries": deliveries},
    )


@requires(Action.MANAGE_SETTINGS)
def channel_new(request: HttpRequest) -> HttpResponse:
    return _channel_form(request, None)


@requires(Action.CHANGE, Channel)
def channel_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _channel_form(request, get_object_or_404(Channel, pk=pk))


def _channel_form(request: HttpRequest, channel: Channel | None) -> HttpResponse:
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
@requires(Action.CHANGE, Channel)
def channel_delete(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(Channel, pk=pk).delete()
    return redirect("notify:channels")
