"""Extension points for pages that several features contribute to.

Several pages show pieces from projects, meetings, wishes, ballots and sign-offs:
- ``noticeboard_sections``: a compound's public noticeboard (target: the compound);
- ``dashboard_panels``: a community's staff overview (target: the community);
- ``project_panels``: a project's staff page (target: the project);
- ``sub_district_panels``: the sub-district office's overview (target: the sub-district);
- ``household_sections``: the page a resident sees after entering the household code, with
  what the household can do now: vote, confirm consent, rate, support (target: household);
- ``household_staff_panels``: the household's staff page in the registry, e.g. its written
  authorisations (委托书) from ``consult`` (target: household). ``projects`` must not import
``consult``, so each feature registers a section here (``consult`` does it in its
``AppConfig.ready``), and the page renders every registered section in order.

The tabs of a community's staff pages work the same way: ``community_tabs`` holds one
``Tab`` per feature (label, URL name, permission, order), registered from the feature's
``hooks`` module and rendered by ``includes/community_nav.html``.

A section's ``context`` callable receives the compound (noticeboard) or community
(dashboard) and the request, and returns a dict for its template, or ``None`` to hide
itself. It must run a fixed number of queries whatever the data size. A ``public`` section
ignores the request (the same for every visitor, no household, no user): its context is
cached by ``projects.pagecache`` when the page asks for it, until the community's data changes.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    template: str
    context: Callable
    order: int = 100
    public: bool = False


class SectionRegistry:
    def __init__(self):
        self._sections: dict[str, Section] = {}

    def register(self, section: Section) -> None:
        self._sections[section.key] = section

    def render_list(self, target, request, *, cache_community: int | None = None) -> list[tuple[Section, dict]]:
        """Each section's context, in order. With ``cache_community``, public sections come
        from the page cache (keyed by the section and ``target``)."""
        from .pagecache import cached

        rendered = []
        for section in sorted(self._sections.values(), key=lambda s: (s.order, s.key)):
            if section.public and cache_community is not None:
                name = f"section:{section.key}:{type(target).__name__}:{target.pk}"
                context = cached(name, cache_community, lambda s=section: s.context(target, None))
            else:
                context = section.context(target, None if section.public else request)
            if context is not None:
                rendered.append((section, context))
        return rendered


noticeboard_sections = SectionRegistry()
dashboard_panels = SectionRegistry()
project_panels = SectionRegistry()
household_sections = SectionRegistry()
sub_district_panels = SectionRegistry()
household_staff_panels = SectionRegistry()
compound_codes_panels = SectionRegistry()  # the codes page with one compound chosen (target: compound)


@dataclass(frozen=True)
class Tab:
    """One tab of a community's staff pages. ``key`` is the ``active`` name its pages pass to
    ``includes/community_nav.html``; the URL is ``url_name`` reversed with the community's
    pk. The tab shows when the user holds ``permission`` on the community (always when
    ``None``) and does not hold ``unless`` (a lesser tab that a fuller one replaces)."""

    key: str
    label: str
    url_name: str
    order: int
    permission: str | None = None
    unless: str | None = None

    def shown_to(self, user, community) -> bool:
        if self.permission and not user.has_perm(self.permission, community):
            return False
        return not (self.unless and user.has_perm(self.unless, community))


class TabRegistry:
    def __init__(self):
        self._tabs: dict[str, Tab] = {}

    def register(self, tab: Tab) -> None:
        self._tabs[tab.key] = tab

    def visible(self, user, community) -> list[Tab]:
        tabs = sorted(self._tabs.values(), key=lambda t: (t.order, t.key))
        return [tab for tab in tabs if tab.shown_to(user, community)]


community_tabs = TabRegistry()
