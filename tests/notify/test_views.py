"""The staff pages: send a reminder from the ballot page, follow its job, read the outbox
with masked phones, opt a number out in one click, record consent, print notices."""

from datetime import timedelta

import pytest
from django.urls import reverse

from notify.models import ContactConsent, Delivery, DeliveryStatus, Job, JobKind, JobStatus, Message, MessageChannel
from notify.services.jobs import run_send_job
from notify.tasks import make_notices
from projects.models import Channel
from tests import factories as f
from tests.ballots.conftest import vote

from .conftest import DAYTIME, tomorrow_morning

pytestmark = pytest.mark.django_db


@pytest.fixture
def ballot(world, stairwell):
    b = f.ballot(world)
    vote(b, stairwell[0])
    return b


def test_remind_households_that_have_not_voted_from_the_ballot_page(client, world, ballot, stairwell, settings):
    client.force_login(world.staff)
    page = client.get(reverse("consult:ballot", args=[ballot.pk]))
    remind = reverse("notify:ballot_remind", args=[ballot.pk])
    assert remind in page.content.decode()

    form = client.get(remind)
    assert form.status_code == 200 and form.context["reach"] == 5
    response = client.post(remind, {"kind": "ballot_opened", "channels": ["sms", "print"]})
    send_job = Job.objects.get(kind=JobKind.SEND)
    assert response.status_code == 302 and response.url == reverse("notify:job", args=[send_job.pk])

    run_send_job(send_job.pk, now_func=tomorrow_morning)
    notice_job = Job.objects.get(kind=JobKind.NOTICES)
    make_notices.call(notice_job.pk)

    job_page = client.get(response.url)
    assert job_page.context["job"].status == JobStatus.DONE and job_page.context["job"].done == 5
    outbox = client.get(reverse("notify:outbox", args=[world.community.pk]))
    rows = outbox.context["page_obj"]
    sms = next(m for m in rows if m.channel == MessageChannel.SMS)
    assert sms.n_sent == 5 and sms.n_failed == 0
    detail = client.get(reverse("notify:message", args=[sms.pk])).content.decode()
    assert "139****0001" in detail and "13900000001" not in detail  # masked on the outbox pages

    download = client.get(reverse("notify:job_file", args=[notice_job.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    html = b"".join(download.streaming_content).decode()
    assert html.count('class="notice"') == 1 and "<svg" in html and ballot.title in html


def test_a_refused_reminder_is_shown_next_to_the_form(client, world, stairwell):
    ballot = f.ballot(world)
    client.force_login(world.staff)
    response = client.post(
        reverse("notify:ballot_remind", args=[ballot.pk]), {"kind": "ballot_closing", "channels": ["sms"]}
    )
    assert response.status_code == 200 and "48" in response.content.decode()
    assert not Message.objects.exists()
    response = client.post(reverse("notify:ballot_remind", args=[ballot.pk]), {"kind": "ballot_opened"})
    assert response.status_code == 200 and response.context["form"].errors["channels"]


def test_one_click_opt_out_is_recorded_and_respected(client, world, ballot, stairwell):
    client.force_login(world.staff)
    client.post(reverse("notify:ballot_remind", args=[ballot.pk]), {"kind": "ballot_opened", "channels": ["sms"]})
    row = Delivery.objects.filter(household=stairwell[3]).get()
    response = client.post(reverse("notify:opt_out", args=[row.pk]), {"channel": Channel.PHONE})
    assert response.status_code == 302
    latest = ContactConsent.objects.filter(phone=stairwell[3].phone).first()
    assert (latest.granted, latest.entered_by, latest.channel) == (False, world.staff, Channel.PHONE)
    run_send_job(row.message.job_id, now_func=tomorrow_morning)
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SKIPPED


def test_consent_form_finds_the_household_and_refuses_bad_input(client, world):
    client.force_login(world.staff)
    url = reverse("notify:consent", args=[world.community.pk])
    ok = client.post(url, {"phone": "138 1234 1234", "address": "1-1-101", "granted": "True", "channel": "paper"})
    assert ok.status_code == 302
    consent = ContactConsent.objects.get()
    assert (consent.phone, consent.household, consent.granted) == ("13812341234", world.household, True)
    bad = client.post(url, {"phone": "12", "granted": "True", "channel": "paper"})
    assert bad.status_code == 200 and bad.context["form"].errors["phone"]
    nowhere = client.post(url, {"phone": "13812341234", "address": "9-9-909", "granted": "True", "channel": "paper"})
    assert nowhere.status_code == 200 and nowhere.context["form"].errors["address"]
    page = client.get(url).content.decode()
    assert "138****1234" in page and "13812341234" not in page


def test_stairwell_notice_page_has_a_qr_code_per_stairwell(client, world, stairwell):
    project = f.project(community=world.community)
    client.force_login(world.staff)
    starts = (DAYTIME + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    ends = (DAYTIME + timedelta(days=3, hours=8)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("notify:construction_notice", args=[project.pk]),
        {"what": "power", "buildings": [world.building.pk], "starts": starts, "ends": ends, "channels": ["print"]},
    )
    assert response.status_code == 302
    message = Message.objects.get()
    page = client.get(reverse("notify:notice", args=[message.pk])).content.decode()
    assert page.count('data-testid="notice-page"') == 1 and "<svg" in page and "停电" in page
    assert reverse("projects:noticeboard", args=[world.compound.pk]) in page


def test_construction_form_refuses_an_end_before_the_start(client, world):
    project = f.project(community=world.community)
    client.force_login(world.staff)
    response = client.post(
        reverse("notify:construction_notice", args=[project.pk]),
        {
            "what": "water",
            "buildings": [world.building.pk],
            "starts": "2026-05-02T09:00",
            "ends": "2026-05-01T09:00",
            "channels": ["sms"],
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["ends"]
