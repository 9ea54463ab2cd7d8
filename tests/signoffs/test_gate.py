"""The construction gate: ``project_change_stage`` refuses construction until the rule is met,
and says exactly what is missing."""

import pytest
from django.utils import translation

from projects.models import DecisionRule, Stage
from projects.models import SignoffStatus as S
from projects.services import signoffs as svc
from projects.services.stages import StageBlocked, blocking_reasons, project_change_stage
from tests import factories as f

from .conftest import at

pytestmark = pytest.mark.django_db


def move_to_notice(so):
    project_change_stage(project=so.project, to_stage=Stage.NOTICE, by=so.world.admin, now=at(1))
    so.project.refresh_from_db()


def agree_all(so, households, day=2):
    for h in households:
        svc.signoff_tick(campaign=so.campaign, household=h, status=S.AGREED, by=so.world.staff, now=at(day))


def test_construction_blocked_until_the_last_household_agrees(so):
    move_to_notice(so)
    agree_all(so, so.households[:-2])
    svc.signoff_tick(campaign=so.campaign, household=so.households[-1], status=S.REFUSED, by=so.world.staff)
    with translation.override("zh-hans"), pytest.raises(StageBlocked) as blocked:
        project_change_stage(project=so.project, to_stage=Stage.CONSTRUCTION, by=so.world.admin, now=at(3))
    assert "2号楼1单元还有2户未同意：302、401" in blocked.value.messages
    assert not any("1号楼1单元" in m for m in blocked.value.messages)
    so.project.refresh_from_db()
    assert so.project.stage == Stage.NOTICE

    agree_all(so, so.households[-2:-1], day=4)
    with translation.override("zh-hans"):
        reasons = blocking_reasons(so.project, Stage.CONSTRUCTION, now=at(4))
    assert "2号楼1单元还有1户未同意：401" in reasons

    agree_all(so, so.households[-1:], day=5)  # the holdout is talked round
    transition = project_change_stage(project=so.project, to_stage=Stage.CONSTRUCTION, by=so.world.admin, now=at(5))
    assert transition.to_stage == Stage.CONSTRUCTION


def test_withdrawal_closes_the_gate_again(so):
    agree_all(so, so.households)
    assert blocking_reasons(so.project, Stage.CONSTRUCTION, now=at(3)) == []
    svc.signoff_record_status(
        campaign=so.campaign,
        household=so.head_households[0],
        status=S.REFUSED,
        by=so.world.staff,
        concern_text="不同意了",
        now=at(4),
    )
    with translation.override("zh-hans"):
        reasons = blocking_reasons(so.project, Stage.CONSTRUCTION, now=at(4))
    assert any(r.startswith("1号楼1单元还有1户未同意：") for r in reasons)


def test_project_without_campaign_is_not_gated(world):
    project = f.project(community=world.community, stage=Stage.NOTICE)
    assert blocking_reasons(project, Stage.CONSTRUCTION, now=at(1)) == []


def test_empty_scope_blocks(world):
    project = f.project(community=world.community, stage=Stage.NOTICE)
    svc.signoff_campaign_open(
        project=project, data={"title": "t", "consent_text": "c", "rule": DecisionRule.TWO_THIRDS}, by=world.staff
    )
    assert len(blocking_reasons(project, Stage.CONSTRUCTION, now=at(1))) == 2


def test_going_back_is_never_blocked(so):
    """A household withdrawing its consent during construction blocks going forward again,
    but never the step back to the notice stage (where the signatures are checked again)."""
    move_to_notice(so)
    agree_all(so, so.households)
    project_change_stage(project=so.project, to_stage=Stage.CONSTRUCTION, by=so.world.admin, now=at(3))
    so.project.refresh_from_db()
    svc.signoff_tick(campaign=so.campaign, household=so.households[0], status=S.REFUSED, by=so.world.staff, now=at(4))
    assert blocking_reasons(so.project, Stage.CONSTRUCTION, now=at(4)), "the gate is closed again"

    project_change_stage(project=so.project, to_stage=Stage.NOTICE, by=so.world.admin, note="复核签字", now=at(5))

    so.project.refresh_from_db()
    assert so.project.stage == Stage.NOTICE
    with pytest.raises(StageBlocked):
        project_change_stage(project=so.project, to_stage=Stage.CONSTRUCTION, by=so.world.admin, now=at(6))


def _set_rule(so, **data):
    svc.signoff_campaign_update(campaign=so.campaign, data=data, by=so.world.admin)
    so.campaign.refresh_from_db()


