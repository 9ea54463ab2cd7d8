"""Fixtures of the project tests: a project in the ``world`` with one of everything, photos
and clients acting as a resident household."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from projects.models import (
    AcceptanceRecord,
    Channel,
    Complaint,
    ComplaintSource,
    Department,
    Membership,
    PhotoPhase,
    ProgressItem,
    Project,
    SatisfactionResponse,
    Stage,
    TimelineEntry,
    TimelinePhoto,
)
from tests.helpers import photo_file


@pytest.fixture
def department_of(world):
    """The department of ``world.department`` (the department viewer)."""
    return Membership.objects.get(user=world.department, community=world.community).department


@pytest.fixture
def project(world, department_of):
    """A project of world.community covering the whole compound, under construction, with a
    quantity, a timeline entry with a photo, a complaint handled by the viewer's department,
    an acceptance record and one satisfaction answer."""
    now = timezone.now()
    p = Project.objects.create(
        community=world.community,
        title="佳和园污水管线改造",
        stage=Stage.CONSTRUCTION,
        stage_changed_at=now,
        created_by=world.admin,
    )
    p.compounds.set([world.compound])
    ProgressItem.objects.create(project=p, name="污水管线", unit="米", target=Decimal("190"), done=Decimal("95"))
    entry = TimelineEntry.objects.create(
        project=p, date=now.date(), title="开工", created_by=world.staff, created_at=now
    )
    TimelinePhoto.objects.create(entry=entry, image=photo_file("photo.jpg"), phase=PhotoPhase.DURING)
    Complaint.objects.create(
        project=p,
        source=ComplaintSource.HOTLINE,
        hotline_ref="12345-001",
        household=world.household,
        summary="夜间施工噪音",
        received_at=now - timedelta(hours=5),
        handler_department=department_of,
        created_by=world.staff,
        created_at=now,
    )
    AcceptanceRecord.objects.create(
        project=p,
        date=now.date(),
        participants="水务站",
        resident_representatives="王大爷",
        findings="合格",
        passed=True,
        recorded_by=world.admin,
        recorded_at=now,
    )
    SatisfactionResponse.objects.create(
        project=p,
        household=world.other_household,
        score=5,
        channel=Channel.PAPER,
        entered_by=world.staff,
        created_at=now,
        updated_at=now,
    )
    return p


@pytest.fixture
def other_department(world):
    return Department.objects.create(sub_district=world.sub_district, name="城管队")
