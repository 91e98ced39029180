"""Compiled translations ship with the code: a fresh clone needs no gettext tools."""

from pathlib import Path

from django.conf import settings
from django.test import Client
from django.utils import translation


def test_compiled_catalogues_are_present() -> None:
    for language in ("zh_Hans", "en"):
        assert (Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.mo").is_file()


def test_chinese_is_the_default() -> None:
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert translation.gettext("Key-task supervision ledger") == "重点工作督办台账"


def test_english_still_works() -> None:
    with translation.override("en"):
        assert translation.gettext("Key-task supervision ledger") == "Key-task supervision ledger"
        assert translation.gettext("Sign in") == "Sign in"


def test_language_can_be_switched_before_signing_in(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert "Sign in" in client.get("/accounts/login/").content.decode()
