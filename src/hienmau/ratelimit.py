"""Counting requests per key in a time window (the shared cache, so every worker process
sees the same counts): the public pages' protection against abuse."""

import hashlib

from django.core.cache import cache


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
