"""A small fixed-window rate limit per client, kept in Django's cache.

Used where an anonymous visitor could hammer a page: receipt-code lookups (guessing) and
online wish submission (spam). The client is the connecting address (``REMOTE_ADDR``).
``X-Forwarded-For`` is deliberately ignored: anybody can write it. Behind a reverse proxy,
the proxy must set ``REMOTE_ADDR`` (e.g. nginx ``real_ip``), or everyone shares one bucket.
With Redis as the cache (``REDIS_URL``) the limit holds across several app servers; with
the default local-memory cache it holds per process.
"""

from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    scope: str
    max_hits: int
    window_seconds: int


def client_key(request) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def _cache_key(limit: Limit, request) -> str:
    return f"ratelimit:{limit.scope}:{client_key(request)}"


def is_limited(request, limit: Limit) -> bool:
    """True when this client has used up the window (does not count a hit)."""
    return (cache.get(_cache_key(limit, request)) or 0) >= limit.max_hits


def hit(request, limit: Limit) -> bool:
    """Count one attempt; True when the client is over the limit after it."""
    key = _cache_key(limit, request)
    # add() starts the window only when the key is new, so the window does not slide.
    if cache.add(key, 1, timeout=limit.window_seconds):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=limit.window_seconds)
            count = 1
    return count > limit.max_hits
