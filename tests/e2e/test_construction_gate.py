"""Browser tests of the construction gate, as office staff see it on a desktop: the refusal
names the rooms still missing and links to the blocker list; a threshold campaign that could
still fail says it is not decided yet; a project that requires a ballot shows what the ballot
still lacks."""

import pytest
from playwright.sync_api import expect

from projects.models import DecisionRule, Stage
from projects.models import SignoffStatus as S
from projects.services import signoffs as svc
from tests import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def campaign_over_the_unit(world, rule, *, extra):
    """``world.unit``: 101 plus ``extra`` households from the 3rd floor up; the project waits
    in the notice stage."""
    households = [world.household, *f.households(world.unit, extra, start_floor=3)]
    project = f.project(community=world.community, title="1号楼上下水改造", stage=Stage.NOTICE)
    project.units.set([world.unit])
    campaign = svc.signoff_campaign_open(
        project=project,
        data={"title": "1号楼1单元签字同意", "consent_text": "同意施工", "rule": rule, "paper_required": False},
        by=world.staff,
    )
    return project, campaign, households


def test_the_gate_message_names_the_rooms_and_links_to_the_blocker_list(desktop, live_server, login_as, world):
    project, campaign, households = campaign_over_the_unit(world, DecisionRule.UNANIMOUS, extra=3)  # 101 301 302 401
    for h in households[:2]:
        svc.signoff_tick(campaign=campaign, household=h, status=S.AGREED, by=world.staff)
    login_as(desktop, world.admin)
    desktop.goto(f"{live_server.url}/project/{project.pk}/")
    blockers = desktop.get_by_test_id("stage-blockers")
    expect(blockers).to_contain_text("暂时无法进入“施工”阶段")
    expect(blockers).to_contain_text("1号楼1单元还有2户未同意：302、401")
    link = blockers.get_by_role("link", name="查看未同意的住户")
    expect(link).to_have_attribute("href", f"/signoffs/{campaign.pk}/blockers/")
    link.click()
    expect(desktop).to_have_url(f"{live_server.url}/signoffs/{campaign.pk}/blockers/")
    rows = desktop.get_by_test_id("blocker-row")
    expect(rows).to_have_count(2)
    # by the room link: a phone number in another row may contain the same digits
    expect(rows.get_by_role("link", name="1号楼1单元302", exact=True)).to_have_count(1)
    expect(rows.get_by_role("link", name="1号楼1单元401", exact=True)).to_have_count(1)


def test_a_threshold_campaign_not_yet_decided_says_what_it_still_needs(desktop, live_server, login_as, world):
    """2/3 of 10 households: 5 agreed, 1 refused, 4 silent. Now 5 < 7 and the outcome is
    open: 2 more agreements make it certain whatever the other 2 do."""
    project, campaign, households = campaign_over_the_unit(world, DecisionRule.TWO_THIRDS, extra=9)
    for h in households[:5]:
        svc.signoff_tick(campaign=campaign, household=h, status=S.AGREED, by=world.staff)
    svc.signoff_tick(campaign=campaign, household=households[5], status=S.REFUSED, by=world.staff)
    login_as(desktop, world.admin)
    desktop.goto(f"{live_server.url}/signoffs/{campaign.pk}/")
    expect(desktop.get_by_test_id("gate-missing")).to_contain_text("尚未确定：还差 2 户同意；4 户未表态")

    desktop.goto(f"{live_server.url}/project/{project.pk}/stage/")
    blockers = desktop.get_by_test_id("stage-blockers")
    expect(blockers).to_contain_text("尚未确定：还差 2 户同意；4 户未表态")
    expect(blockers).to_contain_text("1号楼1单元还有5户未同意")  # a threshold gate names the rooms too
    expect(desktop.get_by_role("button", name="进入“施工”阶段")).to_be_disabled()

    for h in households[6:8]:  # two more agree: 7 of 10 is 2/3 even if the last two refuse
        svc.signoff_tick(campaign=campaign, household=h, status=S.AGREED, by=world.staff)
    desktop.goto(f"{live_server.url}/signoffs/{campaign.pk}/")
    expect(desktop.get_by_test_id("gate-verdict")).to_have_text("已确定通过")


def test_a_project_that_requires_a_ballot_shows_what_is_missing(desktop, live_server, login_as, world):
    project = f.project(
        community=world.community,
        title="1号楼加装电梯",
        work_type="elevator",
        stage=Stage.NOTICE,
        requires_passed_ballot=DecisionRule.ART278_MAJOR,
    )
    project.units.set([world.unit])
    login_as(desktop, world.admin)
    desktop.goto(f"{live_server.url}/project/{project.pk}/")
    expect(desktop.get_by_test_id("required-ballot")).to_have_text("按《民法典》第278条重大事项通过的表决")
    blockers = desktop.get_by_test_id("stage-blockers")
    expect(blockers).to_contain_text("本项目还没有表决")
    blockers.get_by_role("link", name="发起表决").click()
    expect(desktop).to_have_url(
        f"{live_server.url}/consult/community/{world.community.pk}/ballots/new/?project={project.pk}"
    )
