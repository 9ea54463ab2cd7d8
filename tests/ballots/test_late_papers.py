"""Paper that proves itself (issue 10): a ballot collected before closing may be typed in
after it, but only with the date written on it, and never dated after the last day of
voting. The tally says how many came in that way, per channel, in one GROUP BY."""

import datetime
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from consult.models import CastBallot, OptionKind
from consult.selectors.ballots import channel_counts, stored_result
from consult.services import ballots as services
from projects.models import Channel

from .conftest import make_ballot, vote

pytestmark = pytest.mark.django_db


def closed_ballot(world, *, days_ago=2):
    """A ballot whose voting ended ``days_ago`` days ago (still open for staff entries)."""
    now = timezone.now()
    return make_ballot(world, now=now - timedelta(days=7 + days_ago))


def paper(ballot, household, serial, *, by, paper_date=None, now=None, kind=OptionKind.FOR):
    return vote(
        ballot,
        household,
        kind,
        by=by,
        channel=Channel.PAPER,
        paper_serial=serial,
        paper_date=paper_date,
        now=now,
    )


def test_a_late_entered_paper_dated_on_the_last_day_is_counted(world, tower):
    ballot = closed_ballot(world)
    cast = paper(ballot, tower[1], "2", by=world.staff, paper_date=ballot.last_voting_day)
    assert cast.cast_at > ballot.closes_at and cast.paper_date == ballot.last_voting_day


def test_a_paper_dated_after_the_last_day_is_refused(world, tower):
    ballot = closed_ballot(world)
    late = ballot.last_voting_day + timedelta(days=1)
    with pytest.raises(services.BallotError) as refused:
        paper(ballot, tower[1], "2", by=world.staff, paper_date=late)
    assert refused.value.field == "paper_date"
    assert not CastBallot.objects.filter(ballot=ballot).exists()


def test_a_paper_dated_after_closing_is_refused_even_while_voting_is_open(world, tower):
    """The check is against the closing day, not the typing day: a paper cannot be dated after it."""
    ballot = make_ballot(world, lasts=timedelta(hours=2))
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(services.BallotError):
        paper(ballot, tower[1], "2", by=world.staff, paper_date=tomorrow, now=timezone.now())


def test_entered_after_closing_without_a_date_is_refused(world, tower):
    ballot = closed_ballot(world)
    with pytest.raises(services.BallotError) as refused:
        paper(ballot, tower[1], "2", by=world.staff)
    assert refused.value.field == "paper_date"


def test_the_last_voting_day_of_a_ballot_closing_at_midnight_is_the_day_before(world):
    ballot = make_ballot(world)
    midnight = timezone.make_aware(datetime.datetime(2026, 3, 10, 0, 0))
    ballot.closes_at = midnight
    assert ballot.last_voting_day == datetime.date(2026, 3, 9)
    ballot.closes_at = midnight + timedelta(hours=18)
    assert ballot.last_voting_day == datetime.date(2026, 3, 10)


def test_the_entry_form_puts_the_late_date_refusal_next_to_the_field_in_chinese(client, world, tower):
    ballot = closed_ballot(world, days_ago=3)
    client.force_login(world.staff)
    late = ballot.last_voting_day + timedelta(days=1)
    with translation.override("zh-hans"):
        response = client.post(
            reverse("consult:ballot_enter", args=[ballot.pk]),
            {
                "channel": "paper",
                "paper_serial": "2",
                "option": ballot.options.get(kind=OptionKind.FOR).pk,
                "paper_date": late.isoformat(),
            },
        )
        missing = client.post(
            reverse("consult:ballot_enter", args=[ballot.pk]),
            {"channel": "paper", "paper_serial": "2", "option": ballot.options.get(kind=OptionKind.FOR).pk},
        )
    assert response.status_code == 200
    assert response.context["form"].errors["paper_date"] == [
        f"纸上的日期是 {late.isoformat()}，晚于截止日 {ballot.last_voting_day.isoformat()}：填写得太晚，不能计入。"
    ]
    (message,) = missing.context["form"].errors["paper_date"]
    assert message.startswith("投票已于") and "纸上的日期" in message
    assert not CastBallot.objects.filter(ballot=ballot).exists()


def test_tally_by_channel_counts_the_late_entered_papers(world, tower):
    ballot = make_ballot(world, now=timezone.now() - timedelta(days=7, hours=-1))
    in_time = ballot.closes_at - timedelta(minutes=30)
    vote(ballot, tower[0], now=in_time)  # online
    paper(ballot, tower[1], "2", by=world.staff, now=in_time)
    vote(ballot, tower[2], by=world.staff, channel=Channel.HOME_VISIT, now=in_time)
    after = ballot.closes_at + timedelta(minutes=30)
    paper(ballot, tower[3], "4", by=world.staff, paper_date=ballot.last_voting_day, now=after)
    paper(ballot, tower[4], "5", by=world.staff, paper_date=ballot.last_voting_day - timedelta(days=1), now=after)
    voided = paper(ballot, tower[5], "6", by=world.staff, paper_date=ballot.last_voting_day, now=after)
    services.void_cast_ballot(cast=voided, by=world.staff, reason="录错了户", now=after)
    with CaptureQueriesContext(connection) as queries:
        counts = {c.channel: (c.n, c.entered_after_closing) for c in channel_counts(ballot)}
    assert len(queries) == 1
    assert counts == {Channel.PAPER: (3, 2), Channel.ONLINE: (1, 0), Channel.HOME_VISIT: (1, 0)}


def test_the_counted_result_keeps_the_channels_for_the_published_pages(client, world, tower):
    ballot = make_ballot(world, now=timezone.now() - timedelta(days=7, hours=-1))
    vote(ballot, tower[0], now=ballot.closes_at - timedelta(minutes=5))
    paper(ballot, tower[1], "2", by=world.staff, paper_date=ballot.last_voting_day, now=timezone.now())
    services.ballot_close(ballot=ballot, by=world.admin)
    services.ballot_publish(ballot=ballot, by=world.admin)
    ballot.refresh_from_db()
    result = stored_result(ballot, list(ballot.options.all()))
    assert {c.channel: c.n for c in result.channels} == {Channel.ONLINE: 1, Channel.PAPER: 1}
    assert result.entered_after_closing == 1
    with translation.override("zh-hans"):
        public = client.get(reverse("consult:ballot_public", args=[ballot.pk])).content.decode()
        notice = client.get(reverse("consult:ballot_notice", args=[ballot.pk])).content.decode()
    for body in (public, notice):
        assert 'data-testid="channels"' in body and "截止后录入" in body
        assert tower[1].owner_names not in body and tower[1].room not in body


def test_the_staff_page_shows_the_channels_while_counting(client, world, tower):
    ballot = closed_ballot(world)
    paper(ballot, tower[1], "2", by=world.staff, paper_date=ballot.last_voting_day)
    client.force_login(world.staff)
    response = client.get(ballot.get_absolute_url())
    assert [(c.channel, c.n, c.entered_after_closing) for c in response.context["channels"]] == [(Channel.PAPER, 1, 1)]
    assert response.context["late_entries"] == 1
