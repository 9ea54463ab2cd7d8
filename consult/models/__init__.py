from .meetings import Meeting, MeetingKind, MeetingStatus
from .wishes import Support, Wish, WishCategory, WishPhoto, WishStatus, WishStatusChange, WithdrawalReason

__all__ = ["Meeting", "MeetingKind", "MeetingStatus"]
__all__ += ["Support", "Wish", "WishCategory", "WishPhoto", "WishStatus", "WishStatusChange", "WithdrawalReason"]
