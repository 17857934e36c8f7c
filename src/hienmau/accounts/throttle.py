"""Login throttling: after too many failed attempts, stop checking passwords for a while.

Counted per account (protects one account against guessing, whether it is typed as its
username or its e-mail address) and per client IP (protects all accounts against one
machine trying many names). An identifier that names no account is counted by its
normalized text, and locks the same way, so the lockout tells nobody which accounts
exist. Counters live in the shared cache, so every worker process sees them.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

from hienmau.accounts.backends import find_login_user


def _account_key(identifier: str) -> str:
    user = find_login_user(identifier)
    if user is not None:
        return f"login-fail:account:{user.pk}"
    # Hashed: a typed identifier may hold characters a cache key must not.
    text = hashlib.sha256(identifier.strip().lower().encode()).hexdigest()
    return f"login-fail:name:{text}"


def _keys(username: str, ip: str) -> list[tuple[str, int]]:
    return [
        (_account_key(username), settings.LOGIN_FAILURES_PER_USERNAME),
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
    cache.delete(_account_key(username))
