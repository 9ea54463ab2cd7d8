"""The one rate limiter: fixed-window counters kept in Django's cache.

Used wherever an anonymous visitor could hammer a page: household-code entry (guessing),
wish-receipt lookups (guessing) and online wish submission (spam). ``consult`` imports it
from here, so there is one implementation.

Keys:
- the client is its address (``client_address``): the connecting address, or behind a
  reverse proxy the header named by ``CLIENT_IP_HEADER`` that the proxy overwrites (nginx
  ``proxy_set_header X-Real-IP $remote_addr;``). ``X-Forwarded-For`` is never read on its
  own: anybody can write it. Without either, every visitor behind the proxy shares one
  bucket;
- any other string works too (a hashed household code, ``"global"``).

The counters must live in a cache every app process shares. With the local-memory cache
each gunicorn worker counts on its own, so two workers let roughly twice the attempts
through: ``projects.checks`` fails ``check --deploy`` when that is configured.

Windows are fixed, not sliding: the first hit opens the window (``cache.add`` is a no-op
when the key exists), later hits only increment. That costs two cache round-trips per hit
and cannot drift under concurrency.
"""

import hashlib
import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

PREFIX = "ratelimit"


@dataclass(frozen=True)
class Limit:
    """At most ``max_hits`` per ``window_seconds`` per key, for one ``scope``."""

    scope: str
    max_hits: int
    window_seconds: int


def client_address(request) -> str:
    """The client's address: the header the trusted proxy sets (``CLIENT_IP_HEADER``), else
    the connecting address. Also the address django-axes and the audit trail record."""
    header = settings.CLIENT_IP_HEADER
    address = request.META.get(header, "") if header else ""
    return address.strip() or request.META.get("REMOTE_ADDR") or "unknown"


def client_ip(request) -> str | None:
    """``client_address`` when it is a real IP address, else ``None``: what may be stored in an
    address column. A request made in code (``force_login``, a shell) has no address, and
    PostgreSQL's ``inet`` refuses the placeholder the rate limits key on."""
    if request is None:
        return None
    address = client_address(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address


def _key(limit: Limit, key: str) -> str:
    # Cache keys must be short and safe for memcached/Redis whatever the caller passes.
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"{PREFIX}:{limit.scope}:{digest}"


def count(limit: Limit, key: str) -> int:
    """Hits counted for ``key`` in the current window."""
    return cache.get(_key(limit, key)) or 0


def is_limited(limit: Limit, key: str) -> bool:
    """True when ``key`` has used up the window (does not count a hit)."""
    return count(limit, key) >= limit.max_hits


def hit(limit: Limit, key: str) -> int:
    """Count one hit for ``key``; returns the count in the window after it."""
    cache_key = _key(limit, key)
    if cache.add(cache_key, 1, timeout=limit.window_seconds):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=limit.window_seconds)
        return 1


def hit_distinct(limit: Limit, key: str, value: str) -> int:
    """Count ``value`` for ``key`` only the first time it is seen in the window; returns
    the number of distinct values counted. The same wrong code typed twice is one hit.

    A marker per (key, value) records what was seen; ``add`` is atomic, so two processes
    seeing the same value at once still count it once. The marker lives as long as a
    window, so a value seen again in the next window counts again."""
    marker = _key(Limit(f"{limit.scope}:seen", 0, limit.window_seconds), f"{key}\x00{value}")
    if cache.add(marker, 1, timeout=limit.window_seconds):
        return hit(limit, key)
    return count(limit, key)


def is_request_limited(request, limit: Limit) -> bool:
    """``is_limited`` keyed by the client's address."""
    return is_limited(limit, client_address(request))


def hit_request(request, limit: Limit) -> bool:
    """Count one hit for the client's address; True when it is over the limit after it."""
    return hit(limit, client_address(request)) > limit.max_hits
