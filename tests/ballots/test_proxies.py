"""Written authorisations (委托书, issue 10): recorded from the household page, revoked once
and never deleted, and named by every ballot cast under them. A ballot under an
authorisation is refused when it is revoked, for another household or for another ballot."""

import datetime
import re
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation

from consult.models import CastBallot, OptionKind, ProxyAuthorisation, ProxyScope
from consult.services import proxies as proxy_services
from projects.models import Channel, Owner
from tests.helpers import phone_jpeg, photo_upload

from .conftest import make_ballot, option, vote

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today


def authorise(world, household=None, *, number="WT-2026-07", ballot=None, signed_on=None, **kw):
    return proxy_services.proxy_authorise(
        household=household or world.household,
        grantor_name="张桂兰",
        proxy_name="李明",
        proxy_phone="13900001111",
        number=number,
        signed_on=signed_on or timezone.localdate() - datetime.timedelta(days=3),
        ballot=ballot,
        by=world.staff,
        **kw,
    )


def paper_under(ballot, household, proxy, *, by, serial="", **kw):
    return vote(ballot, household, by=by, channel=Channel.PAPER, paper_serial=serial or "X1", proxy=proxy, **kw)


# --- the service -------------------------------------------------------------------------------


def test_a_ballot_cast_under_an_authorisation_names_it(world, tower):
    ballot = make_ballot(world)
    authorisation = authorise(world)
    cast = paper_under(ballot, world.household, authorisation, by=world.staff)
    assert cast.proxy == authorisation and authorisation.scope == ProxyScope.GENERAL
    with translation.override("zh-hans"):
        assert authorisation.label == f"委托 李明，委托书 No. WT-2026-07（{authorisation.signed_on.isoformat()}）"


def test_a_revoked_authorisation_is_refused(world, tower):
    ballot = make_ballot(world)
    authorisation = authorise(world)
    proxy_services.proxy_revoke(authorisation=authorisation, by=world.admin, reason="业主本人回来了")
    with pytest.raises(proxy_services.ProxyError) as refused:
        paper_under(ballot, world.household, authorisation, by=world.staff)
    assert refused.value.field == "proxy"
    assert not CastBallot.objects.filter(ballot=ballot).exists()


def test_an_authorisation_of_another_household_is_refused(world, tower):
    ballot = make_ballot(world)
    authorisation = authorise(world, tower[1])
    with pytest.raises(proxy_services.ProxyError) as refused:
        paper_under(ballot, world.household, authorisation, by=world.staff)
    assert refused.value.field == "proxy"
    assert not CastBallot.objects.filter(ballot=ballot).exists()


def test_an_authorisation_for_one_ballot_does_not_cover_another(world, tower):
    first, second = make_ballot(world), make_ballot(world)
    authorisation = authorise(world, ballot=first)
    assert authorisation.scope == ProxyScope.BALLOT
    with pytest.raises(proxy_services.ProxyError):
        paper_under(second, world.household, authorisation, by=world.staff)
    assert paper_under(first, world.household, authorisation, by=world.staff).proxy == authorisation


def test_an_authorisation_signed_after_the_paper_was_filled_in_is_refused(world, tower):
    ballot = make_ballot(world)
    authorisation = authorise(world, signed_on=timezone.localdate())
    with pytest.raises(proxy_services.ProxyError, match="No. WT-2026-07"):
        paper_under(
            ballot,
            world.household,
            authorisation,
            by=world.staff,
            paper_date=timezone.localdate() - datetime.timedelta(days=1),
        )


def test_a_ballot_under_an_authorisation_is_never_an_online_vote(world, tower):
    ballot = make_ballot(world)
    authorisation = authorise(world)
    with pytest.raises(proxy_services.ServiceError):
        vote(ballot, world.household, proxy=authorisation)
    cast = vote(ballot, world.household)
    with pytest.raises(DatabaseError), transaction.atomic():
        CastBallot.objects.filter(pk=cast.pk).update(proxy=authorisation)


def test_revoking_is_once_with_a_reason_and_keeps_ballots_already_cast(world, tower):
    ballot = make_ballot(world)
    authorisation = authorise(world)
    cast = paper_under(ballot, world.household, authorisation, by=world.staff)
    with pytest.raises(proxy_services.ProxyError) as no_reason:
        proxy_services.proxy_revoke(authorisation=authorisation, by=world.admin, reason="  ")
    assert no_reason.value.field == "reason"
    revoked = proxy_services.proxy_revoke(authorisation=authorisation, by=world.admin, reason="委托人撤回")
    assert revoked.revoked_by == world.admin and revoked.revoke_reason == "委托人撤回"
    with pytest.raises(proxy_services.ProxyError):
        proxy_services.proxy_revoke(authorisation=authorisation, by=world.admin, reason="再撤一次")
    cast.refresh_from_db()
    assert cast.is_valid and cast.proxy_id == authorisation.pk
    assert ProxyAuthorisation.objects.filter(pk=authorisation.pk).exists()


