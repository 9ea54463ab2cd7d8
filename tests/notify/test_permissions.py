"""Who may open the outbox pages and send: the community's office staff (and superusers).
Everyone else, building heads and departments included, gets 403; visitors without an
account are sent to log in. The outbox holds phones and households, so the sub-district's
read-only oversight does not reach it either."""

import pytest
from django.urls import reverse

from notify import triggers
from notify.models import ContactConsent, Delivery, Job, MessageChannel, MessageKind
from notify.services.outbox import queue
from projects.models import Channel
from projects.services import signoffs as signoff_services
from tests import factories as f
from tests.helpers import OFFICE, ROLES
from tests.signoffs.conftest import open_campaign

from .conftest import consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def things(world):
    t = type("Things", (), {})()
    consent(world.household, world.staff)
    t.ballot = f.ballot(world)
    done = queue(
        triggers.ballot_reminder(t.ballot, kind=MessageKind.BALLOT_OPENED),
        channels={MessageChannel.SMS, MessageChannel.PRINT},
        by=world.staff,
    )
    t.message = done.messages[1] if done.messages[0].channel == MessageChannel.PRINT else done.messages[0]
    t.delivery = Delivery.objects.filter(message=t.message).first()
    t.job = done.job
    t.meeting = f.meeting(world.community, world.staff, compound=world.compound)
    t.wish = f.wish(world.compound)
    t.project = f.project(community=world.community)
    t.project.buildings.set([world.building])
    t.campaign = open_campaign(t.project, world.staff)
    signoff_services.signoff_assign(
        campaign=t.campaign, households=[world.household], assignee=world.staff, by=world.admin
    )
    return t


PAGES = [
    ("notify:outbox", lambda w, t: w.community.pk),
    ("notify:jobs", lambda w, t: w.community.pk),
    ("notify:consent", lambda w, t: w.community.pk),
    ("notify:message", lambda w, t: t.message.pk),
    ("notify:notice", lambda w, t: t.message.pk),
    ("notify:job", lambda w, t: t.job.pk),
    ("notify:ballot_remind", lambda w, t: t.ballot.pk),
    ("notify:wish_answered", lambda w, t: t.wish.pk),
    ("notify:meeting_notice", lambda w, t: t.meeting.pk),
    ("notify:signoff_reminder", lambda w, t: t.campaign.pk),
    ("notify:construction_notice", lambda w, t: t.project.pk),
    ("notify:survey_notice", lambda w, t: t.project.pk),
]


def expected(role):
    if role in OFFICE:
        return 200
    return 302 if role in {"anonymous", "resident", "resident_elsewhere"} else 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,pk", PAGES, ids=[p[0] for p in PAGES])
def test_pages(client, act_as, world, things, role, name, pk):
    act_as(client, role)
    response = client.get(reverse(name, args=[pk(world, things)]))
    assert response.status_code == expected(role)
    if response.status_code == 302:
        assert reverse("login") in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_job_file_download(client, act_as, world, things, role, settings):
    notices = Job.objects.create(community=world.community, kind="notices", title="t", created_by=world.staff)
    path = settings.JOB_FILES_ROOT / f"{world.community.pk}/n.html"
    path.parent.mkdir(parents=True)
    path.write_text("<p>notice</p>")
    Job.objects.filter(pk=notices.pk).update(file_name=f"{world.community.pk}/n.html")
    act_as(client, role)
    response = client.get(reverse("notify:job_file", args=[notices.pk]))
    assert response.status_code == expected(role)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_office_sends_and_opts_out(client, act_as, world, things, role):
    act_as(client, role)
    before = Job.objects.count()
    client.post(reverse("notify:survey_notice", args=[things.project.pk]), {"channels": ["print"]})
    assert (Job.objects.count() > before) == (role in OFFICE)
    client.post(reverse("notify:opt_out", args=[things.delivery.pk]), {"channel": Channel.PHONE})
    opted_out = ContactConsent.objects.filter(granted=False).exists()
    assert opted_out == (role in OFFICE)
    response = client.post(reverse("notify:job_resume", args=[things.job.pk]))
    assert response.status_code == (302 if role in OFFICE else expected(role))


def test_staff_of_another_community_cannot_reach_this_outbox_by_id(client, world, things):
    client.force_login(world.other_staff)
    for name, pk in PAGES:
        assert client.get(reverse(name, args=[pk(world, things)])).status_code == 403
    assert client.post(reverse("notify:opt_out", args=[things.delivery.pk]), {"channel": "phone"}).status_code == 403


def test_consent_for_another_communitys_household_is_refused(client, world):
    client.force_login(world.staff)
    url = reverse("notify:consent", args=[world.other_community.pk])
    assert client.post(url, {"phone": "13812341234", "granted": "True", "channel": "paper"}).status_code == 403
