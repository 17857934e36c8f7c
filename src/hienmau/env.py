"""Strict parsers for settings read from the environment.

A typo in production configuration must stop the app at start-up, not silently fall
back to a default (healthchecks' `envbool` does the same).
"""

import ipaddress
import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_proxies(name: str) -> int | tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """Trusted reverse proxies: a number of proxies, or their addresses/networks
    (comma-separated, e.g. `10.0.0.5,10.1.0.0/16`). Unset or empty: none (0)."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return 0
    if raw.isdigit():
        return int(raw)
    try:
        return tuple(ipaddress.ip_network(item.strip(), strict=False)
                     for item in raw.split(",") if item.strip())
    except ValueError:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is neither a number of proxies nor a list of IP addresses"
        ) from None
