"""The date on a paper sign-off form, kept apart from when it was entered (issue 10)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from projects.errors import ServiceError
from projects.models import SignoffEvent
from projects.models import SignoffStatus as S
from projects.services import signoffs as svc

from .conftest import at


def agree(so, household, day, **kw):
    return svc.signoff_record_status(
        campaign=so.campaign,
        household=household,
        status=S.AGREED,
        by=so.world.staff,
        channel="paper",
        now=at(day),
        signer_name="王秀兰",
        signed_on=at(day).date(),
        **kw,
    )


def test_the_paper_date_is_kept_apart_from_the_entry_time(so):
    written = at(1).date()
    event = agree(so, so.households[0], day=5, paper_reference="1-1-01", paper_date=written)
    event.refresh_from_db()
    assert event.paper_date == written and event.recorded_at == at(5)


def test_a_paper_dated_after_the_day_it_is_entered_is_refused(so):
    with pytest.raises(ServiceError) as refused:
        agree(so, so.households[0], day=1, paper_date=at(1).date() + datetime.timedelta(days=1))
    assert refused.value.field == "paper_date"
    assert not SignoffEvent.objects.filter(campaign=so.campaign).exists()


def test_the_household_page_form_passes_the_paper_date(so, client):
    client.force_login(so.world.staff)
    household = so.households[0]
    written = datetime.date.today() - datetime.timedelta(days=2)
    url = reverse("projects:signoff_household", args=[so.campaign.pk, household.pk])
    response = client.post(
        url,
        {
            "action": "status",
            "status": "agreed",
            "channel": "paper",
            "signer_name": "王秀兰",
            "signer_relation": "owner",
            "signed_on": written.isoformat(),
            "paper_reference": "1-1-02",
            "paper_date": written.isoformat(),
        },
    )
    assert response.status_code == 302
    assert SignoffEvent.objects.get(campaign=so.campaign, household=household).paper_date == written


def test_a_paper_dated_after_the_closing_date_is_refused_even_when_entered_later(so):
    so.campaign.deadline = at(3).date()
    so.campaign.save(update_fields=["deadline"])
    with pytest.raises(ServiceError) as refused:
        agree(so, so.households[0], day=6, paper_reference="1-1-03", paper_date=at(4).date())
    assert refused.value.field == "paper_date"
    assert not SignoffEvent.objects.filter(campaign=so.campaign).exists()


def test_a_paper_dated_on_the_closing_date_counts_when_entered_later(so):
    so.campaign.deadline = at(3).date()
    so.campaign.save(update_fields=["deadline"])
    event = agree(so, so.households[0], day=6, paper_reference="1-1-04", paper_date=at(3).date())
    assert event.paper_date == at(3).date() and event.recorded_at == at(6)


def test_the_household_page_shows_the_late_paper_refusal_in_chinese_next_to_the_date(so, client):
    today = datetime.date.today()
    so.campaign.deadline = today - datetime.timedelta(days=3)
    so.campaign.save(update_fields=["deadline"])
    client.force_login(so.world.staff)
    household = so.households[0]
    written = today - datetime.timedelta(days=1)
    with translation.override("zh-hans"):
        response = client.post(
            reverse("projects:signoff_household", args=[so.campaign.pk, household.pk]),
            {
                "action": "status",
                "status": "agreed",
                "channel": "paper",
                "signer_name": "王秀兰",
                "signer_relation": "owner",
                "signed_on": written.isoformat(),
                "paper_reference": "1-1-05",
                "paper_date": written.isoformat(),
            },
        )
    assert response.status_code == 400  # the household page answers a refused form with 400
    (message,) = response.context["status_form"].errors["paper_date"]
    assert message == (
        f"纸上的日期是 {written.isoformat()}，晚于截止日 {so.campaign.deadline.isoformat()}：填写得太晚，不能计入。"
    )
    assert not SignoffEvent.objects.filter(campaign=so.campaign).exists()
