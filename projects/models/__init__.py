from .channels import Channel
from .projects import Project, ProjectClass, ProjectHouseholdAdjustment, Stage, StageTransition, WorkType
from .registry import (
    Building,
    Community,
    Compound,
    Household,
    HouseholdChange,
    HouseholdKind,
    SensitiveDataAccess,
    SubDistrict,
    Unit,
)
from .roles import Department, Membership, Role, SubDistrictMembership

__all__ = [
    "Building",
    "Channel",
    "Community",
    "Compound",
    "Department",
    "Household",
    "HouseholdChange",
    "HouseholdKind",
    "Membership",
    "Project",
    "ProjectClass",
    "ProjectHouseholdAdjustment",
    "Role",
    "SensitiveDataAccess",
    "Stage",
    "StageTransition",
    "SubDistrict",
    "SubDistrictMembership",
    "Unit",
    "WorkType",
]
from .roster import RosterImport  # noqa: E402

__all__ += ["RosterImport"]
from .complaints import OPEN_STATUSES, Complaint, ComplaintEvent, ComplaintSource, ComplaintStatus  # noqa: E402
from .evaluation import AcceptanceRecord, SatisfactionChange, SatisfactionResponse  # noqa: E402
from .progress import PhotoPhase, ProgressItem, ProgressUpdate, TimelineEntry, TimelinePhoto  # noqa: E402
from .projects import FirmRole, FundingKind, FundingSource, ProjectFirm  # noqa: E402

__all__ += [
    "OPEN_STATUSES",
    "AcceptanceRecord",
    "Complaint",
    "ComplaintEvent",
    "ComplaintSource",
    "ComplaintStatus",
    "FirmRole",
    "FundingKind",
    "FundingSource",
    "PhotoPhase",
    "ProgressItem",
    "ProgressUpdate",
    "ProjectFirm",
    "SatisfactionChange",
    "SatisfactionResponse",
    "TimelineEntry",
    "TimelinePhoto",
]
from .identity import AttemptReason, HouseholdCode, HouseholdCodeAttempt  # noqa: E402

__all__ += ["AttemptReason", "HouseholdCode", "HouseholdCodeAttempt"]
from .signoffs import (  # noqa: E402  (sign-offs)
    ConcernCategory,
    ConsentRule,
    ContactKind,
    SignerRelation,
    SignoffAssignment,
    SignoffCampaign,
    SignoffCampaignChange,
    SignoffContact,
    SignoffEvent,
    SignoffRecord,
    SignoffStatus,
    ThresholdComparison,
)

__all__ += [
    "ConcernCategory",
    "ConsentRule",
    "ContactKind",
    "SignerRelation",
    "SignoffAssignment",
    "SignoffCampaign",
    "SignoffCampaignChange",
    "SignoffContact",
    "SignoffEvent",
    "SignoffRecord",
    "SignoffStatus",
    "ThresholdComparison",
]
