"""Judged only when decided: a threshold campaign opens the construction gate only when its
outcome can no longer change, or once its closing date has passed (issue 10)."""

from datetime import timedelta

import pytest
from django.utils import translation

from projects.models import DecisionRule, Stage
from projects.selectors import signoffs as sel
from projects.services import signoffs as svc
from projects.services.stages import blocking_reasons
from tests import factories as f

from .conftest import at, open_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def tower(world):
    """The 32-household tower of the issue, one unit, Art. 278 major matter."""
    from projects.models import SignoffStatus

    unit = f.unit(building=f.building(compound=world.compound, name="9号楼"), name="1单元")
    households = f.households(unit, 32)
    project = f.project(community=world.community, title="9号楼加装电梯", stage=Stage.NOTICE)
    project.units.set([unit])
    campaign = open_campaign(project, world.staff, rule=DecisionRule.ART278_MAJOR)

    def answer(rows, status):
        for h in rows:
            svc.signoff_tick(campaign=campaign, household=h, status=status, by=world.staff, now=at(2))

    answer(households[:18], SignoffStatus.AGREED)
    answer(households[18:22], SignoffStatus.REFUSED)
    return project, campaign, households, answer


def test_replay_18_agreed_4_refused_10_silent_keeps_the_gate_closed(tower):
    project, campaign, _households, _answer = tower
    progress = sel.campaign_progress(campaign, now=at(3))
    # As it stands the rule is met: 22 of 32 answered (≥ 2/3), 18 of 22 agreed (≥ 3/4)…
    assert progress.outcome.passed
    # …but if the 10 refuse, 18 of 32 < 3/4: not decided, the gate stays closed.
    assert not progress.certain and not progress.gate_open
    with translation.override("zh-hans"):
        reasons = blocking_reasons(project, Stage.CONSTRUCTION, now=at(3))
        board = sel.campaign_progress(campaign, now=at(3)).verdict
    assert reasons
    # 24 of 32 = 3/4 must agree for certain: 6 more.
    assert "尚未确定" in board and "还差 6 户同意" in board and "10 户未表态" in board
    assert board in reasons


def test_replay_decided_once_enough_agree(tower):
    project, campaign, households, answer = tower
    from projects.models import SignoffStatus

    answer(households[22:27], SignoffStatus.AGREED)  # 23 agreed: 5 silent could still sink it
    assert not sel.campaign_progress(campaign, now=at(3)).gate_open
    answer(households[27:28], SignoffStatus.AGREED)  # 24 of 32 = 3/4 even if the last 4 refuse
    progress = sel.campaign_progress(campaign, now=at(3))
    assert progress.certain and progress.gate_open
    with translation.override("zh-hans"):
        assert sel.campaign_progress(campaign, now=at(3)).verdict == "已确定通过"
    assert blocking_reasons(project, Stage.CONSTRUCTION, now=at(3)) == []


def test_judged_at_the_closing_date(tower):
    project, campaign, _households, _answer = tower
    campaign.deadline = at(4).date()
    campaign.save(update_fields=["deadline"])
    on_the_day = sel.campaign_progress(campaign, now=at(4, hour=23))
    assert not on_the_day.gate_open  # answers still count on the closing date itself
    after = sel.campaign_progress(campaign, now=at(4) + timedelta(days=1))
    assert after.judged and after.gate_open  # the tally as it stands: 22 answered, 18 of 22 agreed
    with translation.override("zh-hans"):
        line = sel.campaign_progress(campaign, now=at(5)).verdict
    assert line.startswith("已按截止日期") and "通过" in line
    assert blocking_reasons(project, Stage.CONSTRUCTION, now=at(5)) == []


def test_without_a_closing_date_it_waits_for_every_answer(tower):
    _project, campaign, households, answer = tower
    from projects.models import SignoffStatus

    answer(households[22:], SignoffStatus.TALKED)  # talked to is not an answer
    assert not sel.campaign_progress(campaign, now=at(20)).gate_open
    answer(households[22:], SignoffStatus.REFUSED)  # all answered: 18 of 32 < 3/4, decided: closed
    progress = sel.campaign_progress(campaign, now=at(20))
    assert not progress.gate_open and not progress.outcome.passed


@pytest.mark.parametrize("rule", [DecisionRule.UNANIMOUS, DecisionRule.TWO_THIRDS])
def test_shares_of_all_households_are_decided_by_construction(so, rule):
    from projects.models import SignoffStatus

    svc.signoff_campaign_update(campaign=so.campaign, data={"rule": rule}, by=so.world.admin)
    so.campaign.refresh_from_db()
    needed = 8 if rule == DecisionRule.UNANIMOUS else 6
    for h in so.households[:needed]:
        svc.signoff_tick(campaign=so.campaign, household=h, status=SignoffStatus.AGREED, by=so.world.staff, now=at(2))
    progress = sel.campaign_progress(so.campaign, now=at(2))
    assert progress.outcome.passed and progress.certain and progress.gate_open
