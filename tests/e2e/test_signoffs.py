"""Browser tests of the sign-off tracker: staff walking door to door with a phone."""

import pytest
from playwright.sync_api import expect

from projects.models import DecisionRule, SignoffEvent, Stage
from projects.models import SignoffStatus as S
from projects.services import signoffs as svc
from projects.services.stages import blocking_reasons
from tests import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def riser(world, extra=3):
    """A unanimous campaign over 1号楼1单元: 101 plus ``extra`` more households."""
    households = [world.household, *f.households(world.unit, extra, start_floor=3)]
    project = f.project(community=world.community, title="1号楼上下水改造", stage=Stage.NOTICE)
    project.units.set([world.unit])
    campaign = svc.signoff_campaign_open(
        project=project,
        data={
            "title": "1号楼1单元签字同意",
            "consent_text": "同意施工",
            "rule": DecisionRule.UNANIMOUS,
            "paper_required": False,
        },
        by=world.staff,
    )
    return campaign, households


def card(page, household):
    return page.locator(f"#hh-{household.pk}")


def test_staff_tick_statuses_on_a_phone_without_reload(phone, live_server, login_as, world):
    campaign, households = riser(world)
    login_as(phone, world.staff)
    phone.goto(f"{live_server.url}/signoffs/{campaign.pk}/unit/{world.unit.pk}/")
    expect(phone.get_by_test_id("unit-agreed")).to_have_text("4户中已有0户同意")
    phone.evaluate("window.__noReload = 'still here'")

    first = card(phone, households[0])
    tap = first.get_by_test_id("tick-agreed")
    box = tap.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44  # touch targets
    tap.tap()
    expect(card(phone, households[0]).get_by_test_id("status")).to_have_text("同意")
    expect(phone.get_by_test_id("unit-agreed")).to_have_text("4户中已有1户同意")

    card(phone, households[1]).get_by_test_id("tick-talked").tap()
    expect(card(phone, households[1]).get_by_test_id("status")).to_have_text("已沟通")
    expect(phone.get_by_test_id("unit-not-contacted")).to_have_text("2")

    card(phone, households[2]).get_by_test_id("tick-refused").tap()
    expect(card(phone, households[2]).get_by_test_id("status")).to_have_text("不同意")

    # "Has concerns" needs the resident's words: a short form opens in the card.
    card(phone, households[3]).get_by_test_id("tick-concerns").tap()
    form = card(phone, households[3])
    form.locator("textarea").fill("老人卧病在床怎么办？")
    form.get_by_role("button", name="保存").tap()
    expect(card(phone, households[3]).get_by_test_id("status")).to_have_text("有顾虑")
    expect(card(phone, households[3])).to_contain_text("老人卧病在床怎么办？")

    assert phone.evaluate("window.__noReload") == "still here"
    statuses = dict(SignoffEvent.objects.values_list("household_id", "status"))
    assert statuses == {
        households[0].pk: S.AGREED,
        households[1].pk: S.TALKED,
        households[2].pk: S.REFUSED,
        households[3].pk: S.CONCERNS,
    }


def test_gate_opens_when_the_last_household_agrees(phone, live_server, login_as, world):
    campaign, households = riser(world, extra=2)
    for h in households[:-1]:
        svc.signoff_tick(campaign=campaign, household=h, status=S.AGREED, by=world.staff)
    login_as(phone, world.staff)
    phone.goto(f"{live_server.url}/signoffs/{campaign.pk}/unit/{world.unit.pk}/")
    gate = phone.locator("#gate-status")
    expect(gate).to_have_attribute("data-gate", "closed")
    expect(gate).to_contain_text("1号楼1单元还有1户未同意")
    assert blocking_reasons(campaign.project, Stage.CONSTRUCTION, now=None)

    card(phone, households[-1]).get_by_test_id("tick-agreed").tap()
    expect(gate).to_have_attribute("data-gate", "open")
    expect(gate).to_contain_text("可以开工")
    expect(phone.get_by_test_id("unit-agreed")).to_have_text("3户中已有3户同意")
    assert blocking_reasons(campaign.project, Stage.CONSTRUCTION, now=None) == []


def test_board_and_blocker_list_on_desktop(desktop, live_server, login_as, world):
    campaign, households = riser(world)
    svc.signoff_record_status(
        campaign=campaign,
        household=households[1],
        status=S.REFUSED,
        by=world.staff,
        concern_category="redecorated",
        concern_text="我们家刚装修完",
    )
    login_as(desktop, world.admin)
    desktop.goto(f"{live_server.url}/signoffs/{campaign.pk}/")
    expect(desktop.get_by_test_id("gate-missing")).to_contain_text("1号楼1单元还有4户未同意")
    desktop.get_by_role("link", name="未同意住户清单").click()
    expect(desktop.get_by_test_id("blocker-row")).to_have_count(4)
    row = desktop.get_by_test_id("blocker-row").filter(has_text="我们家刚装修完")
    row.get_by_role("checkbox").check()
    desktop.locator("#bulk-assign select[name=assignee]").select_option(str(world.staff.pk))
    desktop.get_by_role("button", name="指派勾选的住户").click()
    expect(desktop.get_by_role("alert")).to_contain_text("已为1户指派跟进人")
    expect(desktop.get_by_test_id("blocker-row").filter(has_text="我们家刚装修完")).to_contain_text("staff_bm")
