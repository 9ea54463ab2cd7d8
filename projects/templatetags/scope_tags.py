"""The scope-change list, shown on the scope page, the project page, the sign-off board and
the ballot result: one partial, so each shows the same who, when, why and confirmed by."""

from django import template

from ..selectors.scope import scope_changes

register = template.Library()


@register.inclusion_tag("projects/projects/_scope_changes.html", takes_context=True)
def scope_change_list(context, project, pending_only=False, title=None, with_pending=True):
    """Every scope change of ``project`` (one query), for users who may see the scope; the
    confirm, reject and undo buttons for those who may change it. Nothing for anyone else:
    the list names households. ``pending_only``: just the changes waiting for a second staff
    member (hidden when there are none); ``with_pending=False``: the history without them
    (for a page that lists them elsewhere)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if project is None or user is None or not user.has_perm("projects.view_scope", project):
        return {"visible": False}
    # One query per project per request, however many places of the page list the changes.
    cache = request.__dict__.setdefault("_scope_changes", {})
    if project.pk not in cache:
        cache[project.pk] = list(scope_changes(project))
    changes = cache[project.pk]
    pending = [c for c in changes if c.is_pending] if with_pending or pending_only else []
    return {
        "visible": bool(changes) or not pending_only,
        "project": project,
        "changes": [] if pending_only else changes,
        "pending": pending,
        "pending_only": pending_only,
        "title": title,
        "can_adjust": user.has_perm("projects.adjust_scope", project),
        "user": user,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
