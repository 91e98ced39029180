"""The office's channel form: the webhook address and secret are write-only."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.utils.translation import gettext_lazy as _

from duban.directory.models import Unit

from .channels import UnsafeAddress, check_webhook
from .models import Channel, ChannelKind


class ChannelForm(forms.ModelForm):
    url = forms.URLField(
        label=_("webhook address"),
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("The robot's full webhook address; leave empty to keep the saved one."),
    )
    secret = forms.CharField(
        label=_("signing secret"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("DingTalk's 加签 secret (SEC…); leave empty to keep the saved one."),
    )
    clear_secret = forms.BooleanField(label=_("remove the saved secret"), required=False)

    class Meta:
        model = Channel
        fields = ("kind", "name", "url", "secret", "enabled", "unit")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(active=True).order_by("name")  # type: ignore[attr-defined]
        self._saved_url = self.instance.url if self.instance.pk else ""
        self._saved_secret = self.instance.secret if self.instance.pk else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        url = data.get("url") or self._saved_url
        if kind in (ChannelKind.DINGTALK, ChannelKind.WECOM) and not url:
            self.add_error("url", _("A group robot needs its webhook address."))
        elif kind in (ChannelKind.DINGTALK, ChannelKind.WECOM):
            self._check_address(url)
        return data

    def _check_address(self, url: str) -> None:
        """Only http(s), and no address on the server itself or a private network unless the
        operator allowed it (channels.check_webhook; checked again when sending)."""
        if urlsplit(url).scheme not in ("http", "https"):
            self.add_error("url", _("The webhook address must begin with https:// or http://."))
            return
        try:
            check_webhook(url)
        except UnsafeAddress as refused:
            message = _(
                "This address leads to the server itself or to an internal network "
                "(%(address)s); duban does not send there unless the operator allows it "
                "(DUBAN_NOTIFY_ALLOWED_NETWORKS or DUBAN_NOTIFY_ALLOW_PRIVATE). Enter the "
                "robot's Internet address."
            )
            self.add_error("url", message % {"address": refused.address})

    def save(self, commit: bool = True) -> Channel:
        channel: Channel = super().save(commit=False)
        channel.url = self.cleaned_data.get("url") or self._saved_url
        if channel.kind == ChannelKind.EMAIL:
            channel.url = ""
        if self.cleaned_data.get("clear_secret"):
            channel.secret = ""
        else:
            channel.secret = self.cleaned_data.get("secret") or self._saved_secret
        if commit:
            channel.save()
        return channel
