"""Complaints during construction: sources, the 12345 reference, handling, history and the
average time to resolve computed by the database."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from projects.models import Complaint, ComplaintSource, ComplaintStatus
from projects.selectors.complaints import complaint_stats, complaints_visible_to
from projects.services.complaints import complaint_create, complaint_update
from tests import factories as f

pytestmark = pytest.mark.django_db


def _complaint(project, by, **kw):
    kw.setdefault("source", ComplaintSource.PHONE)
    kw.setdefault("summary", "施工噪音")
    kw.setdefault("received_at", timezone.now() - timedelta(hours=1))
    return complaint_create(project=project, by=by, **kw)


def test_hotline_complaints_need_their_reference(world):
    project = f.project(community=world.community)
    with pytest.raises(ValidationError):
        _complaint(project, world.staff, source=ComplaintSource.HOTLINE, hotline_ref=" ")
    with pytest.raises(IntegrityError), transaction.atomic():
        Complaint.objects.create(
            project=project,
            source="hotline",
            summary="x",
            received_at=timezone.now(),
            created_by=world.staff,
            created_at=timezone.now(),
        )
    complaint = _complaint(project, world.staff, source=ComplaintSource.HOTLINE, hotline_ref="12345-2105-0317")
    assert complaint.hotline_ref == "12345-2105-0317"
    assert complaint.events.get().status == ComplaintStatus.OPEN


def test_the_database_keeps_resolved_and_resolved_at_together(world):
    project = f.project(community=world.community)
    complaint = _complaint(project, world.staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        Complaint.objects.filter(pk=complaint.pk).update(status=ComplaintStatus.RESOLVED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Complaint.objects.filter(pk=complaint.pk).update(resolved_at=complaint.received_at - timedelta(hours=1))


def test_household_and_handlers_must_belong_to_the_community(world, other_department):
    project = f.project(community=world.community)
    with pytest.raises(ValidationError):
        _complaint(project, world.staff, household=world.foreign_household)
    with pytest.raises(ValidationError):
        _complaint(project, world.staff, handler_user=world.other_staff)
    with pytest.raises(ValidationError):
        _complaint(project, world.staff, handler_user=world.department)
    foreign_department = type(other_department).objects.create(sub_district=f.sub_district(), name="别处水务站")
    with pytest.raises(ValidationError):
        _complaint(project, world.staff, handler_department=foreign_department)
    complaint = _complaint(
        project, world.staff, household=world.household, handler_user=world.admin, handler_department=other_department
    )
    assert complaint.handler_user == world.admin


def test_a_complaint_cannot_be_received_in_the_future(world):
    with pytest.raises(ValidationError):
        _complaint(f.project(community=world.community), world.staff, received_at=timezone.now() + timedelta(days=1))


def test_resolve_needs_a_response_and_reopen_clears_the_time(world):
    project = f.project(community=world.community)
    complaint = _complaint(project, world.staff)
    with pytest.raises(ValidationError):
        complaint_update(complaint=complaint, status=ComplaintStatus.RESOLVED, response="", by=world.staff)
    now = timezone.now()
    complaint = complaint_update(
        complaint=complaint, status=ComplaintStatus.RESOLVED, response="已调整施工时间", by=world.staff, now=now
    )
    assert complaint.resolved_at == now
    complaint = complaint_update(
        complaint=complaint, status=ComplaintStatus.OPEN, response="已调整施工时间", note="居民说又吵了", by=world.staff
    )
    assert complaint.resolved_at is None
    statuses = list(complaint.events.values_list("status", flat=True))
    assert statuses == [ComplaintStatus.OPEN, ComplaintStatus.RESOLVED, ComplaintStatus.OPEN]
    # Saving the same values again adds no event.
    complaint_update(complaint=complaint, status=ComplaintStatus.OPEN, response="已调整施工时间", by=world.staff)
    assert complaint.events.count() == 3


def test_average_time_to_resolve_is_computed_by_the_database(world):
    project = f.project(community=world.community)
    base = timezone.now() - timedelta(days=10)
    for hours in (24, 48):  # resolved after one and two days
        c = _complaint(project, world.staff, received_at=base)
        complaint_update(
            complaint=c,
            status=ComplaintStatus.RESOLVED,
            response="ok",
            by=world.staff,
            now=base + timedelta(hours=hours),
        )
    _complaint(project, world.staff, received_at=base)  # still open: not in the average
    stats = complaint_stats(project.complaints.all())
    assert stats["avg_resolution"] == timedelta(hours=36)
    assert (stats["total"], stats["open"], stats["resolved"]) == (3, 1, 2)
    assert complaint_stats(f.project(community=world.community).complaints.all())["avg_resolution"] is None


def test_department_viewers_see_only_their_complaints(world, department_of, other_department):
    project = f.project(community=world.community)
    mine = _complaint(project, world.staff, handler_department=department_of)
    _complaint(project, world.staff, handler_department=other_department)
    _complaint(project, world.staff)
    assert list(complaints_visible_to(world.department, project)) == [mine]
    assert complaints_visible_to(world.staff, project).count() == 3


def test_record_and_handle_a_complaint_through_the_pages(client, world, department_of):
    project = f.project(community=world.community)
    client.force_login(world.staff)
    url = reverse("projects:complaint_create", args=[project.pk])
    received = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    missing_ref = client.post(url, {"source": "hotline", "received_at": received, "summary": "噪音"})
    assert missing_ref.status_code == 200 and "12345" in missing_ref.content.decode()
    no_room = client.post(
        url, {"source": "visit", "received_at": received, "summary": "噪音", "unit": world.unit.pk, "room": "999"}
    )
    assert no_room.status_code == 200
    response = client.post(
        url,
        {
            "source": "hotline",
            "hotline_ref": "12345-9",
            "received_at": received,
            "summary": "夜间施工噪音",
            "unit": world.unit.pk,
            "room": world.household.room,
            "handler_department": department_of.pk,
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == complaint.get_absolute_url()
    assert complaint.household == world.household
    detail = reverse("projects:complaint", args=[complaint.pk])
    refused = client.post(detail, {"status": "resolved", "response": ""})
    assert refused.status_code == 200
    client.post(detail, {"status": "resolved", "response": "已协调夜间停工", "handler_user": world.staff.pk})
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RESOLVED and complaint.handler_user == world.staff
    listing = client.get(reverse("projects:complaints", args=[project.pk]), {"status": "open"}).content.decode()
    assert "夜间施工噪音" not in listing
    listing = client.get(reverse("projects:complaints", args=[project.pk]), {"q": "12345-9", "status": "bogus"})
    assert listing.status_code == 200 and "夜间施工噪音" in listing.content.decode()


def test_project_page_shows_open_complaints_and_average(client, world):
    project = f.project(community=world.community)
    base = timezone.now() - timedelta(days=5)
    c = _complaint(project, world.staff, received_at=base, summary="井盖不平")
    complaint_update(
        complaint=c, status=ComplaintStatus.RESOLVED, response="ok", by=world.staff, now=base + timedelta(hours=60)
    )
    _complaint(project, world.staff, summary="扬尘太大")
    client.force_login(world.staff)
    page = client.get(project.get_absolute_url()).content.decode()
    assert "扬尘太大" in page and "井盖不平" not in page
    assert "2.5" in page  # 60 hours = 2.5 days
