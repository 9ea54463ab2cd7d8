"""Browser test of the second-staff confirmation: taking a household that has not agreed out
of a project's scope counts only once another staff member confirms it."""

import pytest
from playwright.sync_api import expect

from projects.models import DecisionRule, Role, ScopeEventReview, Stage
from projects.selectors.scope import affected_households
from projects.services import signoffs as svc
from tests import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_b_confirms_what_staff_a_proposed_and_the_board_shows_it(desktop, live_server, login_as, world):
    holdout = f.households(world.unit, 1, start_floor=3)[0]
    project = f.project(community=world.community, title="南路一上下水改造", stage=Stage.CONSENT)
    project.units.set([world.unit])
    campaign = svc.signoff_campaign_open(
        project=project,
        data={"title": "1单元签字", "consent_text": "同意施工", "rule": DecisionRule.UNANIMOUS},
        by=world.staff,
    )
    staff_b = f.member(world.community, Role.STAFF, username="staff_b", first_name="李四")

    # Staff A proposes taking the household out, on the scope page.
    login_as(desktop, world.staff)
    desktop.goto(f"{live_server.url}/project/{project.pk}/scope/")
    desktop.get_by_label("移出这户").check()
    desktop.locator("#id_unit").select_option(str(world.unit.pk))
    desktop.locator("#id_room").fill(holdout.room)
    desktop.locator("#id_reason").fill("暂时联系不上")
    desktop.get_by_role("button", name="保存调整").click()
    expect(desktop.get_by_text("这户尚未同意：须经另一名工作人员确认后，变更才生效。")).to_be_visible()
    pending = desktop.get_by_test_id("scope-pending")
    expect(pending).to_contain_text("暂时联系不上")
    # Staff A cannot confirm their own proposal: no button, and the page says who must.
    expect(pending.get_by_test_id("scope-confirm")).to_have_count(0)
    expect(pending).to_contain_text("由另一名工作人员或社区管理员确认")
    assert holdout in affected_households(project)

    # Staff B opens the sign-off board, sees the pending removal and confirms it.
    desktop.context.clear_cookies()
    login_as(desktop, staff_b)
    desktop.goto(f"{live_server.url}/signoffs/{campaign.pk}/")
    pending = desktop.get_by_test_id("scope-pending")
    expect(pending).to_contain_text("暂时联系不上")
    pending.get_by_test_id("scope-confirm").click()
    expect(desktop.get_by_text("已确认：变更现已生效。")).to_be_visible()
    expect(desktop.get_by_test_id("scope-pending")).to_have_count(0)

    # The board's scope history shows the change: what, why, who proposed and who confirmed.
    row = desktop.get_by_test_id("scope-change").first
    expect(row).to_contain_text("移出")
    expect(row).to_contain_text("暂时联系不上")
    expect(row).to_contain_text("staff_bm")
    expect(row).to_contain_text("李四")
    assert ScopeEventReview.objects.get().decided_by == staff_b
    assert holdout not in affected_households(project)
