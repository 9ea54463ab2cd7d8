"""Extension point of the meeting page: wishes raised at a meeting and ballots taken in the
room show up there without the meetings code knowing about them (see projects.sections)."""

from projects.sections import SectionRegistry

meeting_panels = SectionRegistry()
