from .meetings import Meeting, MeetingKind, MeetingStatus

__all__ = ["Meeting", "MeetingKind", "MeetingStatus"]
from .ballots import (  # noqa: E402
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

__all__ += [
    "PHASE_LABELS",
    "Ballot",
    "BallotAction",
    "BallotEvent",
    "BallotObjection",
    "BallotOption",
    "BallotRule",
    "BallotStatus",
    "CastBallot",
    "EligibleHousehold",
    "OptionKind",
    "OptionSet",
    "ScopeKind",
    "paper_serial_text",
]