def test_the_database_keeps_a_revocation_whole(world):
    """A half-recorded revocation or a changed scope is refused by a constraint (and, on
    PostgreSQL with the integrity triggers, possibly before that by a trigger)."""
    authorisation = authorise(world)
    with pytest.raises(DatabaseError), transaction.atomic():
        ProxyAuthorisation.objects.filter(pk=authorisation.pk).update(revoked_at=timezone.now())
    with pytest.raises(DatabaseError), transaction.atomic():
        ProxyAuthorisation.objects.filter(pk=authorisation.pk).update(scope=ProxyScope.BALLOT)


def test_recording_refuses_what_is_not_written_down(world):
    with translation.override("zh-hans"), pytest.raises(proxy_services.ProxyError) as refused:
        proxy_services.proxy_authorise(
            household=world.household,
            grantor_name=" ",
            proxy_name="",
            number="",
            signed_on=TODAY() + datetime.timedelta(days=1),
            by=world.staff,
        )
    assert set(refused.value.message_dict) == {"grantor_name", "proxy_name", "number", "signed_on"}
    authorise(world)
    with pytest.raises(proxy_services.ProxyError) as again:
        authorise(world)
    assert again.value.field == "number"


def test_a_ballot_of_another_community_cannot_be_named(world):
    foreign = make_ballot(world, community=world.other_community, target=world.foreign_household.unit)
    with pytest.raises(proxy_services.ProxyError) as refused:
        authorise(world, ballot=foreign)
    assert list(refused.value.message_dict) == ["ballot"]


# --- the staff entry form ----------------------------------------------------------------------


def enter(client, ballot, **data):
    data.setdefault("channel", "paper")
    data.setdefault("option", option(ballot, OptionKind.FOR).pk)
    return client.post(reverse("consult:ballot_enter", args=[ballot.pk]), data)


def test_staff_choose_the_authorisation_and_the_ballot_lists_name_it(client, world, tower):
    ballot = make_ballot(world)
    authorisation = authorise(world)
    client.force_login(world.staff)
    response = enter(client, ballot, paper_serial="1", proxy=authorisation.pk)
    assert response.status_code == 302
    assert CastBallot.objects.get(ballot=ballot).proxy == authorisation
    with translation.override("zh-hans"):
        casts = client.get(reverse("consult:ballot_casts", args=[ballot.pk])).content.decode()
        page = client.get(ballot.get_absolute_url()).content.decode()
        public = client.get(reverse("consult:ballot_public", args=[ballot.pk])).content.decode()
    assert "委托 李明，委托书 No. WT-2026-07" in casts and "委托 李明" in page
    assert "李明" not in public and "WT-2026-07" not in public


def test_the_form_refuses_an_authorisation_of_another_household_next_to_the_field(client, world, tower):
    ballot = make_ballot(world)
    other = authorise(world, tower[1], number="WT-9")
    client.force_login(world.staff)
    with translation.override("zh-hans"):
        response = enter(client, ballot, paper_serial="1", proxy=other.pk)
    assert response.status_code == 200
    (message,) = response.context["form"].errors["proxy"]
    assert message.startswith("委托书 No. WT-9 是为") and str(world.household) in message
    assert not CastBallot.objects.filter(ballot=ballot).exists()


def test_the_form_does_not_offer_a_revoked_authorisation(client, world, tower):
    ballot = make_ballot(world)
    authorisation = authorise(world)
    proxy_services.proxy_revoke(authorisation=authorisation, by=world.admin, reason="撤回")
    client.force_login(world.staff)
    with translation.override("zh-hans"):
        assert authorisation.pk not in [
            a.pk
            for a in client.get(reverse("consult:ballot_enter", args=[ballot.pk]))
            .context["form"]
            .fields["proxy"]
            .queryset
        ]
        response = enter(client, ballot, paper_serial="1", proxy=authorisation.pk)
    (message,) = response.context["form"].errors["proxy"]
    assert "已撤销" in message
    assert not CastBallot.objects.filter(ballot=ballot).exists()


# --- the household page ------------------------------------------------------------------------


def test_staff_record_an_authorisation_with_a_private_photo(client, world, tmp_path):
    client.force_login(world.staff)
    response = client.post(
        reverse("consult:proxy_add", args=[world.household.pk]),
        {
            "grantor_name": "张桂兰",
            "proxy_name": "李明",
            "proxy_phone": "13900001111",
            "number": "WT-1",
            "signed_on": (TODAY() - datetime.timedelta(days=1)).isoformat(),
            "photo": photo_upload(content=phone_jpeg()),
        },
    )
    assert response.status_code == 302 and response["Location"] == world.household.get_absolute_url()
    authorisation = ProxyAuthorisation.objects.get(household=world.household)
    assert authorisation.entered_by == world.staff and authorisation.scope == ProxyScope.GENERAL
    stored = Path(authorisation.photo.path)
    assert stored.is_file() and tmp_path / "media-private" in stored.parents
    assert re.fullmatch(r"[0-9a-f]{32}\.jpg", stored.name)
    photo = client.get(reverse("consult:proxy_photo", args=[authorisation.pk]))
    assert photo.status_code == 200 and photo["Cache-Control"] == "private, no-store"


