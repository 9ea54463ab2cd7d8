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
