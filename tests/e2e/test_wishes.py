"""Browser tests of the wish list: a resident on a phone, staff at a desktop."""

from io import BytesIO

import pytest
from PIL import Image
from playwright.sync_api import expect

from consult.models import Wish, WishStatus
from consult.services.wishes import wish_change_status
from projects.models import Channel
from tests import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

GPS_IFD = 0x8825


def _photo_with_gps(path):
    exif = Image.Exif()
    exif[GPS_IFD] = {1: "N", 2: (35.0, 24.0, 36.0), 3: "E", 4: (116.0, 35.0, 12.0)}
    Image.new("RGB", (640, 480), (90, 120, 200)).save(path, "JPEG", exif=exif.tobytes())
    return path


def _box_height(locator) -> float:
    return locator.bounding_box()["height"]


def test_resident_submits_with_a_photo_and_checks_it_later_with_the_receipt_code(
    phone, live_server, world, settings, tmp_path
):
    photo = _photo_with_gps(tmp_path / "IMG_2024.jpg")
    phone.context.add_cookies([{"name": settings.TEXT_SIZE_COOKIE, "value": "large", "url": live_server.url}])

    # From the compound's noticeboard (where the QR poster leads) to the form.
    phone.goto(f"{live_server.url}/c/{world.compound.pk}/")
    phone.get_by_test_id("noticeboard-make-wish").click()
    what = phone.get_by_label("您希望改进什么？")
    expect(what).to_be_visible()  # the form's page has loaded: measuring during the navigation races
    assert phone.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") >= 22
    what.fill("北门口路灯不亮，晚上看不清")
    lighting = phone.locator(".wish-categories label", has_text="照明")
    assert _box_height(lighting) >= 44, "a category is a thumb-sized target"
    lighting.click()
    phone.get_by_label("在哪栋楼？").select_option(label="1号楼")
    phone.get_by_label("具体位置").fill("北门口")
    phone.get_by_label("照片").set_input_files(str(photo))
    phone.get_by_label("您的称呼").fill("李阿姨")
    phone.get_by_label("您的手机号").fill("13612345678")
    phone.get_by_label("我同意社区使用我的称呼和电话答复此愿望。").check()
    send = phone.get_by_test_id("send-wish")
    assert _box_height(send) >= 44
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "no sideways scrolling"
    send.click()

    code = phone.get_by_test_id("receipt-code").inner_text().strip()
    wish = Wish.objects.get()
    assert code.replace("-", "") == wish.receipt_code
    stored = Image.open(BytesIO(wish.photos.get().image.read()))
    assert not stored.getexif().get_ifd(GPS_IFD), "the photo lost its GPS position"

    # The office answers a few days later.
    wish_change_status(wish=wish, to_status=WishStatus.ACCEPTED, by=world.staff, response="已受理，本周更换灯泡")

    # The resident comes back another day, without the old session, and types the code.
    phone.context.clear_cookies()
    phone.goto(f"{live_server.url}/consult/wishes/receipt/")
    phone.get_by_label("回执码").fill(code.lower())
    phone.get_by_role("button", name="查询").click()
    assert phone.get_by_test_id("my-wish").is_visible()
    assert "136****5678" in phone.get_by_test_id("my-wish").inner_text()
    assert phone.get_by_test_id("wish-status").inner_text() == "已受理"
    assert phone.get_by_text("已受理，本周更换灯泡").is_visible()


def test_staff_enter_three_paper_questionnaires_in_a_row(desktop, live_server, world, login_as):
    third = f.household(unit=world.other_unit, room="202", floor=2)
    login_as(desktop, world.staff)
    desktop.goto(f"{live_server.url}/consult/community/{world.community.pk}/wishes/enter/")
    desktop.get_by_label("渠道").select_option(label="纸质问卷")

    questionnaires = [
        ("1-1-101", "加装电梯", "1号楼想装电梯，老人爬楼难"),
        ("2-1-201", "照明", "2号楼楼道灯坏了"),
        ("2-1-202", "适老化设施", "单元门口台阶改坡道"),
    ]
    for number, (address, category, title) in enumerate(questionnaires, start=1):
        focused = desktop.evaluate("document.activeElement && document.activeElement.name")
        assert focused == "household_address", "the cursor starts in the first field of the next form"
        desktop.keyboard.type(address)
        desktop.get_by_label("表单编号").fill(f"BM-{number:04d}")
        desktop.get_by_label("类别").select_option(label=category)
        desktop.get_by_label("诉求").fill(title)
        desktop.get_by_test_id("save-next").click()
        assert desktop.get_by_test_id("last-saved").inner_text().startswith("刚保存：")
        assert title in desktop.get_by_test_id("last-saved").inner_text()
        assert desktop.get_by_label("渠道").input_value() == Channel.QUESTIONNAIRE, "the channel is kept"
        assert desktop.get_by_label("诉求").input_value() == ""

    wishes = list(Wish.objects.order_by("pk"))
    assert [w.title for w in wishes] == [q[2] for q in questionnaires]
    assert [w.household for w in wishes] == [world.household, world.other_household, third]
    assert all(w.entered_by == world.staff and w.channel == Channel.QUESTIONNAIRE for w in wishes)
    assert [w.paper_reference for w in wishes] == ["BM-0001", "BM-0002", "BM-0003"]
    assert "您今天录入了 3 条愿望" in desktop.get_by_test_id("entered-today").inner_text()
