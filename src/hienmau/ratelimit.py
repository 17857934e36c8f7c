"""Counting requests per key in a time window (the shared cache, so every worker process
sees the same counts): the public pages' protection against abuse."""

import hashlib
import ipaddress

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str:
    """The client's address, as far as the trusted proxies vouch for it.

    With no trusted proxy (settings.TRUSTED_PROXIES, the default) it is REMOTE_ADDR, and
    X-Forwarded-For, which any client can send, is ignored. Behind N proxies each one
    appends the address it saw, so the client is the one the outermost proxy saw: N
    places from the right of X-Forwarded-For + REMOTE_ADDR, whatever the client put
    before it. With the proxies' addresses, it is the nearest address not theirs.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = settings.TRUSTED_PROXIES
    if not trusted:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    chain = [part.strip() for part in forwarded.split(",") if part.strip()] + [remote]
    if isinstance(trusted, int):
        found = chain[max(len(chain) - 1 - trusted, 0)]
    else:
        found = next((address for address in reversed(chain)
                      if not _within(address, trusted)), chain[0])
    # Something else than an address (a proxy writing "unknown"): count the proxy.
    return found if _parse(found) is not None else remote


def _parse(address: str):
    try:
        return ipaddress.ip_address(address)
    except ValueError:
        return None


def _within(address: str, networks) -> bool:
    parsed = _parse(address)
    return parsed is not None and any(parsed in network for network in networks)


def _key(scope: str, value: str) -> str:
    # Hashed: a phone number or an IP must not appear in cache keys or logs.
    return f"ratelimit:{scope}:{hashlib.sha256(value.encode()).hexdigest()}"


def used(scope: str, value: str) -> int:
    return cache.get(_key(scope, value), 0)


def exceeded(scope: str, value: str, limit: int) -> bool:
    return used(scope, value) >= limit


def hit(scope: str, value: str, window_seconds: int) -> int:
    """Count one more request; the window starts at the first one."""
    key = _key(scope, value)
    cache.add(key, 0, window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, window_seconds)
        return 1
