"""Counted acts are append-only in the database itself (PostgreSQL triggers, see
``projects.db.append_only``): UPDATE and DELETE fail whoever issues them, except the
one-time void of a cast ballot and the one-time withdrawal of a support.

The trigger tests need PostgreSQL; the PROTECT tests (a parent cannot take its counted acts
with it) hold on every database."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from consult.models import BallotEvent, CastBallot, ProxyAuthorisation, Support, WishStatus
from consult.services import ballots as ballot_services
from consult.services.wishes import support_withdraw, wish_change_status
from projects.models import (
    ContactKind,
    ScopeEvent,
    ScopeEventReview,
    SignoffAssignment,
    SignoffCampaignChange,
    SignoffContact,
    SignoffEvent,
    SignoffStatus,
    Stage,
    StageTransition,
)
from projects.services import signoffs as signoff_services
from projects.services.scope import scope_adjust, scope_confirm
from projects.services.stages import project_change_stage
from tests import factories as f
from tests.ballots.conftest import vote

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="append-only triggers are installed on PostgreSQL only (SQLite gets no trigger)",
)

# One ordinary field per table, and a value to try to write into it.
TAMPER = {
    CastBallot: ("note", "改过的"),
    BallotEvent: ("note", "改过的"),
    Support: ("paper_reference", "X-1"),
    SignoffEvent: ("note", "改过的"),
    SignoffContact: ("outcome", "改过的"),
    SignoffAssignment: ("note", "改过的"),
    SignoffCampaignChange: ("changes", {"rule": ["x", "y"]}),
    StageTransition: ("note", "改过的"),
    ScopeEvent: ("reason", "改过的"),
    ScopeEventReview: ("note", "改过的"),
}


# Append-only tables whose refusals are tested next to their feature.
ELSEWHERE = [ProxyAuthorisation]  # tests/ballots/test_proxies.py


@pytest.fixture
def acts(world):
    """One row of every counted act, made through the services."""
    ballot = f.ballot(world)
    cast = vote(ballot, world.household)
    wish = f.wish(world.compound)
    support = f.support(wish, world.other_household)
    project = f.project(community=world.community, stage=Stage.CONSENT)
    project.buildings.set([world.building])
    campaign = signoff_services.signoff_campaign_open(
        project=project, data={"title": "签字", "consent_text": "同意施工", "paper_required": False}, by=world.staff
    )
    event = signoff_services.signoff_record_status(
        campaign=campaign, household=world.household, status=SignoffStatus.TALKED, by=world.staff
    )
    contact = signoff_services.signoff_log_contact(
        campaign=campaign,
        household=world.household,
        kind=ContactKind.VISIT,
        staff=world.staff,
        contacted_on=timezone.localdate(),
        outcome="在家，再考虑",
        by=world.staff,
    )
    signoff_services.signoff_assign(
        campaign=campaign, households=[world.household], assignee=world.staff, by=world.staff
    )
    # Taking out a household that has not agreed waits for a second person: an event and its review.
    removal = scope_adjust(
        project=project, household=world.household, included=False, reason="联系不上", by=world.staff
    )
    review = scope_confirm(event=removal, by=world.admin, note="核实过")
    transition = project_change_stage(project=project, to_stage=Stage.DESIGN, by=world.staff, note="方案要改")
    return {
        CastBallot: cast,
        BallotEvent: ballot.events.first(),
        Support: support,
        SignoffEvent: event,
        SignoffContact: contact,
        SignoffAssignment: SignoffAssignment.objects.get(campaign=campaign),
        SignoffCampaignChange: campaign.changes.first(),
        StageTransition: transition,
        ScopeEvent: removal,
        ScopeEventReview: review,
        "ballot": ballot,
        "wish": wish,
        "project": project,
        "campaign": campaign,
    }


def refused(action) -> bool:
    """True when ``action`` is refused (inside a savepoint, so the test goes on): by the
    trigger, or for an ORM delete of a row that other counted acts point to, already by
    Django's PROTECT (the raw SQL statements below reach the trigger either way)."""
    try:
        with transaction.atomic():
            action()
    except ProtectedError:  # an IntegrityError subclass, so caught first
        return True
    except DatabaseError as error:
        assert "append-only" in str(error)
        return True
    return False


