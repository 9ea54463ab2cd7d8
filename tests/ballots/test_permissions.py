"""Who may open which ballot and household-code page: a matrix over every view, every role
(anonymous, residents of this and another compound, every staff role) and ballot state."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from consult.models import BallotObjection, CastBallot
from consult.services import ballots as services
from projects.models import AuditAction, AuditEvent, Channel
from tests.helpers import HEAD_SCOPED_ROLES, OFFICE

from .conftest import make_ballot, vote

pytestmark = pytest.mark.django_db

VIEWERS = OFFICE | {"department", "head_inside", "head_outside", "sub_district_staff"}
EVERYONE = set(HEAD_SCOPED_ROLES)


@pytest.fixture
def ballots(world):
    """Ballots in every state. ``inside`` is scoped to the building head's building, the
    others to another building, so a head is tested inside and outside their buildings."""
    now = timezone.now()
    b = type("Ballots", (), {})()
    b.draft = make_ballot(world, target=world.unit, open_it=False)
    b.inside = make_ballot(world, target=world.unit)
    b.outside = make_ballot(world, target=world.other_unit)
    b.published = make_ballot(world, target=world.unit, now=now - timedelta(days=10))
    vote(b.published, world.household, now=now - timedelta(days=10))
    services.ballot_close(ballot=b.published, by=world.admin, now=b.published.closes_at)
    services.ballot_publish(ballot=b.published, by=world.admin, now=b.published.closes_at)
    b.objection = services.objection_record(
        ballot=b.published, household=world.household, text="异议", channel=Channel.ONLINE, now=b.published.closes_at
    )
    b.cast = vote(b.inside, world.household)
    return b


def ballot_for(role, ballots):
    return ballots.outside if role == "head_outside" else ballots.inside


def expected(allowed, role):
    if role in allowed:
        return 200
    return 302 if role in {"anonymous", "resident", "resident_elsewhere"} else 403


STAFF_PAGES = [
    # name, which object, who may
    ("consult:ballot_list", "community", VIEWERS),
    ("consult:ballot_create", "community", OFFICE),
    ("consult:ballot", "ballot", VIEWERS),
    ("consult:ballot_edit", "ballot", OFFICE),
    ("consult:ballot_enter", "ballot", OFFICE),
    ("consult:ballot_casts", "ballot", OFFICE),
    ("consult:ballot_papers", "ballot", OFFICE),
    ("consult:ballot_cancel", "ballot", OFFICE),
    ("consult:ballot_objection_add", "published", OFFICE),
    ("consult:objection_reply", "objection", OFFICE),
    ("consult:cast_void", "cast", OFFICE),
    ("consult:ballot_publish", "published", OFFICE),
    ("projects:household_codes", "community", OFFICE),
    ("projects:unit_letters", "unit", OFFICE),
    ("projects:building_letters", "building", OFFICE),
    ("projects:household_code", "household", OFFICE),
]


def target(which, role, world, ballots):
    return {
        "community": lambda: world.community.pk,
        "ballot": lambda: ballot_for(role, ballots).pk,
        "published": lambda: ballots.published.pk,
        "objection": lambda: ballots.objection.pk,
        "cast": lambda: ballots.cast.pk,
        "unit": lambda: world.unit.pk,
        "building": lambda: world.building.pk,
        "household": lambda: world.household.pk,
    }[which]()


@pytest.mark.parametrize("role", HEAD_SCOPED_ROLES)
@pytest.mark.parametrize("name,which,allowed", STAFF_PAGES, ids=[p[0] for p in STAFF_PAGES])
def test_staff_pages(client, act_as, world, ballots, role, name, which, allowed):
    act_as(client, role)
    response = client.get(reverse(name, args=[target(which, role, world, ballots)]))
    assert response.status_code == expected(allowed, role)
    if response.status_code == 302:
        assert reverse("login") in response["Location"]


@pytest.mark.parametrize("role", HEAD_SCOPED_ROLES)
@pytest.mark.parametrize("action", ["consult:ballot_open", "consult:ballot_close"])
def test_state_changing_actions(client, act_as, world, ballots, role, action):
    act_as(client, role)
    ballot = ballots.draft
    response = client.post(reverse(action, args=[ballot.pk]))
    if role in OFFICE:
        assert response.status_code == 302 and response["Location"] == ballot.get_absolute_url()
    else:
        assert response.status_code == expected(set(), role)
        ballot.refresh_from_db()
        assert ballot.status == "draft"


@pytest.mark.parametrize("role", HEAD_SCOPED_ROLES)
def test_only_the_office_voids_ballots(client, act_as, world, ballots, role):
    act_as(client, role)
    client.post(reverse("consult:cast_void", args=[ballots.cast.pk]), {"reason": "试图作废"})
    ballots.cast.refresh_from_db()
    assert (ballots.cast.voided_at is not None) == (role in OFFICE)


@pytest.mark.parametrize("role", HEAD_SCOPED_ROLES)
def test_only_the_office_verifies_a_published_digest(client, act_as, world, ballots, role):
    act_as(client, role)
    response = client.post(reverse("consult:ballot_verify_digest", args=[ballots.published.pk]))
    checked = AuditEvent.objects.filter(action=AuditAction.BALLOT_DIGEST_VERIFIED, object_id=str(ballots.published.pk))
    if role in OFFICE:
        assert response.status_code == 302 and response["Location"] == ballots.published.get_absolute_url()
        assert checked.count() == 1
    else:
        assert response.status_code == expected(set(), role)
        assert not checked.exists()


@pytest.mark.parametrize("role", HEAD_SCOPED_ROLES)
def test_only_the_office_enters_paper_ballots(client, act_as, world, ballots, role):
    act_as(client, role)
    ballot = ballots.outside  # nobody has voted there
    client.post(
        reverse("consult:ballot_enter", args=[ballot.pk]),
        {"channel": "paper", "paper_serial": "1", "option": ballot.options.get(kind="for").pk},
    )
    assert CastBallot.objects.filter(ballot=ballot).exists() == (role in OFFICE)


@pytest.mark.parametrize("role", HEAD_SCOPED_ROLES)
def test_public_pages_are_open_to_everyone(client, act_as, world, ballots, role):
    act_as(client, role)
    for ballot in (ballots.inside, ballots.published):
        assert client.get(reverse("consult:ballot_public", args=[ballot.pk])).status_code == 200
    assert client.get(reverse("consult:ballot_notice", args=[ballots.published.pk])).status_code == 200
    assert client.get(reverse("projects:noticeboard", args=[world.compound.pk])).status_code == 200
    assert client.get(reverse("projects:household_enter")).status_code == 200


@pytest.mark.parametrize("role", HEAD_SCOPED_ROLES)
def test_drafts_and_unpublished_results_are_not_public(client, act_as, world, ballots, role):
    act_as(client, role)
    assert client.get(reverse("consult:ballot_public", args=[ballots.draft.pk])).status_code == 404
    services.ballot_close(ballot=ballots.outside, by=world.admin, now=ballots.outside.closes_at)
    response = client.get(reverse("consult:ballot_notice", args=[ballots.outside.pk]))
    assert response.status_code == (200 if role in VIEWERS else 404)


@pytest.mark.parametrize(
    "role,status",
    [
        ("anonymous", 302),
        ("resident", 200),
        ("resident_elsewhere", 403),  # another community's household: not eligible
        ("staff", 302),  # staff enter ballots on the staff page, not as a household
    ],
)
def test_vote_page(client, act_as, world, ballots, role, status):
    act_as(client, role)
    response = client.get(reverse("consult:ballot_vote", args=[ballots.outside.pk]))
    if role == "resident":
        # world.household lives in world.unit; ballots.outside is for world.other_unit
        assert response.status_code == 403
        response = client.get(reverse("consult:ballot_vote", args=[ballots.draft.pk]))
        assert response.status_code == 404  # drafts do not exist for residents
        other = make_ballot(world, target=world.unit)
        response = client.get(reverse("consult:ballot_vote", args=[other.pk]))
    assert response.status_code == status
    if status == 302:
        assert reverse("projects:household_enter") in response["Location"]


def test_resident_of_another_compound_cannot_vote(client, act_as, world, ballots):
    act_as(client, world.foreign_household)
    ballot = ballots.inside
    response = client.post(reverse("consult:ballot_vote", args=[ballot.pk]), {"option": ballot.options.first().pk})
    assert response.status_code == 403
    assert not CastBallot.objects.filter(ballot=ballot, household=world.foreign_household).exists()


def test_neighbour_in_the_same_compound_but_outside_the_scope_cannot_vote(client, act_as, world, ballots):
    act_as(client, world.other_household)  # same compound, other building
    ballot = ballots.inside
    response = client.post(reverse("consult:ballot_vote", args=[ballot.pk]), {"option": ballot.options.first().pk})
    assert response.status_code == 403
    assert 'data-testid="not-eligible"' in response.content.decode()
    assert not CastBallot.objects.filter(ballot=ballot, household=world.other_household).exists()


@pytest.mark.parametrize(
    "role,status", [("anonymous", 302), ("resident", 200), ("resident_elsewhere", 403), ("staff", 302)]
)
def test_resident_objection_page(client, act_as, world, ballots, role, status):
    act_as(client, role)
    response = client.get(reverse("consult:ballot_object", args=[ballots.published.pk]))
    assert response.status_code == status


def test_objection_text_and_names_stay_off_public_pages(client, world, ballots):
    BallotObjection.objects.filter(pk=ballots.objection.pk).update(text="王大爷家的私事")
    for url in (
        reverse("consult:ballot_public", args=[ballots.published.pk]),
        reverse("consult:ballot_notice", args=[ballots.published.pk]),
        reverse("projects:noticeboard", args=[world.compound.pk]),
    ):
        body = client.get(url).content.decode()
        assert "王大爷" not in body and world.household.owner_names not in body


# --- written authorisations (委托书), on the household page -----------------------------------

HOUSEHOLD_VIEWERS = OFFICE | {"head_inside", "sub_district_staff"}


@pytest.fixture
def authorisations(world):
    """One authorisation with a photo in the building head's building, one outside it."""
    from consult.services.proxies import proxy_authorise
    from tests.helpers import photo_file

    return {
        household.pk: proxy_authorise(
            household=household,
            grantor_name="张桂兰",
            proxy_name="李明",
            number="WT-1",
            signed_on=timezone.localdate(),
            photo=photo_file(),
            by=world.staff,
        )
        for household in (world.household, world.other_household)
    }


