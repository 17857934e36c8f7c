"""Login throttling: after too many failed attempts, stop checking passwords for a while.

Counted per username (protects one account against guessing) and per client IP
(protects all accounts against one machine trying many names). Counters live in the
shared cache, so every worker process sees them.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _keys(username: str, ip: str) -> list[tuple[str, int]]:
    # Hashed: a typed username may hold characters a cache key must not.
    user = hashlib.sha256(username.strip().lower().encode()).hexdigest()
    return [
        (f"login-fail:user:{user}", settings.LOGIN_FAILURES_PER_USERNAME),
        (f"login-fail:ip:{ip}", settings.LOGIN_FAILURES_PER_IP),
    ]


def is_locked(username: str, ip: str) -> bool:
    return any(cache.get(key, 0) >= limit for key, limit in _keys(username, ip))


def record_failure(username: str, ip: str) -> None:
    for key, _limit in _keys(username, ip):
        # add() only sets a missing key, so the lockout window starts at the first failure.
        cache.add(key, 0, settings.LOGIN_LOCKOUT_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, settings.LOGIN_LOCKOUT_SECONDS)


def record_success(username: str) -> None:
    cache.delete(_keys(username, "")[0][0])


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")
