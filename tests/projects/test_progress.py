"""Progress quantities (database invariants, the update log) and the timeline with photos."""

import os
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from projects.models import ProgressItem, ProgressUpdate, TimelineEntry, TimelinePhoto
from projects.services.progress import progress_item_create, progress_item_update
from tests import factories as f
from tests.helpers import image_bytes, photo_upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "target,done",
    [
        (Decimal("190"), Decimal("191")),
        (Decimal("190"), Decimal("-1")),
        (Decimal("0"), Decimal("0")),
        (Decimal("-5"), Decimal("0")),
    ],
)
def test_database_refuses_impossible_quantities(world, target, done):
    project = f.project(community=world.community)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressItem.objects.create(project=project, name="管线", unit="米", target=target, done=done)


def test_database_refuses_an_update_beyond_the_target(world):
    project = f.project(community=world.community)
    item = ProgressItem.objects.create(project=project, name="管线", unit="米", target=190, done=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressItem.objects.filter(pk=item.pk).update(done=200)


def test_updates_are_logged_and_checked(world):
    project = f.project(community=world.community)
    item = progress_item_create(
        project=project, name="污水管线", unit="米", target=Decimal("190"), done=Decimal("0"), by=world.staff
    )
    progress_item_update(item=item, data={"done": Decimal("120")}, note="东侧完成", by=world.staff)
    progress_item_update(item=item, data={"done": Decimal("190")}, by=world.admin)
    with pytest.raises(ValidationError):
        progress_item_update(item=item, data={"done": Decimal("191")}, by=world.staff)
    log = list(
        ProgressUpdate.objects.filter(item=item)
        .order_by("recorded_at", "pk")
        .values_list("done_before", "done_after", "note")
    )
    assert log == [(Decimal("0"), Decimal("120"), "东侧完成"), (Decimal("120"), Decimal("190"), "")]
    item.refresh_from_db()
    assert item.done == Decimal("190")


def test_duplicate_quantity_name_is_a_form_error(world):
    project = f.project(community=world.community)
    progress_item_create(
        project=project, name="隔油池", unit="个", target=Decimal("21"), done=Decimal("0"), by=world.staff
    )
    with pytest.raises(ValidationError):
        progress_item_create(
            project=project, name="隔油池", unit="个", target=Decimal("21"), done=Decimal("0"), by=world.staff
        )


def test_project_overall_progress(world):
    project = f.project(community=world.community)
    assert project.progress_percent is None
    ProgressItem.objects.create(project=project, name="污水管线", unit="米", target=190, done=190)
    ProgressItem.objects.create(project=project, name="隔油池", unit="个", target=21, done=7)
    project = type(project).objects.prefetch_related("progress_items").get(pk=project.pk)
    assert project.progress_percent == 66  # (1 + 1/3) / 2 = 66.67% → 66


def test_progress_page_quick_update_and_errors(client, world):
    project = f.project(community=world.community)
    item = ProgressItem.objects.create(project=project, name="污水管线", unit="米", target=190, done=0)
    client.force_login(world.staff)
    url = reverse("projects:progress_record", args=[item.pk])
    response = client.post(url, {f"item{item.pk}-done": "150", f"item{item.pk}-note": "西段"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.done == 150
    page = client.post(url, {f"item{item.pk}-done": "200"}, follow=True).content.decode()
    assert "190" in page and "不能超过" in page
    page = client.post(url, {f"item{item.pk}-done": "abc"}, follow=True).content.decode()
    item.refresh_from_db()
    assert item.done == 150


def test_add_and_edit_a_quantity_through_the_form(client, world):
    project = f.project(community=world.community)
    client.force_login(world.staff)
    url = reverse("projects:progress_item_create", args=[project.pk])
    bad = client.post(url, {"name": "隔油池", "unit": "个", "target": "21", "done": "22", "sort_key": "0"})
    assert bad.status_code == 200
    assert not ProgressItem.objects.exists()
    assert (
        client.post(url, {"name": "隔油池", "unit": "个", "target": "21", "done": "3", "sort_key": "0"}).status_code
        == 302
    )
    item = ProgressItem.objects.get()
    dup = client.post(url, {"name": "隔油池", "unit": "个", "target": "5", "done": "0", "sort_key": "0"})
    assert dup.status_code == 200
    edit = reverse("projects:progress_item_edit", args=[item.pk])
    response = client.post(
        edit, {"name": "隔油池", "unit": "个", "target": "21", "done": "21", "sort_key": "1", "due_date": "2021-05-30"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.done == 21 and str(item.due_date) == "2021-05-30"
    assert item.updates.count() == 2
    client.post(reverse("projects:progress_item_delete", args=[item.pk]))
    assert not ProgressItem.objects.exists()


def test_timeline_entry_with_photos(client, world):
    project = f.project(community=world.community)
    client.force_login(world.staff)
    url = reverse("projects:timeline_create", args=[project.pk])
    response = client.post(
        url,
        {
            "date": "2021-05-20",
            "title": "隔油池安装完成",
            "body": "21座",
            "is_public": "on",
            "phase": "after",
            "caption": "西门",
            "photos": [photo_upload("a.jpg"), photo_upload("b.png", image_bytes("PNG"), "image/png")],
        },
    )
    assert response.status_code == 302
    entry = TimelineEntry.objects.get()
    photos = list(entry.photos.all())
    assert len(photos) == 2 and {p.phase for p in photos} == {"after"}
    assert all(p.width == 64 for p in photos)


def test_timeline_rejects_a_fake_photo_and_saves_nothing(client, world):
    project = f.project(community=world.community)
    client.force_login(world.staff)
    response = client.post(
        reverse("projects:timeline_create", args=[project.pk]),
        {
            "date": "2021-05-20",
            "title": "x",
            "phase": "during",
            "photos": [photo_upload("real.jpg"), photo_upload("evil.jpg", b"<?php echo 1; ?>" * 10)],
        },
    )
    assert response.status_code == 200
    assert "evil.jpg" in response.content.decode()
    assert not TimelineEntry.objects.exists()


def test_timeline_edit_adds_photos_and_photos_can_be_deleted(client, world, django_capture_on_commit_callbacks):
    project = f.project(community=world.community)
    client.force_login(world.staff)
    client.post(
        reverse("projects:timeline_create", args=[project.pk]),
        {"date": "2021-05-20", "title": "开工", "phase": "before", "photos": [photo_upload()]},
    )
    entry = TimelineEntry.objects.get()
    photo = entry.photos.get()
    path = photo.image.path
    response = client.post(
        reverse("projects:timeline_edit", args=[entry.pk]),
        {"date": "2021-05-21", "title": "开工仪式", "phase": "during", "photos": [photo_upload()]},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "开工仪式" and entry.is_public is False  # unticked checkbox
    assert entry.photos.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("projects:photo_delete", args=[photo.pk]))
    assert entry.photos.count() == 1
    assert not os.path.exists(path)  # the file goes once the deletion is committed
    client.post(reverse("projects:timeline_delete", args=[entry.pk]))
    assert not TimelineEntry.objects.exists() and not TimelinePhoto.objects.exists()
