import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _root_font_px(page) -> float:
    return float(page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)"))


def test_large_text_switch_is_remembered(phone, live_server, world):
    phone.goto(live_server.url + "/")
    assert _root_font_px(phone) >= 18
    # In the header bar itself, not behind the ☰ menu.
    assert phone.get_by_role("button", name="菜单").is_visible()
    assert phone.get_by_test_id("text-size-toggle").is_visible()
    phone.get_by_test_id("text-size-toggle").click()
    phone.wait_for_load_state()
    assert _root_font_px(phone) >= 22
    # A new visit in the same browser keeps the large text.
    phone.goto(live_server.url + f"/c/{world.compound.pk}/")
    assert _root_font_px(phone) >= 22
    assert "佳和园" in phone.content()


def test_language_switch_to_english(desktop, live_server, world):
    desktop.goto(live_server.url + "/")
    desktop.get_by_role("button", name="English").click()
    desktop.wait_for_load_state()
    assert desktop.locator("html").get_attribute("lang") == "en"
    assert desktop.get_by_role("link", name="Staff login").is_visible()
