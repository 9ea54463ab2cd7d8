from .action_items import OPEN_ITEM_STATUSES, ActionItem, ActionItemStatus, ActionItemUpdate
from .ballots import (
    PHASE_LABELS,
    Ballot,
    BallotAction,
    BallotEvent,
    BallotObjection,
    BallotOption,
    BallotRule,
    BallotStatus,
    CastBallot,
    EligibleHousehold,
    OptionKind,
    OptionSet,
    ScopeKind,
    paper_serial_text,
)
from .meeting_attendance import Attendance, AttendeeKind, MeetingRSVP
from .meeting_votes import MeetingVote
from .meetings import Meeting, MeetingKind, MeetingStatus, MeetingTransition

__all__ = [
    "OPEN_ITEM_STATUSES",
    "PHASE_LABELS",
    "ActionItem",
    "ActionItemStatus",
    "ActionItemUpdate",
    "Attendance",
    "AttendeeKind",
    "Ballot",
    "BallotAction",
    "BallotEvent",
    "BallotObjection",
    "BallotOption",
    "BallotRule",
    "BallotStatus",
    "CastBallot",
    "EligibleHousehold",
    "Meeting",
    "MeetingKind",
    "MeetingRSVP",
    "MeetingStatus",
    "MeetingTransition",
    "MeetingVote",
    "OptionKind",
    "OptionSet",
    "ScopeKind",
    "paper_serial_text",
]
from .wishes import Support, Wish, WishCategory, WishPhoto, WishStatus, WishStatusChange, WithdrawalReason  # noqa: E402

__all__ += ["Support", "Wish", "WishCategory", "WishPhoto", "WishStatus", "WishStatusChange", "WithdrawalReason"]
