"""Query counts stay flat as the wish list grows: each page is measured at 5 and at 50."""

import pytest
from django.urls import reverse
from django.utils import timezone

from consult.counts import recount_supports
from consult.models import Meeting, Support, Wish, WishStatus, WishStatusChange
from consult.services.wishes import wish_change_status
from projects.models import Channel
from tests import factories as f
from tests import page_budgets

from .conftest import make_wish, neighbours

pytestmark = pytest.mark.django_db

SIZES = [5, 50]


def fill(world, n, *, meeting=None, project=None):
    """``n`` wishes (some from households, some merged, some planned), each with support."""
    households = neighbours(world, n)
    wishes = []
    for i, household in enumerate(households):
        wish = make_wish(
            world.compound,
            household=household if i % 2 else None,
            by=world.staff if meeting else None,
            channel=Channel.MEETING if meeting else None,
            meeting=meeting,
            building=world.building if i % 3 else world.other_building,
            title=f"愿望{i}",
        )
        wishes.append(wish)
    rows = [
        Support(wish=w, household=h, channel=Channel.ONLINE, created_at=timezone.now())
        for w in wishes
        for h in households[:3]
        if not Support.objects.filter(wish=w, household=h).exists()
    ]
    Support.objects.bulk_create(rows)
    recount_supports()  # the bulk rows went around the services that keep the count
    if project is not None:
        for w in wishes:
            wish_change_status(wish=w, to_status=WishStatus.ACCEPTED, by=world.staff)
            wish_change_status(wish=w, to_status=WishStatus.PLANNED, by=world.staff, project=project)
    else:
        wish_change_status(wish=wishes[0], to_status=WishStatus.MERGED, by=world.staff, merge_into=wishes[1])
    return wishes


@pytest.mark.parametrize("n", SIZES)
def test_public_list(client, act_as, world, n, django_assert_max_num_queries):
    fill(world, n)
    act_as(client, world.household)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("consult:wish_list", args=[world.compound.pk]), {"page": 1})
    assert response.status_code == 200 and len(response.context["page_obj"]) == min(n - 1, 20)


@pytest.mark.parametrize("n", SIZES)
def test_triage_queue(client, world, n, django_assert_max_num_queries):
    fill(world, n)
    client.force_login(world.staff)
    # 16: the submitters' addresses come in three small queries for the shown page, instead
    # of three more joins in a query PostgreSQL spent longer planning than running.
    with django_assert_max_num_queries(16):
        response = client.get(reverse("consult:wish_queue", args=[world.community.pk]))
    assert response.status_code == 200 and len(response.context["page_obj"]) == n


@pytest.mark.parametrize("n", SIZES)
def test_public_wish_page(client, act_as, world, n, django_assert_max_num_queries):
    wishes = fill(world, n)
    target = wishes[1]
    for other in wishes[2:]:  # every other wish merged in: long history, many supports
        wish_change_status(wish=other, to_status=WishStatus.MERGED, by=world.staff, merge_into=target)
    act_as(client, world.household)
    with django_assert_max_num_queries(10):
        response = client.get(target.get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["merged_here"]) == n - 1


@pytest.mark.parametrize("n", SIZES)
def test_staff_wish_page(client, world, n, django_assert_max_num_queries):
    wishes = fill(world, n)
    target = wishes[1]
    for other in wishes[2:]:
        wish_change_status(wish=other, to_status=WishStatus.MERGED, by=world.staff, merge_into=target)
    client.force_login(world.staff)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("consult:wish_manage", args=[target.pk]))
    assert response.status_code == 200
    assert WishStatusChange.objects.filter(wish=target).count() >= n - 1


@pytest.mark.parametrize("n", SIZES)
def test_supports_page(client, world, n, django_assert_max_num_queries):
    wishes = fill(world, n)
    target = wishes[1]
    for other in wishes[2:]:
        wish_change_status(wish=other, to_status=WishStatus.MERGED, by=world.staff, merge_into=target)
    client.force_login(world.staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("consult:wish_supports", args=[target.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("n", SIZES)
def test_noticeboard_section(client, world, n, django_assert_max_num_queries):
    fill(world, n)
    with django_assert_max_num_queries(page_budgets.NOTICEBOARD):
        response = client.get(reverse("projects:noticeboard", args=[world.compound.pk]))
    assert "愿望" in response.content.decode() or "Wish list" in response.content.decode()


@pytest.mark.parametrize("n", SIZES)
def test_meeting_and_project_panels(client, world, n, django_assert_max_num_queries):
    meeting = Meeting.objects.create(
        community=world.community, topic="拉家常", starts_at=timezone.now(), place="小广场"
    )
    project = f.project(community=world.community)
    fill(world, n, meeting=meeting, project=project)
    client.force_login(world.staff)
    with django_assert_max_num_queries(page_budgets.MEETING_PAGE):
        assert client.get(meeting.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(page_budgets.PROJECT_PAGE):
        response = client.get(project.get_absolute_url())
    assert response.status_code == 200
    assert Wish.objects.filter(project=project).count() == n


@pytest.mark.parametrize("n", SIZES)
def test_export(client, world, n, django_assert_max_num_queries):
    fill(world, n)
    client.force_login(world.staff)
    with django_assert_max_num_queries(9):  # the ids in order, then the rows 2,000 at a time
        response = client.get(reverse("consult:wish_export", args=[world.community.pk]))
        content = b"".join(response.streaming_content)  # the rows are read while it is sent
    assert response.status_code == 200 and content.startswith(b"PK")
