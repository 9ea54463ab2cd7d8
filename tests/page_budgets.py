"""Query budgets of the pages that several features contribute to.

The noticeboard, the community overview, the project page, the meeting page and the
household home page render a section from each feature (``projects.sections``). Every
section costs a fixed few queries whatever the data size, so the page's count is their sum.
Each feature's tests check these pages at two data sizes against the same budget below; a
new section raises the budget here, once, on purpose.
"""

NOTICEBOARD = 12
COMMUNITY_OVERVIEW = 28
PROJECT_PAGE = 30
MEETING_PAGE = 22
HOUSEHOLD_HOME = 10
