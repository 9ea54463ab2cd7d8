"""Extension points for pages that several features contribute to.

Several pages show pieces from projects, meetings, wishes, ballots and sign-offs:
- ``noticeboard_sections``: a compound's public noticeboard (target: the compound);
- ``dashboard_panels``: a community's staff overview (target: the community);
- ``project_panels``: a project's staff page (target: the project);
- ``household_sections``: the page a resident sees after entering the household code, with
  what the household can do now: vote, confirm consent, rate, support (target: household). ``projects`` must not import
``consult``, so each feature registers a section here (``consult`` does it in its
``AppConfig.ready``), and the page renders every registered section in order.

A section's ``context`` callable receives the compound (noticeboard) or community
(dashboard) and the request, and returns a dict for its template, or ``None`` to hide
itself. It must run a fixed number of queries whatever the data size.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    template: str
    context: Callable
    order: int = 100


class SectionRegistry:
    def __init__(self):
        self._sections: dict[str, Section] = {}

    def register(self, section: Section) -> None:
        self._sections[section.key] = section

    def render_list(self, target, request) -> list[tuple[Section, dict]]:
        rendered = []
        for section in sorted(self._sections.values(), key=lambda s: (s.order, s.key)):
            context = section.context(target, request)
            if context is not None:
                rendered.append((section, context))
        return rendered


noticeboard_sections = SectionRegistry()
dashboard_panels = SectionRegistry()
project_panels = SectionRegistry()
household_sections = SectionRegistry()
