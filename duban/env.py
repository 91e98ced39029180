"""Strict readers for the DUBAN_* environment variables that configure the product.

A typo such as ``DUBAN_DEBUG=ture`` must stop the server at start-up instead of being read
as false: an office running a misconfigured instance finds out too late. So every helper
raises ImproperlyConfigured on a value it cannot read unambiguously.
"""

from __future__ import annotations

import datetime
import os
import secrets
import tempfile
from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    value = (os.environ if environ is None else environ).get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_str(name: str, default: str, *, environ: Mapping[str, str] | None = None) -> str:
    value = _raw(name, environ)
    return default if value is None else value


def env_bool(name: str, default: bool, *, environ: Mapping[str, str] | None = None) -> bool:
    value = _raw(name, environ)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean; use one of true/false, yes/no, on/off, 1/0."
    )


def env_int(
    name: str, default: int, *, minimum: int | None = None, environ: Mapping[str, str] | None = None
) -> int:
    value = _raw(name, environ)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below the minimum of {minimum}.")
    return number


def env_list(
    name: str,
    default: list[str],
    *,
    blank: list[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> list[str]:
    """A comma-separated list. Unset gives ``default``; set but blank gives ``blank`` when one
    is given (a list where "set to nothing" has its own meaning), ``default`` otherwise."""
    value = _raw(name, environ)
    if value is None:
        present = name in (os.environ if environ is None else environ)
        return list(blank if present and blank is not None else default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(
    name: str, default: str, choices: tuple[str, ...], *, environ: Mapping[str, str] | None = None
) -> str:
    value = env_str(name, default, environ=environ)
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} must be one of: {', '.join(choices)}.")
    return value


def env_date(name: str, *, environ: Mapping[str, str] | None = None) -> datetime.date | None:
    """An ISO date (2023-08-15), or None when unset."""
    value = _raw(name, environ)
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a date; write it as YYYY-MM-DD (2023-08-15)."
        ) from None


def load_or_create_secret(path: Path) -> str:
    """Read the instance's secret key, creating it (mode 0600) on first start.

    A hard-coded default key would be shared by every installation and forge sessions on all
    of them; generating one per data directory keeps ``make run`` zero-configuration.
    """
    if not path.exists():
        # Write a private temporary file, then link it into place: two processes starting at
        # once (runserver and its reloader child) never see a half-written key.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secret_key.")
        try:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_urlsafe(50) + "\n")
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    secret = path.read_text(encoding="ascii").strip()
    if not secret:
        raise ImproperlyConfigured(f"{path} is empty; delete it to generate a new key.")
    return secret
