"""Writes: the append-only status history, the record kept in step, contacts and follow-ups."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from projects.models import (
    Channel,
    ConcernCategory,
    ContactKind,
    Role,
    SignoffAssignment,
    SignoffCampaignChange,
    SignoffEvent,
    SignoffRecord,
)
from projects.models import SignoffStatus as S
from projects.services import signoffs as svc
from tests import factories as f

from .conftest import at, open_campaign

pytestmark = pytest.mark.django_db


def record(so, household):
    return SignoffRecord.objects.get(campaign=so.campaign, household=household)


def agree(so, household, day=1, **kw):
    details = {"signer_name": "王秀兰", "signer_relation": "owner", "signed_on": at(day).date(), **kw}
    return svc.signoff_record_status(
        campaign=so.campaign, household=household, status=S.AGREED, by=so.world.staff, now=at(day), **details
    )


def test_withdrawal_after_agreement_is_a_new_event(so):
    h = so.households[0]
    first = agree(so, h, day=1, paper_reference="1-1-01")
    withdrawal = svc.signoff_record_status(
        campaign=so.campaign,
        household=h,
        status=S.CONCERNS,
        by=so.world.staff,
        channel=Channel.PHONE,
        concern_category=ConcernCategory.COST,
        concern_text="听说入户这段管子要自己掏钱？",
        now=at(5),
    )
    events = list(SignoffEvent.objects.filter(campaign=so.campaign, household=h))
    assert [(e.previous_status, e.status) for e in events] == [
        (S.NOT_CONTACTED, S.AGREED),
        (S.AGREED, S.CONCERNS),
    ]
    assert withdrawal.is_withdrawal and not first.is_withdrawal
    first.refresh_from_db()
    assert first.signer_name == "王秀兰" and first.paper_reference == "1-1-01"  # the old agreement is untouched
    r = record(so, h)
    assert r.status == S.CONCERNS and r.last_event == withdrawal
    assert r.concern_text == "听说入户这段管子要自己掏钱？"
    assert r.status_changed_at == at(5)


def test_agreement_after_refusal(so):
    h = so.households[1]
    svc.signoff_record_status(
        campaign=so.campaign,
        household=h,
        status=S.REFUSED,
        by=so.world.staff,
        concern_category=ConcernCategory.REDECORATED,
        concern_text="我们家刚装修完，再给我刨了，我可不干！",
        now=at(1),
    )
    event = agree(so, h, day=9)
    assert event.previous_status == S.REFUSED and not event.is_withdrawal
    r = record(so, h)
    assert r.status == S.AGREED
    assert r.concern_text.startswith("我们家刚装修完")  # the reason stays for the history
    assert SignoffEvent.objects.filter(household=h).count() == 2


def test_agreement_needs_signer_and_date_and_no_future(so):
    h = so.households[0]
    with pytest.raises(ValidationError) as error:
        agree(so, h, signer_name=" ")
    assert "signer_name" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        agree(so, h, day=1, signed_on=date(2025, 3, 20))
    assert "signed_on" in error.value.error_dict
    assert not SignoffEvent.objects.exists()


def test_paper_required_needs_form_number_or_photo(so):
    svc.signoff_campaign_update(campaign=so.campaign, data={"paper_required": True}, by=so.world.staff, now=at(0))
    so.campaign.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        agree(so, so.households[0])
    assert "paper_reference" in error.value.error_dict
    agree(so, so.households[0], paper_reference="7-3-05")
    assert record(so, so.households[0]).status == S.AGREED


def test_concerns_need_the_residents_words(so):
    with pytest.raises(ValidationError) as error:
        svc.signoff_record_status(
            campaign=so.campaign, household=so.households[0], status=S.CONCERNS, by=so.world.staff, now=at(1)
        )
    assert "concern_text" in error.value.error_dict


def test_tick_records_once_and_a_double_tap_does_nothing(so):
    h = so.households[2]
    assert svc.signoff_tick(campaign=so.campaign, household=h, status=S.TALKED, by=so.world.staff, now=at(1))
    assert svc.signoff_tick(campaign=so.campaign, household=h, status=S.TALKED, by=so.world.staff, now=at(1)) is None
    agreed = svc.signoff_tick(campaign=so.campaign, household=h, status=S.AGREED, by=so.world.staff, now=at(2))
    assert agreed.signer_name == h.owner_names and agreed.signer_relation == "owner"
    assert agreed.signed_on == at(2).date()
    assert SignoffEvent.objects.filter(household=h).count() == 2


def test_tick_asks_for_details_where_a_click_is_not_enough(so):
    h = so.households[2]
    with pytest.raises(svc.DetailsNeeded):
        svc.signoff_tick(campaign=so.campaign, household=h, status=S.CONCERNS, by=so.world.staff, now=at(1))
    svc.signoff_campaign_update(campaign=so.campaign, data={"paper_required": True}, by=so.world.staff)
    so.campaign.refresh_from_db()
    with pytest.raises(svc.DetailsNeeded):
        svc.signoff_tick(campaign=so.campaign, household=h, status=S.AGREED, by=so.world.staff, now=at(1))
    assert not SignoffEvent.objects.exists()


def test_closed_campaign_and_households_outside_the_scope_are_refused(so, world):
    with pytest.raises(ValidationError):
        svc.signoff_tick(
            campaign=so.campaign, household=world.foreign_household, status=S.TALKED, by=world.staff, now=at(1)
        )
    svc.signoff_campaign_set_open(campaign=so.campaign, open_=False, by=world.staff, now=at(2))
    with pytest.raises(ValidationError):
        svc.signoff_tick(campaign=so.campaign, household=so.households[0], status=S.TALKED, by=world.staff, now=at(3))
    svc.signoff_campaign_set_open(campaign=so.campaign, open_=True, by=world.staff, now=at(4))
    assert svc.signoff_tick(campaign=so.campaign, household=so.households[0], status=S.TALKED, by=world.staff)
    actions = list(SignoffCampaignChange.objects.filter(campaign=so.campaign).values_list("action", flat=True))
    assert sorted(actions) == ["closed", "opened", "reopened"]


def test_online_confirmation_only_by_the_household_and_only_when_allowed(so):
    h = so.households[0]
    event = svc.signoff_confirm_online(
        campaign=so.campaign, household=h, agree=True, signer_name="王秀兰", signer_relation="spouse", now=at(1)
    )
    assert event.channel == Channel.ONLINE and event.entered_by is None
    with pytest.raises(ValidationError):  # staff cannot pretend to be the household
        svc.signoff_record_status(
            campaign=so.campaign, household=h, status=S.TALKED, by=None, channel=Channel.PHONE, now=at(2)
        )
    svc.signoff_campaign_update(campaign=so.campaign, data={"paper_required": True}, by=so.world.staff)
    so.campaign.refresh_from_db()
    with pytest.raises(ValidationError):
        svc.signoff_confirm_online(campaign=so.campaign, household=h, agree=True, signer_name="王秀兰", now=at(3))


def test_contact_log_sets_last_contact_and_latest_next_step(so):
    h, w = so.households[3], so.world
    svc.signoff_log_contact(
        campaign=so.campaign,
        household=h,
        kind=ContactKind.VISIT,
        staff=w.staff,
        contacted_on=at(4).date(),
        outcome="住户不在家",
        next_step="周末再来",
        by=w.staff,
        now=at(4),
    )
    # Entered later but dated earlier: the last contact and next step stay those of day 4.
    svc.signoff_log_contact(
        campaign=so.campaign,
        household=h,
        kind=ContactKind.CALL,
        staff=w.building_head,
        contacted_on=at(2).date(),
        outcome="电话没人接",
        next_step="上门",
        by=w.staff,
        now=at(5),
    )
    r = record(so, h)
    assert r.last_contact_on == at(4).date() and r.next_step == "周末再来"
    assert r.status == S.NOT_CONTACTED  # a contact is not a status
    with pytest.raises(ValidationError):
        svc.signoff_log_contact(
            campaign=so.campaign,
            household=h,
            kind=ContactKind.CALL,
            staff=w.staff,
            contacted_on=at(9).date(),
            outcome="未来",
            by=w.staff,
            now=at(5),
        )


def test_follow_up_assignment(so, world):
    head_house, other_house = so.head_households[1], so.other_households[1]
    assert (
        svc.signoff_assign(
            campaign=so.campaign, households=[head_house, other_house], assignee=world.staff, by=world.admin, now=at(1)
        )
        == 2
    )
    # Assigning the same person again changes nothing and logs nothing.
    assert (
        svc.signoff_assign(
            campaign=so.campaign, households=[head_house], assignee=world.staff, by=world.admin, now=at(2)
        )
        == 0
    )
    # A building head may follow up their own building only.
    assert (
        svc.signoff_assign(
            campaign=so.campaign, households=[head_house], assignee=world.building_head, by=world.admin, now=at(3)
        )
        == 1
    )
    with pytest.raises(ValidationError) as error:
        svc.signoff_assign(
            campaign=so.campaign, households=[other_house], assignee=world.building_head, by=world.admin, now=at(3)
        )
    assert "assignee" in error.value.error_dict
    # Department viewers and staff of another community cannot be given follow-ups.
    for outsider in (world.department, world.other_staff):
        with pytest.raises(ValidationError):
            svc.signoff_assign(
                campaign=so.campaign, households=[head_house], assignee=outsider, by=world.admin, now=at(3)
            )
    assert record(so, head_house).assignee == world.building_head
    assert record(so, other_house).assignee == world.staff
    svc.signoff_assign(campaign=so.campaign, households=[other_house], assignee=None, by=world.admin, now=at(4))
    assert record(so, other_house).assignee is None
    history = list(
        SignoffAssignment.objects.filter(household=head_house)
        .order_by("assigned_at")
        .values_list("assignee__username", flat=True)
    )
    assert history == ["staff_bm", "head_bm"]


def test_rebuilt_records_match_the_records_kept_in_step(so, world):
    h1, h2, h3 = so.households[:3]
    svc.signoff_tick(campaign=so.campaign, household=h1, status=S.TALKED, by=world.staff, now=at(1))
    agree(so, h1, day=2)
    svc.signoff_record_status(
        campaign=so.campaign, household=h1, status=S.REFUSED, by=world.staff, concern_text="不干了", now=at(3)
    )
    svc.signoff_log_contact(
        campaign=so.campaign,
        household=h2,
        kind=ContactKind.MEETING,
        staff=world.staff,
        contacted_on=at(4).date(),
        outcome="协商会",
        next_step="再访",
        by=world.staff,
        now=at(4),
    )
    svc.signoff_assign(campaign=so.campaign, households=[h2, h3], assignee=world.staff, by=world.admin, now=at(5))
    fields = ["household_id", "status", "status_changed_at", "last_event_id", "concern_category", "concern_text"]
    fields += ["last_contact_on", "next_step", "assignee_id"]

    def snapshot():
        return sorted(SignoffRecord.objects.filter(campaign=so.campaign).values_list(*fields))

    before = snapshot()
    assert svc.signoff_rebuild_records(campaign=so.campaign) == 3
    assert snapshot() == before
    assert record(so, h1).concern_category == ConcernCategory.OTHER


def test_one_campaign_per_project_and_rule_changes_are_logged(so, world):
    with pytest.raises(ValidationError):
        open_campaign(so.project, world.staff)
    change = svc.signoff_campaign_update(
        campaign=so.campaign,
        data={"rule": "custom", "custom_heads_numerator": 3, "custom_heads_denominator": 4},
        by=world.admin,
        now=at(1),
    )
    assert change.changes["rule"] == ["unanimous", "custom"]
    assert change.changes["custom_heads_numerator"] == [None, 3]
    with pytest.raises(ValidationError):  # a custom rule without any threshold
        svc.signoff_campaign_update(
            campaign=so.campaign,
            data={"custom_heads_numerator": None, "custom_heads_denominator": None},
            by=world.admin,
        )


def test_households_added_to_the_scope_later_appear_as_not_contacted(so, world):
    from projects.selectors import signoffs as sel

    before = sel.campaign_progress(so.campaign, now=at(1)).totals.total
    new_unit = f.unit(building=f.building(compound=world.compound, name="3号楼"), name="2单元")
    f.households(new_unit, 2)
    so.project.units.add(new_unit)
    progress = sel.campaign_progress(so.campaign, now=at(1))
    assert progress.totals.total == before + 2
    assert progress.totals.not_contacted == before + 2
    assert "3号楼2单元" in " ".join(progress.missing)


def test_building_head_membership_is_what_makes_a_head(world, so):
    head = f.member(world.community, Role.BUILDING_HEAD, buildings=[world.other_building])
    assert (
        svc.signoff_assign(campaign=so.campaign, households=[so.other_households[0]], assignee=head, by=world.admin)
        == 1
    )


def test_the_same_online_answer_twice_writes_one_event(so):
    """Issue 17: 20 confirmations from one household wrote 20 identical sign-off events."""
    h = so.households[0]
    first = svc.signoff_confirm_online(campaign=so.campaign, household=h, agree=True, signer_name="王秀兰", now=at(1))
    again = svc.signoff_confirm_online(campaign=so.campaign, household=h, agree=True, signer_name="王秀兰", now=at(2))
    assert again.pk == first.pk and SignoffEvent.objects.filter(household=h).count() == 1
    # a different answer, or the same one from another signer, is a new event
    svc.signoff_confirm_online(campaign=so.campaign, household=h, agree=True, signer_name="李四", now=at(3))
    svc.signoff_confirm_online(
        campaign=so.campaign, household=h, agree=False, concern_category="", concern_text="担心噪音", now=at(4)
    )
    svc.signoff_confirm_online(campaign=so.campaign, household=h, agree=True, signer_name="李四", now=at(5))
    statuses = list(SignoffEvent.objects.filter(household=h).order_by("pk").values_list("status", "signer_name"))
    assert statuses == [(S.AGREED, "王秀兰"), (S.AGREED, "李四"), (S.CONCERNS, ""), (S.AGREED, "李四")]
