"""The date on a paper ballot (issue 10 needs it to show a late-entered paper was cast in
time): kept apart from when staff typed it in, optional, never in the future."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from consult.models import CastBallot, OptionKind
from consult.services import ballots as services

from .conftest import make_ballot, vote

pytestmark = pytest.mark.django_db


def enter(client, ballot, **data):
    data.setdefault("channel", "paper")
    data.setdefault("option", ballot.options.get(kind=OptionKind.FOR).pk)
    return client.post(reverse("consult:ballot_enter", args=[ballot.pk]), data)


def test_staff_enter_the_date_written_on_the_paper(client, world, tower):
    ballot = make_ballot(world)
    client.force_login(world.staff)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = enter(client, ballot, paper_serial="1", paper_date=yesterday.isoformat())
    assert response.status_code == 302 and f"paper_date={yesterday.isoformat()}" in response["Location"]
    cast = CastBallot.objects.get(ballot=ballot)
    assert cast.paper_date == yesterday and cast.cast_at.date() >= yesterday


def test_the_paper_date_stays_empty_unless_entered(client, world, tower):
    ballot = make_ballot(world)
    client.force_login(world.staff)
    enter(client, ballot, paper_serial="1")
    assert CastBallot.objects.get(ballot=ballot).paper_date is None


def test_a_paper_dated_in_the_future_is_refused_next_to_the_date(client, world, tower):
    ballot = make_ballot(world)
    client.force_login(world.staff)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with translation.override("zh-hans"):
        response = enter(client, ballot, paper_serial="1", paper_date=tomorrow.isoformat())
    assert response.status_code == 200
    assert response.context["form"].errors["paper_date"] == ["纸上的日期不能晚于今天。"]
    assert not CastBallot.objects.filter(ballot=ballot).exists()


def test_an_online_vote_has_no_paper_date(world, tower):
    ballot = make_ballot(world)
    with pytest.raises(services.BallotError):
        vote(ballot, world.household, paper_date=timezone.localdate())
