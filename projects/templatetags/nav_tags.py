"""The tab row of a community's staff pages, built from the tabs features register
(``projects.sections.community_tabs``), so no template lists another app's pages."""

from django import template
from django.urls import reverse

from ..sections import community_tabs as registered_tabs

register = template.Library()


@register.simple_tag(takes_context=True)
def community_tabs(context, community) -> list[dict]:
    """The tabs of ``community`` the signed-in user may open: key, label and URL."""
    user = context["request"].user
    return [
        {"key": tab.key, "label": tab.label, "url": reverse(tab.url_name, args=[community.pk])}
        for tab in registered_tabs.visible(user, community)
    ]
