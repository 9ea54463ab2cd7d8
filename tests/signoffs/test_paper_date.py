"""The date on a paper sign-off form, kept apart from when it was entered (issue 10)."""

import datetime

import pytest
from django.urls import reverse

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
