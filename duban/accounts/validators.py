"""The password policy (等保 身份鉴别: 口令复杂度): Django's rules, with messages duban's
catalogue carries, and duban's own.

- at least ``PASSWORD_MIN_LENGTH`` (8) characters (``MinimumLengthValidator``; Django 5.2
  rewrote its message and Django's Chinese catalogue has only the old wording, so the rule
  would speak English on a Chinese page: duban's subclass says it in its own words);
- three of the four kinds: upper-case letters, lower-case letters, digits, symbols (anything
  else: punctuation, a space, a Chinese character) (``CharacterClassesValidator``);
- not containing the user name, in any case (``UsernameValidator``), nor too like the account's
  names (Django's ``UserAttributeSimilarityValidator``);
- not one of the 20,000 common passwords, not all digits (Django's);
- none of the account's last ``PASSWORD_HISTORY`` (5) passwords (``PasswordHistoryValidator``,
  which also keeps that history: Django calls ``password_changed`` whenever a password is
  saved, from a page, a command or ``set_password`` anywhere).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import PasswordRecord


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short: it must have at least %(min_length)d character.",
            "This password is too short: it must have at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return _("At least %(min_length)d characters.") % {"min_length": self.min_length}


def character_classes(password: str) -> int:
    """How many of upper-case, lower-case, digit and symbol the password has."""
    kinds = (
        any("A" <= ch <= "Z" for ch in password),
        any("a" <= ch <= "z" for ch in password),
        any(ch.isdigit() for ch in password),
        any(not ("A" <= ch <= "Z" or "a" <= ch <= "z" or ch.isdigit()) for ch in password),
    )
    return sum(kinds)


class CharacterClassesValidator:
    """Three of the four kinds of character (upper, lower, digit, symbol)."""

    def __init__(self, classes: int = 3) -> None:
        self.classes = classes

    def validate(self, password: str, user: Any = None) -> None:
        if character_classes(password) < self.classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return _(
            "The password must mix at least %(classes)d of these four: upper-case letters, "
            "lower-case letters, digits and symbols."
        ) % {"classes": self.classes}


class UsernameValidator:
    """The user name (three characters or more) nowhere in the password, in any case."""

    def validate(self, password: str, user: Any = None) -> None:
        username = (user.get_username() if user is not None else "") or ""
        if len(username) >= 3 and username.casefold() in password.casefold():
            raise ValidationError(
                _("The password must not contain the user name."), code="password_has_username"
            )

    def get_help_text(self) -> str:
        return _("The password must not contain the user name.")


class PasswordHistoryValidator:
    """None of the account's last ``PASSWORD_HISTORY`` passwords; records each new one."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        for record in recent_records(user):
            if check_password(password, record.encoded):
                raise ValidationError(
                    _("This password was used recently: choose one not among your last %(n)d.")
                    % {"n": settings.PASSWORD_HISTORY},
                    code="password_reused",
                )

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None or not user.has_usable_password():
            return
        # Set by passwords.give_password: someone else chose it; read once.
        given = bool(getattr(user, "_duban_must_change_password", False))
        user._duban_must_change_password = False
        PasswordRecord.objects.create(
            user_id=user.pk, encoded=user.password, set_at=timezone.now(), must_change=given
        )
        keep = recent_records(user).values_list("pk", flat=True)
        PasswordRecord.objects.filter(user_id=user.pk).exclude(pk__in=list(keep)).delete()

    def get_help_text(self) -> str:
        return _("None of your last %(n)d passwords.") % {"n": settings.PASSWORD_HISTORY}


def recent_records(user: Any) -> Any:
    """The account's last ``PASSWORD_HISTORY`` passwords, newest first."""
    return PasswordRecord.objects.filter(user_id=user.pk).order_by("-set_at", "-pk")[
        : settings.PASSWORD_HISTORY
    ]
