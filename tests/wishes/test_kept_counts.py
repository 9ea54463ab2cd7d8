"""``Wish.support_count`` is kept by the services, not recounted: after every kind of support
write (submission, support, withdrawal, merge, undoing a merge) it equals a recount of the
active Support rows, at two data sizes. ``check_counts`` finds drift and repairs it."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from consult.counts import support_drift
from consult.models import Support, Wish, WishStatus
from consult.services.wishes import AlreadySupported, support_add, support_withdraw, wish_change_status
from tests import factories as f

from .conftest import make_wish, neighbours

pytestmark = pytest.mark.django_db


def assert_counts_agree():
    assert support_drift() == []
    for wish in Wish.objects.all():
        assert wish.support_count == Support.objects.filter(wish=wish, withdrawn_at__isnull=True).count()


@pytest.mark.parametrize("n", [3, 24])
def test_kept_count_equals_a_recount_after_every_kind_of_write(world, n):
    households = neighbours(world, n)
    source = make_wish(world.compound, household=households[0], title="加装电梯")
    target = make_wish(world.compound, household=households[1], title="电梯")
    assert_counts_agree()
    for h in households[1:]:
        support_add(wish=source, household=h)
    for h in households[: n // 2]:
        if not Support.objects.filter(wish=target, household=h, withdrawn_at__isnull=True).exists():
            support_add(wish=target, household=h)
    assert_counts_agree()
    support_withdraw(wish=source, household=households[-1])
    support_withdraw(wish=source, household=households[-2], by=world.staff)
    assert_counts_agree()

    # Merge: the source's supports move over, households backing both count once.
    source_backers = set(source.supports.filter(withdrawn_at__isnull=True).values_list("household", flat=True))
    target_backers = set(target.supports.filter(withdrawn_at__isnull=True).values_list("household", flat=True))
    wish_change_status(wish=source, to_status=WishStatus.MERGED, by=world.staff, merge_into=target)
    assert_counts_agree()
    source.refresh_from_db()
    target.refresh_from_db()
    assert source.support_count == 0
    assert target.support_count == len(source_backers | target_backers)
    # Support given to the merged wish lands on the target; withdrawing it there too.
    late = f.households(f.unit(building=world.building), 1)[0]
    support_add(wish=source, household=late)
    assert_counts_agree()
    support_withdraw(wish=source, household=late)
    assert_counts_agree()

    # Undoing the merge gives the support back.
    wish_change_status(wish=source, to_status=WishStatus.ACCEPTED, by=world.staff)
    assert_counts_agree()
    source.refresh_from_db()
    assert source.support_count == len(source_backers)


def test_the_public_list_shows_the_kept_count(client, world):
    households = neighbours(world, 4)
    wish = make_wish(world.compound, household=households[0])
    for h in households[1:]:
        support_add(wish=wish, household=h)
    response = client.get(reverse("consult:wish_list", args=[world.compound.pk]))
    shown = {w.pk: w.support_total for w in response.context["page_obj"]}
    assert shown[wish.pk] == 4


def test_a_refused_second_support_leaves_the_count_alone(world):
    wish = make_wish(world.compound, household=world.household)
    with pytest.raises(AlreadySupported):
        support_add(wish=wish, household=world.household)
    wish.refresh_from_db()
    assert wish.support_count == 1
    assert_counts_agree()


def test_check_counts_reports_drift_and_fix_repairs_it(world, capsys):
    households = neighbours(world, 3)
    wish = make_wish(world.compound, household=households[0])
    support_add(wish=wish, household=households[1])
    call_command("check_counts")  # no drift: returns normally
    Wish.objects.filter(pk=wish.pk).update(support_count=7)  # a write around the services
    with pytest.raises(CommandError):
        call_command("check_counts")
    assert f"{wish.pk}" in capsys.readouterr().out
    call_command("check_counts", "--fix")
    wish.refresh_from_db()
    assert wish.support_count == 2
    call_command("check_counts")
