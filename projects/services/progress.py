"""Writes for progress: quantities (with an append-only log of ``done``) and the timeline."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit
from ..errors import ServiceError
from ..models import AuditAction, ProgressItem, ProgressUpdate, Project, TimelineEntry, TimelinePhoto


def _check_quantities(*, target: Decimal, done: Decimal) -> None:
    if target is None or target <= 0:
        raise ServiceError({"target": _("The target must be greater than 0.")})
    if done is None or done < 0:
        raise ServiceError({"done": _("The amount done cannot be negative.")})
    if done > target:
        raise ServiceError({"done": _("The amount done cannot exceed the target.")})


def progress_item_create(
    *,
    project: Project,
    name: str,
    unit: str,
    target: Decimal,
    done: Decimal,
    due_date=None,
    sort_key: int = 0,
    by,
    now=None,
) -> ProgressItem:
    now = now or timezone.now()
    _check_quantities(target=target, done=done)
    try:
        with transaction.atomic():
            item = ProgressItem.objects.create(
                project=project, name=name, unit=unit, target=target, done=done, due_date=due_date, sort_key=sort_key
            )
            if done:
                ProgressUpdate.objects.create(
                    item=item, done_before=0, done_after=done, recorded_by=by, recorded_at=now
                )
    except IntegrityError as error:
        raise ServiceError({"name": _("This project already has a quantity with this name.")}) from error
    return item


def progress_item_update(*, item: ProgressItem, data: dict, note: str = "", by, now=None) -> ProgressItem:
    """Change an item's fields; a change of ``done`` is appended to its update log."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            locked = ProgressItem.objects.select_for_update().get(pk=item.pk)
            before = locked.done
            for field, value in data.items():
                setattr(locked, field, value)
            _check_quantities(target=locked.target, done=locked.done)
            locked.save()
            if locked.done != before:
                ProgressUpdate.objects.create(
                    item=locked, done_before=before, done_after=locked.done, note=note, recorded_by=by, recorded_at=now
                )
    except IntegrityError as error:
        raise ServiceError({"name": _("This project already has a quantity with this name.")}) from error
    return locked


def progress_item_delete(*, item: ProgressItem, by=None, request=None) -> None:
    """Delete a quantity and its updates; the audit trail keeps what it held."""
    with transaction.atomic():
        locked = (
            ProgressItem.objects.select_for_update().select_related("project__community").filter(pk=item.pk).first()
        )
        if locked is None:
            return
        updates = [
            audit.snapshot(u, exclude={"id", "item"}) for u in ProgressUpdate.objects.filter(item=locked).order_by("pk")
        ]
        audit.record(
            AuditAction.PROGRESS_ITEM_DELETED,
            actor=by,
            community=locked.project.community,
            obj=locked,
            before=audit.snapshot(locked, updates=updates),
            request=request,
        )
        locked.delete()


@dataclass(frozen=True)
class NewPhoto:
    photo: ContentFile  # cleaned by ``projects.photos``
    phase: str
    caption: str = ""


def _add_photos(entry: TimelineEntry, photos: Iterable[NewPhoto]) -> None:
    for new in photos:
        TimelinePhoto.objects.create(entry=entry, image=new.photo, phase=new.phase, caption=new.caption)


def timeline_entry_create(
    *, project: Project, date, title: str, body: str = "", is_public: bool = True, photos=(), by, now=None
) -> TimelineEntry:
    """Photos must come from ``projects.photos.clean_photo`` (checked and stripped)."""
    now = now or timezone.now()
    with transaction.atomic():
        entry = TimelineEntry.objects.create(
            project=project, date=date, title=title, body=body, is_public=is_public, created_by=by, created_at=now
        )
        _add_photos(entry, photos)
    return entry


def timeline_entry_update(*, entry: TimelineEntry, data: dict, add_photos=()) -> TimelineEntry:
    with transaction.atomic():
        for field, value in data.items():
            setattr(entry, field, value)
        entry.save()
        _add_photos(entry, add_photos)
    return entry


def timeline_entry_delete(*, entry: TimelineEntry, by=None, request=None) -> None:
    """Delete the entry, its photo rows and their files (after the transaction commits).
    The audit trail keeps its text and which photos it had."""
    photos = list(entry.photos.all())
    files = [photo.image for photo in photos]
    with transaction.atomic():
        audit.record(
            AuditAction.TIMELINE_ENTRY_DELETED,
            actor=by,
            community=entry.project.community,
            obj=entry,
            before=audit.snapshot(entry, photos=[audit.snapshot(p, exclude={"id", "entry"}) for p in photos]),
            request=request,
        )
        entry.delete()
        transaction.on_commit(lambda: [f.storage.delete(f.name) for f in files])


def timeline_photo_delete(*, photo: TimelinePhoto) -> None:
    image = photo.image
    with transaction.atomic():
        photo.delete()
        transaction.on_commit(lambda: image.storage.delete(image.name))
