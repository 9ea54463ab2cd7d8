"""Writes for complaints during construction. Every change appends a ``ComplaintEvent``."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import ServiceError
from ..models import Complaint, ComplaintEvent, ComplaintSource, ComplaintStatus, Department, Household, Project, Role


def _handler_label(complaint: Complaint) -> str:
    parts = []
    if complaint.handler_user_id:
        parts.append(complaint.handler_user.get_full_name() or complaint.handler_user.username)
    if complaint.handler_department_id:
        parts.append(complaint.handler_department.name)
    return " · ".join(parts)


def _check_handlers(*, project: Project, handler_user, handler_department: Department | None) -> None:
    if handler_user is not None and not (
        handler_user.is_superuser
        or handler_user.memberships.filter(
            community_id=project.community_id, role__in=[Role.ADMIN, Role.STAFF]
        ).exists()
    ):
        raise ServiceError({"handler_user": _("Choose a staff member of this community.")})
    if handler_department is not None and handler_department.sub_district_id != project.community.sub_district_id:
        raise ServiceError({"handler_department": _("Choose a department of this sub-district.")})


def complaint_create(
    *,
    project: Project,
    source: str,
    summary: str,
    received_at,
    hotline_ref: str = "",
    household: Household | None = None,
    contact_phone: str = "",
    handler_user=None,
    handler_department: Department | None = None,
    by,
    now=None,
) -> Complaint:
    now = now or timezone.now()
    hotline_ref = (hotline_ref or "").strip()
    if source == ComplaintSource.HOTLINE and not hotline_ref:
        raise ServiceError({"hotline_ref": _("Enter the 12345 reference number.")})
    if household is not None and household.unit.building.compound.community_id != project.community_id:
        raise ServiceError({"household": _("This household does not belong to the project's community.")})
    if received_at > now:
        raise ServiceError({"received_at": _("The time received cannot be in the future.")})
    _check_handlers(project=project, handler_user=handler_user, handler_department=handler_department)
    with transaction.atomic():
        complaint = Complaint.objects.create(
            project=project,
            source=source,
            hotline_ref=hotline_ref,
            household=household,
            contact_phone=contact_phone,
            summary=summary,
            received_at=received_at,
            handler_user=handler_user,
            handler_department=handler_department,
            created_by=by,
            created_at=now,
        )
        ComplaintEvent.objects.create(
            complaint=complaint,
            status=complaint.status,
            note=_("Recorded."),
            handler_label=_handler_label(complaint),
            by=by,
            at=now,
        )
    return complaint


def complaint_update(
    *,
    complaint: Complaint,
    status: str,
    response: str,
    handler_user=None,
    handler_department: Department | None = None,
    note: str = "",
    by,
    now=None,
) -> Complaint:
    """Reassign, answer, resolve or reopen. Resolving needs a response the resident can be
    told; reopening clears the resolution time, so the average only counts real resolutions."""
    now = now or timezone.now()
    response = (response or "").strip()
    if status not in ComplaintStatus.values:
        raise ServiceError({"status": _("Unknown status.")})
    if status == ComplaintStatus.RESOLVED and not response:
        raise ServiceError({"response": _("Write what was done before marking the complaint resolved.")})
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().select_related("project__community").get(pk=complaint.pk)
        _check_handlers(project=locked.project, handler_user=handler_user, handler_department=handler_department)
        changed = (
            locked.status != status
            or locked.response != response
            or locked.handler_user_id != getattr(handler_user, "pk", None)
            or locked.handler_department_id != getattr(handler_department, "pk", None)
            or note.strip()
        )
        if not changed:
            return locked
        if status == ComplaintStatus.RESOLVED and locked.status != ComplaintStatus.RESOLVED:
            locked.resolved_at = max(now, locked.received_at)
        elif status != ComplaintStatus.RESOLVED:
            locked.resolved_at = None
        locked.status = status
        locked.response = response
        locked.handler_user = handler_user
        locked.handler_department = handler_department
        locked.save()
        ComplaintEvent.objects.create(
            complaint=locked,
            status=status,
            note=note.strip() or response,
            handler_label=_handler_label(locked),
            by=by,
            at=now,
        )
    return locked
