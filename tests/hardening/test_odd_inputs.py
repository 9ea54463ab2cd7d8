"""Issue 17, "25 inputs give a server error": each exact request, answered without a 500.

``"²".isdigit()`` is True but ``int("²")`` fails; a NUL byte in a search reaches
PostgreSQL as text it refuses; ``Decimal("1e309")`` is finite but cannot be rounded to
cents. Every request here gave a server error before ``projects.parsing`` and the NUL
middleware. The test client re-raises view exceptions, so a 500 fails the test with the
original traceback.
"""

import logging

import pytest
from django.urls import reverse

from consult.models import MeetingStatus
from projects.models import Stage

from .. import factories as f
from ..ballots.conftest import make_ballot
from ..meetings.conftest import advance, make_meeting
from ..roster.conftest import csv_bytes, row, upload
from ..signoffs.conftest import open_campaign

pytestmark = pytest.mark.django_db

SUPERSCRIPT = "²"  # a digit to str.isdigit(), not to int()


@pytest.fixture
def things(world):
    class Things:
        pass

    t = Things()
    t.meeting = advance(
        make_meeting(world.community, world.staff, compound=world.compound), world.staff, MeetingStatus.ANNOUNCED
    )
    t.ballot = make_ballot(world)
    project = f.project(community=world.community, title="上下水改造", stage=Stage.CONSENT)
    project.buildings.set([world.building])
    t.campaign = open_campaign(project, world.staff)
    return t


GET_COUNT = 20


def gets(world, t):
    """(url name, pk, query parameters): the GET requests of the issue."""
    c, m, b, s = world.community.pk, t.meeting.pk, t.ballot.pk, t.campaign.pk
    requests = [
        *(
            ("consult:ballot_create", c, {name: SUPERSCRIPT})
            for name in ("project", "compound", "building", "unit", "meeting")
        ),
        ("consult:meeting_add", c, {"compound": SUPERSCRIPT}),
        ("consult:meeting_add", c, {"project": SUPERSCRIPT}),
        ("consult:wish_queue", c, {"q": SUPERSCRIPT}),
        ("consult:wish_export", c, {"q": SUPERSCRIPT}),
        ("consult:wish_enter", c, {"last": SUPERSCRIPT}),
        ("consult:ballot_papers", b, {"unit": SUPERSCRIPT}),
        ("consult:ballot_papers", b, {"building": SUPERSCRIPT}),
        ("projects:signoff_sheets", s, {"unit": SUPERSCRIPT}),
        ("projects:signoff_sheets", s, {"building": SUPERSCRIPT}),
        ("consult:meeting_sign_in_sheet", m, {"lines": SUPERSCRIPT}),
        ("projects:signoff_blockers", s, {"assignee": SUPERSCRIPT}),
        ("consult:action_items", c, {"owner": SUPERSCRIPT}),
        ("consult:ballot_casts", b, {"q": "12\x0034"}),
        ("consult:wish_queue", c, {"q": "路灯\x00"}),
        ("consult:wish_enter", c, {"last": "99999999999999999999"}),  # beyond a 64-bit key
    ]
    assert len(requests) == GET_COUNT
    return requests


@pytest.mark.parametrize("index", range(GET_COUNT))
def test_get_requests_with_odd_parameters_answer_without_server_error(client, world, things, index):
    name, pk, params = gets(world, things)[index]
    client.force_login(world.admin)
    response = client.get(reverse(name, args=[pk]), params)
    assert response.status_code == 200, (name, params, response.status_code)


def test_nul_is_stripped_from_the_query(client, world, things):
    client.force_login(world.admin)
    response = client.get(reverse("consult:wish_queue", args=[world.community.pk]), {"q": "路\x00灯"})
    assert response.wsgi_request.GET["q"] == "路灯"


def test_posts_with_odd_numbers_answer_without_server_error(client, world, things):
    client.force_login(world.admin)
    campaign, ballot, meeting = things.campaign, things.ballot, things.meeting
    response = client.post(reverse("projects:signoff_bulk_assign", args=[campaign.pk]), {"households": [SUPERSCRIPT]})
    assert response.status_code == 302
    entry = reverse("consult:ballot_enter", args=[ballot.pk])
    for serial in (SUPERSCRIPT, f"{ballot.pk}-{SUPERSCRIPT}", f"{SUPERSCRIPT}-1", "99999999999999999999-1"):
        response = client.post(entry, {"channel": "paper", "paper_serial": serial, "option": ballot.options.first().pk})
        assert response.status_code in (200, 302), serial
    add_item = reverse("consult:action_item_add", args=[meeting.pk])
    for owner in (f"u:{SUPERSCRIPT}", f"d:{SUPERSCRIPT}", "u:99999999999999999999"):
        response = client.post(add_item, {"title": "修管", "owner": owner, "deadline": "2026-12-31"})
        assert response.status_code == 200 and "owner" in response.context["form"].errors, owner


def test_rsvp_with_a_superscript_number_of_people(client, world, things, act_as):
    act_as(client, world.household)
    response = client.post(reverse("consult:meeting_rsvp", args=[things.meeting.pk]), {"people": SUPERSCRIPT})
    assert response.status_code == 302


@pytest.mark.parametrize("area", ["1e309", "NaN", "Infinity", "-Infinity", "1e5", "８５.５"])
def test_roster_area_that_decimal_accepts_but_no_column_holds(client, world, area):
    client.force_login(world.staff)
    response = upload(client, world.community, csv_bytes([row(area=area)]), name="roster.csv")
    assert response.status_code == 302
    from projects.models import RosterImport

    roster_import = RosterImport.objects.latest("pk")
    problems = [error["code"] for line in roster_import.rows for error in line["errors"]]
    if area == "８５.５":  # full-width digits from a Chinese keyboard are digits
        assert problems == []
    else:
        assert problems == ["area_not_number"]


def test_roster_room_of_superscript_digits_without_a_floor(client, world):
    client.force_login(world.staff)
    response = upload(client, world.community, csv_bytes([row(room="²²²", floor="")]), name="roster.csv")
    assert response.status_code == 302


def test_permission_denied_is_one_warning_line(client, world, things, caplog):
    client.force_login(world.other_staff)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("consult:wish_queue", args=[world.community.pk]))
    assert response.status_code == 403
    record = next(r for r in caplog.records if r.name == "django.request")
    assert record.levelno == logging.WARNING and record.exc_info is None
    line = record.getMessage()
    assert "\n" not in line and "staff_nl" in line and f"/community/{world.community.pk}/wishes/" in line


@pytest.mark.parametrize(
    "next_page", ["2026-12-01T09:00", "null", "projects:home", "//evil.example/", "http://evil.example/"]
)
def test_next_that_is_not_a_path_falls_back(client, world, things, next_page, act_as):
    """``redirect()`` reverses any text without "/" or "." as a URL name: a 500 before."""
    act_as(client, world.household)
    response = client.post(reverse("consult:meeting_rsvp", args=[things.meeting.pk]), {"next": next_page})
    assert response.status_code == 302 and response.url.startswith("/") and not response.url.startswith("//")
