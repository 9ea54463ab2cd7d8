"""Support (附议): one per household per wish, withdrawal, paper support, and merging."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from consult.models import Support, WishStatus, WithdrawalReason
from consult.selectors.wishes import public_wishes
from consult.services.wishes import (
    AlreadySupported,
    NotYourCompound,
    SupportClosed,
    support_add,
    support_withdraw,
    wish_change_status,
)
from projects.models import Channel

from .conftest import make_wish, neighbours

pytestmark = pytest.mark.django_db


def active(wish) -> int:
    return Support.objects.filter(wish=wish, withdrawn_at__isnull=True).count()


def test_one_support_per_household(world):
    wish = make_wish(world.compound)
    support_add(wish=wish, household=world.household)
    with pytest.raises(AlreadySupported):
        support_add(wish=wish, household=world.household)
    with pytest.raises(AlreadySupported):  # nor on paper on top of online
        support_add(wish=wish, household=world.household, channel=Channel.PAPER, entered_by=world.staff)
    assert active(wish) == 1


def test_database_refuses_a_second_active_support(world):
    wish = make_wish(world.compound)
    now = timezone.now()
    Support.objects.create(wish=wish, household=world.household, channel=Channel.ONLINE, created_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.create(wish=wish, household=world.household, channel=Channel.ONLINE, created_at=now)


def test_integrity_error_from_the_constraint_becomes_already_supported(world, monkeypatch):
    """If the check were ever bypassed (another code path, no lock), the database still
    decides, and the service answers politely instead of failing."""
    wish = make_wish(world.compound)
    support_add(wish=wish, household=world.household)
    real_filter = Support.objects.filter

    class Blind:
        def exists(self):
            return False

    def filter_blind_to_active(*args, **kwargs):
        if kwargs.get("withdrawn_at__isnull") is True and "household" in kwargs:
            return Blind()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(Support.objects, "filter", filter_blind_to_active)
    with pytest.raises(AlreadySupported):
        support_add(wish=wish, household=world.household)
    monkeypatch.undo()
    assert active(wish) == 1


def test_withdraw_and_support_again_keeps_history(world):
    wish = make_wish(world.compound)
    support_add(wish=wish, household=world.household)
    withdrawn = support_withdraw(wish=wish, household=world.household)
    assert withdrawn.withdrawal_reason == WithdrawalReason.BY_HOUSEHOLD
    assert active(wish) == 0
    support_add(wish=wish, household=world.household)
    assert active(wish) == 1 and Support.objects.filter(wish=wish).count() == 2
    with pytest.raises(ValidationError):
        support_withdraw(wish=wish, household=world.other_household)


def test_staff_record_paper_support_and_withdraw_for_a_resident(world):
    wish = make_wish(world.compound)
    support = support_add(
        wish=wish, household=world.household, channel=Channel.PAPER, entered_by=world.staff, paper_reference="P-12"
    )
    assert support.entered_by == world.staff and support.channel == Channel.PAPER
    withdrawn = support_withdraw(wish=wish, household=world.household, by=world.staff)
    assert withdrawn.withdrawal_reason == WithdrawalReason.BY_STAFF and withdrawn.withdrawn_by == world.staff


def test_households_of_other_compounds_cannot_support(world):
    wish = make_wish(world.compound)
    with pytest.raises(NotYourCompound):
        support_add(wish=wish, household=world.foreign_household)


def test_closed_wishes_take_no_support(world):
    wish = make_wish(world.compound)
    wish_change_status(wish=wish, to_status=WishStatus.DECLINED, by=world.staff, response="不在改造范围内")
    with pytest.raises(SupportClosed):
        support_add(wish=wish, household=world.household)


def test_ranking_by_support(world):
    households = neighbours(world, 6)
    quiet = make_wish(world.compound, title="少")
    popular = make_wish(world.compound, title="多")
    for h in households[:4]:
        support_add(wish=popular, household=h)
    support_add(wish=quiet, household=households[5])
    ranked = list(public_wishes(world.compound))
    assert [w.title for w in ranked[:2]] == ["多", "少"]
    assert [w.support_total for w in ranked[:2]] == [4, 1]


def test_merge_moves_support_and_counts_a_household_once(world):
    hh = neighbours(world, 5)
    target = make_wish(world.compound, household=hh[0], title="3号楼加装电梯")  # hh0 backs target
    source = make_wish(world.compound, household=hh[1], title="想装电梯")  # hh1 backs source
    support_add(wish=target, household=hh[2])
    support_add(wish=source, household=hh[2])  # backs both
    support_add(wish=source, household=hh[3])
    assert (active(target), active(source)) == (2, 3)

    change = wish_change_status(wish=source, to_status=WishStatus.MERGED, by=world.staff, merge_into=target)

    source.refresh_from_db()
    assert source.status == WishStatus.MERGED and source.merged_into == target
    assert active(source) == 0
    assert active(target) == 4, "hh0, hh2 (once), hh1 and hh3 carried over"
    assert change.response, "the submitter of the merged wish is told"
    carried = Support.objects.filter(wish=target, carried_from=source, withdrawn_at__isnull=True)
    assert set(carried.values_list("household_id", flat=True)) == {hh[1].pk, hh[3].pk}
    note = target.history.latest("pk")
    assert note.related_wish == source and "1" in note.note  # one duplicate collapsed
    # The merged wish leaves the public list; its support shows on the target.
    listed = {w.pk: w.support_total for w in public_wishes(world.compound)}
    assert source.pk not in listed and listed[target.pk] == 4


def test_support_for_a_merged_wish_goes_to_its_target(world):
    hh = neighbours(world, 2)
    target = make_wish(world.compound)
    source = make_wish(world.compound)
    wish_change_status(wish=source, to_status=WishStatus.MERGED, by=world.staff, merge_into=target)
    support = support_add(wish=source, household=hh[0])
    assert support.wish_id == target.pk
    with pytest.raises(AlreadySupported):
        support_add(wish=target, household=hh[0])


def test_merge_chain_and_undo(world):
    hh = neighbours(world, 4)
    a = make_wish(world.compound, household=hh[0])
    b = make_wish(world.compound, household=hh[1])
    c = make_wish(world.compound, household=hh[2])
    support_add(wish=c, household=hh[1])  # hh1 backs b and c
    wish_change_status(wish=a, to_status=WishStatus.MERGED, by=world.staff, merge_into=b)
    wish_change_status(wish=b, to_status=WishStatus.MERGED, by=world.staff, merge_into=c)
    assert (active(a), active(b), active(c)) == (0, 0, 3)

    # Undo the second merge: b gets back hh0 and hh1; hh1 still backs c directly.
    wish_change_status(wish=b, to_status=WishStatus.ACCEPTED, by=world.staff, response="误合并，恢复")
    b.refresh_from_db()
    assert b.status == WishStatus.ACCEPTED and b.merged_into is None
    assert set(Support.objects.filter(wish=b, withdrawn_at__isnull=True).values_list("household_id", flat=True)) == {
        hh[0].pk,
        hh[1].pk,
    }
    assert set(Support.objects.filter(wish=c, withdrawn_at__isnull=True).values_list("household_id", flat=True)) == {
        hh[1].pk,
        hh[2].pk,
    }


@pytest.mark.parametrize("case", ["self", "merged", "declined", "other_community", "missing"])
def test_merge_target_checks(world, case):
    wish = make_wish(world.compound)
    target = {
        "self": lambda: wish,
        "merged": lambda: _merged_wish(world),
        "declined": lambda: _declined_wish(world),
        "other_community": lambda: make_wish(world.other_compound),
        "missing": lambda: None,
    }[case]()
    with pytest.raises(ValidationError):
        wish_change_status(wish=wish, to_status=WishStatus.MERGED, by=world.staff, merge_into=target)
    wish.refresh_from_db()
    assert wish.status == WishStatus.SUBMITTED


def _merged_wish(world):
    w = make_wish(world.compound)
    wish_change_status(wish=w, to_status=WishStatus.MERGED, by=world.staff, merge_into=make_wish(world.compound))
    return w


def _declined_wish(world):
    w = make_wish(world.compound)
    wish_change_status(wish=w, to_status=WishStatus.DECLINED, by=world.staff, response="不属于改造内容")
    return w


# --- real concurrency ---------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises whole transactions, so there is no row-lock race to test",
)
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_supports_from_one_household(world):
    wish = make_wish(world.compound)
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            support_add(wish=wish, household=world.household)
            outcomes.append("ok")
        except AlreadySupported:
            outcomes.append("already")
        except Exception as error:  # noqa: BLE001 - the test reports anything else as a failure
            outcomes.append(repr(error))
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["already", "ok"]
    assert active(wish) == 1


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises whole transactions, so there is no row-lock race to test",
)
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_requests_through_the_view(act_as, world, client):
    """Two taps on "support" from the same phone arrive together; one support results."""
    from django.test import Client

    wish = make_wish(world.compound)
    first, second = Client(), Client()
    act_as(first, world.household)
    second.cookies = first.cookies  # the same browser session
    barrier = threading.Barrier(2)
    statuses = []

    def tap(c):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            statuses.append(c.post(f"/consult/wish/{wish.pk}/support/").status_code)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=tap, args=(c,)) for c in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [302, 302]
    assert active(wish) == 1
