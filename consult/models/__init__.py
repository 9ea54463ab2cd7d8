from .meetings import Meeting, MeetingKind, MeetingStatus

__all__ = ["Meeting", "MeetingKind", "MeetingStatus"]

# --- meetings (issue 4) ---
from .action_items import OPEN_ITEM_STATUSES, ActionItem, ActionItemStatus, ActionItemUpdate  # noqa: E402
from .meeting_attendance import Attendance, AttendeeKind, MeetingRSVP  # noqa: E402
from .meeting_votes import MeetingVote  # noqa: E402
from .meetings import MeetingTransition  # noqa: E402

__all__ += [
    "OPEN_ITEM_STATUSES",
    "ActionItem",
    "ActionItemStatus",
    "ActionItemUpdate",
    "Attendance",
    "AttendeeKind",
    "MeetingRSVP",
    "MeetingTransition",
    "MeetingVote",
]
