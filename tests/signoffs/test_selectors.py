"""Reads: board counts, the blocker list and its filters, stale highlighting, and the
many-campaign aggregates that must agree with ``affected_households``."""

import pytest

from projects.models import ContactKind, ScopeEvent, SignoffCampaign
from projects.models import SignoffStatus as S
from projects.selectors import signoffs as sel
from projects.selectors.scope import affected_households
from projects.services import signoffs as svc
from tests import factories as f

from .conftest import at, open_campaign

pytestmark = pytest.mark.django_db


def tick(so, household, status, day=1):
    extra = {"concern_text": "橱柜、洁具都是新的", "concern_category": "new_fittings"} if status == S.CONCERNS else {}
    if status == S.CONCERNS:
        return svc.signoff_record_status(
            campaign=so.campaign, household=household, status=status, by=so.world.staff, now=at(day), **extra
        )
    return svc.signoff_tick(campaign=so.campaign, household=household, status=status, by=so.world.staff, now=at(day))


def test_board_counts_by_unit_and_building(so):
    a, b, c, d = so.head_households
    tick(so, a, S.AGREED)
    tick(so, b, S.CONCERNS)
    tick(so, c, S.REFUSED)
    tick(so, so.other_households[0], S.TALKED)
    progress = sel.campaign_progress(so.campaign, now=at(2))
    first, second = progress.units
    assert (first.label, first.total, first.agreed, first.concerns, first.refused, first.not_contacted) == (
        "1号楼1单元",
        4,
        1,
        1,
        1,
        1,
    )
    assert (second.talked, second.not_contacted, second.not_agreed) == (1, 3, 4)
    assert first.agreed_area == 60 and first.refused_area == 60 and first.area == 240
    assert progress.totals.total == 8 and progress.totals.agreed == 1
    assert [b.building_name for b in progress.buildings] == ["1号楼", "2号楼"]
    assert not progress.gate_open


def test_head_sees_only_their_buildings_but_the_gate_counts_everybody(so):
    progress = sel.campaign_progress(
        so.campaign, now=at(1), building_ids=sel.head_building_ids(so.world.building_head, so.campaign)
    )
    assert [u.label for u in progress.units] == ["1号楼1单元"]
    assert progress.totals.total == 8
    assert sel.head_building_ids(so.world.staff, so.campaign) is None


def test_stale_after_n_days_without_contact(so):
    w = so.world
    a, b, c, _ = so.head_households
    svc.signoff_log_contact(
        campaign=so.campaign,
        household=a,
        kind=ContactKind.VISIT,
        staff=w.staff,
        contacted_on=at(1).date(),
        outcome="上门",
        by=w.staff,
        now=at(1),
    )
    tick(so, b, S.TALKED, day=6)
    tick(so, c, S.AGREED, day=1)
    # Day 5: the campaign has been open 5 days < 7, nobody is stale yet.
    assert sel.campaign_progress(so.campaign, now=at(5)).totals.stale == 0
    # Day 9: a's last contact (day 1) is 8 days old; never-contacted households too (open > 7 days);
    # b was talked to on day 6; c agreed, so it is not chased.
    progress = sel.campaign_progress(so.campaign, now=at(9))
    assert progress.totals.stale == 6
    rows = {r.household.pk: r for r in sel.attach_records(so.campaign, so.head_households, now=at(9))}
    assert rows[a.pk].stale and rows[a.pk].days_silent == 8
    assert not rows[b.pk].stale and rows[b.pk].days_silent == 3
    assert not rows[c.pk].stale
    assert rows[so.head_households[3].pk].stale and rows[so.head_households[3].pk].days_silent is None
    flt = sel.BlockerFilter(stale_only=True)
    stale = set(sel.blockers(w.staff, so.campaign, flt, now=at(9)).values_list("pk", flat=True))
    assert a.pk in stale and b.pk not in stale and c.pk not in stale


