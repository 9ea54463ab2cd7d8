"""The household as a principal: ``request.household``, the household rules, and every
resident page through ``HouseholdRequiredMixin``, as a role matrix (the household of the
compound, a household of another compound, an anonymous visitor, a signed-in staff member)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from consult.models import MeetingRSVP, Support
from projects.identity import SESSION_KEY
from projects.middleware import HouseholdMiddleware
from projects.rules import household_has_perm
from tests.ballots.conftest import make_ballot
from tests.meetings.conftest import advance, make_meeting
from tests.wishes.conftest import make_wish

pytestmark = pytest.mark.django_db

# Four of tests.helpers.ROLES: the household of the compound, a household of another
# compound, nobody, and a staff member.
HOUSEHOLD_MATRIX = ["resident", "resident_elsewhere", "anonymous", "staff"]


def test_the_middleware_puts_the_acting_household_on_the_request(client, world):
    request = RequestFactory().get("/")
    request.session = {}
    HouseholdMiddleware(lambda r: None)(request)
    assert request.household is None

    request.session = {SESSION_KEY: world.household.pk}
    del request._acting_household  # a new request
    HouseholdMiddleware(lambda r: None)(request)
    assert request.household == world.household


def test_household_rules_cover_the_compound_and_refuse_nobody(world):
    assert household_has_perm(world.household, "projects.act_in_compound", world.compound)
    assert not household_has_perm(world.foreign_household, "projects.act_in_compound", world.compound)
    assert not household_has_perm(None, "projects.act_in_compound", world.compound)


def test_a_staff_permission_is_never_a_household_permission(world):
    """The two rule sets are apart: a household cannot hold ``projects.change_household``."""
    assert not household_has_perm(world.household, "projects.change_household", world.household)


@pytest.mark.parametrize("role", HOUSEHOLD_MATRIX)
def test_supporting_a_wish(client, act_as, world, role):
    wish = make_wish(world.compound, by=world.staff)
    act_as(client, role)
    response = client.post(reverse("consult:wish_support", args=[wish.pk]))
    assert response.status_code == 302
    supported = Support.objects.filter(wish=wish, withdrawn_at__isnull=True).exists()
    assert supported is (role == "resident")


@pytest.mark.parametrize("role", HOUSEHOLD_MATRIX)
def test_saying_we_will_come_to_a_meeting(client, act_as, world, role):
    meeting = make_meeting(world.community, world.staff, compound=world.compound)
    advance(meeting, world.staff, "announced")
    act_as(client, role)
    response = client.post(reverse("consult:meeting_rsvp", args=[meeting.pk]), {"people": "2"})
    assert response.status_code == 302
    assert MeetingRSVP.objects.filter(meeting=meeting).exists() is (role == "resident")


@pytest.mark.parametrize(
    "role, status", [("resident", 200), ("resident_elsewhere", 403), ("anonymous", 302), ("staff", 302)]
)
def test_the_voting_page(client, act_as, world, role, status):
    """Eligible (the ballot's unit) votes; another compound's household is told it is not
    eligible; without a household the visitor is sent to enter the code."""
    ballot = make_ballot(world)
    act_as(client, role)
    response = client.get(reverse("consult:ballot_vote", args=[ballot.pk]))
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("projects:household_enter"))


@pytest.mark.parametrize(
    "role, status", [("resident", 200), ("resident_elsewhere", 200), ("anonymous", 302), ("staff", 302)]
)
def test_the_household_page(client, act_as, world, role, status):
    act_as(client, role)
    response = client.get(reverse("projects:household_home"))
    assert response.status_code == status
    if role == "resident":
        assert response.context["household"] == world.household
