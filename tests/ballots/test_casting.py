"""Casting, voiding and counting through the services: one ballot per household, paper
serials, the eligible snapshot, and the ballot's life cycle."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from consult.models import Ballot, BallotStatus, CastBallot, EligibleHousehold, OptionKind, ScopeKind
from consult.selectors.ballots import tally
from consult.services import ballots as services
from projects.models import Channel
from tests import factories as f

from .conftest import make_ballot, option, vote

pytestmark = pytest.mark.django_db


def test_opening_snapshots_households_areas_and_numbers_the_papers(world, tower):
    ballot = make_ballot(world)
    rows = list(EligibleHousehold.objects.filter(ballot=ballot).order_by("serial"))
    assert [r.serial for r in rows] == list(range(1, 11))
    assert rows[0].household == world.household and rows[0].area == Decimal("60.00")
    assert rows[0].paper_serial == f"{ballot.pk}-0001"
    assert list(ballot.noticeboard_compounds.all()) == [world.compound]
    assert ballot.events.filter(action="opened").exists()


def test_registry_edits_after_opening_do_not_change_the_count(world, tower):
    ballot = make_ballot(world)
    vote(ballot, world.household)
    before = tally(ballot)
    world.household.area = Decimal("500.00")
    world.household.save()
    f.household(unit=world.unit, room="1001", floor=10, area=Decimal("90.00"))  # moved in after opening
    after = tally(ballot)
    assert (
        (after.eligible_heads, after.eligible_area)
        == (before.eligible_heads, before.eligible_area)
        == (
            10,
            Decimal("780.00"),
        )
    )
    assert after.participating_area == Decimal("60.00")


def test_second_ballot_for_a_household_is_refused_with_a_clear_message(world, tower):
    ballot = make_ballot(world)
    vote(ballot, world.household)
    with pytest.raises(services.AlreadyVoted) as refused:
        vote(ballot, world.household, OptionKind.AGAINST)
    assert "每户只能投一次" in refused.value.message
    with pytest.raises(services.AlreadyVoted) as refused:
        vote(ballot, world.household, by=world.staff, channel=Channel.PAPER, paper_serial=f"{ballot.pk}-0001")
    assert "先注明原因作废" in refused.value.message  # staff are told the way back
    assert CastBallot.objects.filter(ballot=ballot).count() == 1


def test_database_refuses_two_valid_ballots_even_without_the_service(world, tower):
    ballot = make_ballot(world)
    first = vote(ballot, world.household)
    with pytest.raises(IntegrityError), transaction.atomic():
        CastBallot.objects.create(
            ballot=ballot,
            eligible=first.eligible,
            household=world.household,
            option=option(ballot, OptionKind.AGAINST),
            channel=Channel.ONLINE,
            cast_at=timezone.now(),
        )


def test_reused_paper_serial_is_rejected(world, tower):
    ballot = make_ballot(world)
    second = tower[1]
    vote(ballot, world.household, by=world.staff, channel=Channel.PAPER, paper_serial="A-17")
    with pytest.raises(services.SerialReused) as refused:
        vote(ballot, second, by=world.staff, channel=Channel.PAPER, paper_serial="a-17 ")
    assert "A-17" in refused.value.message and "只能用一次" in refused.value.message
    assert not CastBallot.objects.filter(household=second).exists()


def test_paper_serial_is_unique_in_the_database_too(world, tower):
    ballot = make_ballot(world)
    vote(ballot, world.household, by=world.staff, channel=Channel.PAPER, paper_serial="A-17")
    eligible = EligibleHousehold.objects.get(ballot=ballot, household=tower[1])
    with pytest.raises(IntegrityError), transaction.atomic():
        CastBallot.objects.create(
            ballot=ballot,
            eligible=eligible,
            household=tower[1],
            option=option(ballot),
            channel=Channel.PAPER,
            paper_reference="A-17",
            entered_by=world.staff,
            cast_at=timezone.now(),
        )


def test_printed_serial_names_its_household(world, tower):
    ballot = make_ballot(world)
    eligible, text = services.resolve_paper_serial(ballot, "3")
    assert eligible.serial == 3 and text == f"{ballot.pk}-0003"
    eligible, text = services.resolve_paper_serial(ballot, f" {ballot.pk}-0003 ")
    assert eligible.serial == 3
    assert services.resolve_paper_serial(ballot, "a-17") == (None, "A-17")  # hand-numbered paper
    with pytest.raises(services.BallotError, match="1 至 10"):
        services.resolve_paper_serial(ballot, "11")
    with pytest.raises(services.BallotError, match="不是本表决"):
        services.resolve_paper_serial(ballot, f"{ballot.pk + 1}-0003")


def test_void_then_vote_again(world, tower):
    ballot = make_ballot(world)
    first = vote(ballot, world.household, by=world.staff, channel=Channel.PAPER, paper_serial=f"{ballot.pk}-0001")
    with pytest.raises(services.BallotError):
        services.void_cast_ballot(cast=first, by=world.staff, reason="  ")
    services.void_cast_ballot(cast=first, by=world.staff, reason="录错了户号")
    first.refresh_from_db()
    assert first.voided_by == world.staff and first.void_reason == "录错了户号" and first.voided_at
    with pytest.raises(services.BallotError, match="已经作废"):
        services.void_cast_ballot(cast=first, by=world.staff, reason="again")
    # the same paper may be entered again, correctly this time
    again = vote(
        ballot,
        world.household,
        OptionKind.AGAINST,
        by=world.staff,
        channel=Channel.PAPER,
        paper_serial=f"{ballot.pk}-0001",
    )
    assert CastBallot.objects.filter(ballot=ballot).count() == 2  # nothing deleted
    result = tally(ballot)
    assert result.participating_heads == 1
    assert {o.option.kind: o.heads for o in result.options}[OptionKind.AGAINST] == 1
    assert again.is_valid


def test_household_outside_the_scope_cannot_vote(world, tower):
    ballot = make_ballot(world)
    with pytest.raises(services.BallotError, match="不在本次表决的范围内"):
        vote(ballot, world.other_household)
    with pytest.raises(services.BallotError, match="不在本次表决的范围内"):
        vote(ballot, world.foreign_household)


def test_option_of_another_ballot_is_refused(world, tower):
    ballot = make_ballot(world)
    other = make_ballot(world)
    with pytest.raises(services.BallotError, match="不属于"):
        services.cast_ballot(ballot=ballot, household=world.household, option=option(other), channel=Channel.ONLINE)


def test_proxy_entries_record_the_staff_member(world, tower):
    ballot = make_ballot(world)
    with pytest.raises(services.BallotError, match="录入人"):
        services.cast_ballot(ballot=ballot, household=world.household, option=option(ballot), channel=Channel.PHONE)
    cast = vote(ballot, world.household, by=world.staff, channel=Channel.PHONE)
    assert cast.entered_by == world.staff and cast.channel == Channel.PHONE


def test_meeting_ballot_needs_a_meeting_of_this_community(world, tower):
    from consult.models import Meeting

    ballot = make_ballot(world)
    with pytest.raises(services.BallotError, match="会议"):
        vote(ballot, world.household, by=world.staff, channel=Channel.MEETING)
    foreign = Meeting.objects.create(
        community=world.other_community, topic="其他社区", starts_at=timezone.now(), place="活动室"
    )
    with pytest.raises(services.BallotError, match="其他社区"):
        vote(ballot, world.household, by=world.staff, channel=Channel.MEETING, meeting=foreign)
    meeting = Meeting.objects.create(
        community=world.community, topic="拉家常", starts_at=timezone.now(), place="活动室"
    )
    cast = vote(ballot, world.household, by=world.staff, channel=Channel.MEETING, meeting=meeting)
    assert cast.meeting == meeting


class TestLifeCycle:
    def test_draft_takes_no_votes_and_cannot_be_counted(self, world, tower):
        ballot = make_ballot(world, open_it=False)
        with pytest.raises(services.BallotError, match="尚未开始"):
            services.cast_ballot(ballot=ballot, household=world.household, option=option(ballot), channel="online")
        with pytest.raises(services.BallotError):
            services.ballot_close(ballot=ballot, by=world.admin, now=timezone.now() + timedelta(days=30))

    def test_scheduled_ballot_opens_at_its_time(self, world, tower):
        now = timezone.now()
        ballot = make_ballot(world, opens_in=timedelta(days=1), now=now)
        with pytest.raises(services.BallotError, match="尚未开始"):
            vote(ballot, world.household, now=now)
        assert vote(ballot, world.household, now=now + timedelta(days=1, minutes=1))

    def test_online_stops_at_closing_but_staff_may_enter_collected_papers_until_counted(self, world, tower):
        now = timezone.now()
        ballot = make_ballot(world, now=now)
        late = ballot.closes_at + timedelta(minutes=1)
        with pytest.raises(services.BallotError, match="截止"):
            vote(ballot, world.household, now=late)
        vote(
            ballot,
            world.household,
            by=world.staff,
            channel=Channel.PAPER,
            paper_serial="1",
            paper_date=ballot.last_voting_day,
            now=late,
        )
        with pytest.raises(services.BallotError, match="截止后计票"):
            services.ballot_close(ballot=ballot, by=world.admin, now=ballot.closes_at - timedelta(seconds=1))
        result = services.ballot_close(ballot=ballot, by=world.admin, now=late)
        ballot.refresh_from_db()
        assert ballot.status == BallotStatus.CLOSED and ballot.passed is False and result.participating_heads == 1
        with pytest.raises(services.BallotError, match="已计票"):
            vote(ballot, tower[1], by=world.staff, channel=Channel.PAPER, paper_serial="2", now=late)
        cast = CastBallot.objects.get(ballot=ballot)
        with pytest.raises(services.BallotError, match="已计票"):
            services.void_cast_ballot(cast=cast, by=world.staff, reason="too late")

    def test_publish_sets_the_notice_period_and_objections_follow_it(self, world, tower):
        now = timezone.now()
        ballot = make_ballot(world, now=now)
        for household in tower:
            vote(ballot, household, now=now)
        end = ballot.closes_at + timedelta(hours=1)
        with pytest.raises(services.BallotError, match="请先计票"):
            services.ballot_publish(ballot=ballot, by=world.admin, now=end)
        services.ballot_close(ballot=ballot, by=world.admin, now=end)
        with pytest.raises(services.BallotError, match="公布后"):
            services.objection_record(ballot=ballot, household=world.household, text="x", channel="online", now=end)
        ballot = services.ballot_publish(ballot=ballot, by=world.admin, notice_days=20, now=end)
        assert ballot.notice_ends_at == end + timedelta(days=20) and ballot.passed is True
        with pytest.raises(services.BallotError, match="已经公布"):
            services.ballot_publish(ballot=ballot, by=world.admin, now=end)
        objection = services.objection_record(
            ballot=ballot, household=world.household, text="采光受影响", channel=Channel.ONLINE, now=end
        )
        services.objection_reply(objection=objection, reply="已协调补偿", by=world.staff, now=end)
        objection.refresh_from_db()
        assert objection.replied_by == world.staff
        after = ballot.notice_ends_at + timedelta(minutes=1)
        with pytest.raises(services.BallotError, match="公示期已结束"):
            services.objection_record(
                ballot=ballot, household=world.household, text="晚了", channel="online", now=after
            )
        # staff may still record one that arrived by letter in time
        assert services.objection_record(
            ballot=ballot, name="王先生", text="信件", channel=Channel.OFFICE, entered_by=world.staff, now=after
        )

    def test_extend_only_later_and_with_a_reason(self, world, tower):
        ballot = make_ballot(world)
        with pytest.raises(services.BallotError):
            services.ballot_extend(
                ballot=ballot, closes_at=ballot.closes_at - timedelta(days=1), by=world.admin, reason="x"
            )
        with pytest.raises(services.BallotError):
            services.ballot_extend(
                ballot=ballot, closes_at=ballot.closes_at + timedelta(days=1), by=world.admin, reason=""
            )
        later = ballot.closes_at + timedelta(days=3)
        services.ballot_extend(ballot=ballot, closes_at=later, by=world.admin, reason="老人多，需要更多时间")
        ballot.refresh_from_db()
        assert ballot.closes_at == later and ballot.events.filter(action="extended").exists()

    def test_cancel_keeps_ballots_and_needs_a_reason(self, world, tower):
        ballot = make_ballot(world)
        vote(ballot, world.household)
        with pytest.raises(services.BallotError):
            services.ballot_cancel(ballot=ballot, by=world.admin, reason=" ")
        services.ballot_cancel(ballot=ballot, by=world.admin, reason="范围选错")
        ballot.refresh_from_db()
        assert ballot.status == BallotStatus.CANCELLED and CastBallot.objects.filter(ballot=ballot).count() == 1
        with pytest.raises(services.BallotError):
            vote(ballot, tower[1])

    def test_opening_an_empty_scope_is_refused_and_leaves_a_draft(self, world):
        empty_unit = f.unit(building=world.building)
        ballot = make_ballot(world, target=empty_unit, open_it=False)
        with pytest.raises(services.BallotError, match="没有住户"):
            services.ballot_open(ballot=ballot, by=world.admin)
        ballot.refresh_from_db()
        assert ballot.status == BallotStatus.DRAFT and not EligibleHousehold.objects.filter(ballot=ballot).exists()

    def test_draft_edit_and_open_ballot_refuses_edits(self, world, tower):
        ballot = make_ballot(world, open_it=False)
        now = timezone.now()
        fields = dict(
            title="改后的问题",
            description="",
            option_set="agree",
            options=services.agree_options(),
            rule="art278_major",
            custom_thresholds=[],
            scope_kind=ScopeKind.BUILDING,
            target=world.building,
            meeting=None,
            opens_at=now,
            closes_at=now + timedelta(days=3),
            notice_days=10,
            by=world.admin,
        )
        services.ballot_update(ballot=ballot, **fields)
        ballot.refresh_from_db()
        assert ballot.title == "改后的问题" and ballot.building == world.building and ballot.unit is None
        services.ballot_open(ballot=ballot, by=world.admin)
        with pytest.raises(services.BallotError, match="只有草稿"):
            services.ballot_update(ballot=ballot, **fields)


def test_project_scope_uses_the_affected_households(world, tower):
    project = f.project(community=world.community)
    project.buildings.add(world.other_building)
    ballot = make_ballot(world, scope_kind=ScopeKind.PROJECT, target=project)
    assert set(EligibleHousehold.objects.filter(ballot=ballot).values_list("household", flat=True)) == {
        world.other_household.pk
    }


def test_invalid_definitions_are_refused(world):
    now = timezone.now()
    common = dict(
        community=world.community,
        title="x",
        scope_kind=ScopeKind.UNIT,
        target=world.unit,
        opens_at=now,
        closes_at=now + timedelta(days=1),
        by=world.admin,
    )
    with pytest.raises(services.BallotError, match="至少需要两个方案"):
        services.ballot_create(
            option_set="choice",
            options=services.choice_options(["A"], with_abstain=True),
            rule="simple_majority",
            **common,
        )
    with pytest.raises(services.BallotError, match="自定义比例"):
        services.ballot_create(
            option_set="agree", options=services.agree_options(), rule="custom", custom_thresholds=[], **common
        )
    with pytest.raises(services.BallotError, match="截止时间必须晚于"):
        services.ballot_create(
            option_set="agree", options=services.agree_options(), rule="simple_majority", **{**common, "closes_at": now}
        )
    assert not Ballot.objects.exists()
