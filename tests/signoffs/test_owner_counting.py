"""Sign-off campaigns as owners' decisions or residents' consultations (issue 10): the same
answers give owner heads or household heads; a rule that counts area refuses to open, or
to be switched to, while a household in scope has no recorded area, naming the rooms."""

import pytest

from projects.errors import ServiceError
from projects.models import DecisionKind, DecisionRule, Owner, OwnerKind, Ownership, SignoffCampaign, SignoffStatus
from projects.selectors import signoffs as sel
from projects.services import signoffs as svc
from tests import factories as f

from .conftest import at, open_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def block(world):
    """One unit of 12 flats; 市体校 holds the first 8 (公房)."""
    unit = f.unit(building=f.building(compound=world.compound, name="5号楼"), name="1单元")
    flats = f.households(unit, 12)
    school = Owner.objects.create(community=world.community, kind=OwnerKind.PROPERTY_UNIT, name="市体校")
    Ownership.objects.bulk_create(Ownership(owner=school, household=h) for h in flats[:8])
    project = f.project(community=world.community, title="5号楼充电桩")
    project.units.set([unit])
    return project, flats


def answer(campaign, flats, status, by):
    for h in flats:
        svc.signoff_tick(campaign=campaign, household=h, status=status, by=by, now=at(1))


def test_residents_consultation_counts_every_household_owners_decision_counts_the_unit_once(world, block):
    project, flats = block
    campaign = open_campaign(project, world.staff, rule=DecisionRule.TWO_THIRDS)
    assert campaign.decision_kind == DecisionKind.RESIDENTS
    answer(campaign, flats[:8], SignoffStatus.AGREED, world.staff)  # the tenants of the 公房
    answer(campaign, flats[8:10], SignoffStatus.REFUSED, world.staff)
    residents = sel.campaign_progress(campaign, now=at(2))
    assert (residents.outcome.tally.eligible_heads, residents.outcome.tally.agreeing_heads) == (12, 8)
    assert residents.certain  # 8 of 12 households ≥ 2/3 whatever the last two say

    svc.signoff_campaign_update(campaign=campaign, data={"decision_kind": DecisionKind.OWNERS}, by=world.staff)
    campaign.refresh_from_db()
    owners = sel.campaign_progress(campaign, now=at(2))
    # 市体校 once + 4 private owners = 5; only 市体校 agrees: 1 of 5 < 2/3.
    assert (owners.outcome.tally.eligible_heads, owners.outcome.tally.agreeing_heads) == (5, 1)
    assert not owners.outcome.passed and not owners.gate_open


def test_owner_agreement_with_a_flat_unanswered_is_not_yet_certain(world, block):
    project, flats = block
    campaign = open_campaign(project, world.staff, rule=DecisionRule.UNANIMOUS, decision_kind=DecisionKind.OWNERS)
    answer(campaign, flats[:7], SignoffStatus.AGREED, world.staff)  # 市体校 has signed for 7 of 8 flats
    answer(campaign, flats[8:], SignoffStatus.AGREED, world.staff)
    progress = sel.campaign_progress(campaign, now=at(2))
    tally = progress.outcome.tally
    assert (tally.agreeing_heads, tally.contingent_heads) == (5, 1)
    assert not progress.certain  # the eighth flat may still refuse
    answer(campaign, flats[7:8], SignoffStatus.AGREED, world.staff)
    assert sel.campaign_progress(campaign, now=at(2)).certain


def test_campaign_counting_area_refuses_to_open_and_names_the_rooms(world, block):
    project, flats = block
    flats[4].area = None
    flats[4].save(update_fields=["area"])
    with pytest.raises(ServiceError) as refused:
        open_campaign(project, world.staff, rule=DecisionRule.ART278_MAJOR)
    assert f"5号楼1单元{flats[4].room}" in str(refused.value)
    assert not SignoffCampaign.objects.filter(project=project).exists()

    campaign = open_campaign(project, world.staff, rule=DecisionRule.UNANIMOUS)  # heads only: opens
    with pytest.raises(ServiceError) as refused:
        svc.signoff_campaign_update(campaign=campaign, data={"rule": DecisionRule.ART278_ORDINARY}, by=world.staff)
    assert f"5号楼1单元{flats[4].room}" in str(refused.value)
    campaign.refresh_from_db()
    assert campaign.rule == DecisionRule.UNANIMOUS


def test_a_household_without_area_added_later_keeps_the_gate_closed_and_is_named(world, block):
    project, flats = block
    campaign = open_campaign(project, world.staff, rule=DecisionRule.ART278_ORDINARY)
    answer(campaign, flats, SignoffStatus.AGREED, world.staff)
    assert sel.campaign_progress(campaign, now=at(2)).gate_open
    flats[2].area = None  # e.g. a register correction, or a flat added to the scope
    flats[2].save(update_fields=["area"])
    office = sel.campaign_progress(campaign, now=at(2), name_rooms=True)
    assert not office.gate_open and f"5号楼1单元{flats[2].room}" in office.missing[0]
    public = sel.campaign_progress(campaign, now=at(2))
    assert not public.gate_open and flats[2].room not in public.missing[0]


@pytest.mark.parametrize("size", ["small", "large"])
def test_owners_board_costs_three_more_queries_at_any_size(client, world, django_assert_max_num_queries, size):
    """The board of an owners' decision groups flats by owner: three queries (the flats'
    answers, their owners, the scope's ids) on top of the residents' board."""
    from django.urls import reverse

    from .test_queries import PAGES, SIZES, build

    campaign, households, _buildings = build(world, *SIZES[size])
    school = Owner.objects.create(community=world.community, kind=OwnerKind.PROPERTY_UNIT, name="市体校")
    public = [h for h in households if h.unit.sort_key == 0]
    Ownership.objects.bulk_create(Ownership(owner=school, household=h) for h in public)
    svc.signoff_campaign_update(campaign=campaign, data={"decision_kind": DecisionKind.OWNERS}, by=world.staff)
    client.force_login(world.staff)
    with django_assert_max_num_queries(PAGES["board"][1] + 3):
        response = client.get(reverse("projects:signoff_board", args=[campaign.pk]))
    assert response.status_code == 200
    tally = response.context["progress"].outcome.tally
    assert tally.eligible_heads == len(households) - len(public) + 1
