"""The public noticeboard section, the public project page and the QR poster: what a
resident sees without logging in, and what must never appear there."""

from datetime import timedelta

import pytest
import segno
from django.urls import reverse
from django.utils import timezone

from projects.models import AcceptanceRecord, Complaint, Stage, TimelineEntry
from tests import factories as f
from tests.helpers import photo_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(world, project):
    """The fixture project plus an internal timeline entry and an internal project."""
    now = timezone.now()
    AcceptanceRecord.objects.filter(project=project).update(published=True, findings="井盖平整，验收合格")
    TimelineEntry.objects.create(
        project=project,
        date=now.date(),
        title="内部：与王大爷协商",
        is_public=False,
        created_by=world.staff,
        created_at=now,
    )
    hidden = f.project(community=world.community, title="尚未公开的方案", is_public=False)
    hidden.compounds.set([world.compound])
    return project


def test_noticeboard_shows_projects_progress_and_photos(client, world, board):
    page = client.get(reverse("projects:noticeboard", args=[world.compound.pk])).content.decode()
    assert "佳和园污水管线改造" in page
    assert "施工" in page  # the stage, in Chinese
    assert "95 / 190 米" in page
    photo = board.timeline.get(is_public=True).photos.get()
    assert photo.image.url in page
    assert "验收" in page
    assert reverse("projects:public_project", args=[world.compound.pk, board.pk]) in page


def test_noticeboard_hides_internal_things_and_personal_data(client, world, board):
    page = client.get(reverse("projects:noticeboard", args=[world.compound.pk])).content.decode()
    for secret in [
        "尚未公开的方案",
        "内部：与王大爷协商",
        "王大爷",
        "夜间施工噪音",
        "12345-001",
        "13812341234",
        world.household.owner_names,
    ]:
        assert secret not in page


def test_a_project_of_another_compound_is_not_on_this_noticeboard(client, world, board):
    other = f.project(community=world.other_community, title="南路一上下水改造")
    other.compounds.set([world.other_compound])
    page = client.get(reverse("projects:noticeboard", args=[world.compound.pk])).content.decode()
    assert "南路一上下水改造" not in page


def test_a_project_scoped_to_one_building_appears_on_its_compound(client, world):
    project = f.project(community=world.community, title="2号楼屋面防水")
    project.buildings.set([world.other_building])
    page = client.get(reverse("projects:noticeboard", args=[world.compound.pk])).content.decode()
    assert "2号楼屋面防水" in page


def test_public_project_page_gives_aggregates_only(client, world, board):
    url = reverse("projects:public_project", args=[world.compound.pk, board.pk])
    page = client.get(url).content.decode()
    assert "95 / 190 米" in page and "50%" in page
    assert "井盖平整，验收合格" in page  # published findings
    assert "施工期间共收到投诉 1 件，已解决 0 件。" in page
    for secret in [
        "夜间施工噪音",
        "12345-001",
        "王大爷",
        "水务站\n",
        world.household.owner_names,
        "13812341234",
        "内部：",
    ]:
        assert secret not in page
    assert world.household.room not in page.split("<main")[1]


def test_public_satisfaction_result_after_evaluation(client, world, board):
    type(board).objects.filter(pk=board.pk).update(stage=Stage.EVALUATION)
    page = client.get(reverse("projects:public_project", args=[world.compound.pk, board.pk])).content.decode()
    assert "100.0%" in page  # one answer, score 5
    assert "2 户中已有 1 户评价" in page


def test_public_complaint_figures(client, world, board):
    Complaint.objects.update(status="resolved", response="ok", resolved_at=timezone.now() + timedelta(hours=1))
    page = client.get(reverse("projects:public_project", args=[world.compound.pk, board.pk])).content.decode()
    assert "夜间施工噪音" not in page
    assert "施工期间共收到投诉 1 件，已解决 1 件。" in page


def test_poster_links_to_the_noticeboard_with_a_qr_code(client, world, settings):
    settings.SITE_URL = "https://gaizao.example.cn/"
    client.force_login(world.staff)
    page = client.get(reverse("projects:poster", args=[world.compound.pk])).content.decode()
    url = f"https://gaizao.example.cn/c/{world.compound.pk}/"
    assert url in page
    expected_svg = segno.make(url, error="m").svg_inline(scale=10, border=2, dark="#000", light="#fff", omitsize=True)
    assert expected_svg in page  # the QR code encodes exactly this address
    assert expected_svg.startswith("<svg")
    assert "扫一扫" in page and "佳和园" in page
    assert "css/poster.css" in page  # its A4 print styles (a static file: the CSP forbids inline styles)
    assert "@media print" in (settings.BASE_DIR / "static/css/poster.css").read_text()


def test_poster_is_linked_from_the_community_overview(client, world):
    client.force_login(world.staff)
    page = client.get(reverse("projects:community", args=[world.community.pk])).content.decode()
    assert reverse("projects:poster", args=[world.compound.pk]) in page


def test_public_pages_offer_large_text_in_the_page(client, world, board):
    page = client.get(reverse("projects:noticeboard", args=[world.compound.pk])).content.decode()
    assert 'data-testid="page-text-size"' in page
    client.cookies["text_size"] = "large"
    page = client.get(reverse("projects:public_project", args=[world.compound.pk, board.pk])).content.decode()
    assert 'class="text-large"' in page


def test_timeline_photo_of_an_internal_entry_is_not_public(client, world, board):
    internal = TimelineEntry.objects.get(is_public=False)
    photo = internal.photos.create(image=photo_file())
    page = client.get(reverse("projects:public_project", args=[world.compound.pk, board.pk])).content.decode()
    assert photo.image.url not in page
