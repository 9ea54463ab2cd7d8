"""The wish list's pieces on other pages: noticeboard, household page, overview, meeting, project."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from consult.hooks.wishes import household_context
from consult.models import Meeting, WishStatus
from consult.services.wishes import support_add, wish_change_status
from projects.models import Channel
from projects.sections import household_sections
from tests import factories as f

from .conftest import make_wish, neighbours

pytestmark = pytest.mark.django_db


def test_noticeboard_lists_the_most_supported_open_wishes(client, world):
    popular = make_wish(world.compound, title="加装电梯", contact_name="王秀英")
    for h in neighbours(world, 3):
        support_add(wish=popular, household=h)
    declined = make_wish(world.compound, title="拆掉围墙")
    wish_change_status(wish=declined, to_status=WishStatus.DECLINED, by=world.staff, response="涉及结构安全")
    make_wish(world.other_compound, title="别的小区的愿望")
    html = client.get(reverse("projects:noticeboard", args=[world.compound.pk])).content.decode()
    assert "愿望清单" in html and "加装电梯" in html and "我要提愿望" in html
    assert "拆掉围墙" not in html and "别的小区的愿望" not in html and "王秀英" not in html
    assert reverse("consult:wish_submit", args=[world.compound.pk]) in html


def test_household_section_shows_own_wishes_and_supports(world):
    own = make_wish(world.compound, household=world.household, title="我家楼道灯")
    other = make_wish(world.compound, household=world.other_household, title="邻居的电梯")
    support_add(wish=other, household=world.household)
    make_wish(world.compound, household=world.other_household, title="与我无关")
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    context = household_context(world.household, request)
    assert [w.title for w in context["own"]] == [own.title]
    assert [w.title for w in context["supported"]] == [other.title]
    rendered = dict((s.key, c) for s, c in household_sections.render_list(world.household, request))
    assert "wishes" in rendered


def test_overview_panel_counts_for_staff_only(client, world):
    make_wish(world.compound)
    url = reverse("projects:community", args=[world.community.pk])
    client.force_login(world.staff)
    html = client.get(url).content.decode()
    assert "待受理" in html and reverse("consult:wish_queue", args=[world.community.pk]) in html


def test_meeting_page_lists_wishes_raised_there(client, world):
    meeting = Meeting.objects.create(
        community=world.community, topic="拉家常", starts_at=timezone.now(), place="小广场"
    )
    make_wish(world.compound, by=world.staff, channel=Channel.MEETING, meeting=meeting, title="广场装路灯")
    make_wish(world.compound, by=world.staff, channel=Channel.PHONE, title="不是会上提的")
    client.force_login(world.staff)
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "本次会议提出的愿望" in html and "广场装路灯" in html and "不是会上提的" not in html
    assert f"meeting={meeting.pk}" in html  # the entry link keeps the meeting


def test_project_page_lists_the_wishes_it_answers(client, world):
    project = f.project(community=world.community, title="北门适老化改造")
    wish = make_wish(world.compound, title="楼道扶手")
    wish_change_status(wish=wish, to_status=WishStatus.ACCEPTED, by=world.staff)
    wish_change_status(wish=wish, to_status=WishStatus.PLANNED, by=world.staff, project=project)
    client.force_login(world.staff)
    html = client.get(project.get_absolute_url()).content.decode()
    assert "本项目回应的愿望" in html and "楼道扶手" in html


def test_nav_tab_for_the_wish_queue(client, world):
    client.force_login(world.staff)
    html = client.get(reverse("projects:community", args=[world.community.pk])).content.decode()
    assert "愿望清单" in html and reverse("consult:wish_queue", args=[world.community.pk]) in html
