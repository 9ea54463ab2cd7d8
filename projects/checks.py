"""System checks for production settings (``manage.py check --deploy``)."""

import os
import re

from django.conf import settings
from django.core.checks import Error, Tags, register

PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


def configured_workers() -> int:
    """Worker processes asked for through the environment gunicorn reads:
    ``WEB_CONCURRENCY`` or ``--workers``/``-w`` in ``GUNICORN_CMD_ARGS``."""
    counts = [1]
    if os.environ.get("WEB_CONCURRENCY", "").strip().isdecimal():
        counts.append(int(os.environ["WEB_CONCURRENCY"]))
    match = re.search(r"(?:--workers[= ]|-w ?)(\d+)", os.environ.get("GUNICORN_CMD_ARGS", ""))
    if match:
        counts.append(int(match.group(1)))
    return max(counts)


@register(Tags.security, deploy=True)
def rate_limits_need_a_shared_cache(app_configs, **kwargs):
    """The rate limits (``projects.ratelimit``) count in the default cache. A process-local
    cache gives every worker its own count: with two workers 17 of 30 wrong household codes
    got through instead of 9. So several workers need Redis (``REDIS_URL``). The page cache
    (``projects.pagecache``) needs it too: a write in one worker must drop the cached
    noticeboard of every worker."""
    backend = settings.CACHES["default"]["BACKEND"]
    workers = configured_workers()
    if backend in PROCESS_LOCAL_CACHES and workers > 1:
        return [
            Error(
                f"{workers} worker processes are configured but the cache is process-local ({backend.rsplit('.', 1)[-1]}), "
                "so every worker keeps its own rate-limit counts and the limits on household codes and receipt "
                "lookups multiply.",
                hint="Set REDIS_URL to a Redis server shared by all workers, or run one worker (WEB_CONCURRENCY=1).",
                id="projects.E001",
            )
        ]
    return []
