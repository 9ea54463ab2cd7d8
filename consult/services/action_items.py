"""Writes for action items. Every change leaves an ``ActionItemUpdate`` (append-only)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.errors import ServiceError

from ..meeting_lifecycle import RECORDING_STATUSES, item_change_problems
from ..models import OPEN_ITEM_STATUSES, ActionItem, ActionItemStatus, ActionItemUpdate, Meeting, MeetingStatus
from .meetings import public_text_problems


def _check_owner(meeting: Meeting, owner_user, owner_department) -> None:
    if (owner_user is None) == (owner_department is None):
        raise ServiceError(_("Choose either a staff member or a department as the owner, not both."))
    if owner_department is not None and owner_department.sub_district_id != meeting.community.sub_district_id:
        raise ServiceError(_("This department does not serve this community."))


def _check_deadline(meeting: Meeting, deadline: datetime.date) -> None:
    if deadline < timezone.localdate(meeting.starts_at):
        raise ServiceError({"deadline": [_("The deadline cannot be before the meeting.")]})


def action_item_create(
    *,
    meeting: Meeting,
    title: str,
    deadline: datetime.date,
    by,
    owner_user=None,
    owner_department=None,
    details: str = "",
    now=None,
) -> ActionItem:
    now = now or timezone.now()
    title = title.strip()
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().select_related("community").get(pk=meeting.pk)
        if meeting.status not in RECORDING_STATUSES:
            raise ServiceError(_("Action items are added once the meeting is held, until it is reported back."))
        _check_owner(meeting, owner_user, owner_department)
        _check_deadline(meeting, deadline)
        found = public_text_problems(meeting, {"title": title})
        if found:
            raise ServiceError(found)
        item = ActionItem.objects.create(
            meeting=meeting,
            title=title,
            details=details.strip(),
            owner_user=owner_user,
            owner_department=owner_department,
            deadline=deadline,
            status=ActionItemStatus.OPEN,
            created_by=by,
            created_at=now,
            updated_at=now,
        )
        ActionItemUpdate.objects.create(item=item, from_status="", to_status=item.status, by=by, at=now)
    return item


def action_item_set_status(*, item: ActionItem, to_status: str, by, note: str = "", now=None) -> ActionItemUpdate:
    now = now or timezone.now()
    with transaction.atomic():
        item = ActionItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
        problems = item_change_problems(
            from_status=item.status,
            to_status=to_status,
            note=note,
            meeting_reported=item.meeting.status == MeetingStatus.REPORTED,
        )
        if problems:
            raise ServiceError(problems)
        from_status = item.status
        item.status = to_status
        item.closed_at = None if to_status in OPEN_ITEM_STATUSES else now
        item.updated_at = now
        item.save(update_fields=["status", "closed_at", "updated_at"])
        return ActionItemUpdate.objects.create(
            item=item, from_status=from_status, to_status=to_status, note=note.strip(), by=by, at=now
        )


def action_item_edit(
    *, item: ActionItem, title: str, details: str, deadline, owner_user, owner_department, by, note: str = "", now=None
) -> ActionItemUpdate | None:
    """Change what, who or by when. The old and new values go into the history."""
    now = now or timezone.now()
    with transaction.atomic():
        item = (
            ActionItem.objects.select_for_update(of=("self",))  # owners are outer joins: lock the item only
            .select_related("meeting__community", "owner_user", "owner_department")
            .get(pk=item.pk)
        )
        if item.meeting.status == MeetingStatus.REPORTED:
            raise ServiceError(_("The meeting has been reported back: take the report back first."))
        _check_owner(item.meeting, owner_user, owner_department)
        if deadline != item.deadline:
            _check_deadline(item.meeting, deadline)
        title = title.strip()
        if title != item.title:
            found = public_text_problems(item.meeting, {"title": title})
            if found:
                raise ServiceError(found)
        old = {
            "title": item.title,
            "details": item.details,
            "deadline": item.deadline.isoformat(),
            "owner": item.owner_label,
        }
        item.title, item.details, item.deadline = title, details.strip(), deadline
        item.owner_user, item.owner_department = owner_user, owner_department
        new = {
            "title": item.title,
            "details": item.details,
            "deadline": item.deadline.isoformat(),
            "owner": item.owner_label,
        }
        changes = {key: [old[key], new[key]] for key in old if old[key] != new[key]}
        if not changes:
            return None
        item.updated_at = now
        item.save()
        return ActionItemUpdate.objects.create(
            item=item, from_status=item.status, to_status=item.status, changes=changes, note=note.strip(), by=by, at=now
        )