def authorisation_for(role, world, authorisations):
    household = world.other_household if role == "head_outside" else world.household
    return authorisations[household.pk]


PROXY_PAGES = [
    # name, which object, who may (the household is in the building head's building)
    ("consult:proxy_add", "household", OFFICE),
    ("consult:proxy_revoke", "authorisation", OFFICE),
    ("consult:proxy_photo", "authorisation", HOUSEHOLD_VIEWERS),
]


@pytest.mark.parametrize("role", HEAD_SCOPED_ROLES)
@pytest.mark.parametrize("name,which,allowed", PROXY_PAGES, ids=[p[0] for p in PROXY_PAGES])
def test_proxy_pages(client, act_as, world, authorisations, role, name, which, allowed):
    authorisation = authorisation_for(role, world, authorisations)
    act_as(client, role)
    pk = authorisation.household_id if which == "household" else authorisation.pk
    response = client.get(reverse(name, args=[pk]))
    assert response.status_code == expected(allowed, role)
    if response.status_code == 302:
        assert reverse("login") in response["Location"]


@pytest.mark.parametrize("role", HEAD_SCOPED_ROLES)
def test_only_the_office_records_and_revokes_authorisations(client, act_as, world, authorisations, role):
    authorisation = authorisations[world.household.pk]
    act_as(client, role)
    client.post(reverse("consult:proxy_revoke", args=[authorisation.pk]), {"reason": "试图撤销"})
    client.post(
        reverse("consult:proxy_add", args=[world.household.pk]),
        {
            "grantor_name": "张桂兰",
            "proxy_name": "王五",
            "number": "WT-2",
            "signed_on": timezone.localdate().isoformat(),
        },
    )
    authorisation.refresh_from_db()
    assert (authorisation.revoked_at is not None) == (role in OFFICE)
    assert world.household.proxy_authorisations.filter(number="WT-2").exists() == (role in OFFICE)


@pytest.mark.parametrize("role", HEAD_SCOPED_ROLES)
def test_the_household_page_shows_authorisations_to_those_who_see_the_household(
    client, act_as, world, authorisations, role
):
    household = authorisation_for(role, world, authorisations).household
    act_as(client, role)
    response = client.get(household.get_absolute_url())
    shown = response.status_code == 200 and 'data-testid="proxies"' in response.content.decode()
    assert shown == (role in HOUSEHOLD_VIEWERS)
