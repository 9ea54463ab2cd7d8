from .meetings import Meeting, MeetingKind, MeetingStatus

__all__ = ["Meeting", "MeetingKind", "MeetingStatus"]
