"""Query counts stay flat as ballots, households and votes grow: each page is measured at
two sizes against the same bound."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from consult.models import CastBallot, EligibleHousehold
from consult.services import ballots as services
from projects.models import Channel
from projects.services.identity import issue_household_codes
from tests import factories as f
from tests import page_budgets

from .conftest import make_ballot

pytestmark = pytest.mark.django_db

SIZES = [(2, 5), (8, 40)]  # (units, households per unit)


def build(world, units: int, per_unit: int, *, ballots: int = 1, voted_share=0.5, close=False):
    """A building with ``units`` × ``per_unit`` households (plus world.household), ``ballots``
    ballots over the compound, half the households voting on each (bulk)."""
    building = f.building(compound=world.compound)
    for _ in range(units):
        f.households(f.unit(building=building), per_unit, area=Decimal("75.50"))
    issue_household_codes(households=list(building.units.all()[0].households.all()), by=None, replace=False)
    now = timezone.now()
    made = []
    for i in range(ballots):
        ballot = make_ballot(
            world, scope_kind="compound", target=world.compound, now=now - timedelta(days=10 if close else 0)
        )
        options = list(ballot.options.all())
        eligible = list(EligibleHousehold.objects.filter(ballot=ballot))
        CastBallot.objects.bulk_create(
            CastBallot(
                ballot=ballot,
                eligible=e,
                household_id=e.household_id,
                option=options[(j + i) % len(options)],
                channel=Channel.PAPER,
                paper_reference=e.paper_serial,
                entered_by=world.staff,
                cast_at=now,
            )
            for j, e in enumerate(eligible)
            if j % 2 == 0 or j < len(eligible) * voted_share
        )
        if close:
            services.ballot_close(ballot=ballot, by=world.admin, now=ballot.closes_at)
            services.ballot_publish(ballot=ballot, by=world.admin, now=ballot.closes_at)
        made.append(ballot)
    return made


@pytest.mark.parametrize("units,per_unit", SIZES)
def test_ballot_list(client, world, django_assert_max_num_queries, units, per_unit):
    build(world, units, per_unit, ballots=units * 2)
    client.force_login(world.staff)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("consult:ballot_list", args=[world.community.pk]))
    assert len(response.context["page_obj"]) == units * 2


@pytest.mark.parametrize("units,per_unit", SIZES)
def test_open_ballot_page_with_turnout(client, world, django_assert_max_num_queries, units, per_unit):
    (ballot,) = build(world, units, per_unit)
    client.force_login(world.staff)
    # 10 for the page, 1 for the "Tell residents" panel's messages about this ballot (notify/),
    # 1 for the ballots cast under a written authorisation: 12 at both sizes.
    with django_assert_max_num_queries(12):
        response = client.get(ballot.get_absolute_url())
    assert sum(b["eligible_heads"] for b in response.context["turnout"]) == units * per_unit + 2


@pytest.mark.parametrize("units,per_unit", SIZES)
def test_result_page(client, world, django_assert_max_num_queries, units, per_unit):
    (ballot,) = build(world, units, per_unit, close=True)
    client.force_login(world.staff)
    with django_assert_max_num_queries(11):
        response = client.get(ballot.get_absolute_url())
    assert response.context["result"].eligible_heads == units * per_unit + 2


@pytest.mark.parametrize("units,per_unit", SIZES)
def test_public_result_and_notice(client, world, django_assert_max_num_queries, units, per_unit):
    (ballot,) = build(world, units, per_unit, close=True)
    with django_assert_max_num_queries(2):
        client.get(reverse("consult:ballot_public", args=[ballot.pk]))
    with django_assert_max_num_queries(3):
        client.get(reverse("consult:ballot_notice", args=[ballot.pk]))


@pytest.mark.parametrize("units,per_unit", SIZES)
def test_noticeboard(client, world, django_assert_max_num_queries, units, per_unit):
    build(world, units, per_unit, ballots=units, close=True)
    build(world, 1, 2, ballots=units)  # and some open ones
    with django_assert_max_num_queries(page_budgets.NOTICEBOARD):
        response = client.get(reverse("projects:noticeboard", args=[world.compound.pk]))
    assert response.content.decode().count('data-testid="noticeboard-outcome"') == units


@pytest.mark.parametrize("units,per_unit", SIZES)
def test_dashboard(client, world, django_assert_max_num_queries, units, per_unit):
    build(world, units, per_unit, ballots=units)
    client.force_login(world.staff)
    with django_assert_max_num_queries(page_budgets.COMMUNITY_OVERVIEW):
        client.get(reverse("projects:community", args=[world.community.pk]))


@pytest.mark.parametrize("units,per_unit", SIZES)
def test_household_home(client, act_as, world, django_assert_max_num_queries, units, per_unit):
    build(world, units, per_unit, ballots=units)
    act_as(client, world.household)
    with django_assert_max_num_queries(page_budgets.HOUSEHOLD_HOME):
        response = client.get(reverse("projects:household_home"))
    assert response.content.decode().count("加装电梯表决") == units  # every open ballot is listed


@pytest.mark.parametrize("units,per_unit", SIZES)
def test_cast_list(client, world, django_assert_max_num_queries, units, per_unit):
    (ballot,) = build(world, units, per_unit)
    client.force_login(world.staff)
    with django_assert_max_num_queries(8):
        client.get(reverse("consult:ballot_casts", args=[ballot.pk]))


@pytest.mark.parametrize("units,per_unit", SIZES)
def test_paper_ballots(client, world, django_assert_max_num_queries, units, per_unit):
    (ballot,) = build(world, units, per_unit)
    building = world.compound.buildings.order_by("-pk").first()
    client.force_login(world.staff)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("consult:ballot_papers", args=[ballot.pk]), {"building": building.pk})
    assert response.content.decode().count('data-testid="paper-ballot"') == units * per_unit


@pytest.mark.parametrize("units,per_unit", SIZES)
def test_codes_overview(client, world, django_assert_max_num_queries, units, per_unit):
    build(world, units, per_unit, ballots=0)
    client.force_login(world.staff)
    with django_assert_max_num_queries(8):
        client.get(reverse("projects:household_codes", args=[world.community.pk]), {"compound": world.compound.pk})


@pytest.mark.parametrize("units,per_unit", SIZES)
def test_entry_page(client, world, django_assert_max_num_queries, units, per_unit):
    (ballot,) = build(world, units, per_unit)
    client.force_login(world.staff)
    with django_assert_max_num_queries(11):  # 11 at both sizes, one of them the authorisations to choose from
        client.get(reverse("consult:ballot_enter", args=[ballot.pk]))


@pytest.mark.parametrize("buildings", [2, 7])
def test_a_large_ballots_turnout_lists_buildings_and_one_buildings_units(client, world, buildings):
    """Past UNIT_ROWS_INLINE units the turnout table is a summary by building; a building's
    units show when it is asked for, so the page stays the same size as the ballot grows."""
    from consult.views.ballots import UNIT_ROWS_INLINE

    per_building = UNIT_ROWS_INLINE // 2 + 1  # two buildings are already past the limit
    made = [f.building(compound=world.compound, name=f"{i + 10}号楼") for i in range(buildings)]
    for building in made:
        for _ in range(per_building):
            f.households(f.unit(building=building), 1)
    ballot = make_ballot(world, scope_kind="compound", target=world.compound)
    client.force_login(world.staff)
    response = client.get(ballot.get_absolute_url())
    page = response.content.decode()
    assert page.count('class="turnout-unit"') == 0
    assert page.count('data-testid="turnout-building-link"') == len(response.context["turnout"]) >= buildings
    one = client.get(ballot.get_absolute_url(), {"building": made[0].pk}).content.decode()
    assert one.count('class="turnout-unit"') == per_building
    assert client.get(ballot.get_absolute_url(), {"building": "x" * 40}).status_code == 200
