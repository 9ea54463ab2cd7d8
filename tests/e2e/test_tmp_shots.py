import pytest

from projects.models import SignoffStatus as S
from projects.services import signoffs as svc

from .test_signoffs import riser

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_shots(phone, desktop, live_server, login_as, world):
    campaign, households = riser(world)
    svc.signoff_tick(campaign=campaign, household=households[0], status=S.AGREED, by=world.staff)
    svc.signoff_record_status(
        campaign=campaign,
        household=households[1],
        status=S.CONCERNS,
        by=world.staff,
        concern_category="new_fittings",
        concern_text="橱柜、洁具都是新的",
    )
    svc.signoff_assign(campaign=campaign, households=[households[1]], assignee=world.building_head, by=world.admin)
    login_as(phone, world.staff)
    phone.goto(f"{live_server.url}/signoffs/{campaign.pk}/unit/{world.unit.pk}/")
    phone.screenshot(path="test-artifacts/so-unit-phone.png", full_page=True)
    card = phone.locator(f"#hh-{households[2].pk}")
    card.get_by_test_id("tick-concerns").tap()
    phone.wait_for_timeout(500)
    card.screenshot(path="test-artifacts/so-card-form.png")
    login_as(desktop, world.staff)
    for name, url in [
        ("board", f"/signoffs/{campaign.pk}/"),
        ("household", f"/signoffs/{campaign.pk}/h/{households[1].pk}/"),
        ("blockers", f"/signoffs/{campaign.pk}/blockers/"),
        ("sheets", f"/signoffs/{campaign.pk}/print/sheets/"),
        ("visits", f"/signoffs/{campaign.pk}/print/visits/"),
        ("project", f"/project/{campaign.project_id}/"),
        ("community", f"/community/{world.community.pk}/"),
        ("notice", f"/c/{world.compound.pk}/"),
        ("edit", f"/signoffs/{campaign.pk}/edit/"),
    ]:
        desktop.goto(live_server.url + url)
        desktop.screenshot(path=f"test-artifacts/so-{name}.png", full_page=True)
    desktop.emulate_media(media="print")
    desktop.goto(live_server.url + f"/signoffs/{campaign.pk}/print/sheets/")
    desktop.screenshot(path="test-artifacts/so-sheets-print.png", full_page=True)
    phone.goto(f"{live_server.url}/signoffs/{campaign.pk}/")
    phone.screenshot(path="test-artifacts/so-board-phone.png", full_page=True)