def test_blocker_list_and_filters(so):
    w = so.world
    a, b, c, d = so.head_households
    tick(so, a, S.AGREED)
    tick(so, b, S.CONCERNS)
    tick(so, c, S.REFUSED)
    svc.signoff_assign(campaign=so.campaign, households=[b, so.other_households[0]], assignee=w.staff, by=w.admin)
    svc.signoff_assign(campaign=so.campaign, households=[c], assignee=w.building_head, by=w.admin)

    def pks(user=w.staff, **kw):
        return list(sel.blockers(user, so.campaign, sel.BlockerFilter(**kw), now=at(2)).values_list("pk", flat=True))

    everyone = pks()
    assert a.pk not in everyone and len(everyone) == 7
    assert everyone == [b.pk, c.pk, d.pk] + [h.pk for h in so.other_households]  # walking order
    assert pks(building=w.other_building.pk) == [h.pk for h in so.other_households]
    assert pks(assignee=str(w.staff.pk)) == [b.pk, so.other_households[0].pk]
    assert pks(assignee="me", user=w.building_head) == [c.pk]
    assert set(pks(assignee="none")) == {d.pk, *[h.pk for h in so.other_households[1:]]}
    assert pks(status=S.CONCERNS) == [b.pk]
    assert pks(status=S.NOT_CONTACTED) == [d.pk] + [h.pk for h in so.other_households]
    assert pks(q=d.room) == [d.pk, so.other_households[3].pk]
    # The building head sees only 1号楼.
    assert pks(user=w.building_head) == [b.pk, c.pk, d.pk]
    rows = sel.attach_records(so.campaign, [b], now=at(2))
    assert rows[0].record.concern_text == "橱柜、洁具都是新的" and rows[0].record.assignee == w.staff


@pytest.mark.parametrize("shape", ["compound", "buildings", "units", "adjusted"])
def test_campaign_list_counts_agree_with_affected_households(world, shape):
    extra = f.households(world.unit, 3, start_floor=5)
    project = f.project(community=world.community)
    if shape == "compound":
        project.compounds.set([world.compound])
    elif shape == "buildings":
        project.buildings.set([world.other_building])
    elif shape == "units":
        project.units.set([world.unit])
    else:
        project.units.set([world.unit])
        ScopeEvent.objects.create(
            project=project, household=extra[0], action="remove", reason="空置", made_by=world.admin, made_at=at(0)
        )
        ScopeEvent.objects.create(
            project=project,
            household=world.other_household,
            action="add",
            reason="共用立管",
            made_by=world.admin,
            made_at=at(0),
        )
    campaign = open_campaign(project, world.staff)
    expected = affected_households(project)
    first = expected.first()
    svc.signoff_tick(campaign=campaign, household=first, status=S.AGREED, by=world.staff, now=at(1))
    listed = sel.community_campaigns(world.community).get(pk=campaign.pk)
    assert listed.n_total == expected.count() and listed.n_agreed == 1


def test_noticeboard_lists_campaigns_touching_the_compound_only_when_published(so, world):
    assert [c.pk for c in sel.noticeboard_campaigns(world.compound)] == [so.campaign.pk]
    assert list(sel.noticeboard_campaigns(world.other_compound)) == []
    SignoffCampaign.objects.filter(pk=so.campaign.pk).update(show_on_noticeboard=False)
    assert list(sel.noticeboard_campaigns(world.compound)) == []


def test_online_campaigns_for_a_household(so, world):
    h = so.households[0]
    found = list(sel.online_campaigns_for(h))
    assert [c.pk for c in found] == [so.campaign.pk] and found[0].my_status is None
    svc.signoff_confirm_online(campaign=so.campaign, household=h, agree=True, signer_name="王", now=at(1))
    assert sel.online_campaigns_for(h).get().my_status == S.AGREED
    assert list(sel.online_campaigns_for(world.foreign_household)) == []
    SignoffCampaign.objects.filter(pk=so.campaign.pk).update(paper_required=True)
    assert list(sel.online_campaigns_for(h)) == []


def test_condition_rows_show_exact_comparisons(so):
    svc.signoff_campaign_update(campaign=so.campaign, data={"rule": "art278_major"}, by=so.world.admin)
    so.campaign.refresh_from_db()
    for h in so.households[:5]:
        tick(so, h, S.AGREED)
    tick(so, so.households[5], S.REFUSED)
    progress = sel.campaign_progress(so.campaign, now=at(2))
    rows = {r.label: r for r in progress.conditions}
    assert len(rows) == 4
    quorum = progress.conditions[1]  # heads that answered: 6 of 8 = 75% ≥ 66.7%
    assert (quorum.actual, quorum.threshold, quorum.met) == ("75%", "66.7%", True)
    agreed = progress.conditions[3]  # 5 of 6 = 83.3% ≥ 75%
    assert (agreed.actual, agreed.sign, agreed.threshold, agreed.met) == ("83.3%", "≥", "75%", True)
    # Met as it stands, but not decided: if the 2 still silent refuse, 5 of 8 < 3/4.
    assert not progress.gate_open
    tick(so, so.households[6], S.AGREED)  # 6 of 8 agreed even if the last one refuses: 3/4
    assert sel.campaign_progress(so.campaign, now=at(2)).gate_open