@pytest.mark.parametrize("agreed,open_", [(5, False), (6, True)])
def test_two_thirds_gate_at_its_boundary(so, agreed, open_):
    _set_rule(so, rule=DecisionRule.TWO_THIRDS)  # 8 households: 2/3 × 8 = 5.33 → 6 needed
    agree_all(so, so.households[:agreed])
    reasons = blocking_reasons(so.project, Stage.CONSTRUCTION, now=at(3))
    assert (reasons == []) is open_
    if not open_:
        with translation.override("zh-hans"):
            assert any("还需1户同意" in r for r in blocking_reasons(so.project, Stage.CONSTRUCTION, now=at(3)))


@pytest.mark.parametrize(
    "agreed,refused,open_",
    [
        (4, 1, False),  # 5 of 8 answered < 2/3 quorum
        (4, 2, True),  # 6 of 8 answered ≥ 2/3; 4 of 6 > 1/2
        (3, 3, False),  # quorum met, 3 of 6 is exactly half: "过半数" needs more
        (5, 2, True),  # decided: even if the last one refuses, 5 of 8 > 1/2
    ],
)
def test_art278_ordinary_gate_after_the_closing_date(so, agreed, refused, open_):
    """Judged at the closing date: the tally as it stands is final."""
    _set_rule(so, rule=DecisionRule.ART278_ORDINARY, deadline=at(2).date())
    agree_all(so, so.households[:agreed])
    for h in so.households[agreed : agreed + refused]:
        svc.signoff_tick(campaign=so.campaign, household=h, status=S.REFUSED, by=so.world.staff, now=at(2))
    assert (blocking_reasons(so.project, Stage.CONSTRUCTION, now=at(3)) == []) is open_


@pytest.mark.parametrize(
    "agreed,refused,open_",
    [
        (4, 1, False),
        (4, 2, False),  # passes as it stands, but if the 2 still silent refuse: 4 of 8 is not > 1/2
        (5, 2, True),  # decided: even if the last one refuses, 5 of 8 > 1/2
        (3, 3, False),
    ],
)
def test_art278_ordinary_gate_before_the_closing_date_opens_only_when_decided(so, agreed, refused, open_):
    _set_rule(so, rule=DecisionRule.ART278_ORDINARY)
    agree_all(so, so.households[:agreed])
    for h in so.households[agreed : agreed + refused]:
        svc.signoff_tick(campaign=so.campaign, household=h, status=S.REFUSED, by=so.world.staff, now=at(3))
    assert (blocking_reasons(so.project, Stage.CONSTRUCTION, now=at(3)) == []) is open_


@pytest.mark.parametrize("agreed,refused,open_", [(6, 2, True), (5, 2, False), (5, 3, False)])
def test_art278_major_gate(so, agreed, refused, open_):
    _set_rule(so, rule=DecisionRule.ART278_MAJOR)  # 6 of 8 = exactly 3/4 passes
    agree_all(so, so.households[:agreed])
    for h in so.households[agreed : agreed + refused]:
        svc.signoff_tick(campaign=so.campaign, household=h, status=S.REFUSED, by=so.world.staff, now=at(3))
    assert (blocking_reasons(so.project, Stage.CONSTRUCTION, now=at(3)) == []) is open_


@pytest.mark.parametrize(
    "comparison,agreed,open_", [("at_least", 4, True), ("more_than", 4, False), ("more_than", 5, True)]
)
def test_custom_gate(so, comparison, agreed, open_):
    _set_rule(
        so, rule=DecisionRule.CUSTOM, custom_heads_numerator=1, custom_heads_denominator=2, custom_comparison=comparison
    )
    agree_all(so, so.households[:agreed])
    assert (blocking_reasons(so.project, Stage.CONSTRUCTION, now=at(3)) == []) is open_


def test_custom_gate_by_area(so):
    # Half the area by "more than": the two big flats of 2号楼 make the difference.
    for h in so.other_households[:2]:
        h.area = 150
        h.save()
    _set_rule(
        so, rule=DecisionRule.CUSTOM, custom_area_numerator=1, custom_area_denominator=2, custom_comparison="more_than"
    )
    agree_all(so, so.head_households)  # 4 × 60 = 240 of 720 m²
    assert blocking_reasons(so.project, Stage.CONSTRUCTION, now=at(3))
    agree_all(so, so.other_households[:1])  # 390 of 720 > 360
    assert blocking_reasons(so.project, Stage.CONSTRUCTION, now=at(3)) == []