def test_the_add_form_shows_chinese_errors_next_to_the_fields(client, world):
    client.force_login(world.staff)
    with translation.override("zh-hans"):
        response = client.post(
            reverse("consult:proxy_add", args=[world.household.pk]),
            {"grantor_name": "张桂兰", "proxy_name": "李明", "number": "WT-1", "signed_on": "2099-01-01"},
        )
    assert response.status_code == 200
    assert response.context["form"].errors["signed_on"] == ["委托书的日期不能晚于今天。"]
    assert not ProxyAuthorisation.objects.exists()


def test_the_household_page_lists_authorisations_with_the_phone_masked_where_needed(client, world):
    authorisation = authorise(world)
    proxy_services.proxy_revoke(authorisation=authorise(world, number="OLD-1"), by=world.admin, reason="过期")
    client.force_login(world.staff)
    body = client.get(world.household.get_absolute_url()).content.decode()
    assert body.count('data-testid="proxy-row"') == 2 and "13900001111" in body and "过期" in body
    assert reverse("consult:proxy_revoke", args=[authorisation.pk]) in body
    client.force_login(world.sub_district_staff)
    body = client.get(world.household.get_absolute_url()).content.decode()
    assert "139****1111" in body and "13900001111" not in body
    assert reverse("consult:proxy_revoke", args=[authorisation.pk]) not in body


def test_revoking_from_the_page_needs_a_reason(client, world):
    authorisation = authorise(world)
    client.force_login(world.staff)
    url = reverse("consult:proxy_revoke", args=[authorisation.pk])
    with translation.override("zh-hans"):
        response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert client.post(url, {"reason": "委托人收回"}).status_code == 302
    authorisation.refresh_from_db()
    assert authorisation.revoked_by == world.staff and authorisation.revoke_reason == "委托人收回"


@pytest.mark.parametrize("n", [1, 12])
def test_household_page_queries_stay_flat(client, world, tower, django_assert_max_num_queries, n):
    ballot = make_ballot(world)
    for i in range(n):
        authorisation = authorise(world, number=f"WT-{i}")
        if i == 0:
            paper_under(ballot, world.household, authorisation, by=world.staff)
        else:
            proxy_services.proxy_revoke(authorisation=authorisation, by=world.admin, reason="换人")
    client.force_login(world.staff)
    with django_assert_max_num_queries(9):  # 9 at both sizes; the authorisations panel is one of them
        response = client.get(world.household.get_absolute_url())
    assert response.content.decode().count('data-testid="proxy-row"') == n


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger is installed on PostgreSQL only")
def test_on_postgresql_the_row_takes_only_the_one_time_revoke(world):
    authorisation = authorise(world)
    rows = ProxyAuthorisation.objects.filter(pk=authorisation.pk)
    with pytest.raises(DatabaseError), transaction.atomic():
        rows.update(proxy_name="王五")
    with pytest.raises(DatabaseError), transaction.atomic():
        rows.delete()
    proxy_services.proxy_revoke(authorisation=authorisation, by=world.admin, reason="委托人撤回")
    with pytest.raises(DatabaseError), transaction.atomic():
        rows.update(revoke_reason="改写原因")
    assert rows.get().revoke_reason == "委托人撤回" and rows.get().proxy_name == "李明"


# --- the grantor is one of the household's recorded owners -----------------------------------


def owned(household, *names):
    from projects.services.owners import OwnerSpec, set_owners

    set_owners(household.unit.building.compound.community_id, [(household, OwnerSpec.parse("、".join(names)))])
    return list(Owner.objects.filter(ownerships__household=household).order_by("name"))


def test_the_grantor_is_an_owner_of_that_household(world):
    (owner,) = owned(world.household, "张桂兰")
    (stranger,) = owned(world.other_household, "赵六")
    authorisation = authorise(world, grantor=owner)
    assert authorisation.grantor == owner and authorisation.grantor_name == "张桂兰"
    with pytest.raises(proxy_services.ProxyError) as refused:
        authorise(world, number="WT-8", grantor=stranger)
    assert list(refused.value.message_dict) == ["grantor"]
    with pytest.raises(proxy_services.ProxyError) as missing:
        authorise(world, number="WT-9")
    assert list(missing.value.message_dict) == ["grantor"]


def test_the_form_offers_the_households_owners(client, world):
    owners = owned(world.household, "张桂兰", "李国强")
    client.force_login(world.staff)
    url = reverse("consult:proxy_add", args=[world.household.pk])
    form = client.get(url).context["form"]
    assert "grantor_name" not in form.fields and list(form.fields["grantor"].queryset) == owners
    with translation.override("zh-hans"):
        response = client.post(url, {"proxy_name": "李明", "number": "WT-1", "signed_on": TODAY().isoformat()})
    assert response.status_code == 200 and response.context["form"].errors["grantor"] == ["这个字段是必填项。"]
    data = {"grantor": owners[1].pk, "proxy_name": "李明", "number": "WT-1", "signed_on": TODAY().isoformat()}
    assert client.post(url, data).status_code == 302
    authorisation = ProxyAuthorisation.objects.get()
    assert authorisation.grantor == owners[1] and authorisation.grantor_name == owners[1].name
