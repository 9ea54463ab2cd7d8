"""Browser tests for ballots: a household votes with its code on a phone in large-text
mode; staff enter a stack of paper ballots on a desktop; the published result appears on
the compound's noticeboard."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from consult.models import CastBallot, OptionKind
from consult.services import ballots as services
from projects.models import Channel
from projects.services.identity import issue_household_code
from tests import factories as f
from tests.ballots.conftest import make_ballot, vote

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tower(world):
    f.households(world.unit, 9, area=Decimal("80.00"), start_floor=2)
    return list(world.unit.households.order_by("floor", "room"))


def root_font_px(page) -> float:
    return float(page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)"))


def test_household_votes_on_a_phone_with_its_code_in_large_text(phone, live_server, world, tower):
    ballot = make_ballot(world)
    issued = issue_household_code(household=world.household, by=world.staff)

    phone.goto(live_server.url + "/h/")
    phone.get_by_role("button", name="菜单").click()
    phone.get_by_test_id("text-size-toggle").click()
    phone.wait_for_load_state()
    assert root_font_px(phone) >= 22

    phone.get_by_label("住户码").fill(issued.formatted.lower())  # typed in lower case with spaces
    phone.get_by_role("button", name="继续").click()
    phone.get_by_role("button", name="是的，这是我家").click()
    assert world.household.address in phone.get_by_test_id("household-address").inner_text()

    phone.get_by_test_id("vote-link").click()
    agree = phone.locator("label.vote-option", has_text="同意").first
    box = agree.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 300  # a thumb-sized target
    agree.click()
    phone.get_by_test_id("submit-vote").click()
    recorded = phone.get_by_test_id("vote-recorded")
    assert "同意" in recorded.inner_text()
    assert root_font_px(phone) >= 22  # still large after the round trips

    cast = CastBallot.objects.get(ballot=ballot)
    assert (cast.household, cast.channel, cast.entered_by, cast.option.kind) == (
        world.household,
        Channel.ONLINE,
        None,
        OptionKind.FOR,
    )


def test_staff_enter_a_stack_of_paper_ballots(desktop, live_server, login_as, world, tower):
    ballot = make_ballot(world)
    login_as(desktop, world.staff)
    desktop.goto(f"{live_server.url}/consult/ballot/{ballot.pk}/enter/")

    stack = [("1", "同意"), (f"{ballot.pk}-0002", "同意"), ("3", "不同意"), ("4", "弃权"), ("5", "同意")]
    for serial, choice in stack:
        desktop.get_by_label("纸质表决票编号").fill(serial)
        desktop.get_by_label(choice, exact=True).check()
        desktop.get_by_role("button", name="保存并录入下一张").click()
        desktop.wait_for_load_state()
        assert "已保存" in desktop.locator(".messages").inner_text()
        assert desktop.get_by_label("纸质表决票编号").input_value() == ""  # ready for the next paper

    # the same paper typed twice is refused next to the field
    desktop.get_by_label("纸质表决票编号").fill("3")
    desktop.get_by_label("同意", exact=True).check()
    desktop.get_by_role("button", name="保存并录入下一张").click()
    assert "已投票" in desktop.get_by_test_id("entry-form").inner_text()

    assert desktop.get_by_test_id("recent-entries").locator("tbody tr").count() == 5
    casts = CastBallot.objects.filter(ballot=ballot).order_by("eligible__serial")
    assert [c.paper_reference for c in casts] == [f"{ballot.pk}-{i:04d}" for i in range(1, 6)]
    assert [c.option.kind for c in casts] == ["for", "for", "against", "abstain", "for"]
    assert all(c.entered_by == world.staff for c in casts)


def test_published_result_appears_on_the_noticeboard(desktop, phone, live_server, login_as, world, tower):
    ballot = make_ballot(world, rule="art278_major", now=timezone.now() - timedelta(days=8))
    for i, household in enumerate(tower):
        vote(ballot, household, OptionKind.AGAINST if i == 0 else OptionKind.FOR, now=ballot.opens_at)
    services.ballot_close(ballot=ballot, by=world.admin, now=ballot.closes_at)

    phone.goto(f"{live_server.url}/c/{world.compound.pk}/")
    assert "加装电梯表决" not in phone.content()  # counted, not yet published

    login_as(desktop, world.staff)
    desktop.goto(f"{live_server.url}/consult/ballot/{ballot.pk}/")
    desktop.get_by_label("公示期（天）").fill("20")
    desktop.get_by_role("button", name="公布结果").click()
    assert "公示" in desktop.locator(".messages").inner_text()

    phone.goto(f"{live_server.url}/c/{world.compound.pk}/")
    board = phone.get_by_test_id("noticeboard-ballots")
    assert "加装电梯表决" in board.inner_text()
    outcome = phone.get_by_test_id("noticeboard-outcome").inner_text()
    assert "通过" in outcome and "未通过" not in outcome
    text = board.inner_text()
    assert "参与面积 100.0% ≥ 66.7%" in text and "同意户数（占参与） 90.0% ≥ 75.0%" in text
    phone.get_by_role("link", name="加装电梯表决").click()
    assert phone.get_by_test_id("outcome").is_visible()
    assert world.household.owner_names not in phone.content()


def test_scanning_the_letter_qr_asks_whose_home_and_keeps_the_code_off_the_server(phone, live_server, world):
    """The QR code opens /h/#CODE: the fragment never reaches the server, the page fills the
    form from it and asks to confirm the address before signing in by POST."""
    issued = issue_household_code(household=world.household, by=world.staff)
    requested = []
    phone.on("request", lambda r: requested.append(r.url))
    phone.goto(f"{live_server.url}/h/#{issued.code}")
    assert "进入 1号楼1单元101 的住户页面？" in phone.get_by_test_id("confirm-household").inner_text()
    assert issued.code not in phone.url
    phone.get_by_role("button", name="是的，这是我家").click()
    assert world.household.address in phone.get_by_test_id("household-address").inner_text()
    assert not [url for url in requested if issued.code in url]
