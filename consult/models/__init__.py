from .action_items import OPEN_ITEM_STATUSES, ActionItem, ActionItemStatus, ActionItemUpdate
from .ballots import (
    PHASE_LABELS,
    Ballot,
    BallotAction,
    BallotEvent,
    BallotObjection,
    BallotOption,
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
from .proxies import ProxyAuthorisation, ProxyScope
from .wishes import Support, Wish, WishCategory, WishPhoto, WishStatus, WishStatusChange, WithdrawalReason

__all__ = [
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
    "BallotStatus",
    "CastBallot",
    "EligibleHousehold",
    "Meeting",
    "MeetingKind",
    "MeetingRSVP",
    "MeetingStatus",
    "MeetingTransition",
    "MeetingVote",
    "OPEN_ITEM_STATUSES",
    "OptionKind",
    "OptionSet",
    "PHASE_LABELS",
    "ProxyAuthorisation",
    "ProxyScope",
    "ScopeKind",
    "Support",
    "Wish",
    "WishCategory",
    "WishPhoto",
    "WishStatus",
    "WishStatusChange",
    "WithdrawalReason",
    "paper_serial_text",
]
