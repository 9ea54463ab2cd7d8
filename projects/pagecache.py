"""Cache of what public pages show every visitor alike, dropped by the next write that changes it.

The noticeboard of a compound shows the same wishes, projects, ballot results and sign-off
figures to everyone; computing them is most of the page's cost. Their data (a section's
context, never the page: the page has a CSRF token, the acting household, messages and the
staff menu) is cached under a key that holds a version per community and one global
version. Any write to a model of this app or ``consult`` changes a version when its
transaction commits, so the very next request computes afresh:

- a row that belongs to one community (a wish, a support, a ballot, a project's progress)
  changes that community's version;
- a row whose community is not known without a query chain (a roster change, a new
  compound) changes the global version, which every key holds.

Versions are fresh random tokens, not counters: if the cache evicts a version, the next
token differs from every earlier one, so an old entry can never be served again.

What a change of time alone makes stale (a ballot that closes at 18:00, a meeting that
has passed) is bounded by ``FRAGMENT_SECONDS``.

The default cache is Django's local-memory cache, which lives in one process: with several
worker processes in production, set ``REDIS_URL`` so every worker sees the same versions
(``config/settings.py``; ``manage.py check --deploy`` refuses otherwise, ``projects.E001``).
"""

import uuid

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import translation

FRAGMENT_SECONDS = 60
GLOBAL = "all"

# Rows that no public page shows: writing them must not empty the cache (an audit entry is
# written on every staff export, a code attempt on every household sign-in).
IGNORED = {
    "projects.AuditEvent",
    "projects.HouseholdCode",
    "projects.HouseholdCodeAttempt",
    "projects.SensitiveDataAccess",
    "projects.RosterImport",
    "projects.Membership",
    "projects.SubDistrictMembership",
    "projects.Department",
}

# How a row names its community, tried in order, through related rows the service already
# loaded (a support's wish, a sign-off record's campaign and project). A row that names none
# this way changes the global version instead.
COMMUNITY_PATHS = (
    ("community_id",),
    ("compound", "community_id"),
    ("project", "community_id"),
    ("wish", "community_id"),
    ("ballot", "community_id"),
    ("meeting", "community_id"),
    ("campaign", "project", "community_id"),
    ("item", "project", "community_id"),
    ("entry", "project", "community_id"),
    ("action_item", "community_id"),
    ("complaint", "project", "community_id"),
)


def _version_key(scope) -> str:
    return f"pagecache:version:{scope}"


def _version(scope) -> str:
    key = _version_key(scope)
    value = cache.get(key)
    if value is None:
        value = uuid.uuid4().hex
        if not cache.add(key, value, timeout=None):
            value = cache.get(key) or value
    return value


def bump(community_id=None) -> None:
    """Drop the cached data of one community (or, with ``None``, of every community)."""
    scope = GLOBAL if community_id is None else community_id

    def renew():
        cache.set(_version_key(scope), uuid.uuid4().hex, timeout=None)

    # Now, so this transaction's own later reads see its write; and again on commit, so a
    # visitor who computed from the old rows in between left their result under a dead key.
    renew()
    transaction.on_commit(renew)


def cached(name: str, community_id: int, compute):
    """``compute()``, cached for every visitor under ``name`` until the community's data changes.

    ``name`` must say everything the result depends on apart from the community's data and
    the language (e.g. the section and the compound's id). The versions are read before
    computing, so a write that commits meanwhile leaves the result under an old key."""
    key = f"pagecache:{name}:{translation.get_language()}:{community_id}:{_version(community_id)}:{_version(GLOBAL)}"
    hit = cache.get(key)
    if hit is not None:
        return hit[0]
    value = compute()
    cache.set(key, (value,), timeout=FRAGMENT_SECONDS)
    return value


def community_of(instance) -> int | None:
    """The community of a row, from its own fields and the related rows already loaded: never
    a query, so a write costs no extra round trip. ``None`` when it cannot tell."""
    for path in COMMUNITY_PATHS:
        value = instance
        for step in path[:-1]:
            try:
                field = value._meta.get_field(step)
            except FieldDoesNotExist:
                value = None
                break
            if not (field.is_relation and field.many_to_one and field.is_cached(value)):
                value = None
                break
            value = getattr(value, step)
            if value is None:
                break
        if value is not None and hasattr(value, path[-1]):
            community_id = getattr(value, path[-1])
            if community_id is not None:
                return community_id
    return None


def _on_write(sender, instance, **kwargs):
    if not kwargs.get("raw"):  # loaddata writes no page anyone has seen
        bump(community_of(instance))


def _on_m2m(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        _on_write(sender, instance)


def watch_apps(*labels: str) -> None:
    """Listen to every write of the models of these apps (see the module docstring)."""
    for label in labels:
        for model in apps.get_app_config(label).get_models():
            if model._meta.label in IGNORED:
                continue
            uid = f"pagecache:{model._meta.label}"
            post_save.connect(_on_write, sender=model, dispatch_uid=uid + ":save")
            post_delete.connect(_on_write, sender=model, dispatch_uid=uid + ":delete")
            for field in model._meta.many_to_many:
                m2m_changed.connect(_on_m2m, sender=field.remote_field.through, dispatch_uid=f"{uid}:{field.name}")
