"""The noticeboard's public sections are cached (``projects.pagecache``): a cached page shows a
write on the very next request, a hit saves the queries, and no visitor ever gets another
visitor's page (staff menu, acting household, language)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from consult.services import ballots as ballot_services
from consult.services.wishes import support_add, wish_change_status
from projects import pagecache
from tests import factories as f
from tests.ballots.conftest import make_ballot, vote

pytestmark = pytest.mark.django_db


def board(client, world, **headers):
    return client.get(reverse("projects:noticeboard", args=[world.compound.pk]), **headers)


def top_counts(response):
    (context,) = [ctx for section, ctx in response.context["sections"] if section.key == "wishes"]
    return {w.pk: w.support_total for w in context["top"]}


@pytest.mark.parametrize("n", [2, 12])
def test_a_support_shows_on_the_very_next_request(client, world, n):
    households = f.households(f.unit(building=world.building), n)
    wish = f.wish(world.compound, household=households[0])
    assert top_counts(board(client, world))[wish.pk] == 1
    assert top_counts(board(client, world))[wish.pk] == 1  # from the cache
    for h in households[1:]:
        support_add(wish=wish, household=h)
    assert top_counts(board(client, world))[wish.pk] == n


def test_an_answer_shows_on_the_very_next_request(client, world):
    wish = f.wish(world.compound, household=world.household, title="修补破损路面")
    assert "已受理" not in board(client, world).content.decode()
    wish_change_status(wish=wish, to_status="accepted", by=world.staff, response="下周派人查看")
    assert "已受理" in board(client, world).content.decode()


def test_the_write_is_shown_after_commit_as_well(client, world, django_capture_on_commit_callbacks):
    wish = f.wish(world.compound, household=world.household)
    board(client, world)
    other = f.households(f.unit(building=world.building), 1)[0]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        support_add(wish=wish, household=other)
    assert callbacks  # the version is renewed again when the transaction commits
    assert top_counts(board(client, world))[wish.pk] == 2


def test_a_published_ballot_result_shows_on_the_very_next_request(client, world):
    tower = f.households(world.unit, 9, start_floor=2)
    ballot = make_ballot(world, now=timezone.now() - timedelta(days=8))
    for household in tower[:9]:
        vote(ballot, household, now=ballot.opens_at + timedelta(hours=1))
    ballot_services.ballot_close(ballot=ballot, by=world.staff)
    assert 'data-testid="noticeboard-outcome"' not in board(client, world).content.decode()
    ballot_services.ballot_publish(ballot=ballot, by=world.staff)
    assert 'data-testid="noticeboard-outcome"' in board(client, world).content.decode()


def test_a_hit_saves_the_section_queries(client, world, django_assert_max_num_queries):
    f.wish(world.compound, household=world.household)
    board(client, world)
    with django_assert_max_num_queries(3):  # the compound, and no section query at all
        assert board(client, world).status_code == 200


def test_staff_and_household_views_never_reach_an_anonymous_visitor(client, act_as, world):
    f.wish(world.compound, household=world.household)
    staff = act_as(client, world.staff)
    staff_page = board(staff, world).content.decode()
    assert "staff_bm" in staff_page or "退出" in staff_page
    client.logout()
    household = act_as(client, world.household)
    assert "我的住户" in board(household, world).content.decode() or "My household" in staff_page
    client.logout()
    client.cookies.clear()
    anonymous = board(client, world)
    page = anonymous.content.decode()
    assert "staff_bm" not in page and "退出" not in page
    assert anonymous.context["acting_household"] is None
    assert world.household.room not in page


def test_the_cache_is_per_language(client, world):
    f.wish(world.compound, household=world.household)
    client.cookies["django_language"] = "en"
    english = board(client, world).content.decode()
    client.cookies.clear()
    chinese = board(client, world).content.decode()
    assert "Most supported" in english or "Wish list" in english
    assert "Most supported" not in chinese and "Wish list" not in chinese


def test_community_of_a_row_needs_no_query(world, django_assert_num_queries):
    wish = f.wish(world.compound, household=world.household)
    support = wish.supports.select_related("wish").get()
    with django_assert_num_queries(0):
        assert pagecache.community_of(support) == world.community.pk
        assert pagecache.community_of(wish) == world.community.pk
        assert pagecache.community_of(world.household) is None  # not loaded: the global version


@pytest.mark.parametrize("n", [2, 25])
def test_the_public_wish_list_shows_a_support_on_the_very_next_request(client, world, n):
    households = f.households(f.unit(building=world.building), n)
    wishes = [f.wish(world.compound, household=h, title=f"愿望{i}") for i, h in enumerate(households)]
    url = reverse("consult:wish_list", args=[world.compound.pk])
    first = client.get(url, {"sort": "support"}).context["page_obj"]
    assert first.paginator.count == n
    client.get(url, {"sort": "support"})  # from the cache
    last = wishes[-1]
    for h in households[:-1]:
        support_add(wish=last, household=h)
    page = client.get(url, {"sort": "support"}).context["page_obj"]
    assert page[0].pk == last.pk and page[0].support_total == n


def test_the_wish_list_shows_the_acting_households_own_support_not_a_cached_one(client, act_as, world):
    wish = f.wish(world.compound, household=world.household)
    url = reverse("consult:wish_list", args=[world.compound.pk])
    act_as(client, world.household)
    assert client.get(url).context["supported"] == {wish.pk}
    client.logout()
    client.cookies.clear()
    anonymous = client.get(url)
    assert anonymous.context["supported"] == set() and anonymous.context["household"] is None