@on_postgres
@pytest.mark.parametrize("model", list(TAMPER), ids=lambda m: m.__name__)
def test_update_and_delete_of_a_counted_act_fail(model, acts):
    row = acts[model]
    field, value = TAMPER[model]
    rows = model.objects.filter(pk=row.pk)
    assert refused(lambda: rows.update(**{field: value}))
    assert refused(lambda: rows.delete())
    assert refused(lambda: _raw(f"UPDATE {model._meta.db_table} SET id = id WHERE id = %s", row.pk))
    assert refused(lambda: _raw(f"DELETE FROM {model._meta.db_table} WHERE id = %s", row.pk))
    assert model.objects.filter(pk=row.pk).exists()


@on_postgres
def test_every_counted_act_has_its_trigger(acts):
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE '%%append_only_trg'")
        tables = {name for (name,) in cursor.fetchall()}
    assert {model._meta.db_table for model in [*TAMPER, *ELSEWHERE]} <= tables


@on_postgres
def test_truncate_still_empties_the_tables(acts):
    """The test runner's flush uses TRUNCATE, which fires no row trigger."""
    with transaction.atomic():
        _raw("SET CONSTRAINTS ALL IMMEDIATE")  # run the deferred foreign-key checks first
        _raw("TRUNCATE consult_support")
        assert not Support.objects.exists()
        transaction.set_rollback(True)


def _raw(sql, *params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


# --- the one-time settlements ----------------------------------------------------------------


@on_postgres
def test_a_ballot_is_voided_once_and_then_frozen(acts, world):
    cast = ballot_services.void_cast_ballot(cast=acts[CastBallot], by=world.staff, reason="录错了户")
    assert cast.voided_at is not None
    rows = CastBallot.objects.filter(pk=cast.pk)
    assert refused(lambda: rows.update(void_reason="另一个理由"))
    assert refused(lambda: rows.update(voided_at=None, voided_by=None, void_reason=""))  # no un-voiding
    assert refused(lambda: rows.update(voided_at=timezone.now()))
    assert rows.get().void_reason == "录错了户"


@on_postgres
def test_voiding_cannot_carry_another_change_with_it(acts, world):
    rows = CastBallot.objects.filter(pk=acts[CastBallot].pk)
    against = acts["ballot"].options.get(kind="against")
    assert refused(
        lambda: rows.update(voided_at=timezone.now(), voided_by=world.staff, void_reason="x", option=against)
    )
    assert rows.get().voided_at is None


@on_postgres
def test_a_support_is_withdrawn_once_and_then_frozen(acts, world):
    support = support_withdraw(wish=acts["wish"], household=world.other_household)
    assert support.withdrawn_at is not None and support.withdrawn_by is None
    rows = Support.objects.filter(pk=support.pk)
    assert refused(lambda: rows.update(withdrawal_reason="staff", withdrawn_by=world.staff))
    assert refused(lambda: rows.update(withdrawn_at=None, withdrawal_reason=""))
    # withdrawing again is a new support and a new withdrawal, never an edit
    f.support(acts["wish"], world.other_household)
    support_withdraw(wish=acts["wish"], household=world.other_household, by=world.staff)
    assert Support.objects.filter(wish=acts["wish"], household=world.other_household).count() == 2


@on_postgres
def test_merging_and_unmerging_wishes_only_withdraws_and_appends(acts, world):
    target = f.wish(world.compound, title="合并目标")
    wish_change_status(wish=acts["wish"], to_status=WishStatus.MERGED, by=world.staff, merge_into=target)
    wish_change_status(wish=acts["wish"], to_status=WishStatus.ACCEPTED, by=world.staff, note="合并错了")
    assert Support.objects.filter(wish=acts["wish"], household=world.other_household, withdrawn_at=None).exists()


# --- parents cannot take their counted acts with them (every database) ----------------------


def test_deleting_a_parent_of_counted_acts_is_refused(acts):
    for parent in (acts["wish"], acts["project"], acts["campaign"], acts["ballot"]):
        with pytest.raises(ProtectedError):
            parent.delete()
    with pytest.raises(ProtectedError):
        acts[Support].household.delete()
