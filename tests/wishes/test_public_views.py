"""Resident pages: the public list and wish page, online submission, receipt lookup, support."""

import pytest
from django.urls import reverse

from consult.models import Support, Wish, WishCategory, WishPhoto, WishStatus
from consult.receipts import format_receipt_code
from consult.services.wishes import support_add, wish_change_status
from projects.models import Channel
from tests.helpers import photo_upload

from .conftest import make_wish

pytestmark = pytest.mark.django_db


def submit_data(**kw):
    data = {
        "token": "t-1",
        "title": "北门路灯不亮",
        "category": WishCategory.LIGHTING,
        "building": "",
        "location": "北门口",
        "description": "晚上老人出门看不清",
        "contact_name": "李桂兰",
        "contact_phone": "13612345678",
        "consent": "on",
    }
    data.update(kw)
    return data


# --- the public list and page ------------------------------------------------------------


def test_public_pages_show_no_names_or_phones(client, world):
    world.household.owner_names = "张建国"
    world.household.save()
    by_household = make_wish(world.compound, household=world.household, title="装电梯")
    by_person = make_wish(world.compound, title="修路灯", contact_name="王秀英", contact_phone="13912345678")
    by_staff = make_wish(
        world.compound,
        by=world.staff,
        channel=Channel.PHONE,
        title="修水管",
        contact_name="赵大妈",
        contact_phone="13700001111",
    )
    pages = [reverse("consult:wish_list", args=[world.compound.pk])] + [
        w.get_absolute_url() for w in (by_household, by_person, by_staff)
    ]
    for url in pages:
        html = client.get(url).content.decode()
        for secret in ("张建国", "王秀英", "赵大妈", "13912345678", "13700001111", "13812341234", "staff_bm"):
            assert secret not in html, (url, secret)
    list_html = client.get(pages[0]).content.decode()
    assert "1号楼居民" in list_html and "王**" in list_html and "赵**" in list_html
    assert by_person.receipt_code not in list_html


def test_list_filters_sorts_and_survives_bad_parameters(client, world):
    lamp = make_wish(world.compound, title="路灯", category=WishCategory.LIGHTING, building=world.building)
    lift = make_wish(world.compound, title="电梯", category=WishCategory.ELEVATOR, building=world.other_building)
    merged = make_wish(world.compound, title="也要电梯", category=WishCategory.ELEVATOR)
    wish_change_status(wish=merged, to_status=WishStatus.MERGED, by=world.staff, merge_into=lift)
    url = reverse("consult:wish_list", args=[world.compound.pk])

    def titles(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return [w.title for w in response.context["page_obj"]]

    assert set(titles()) == {"路灯", "电梯"}, "merged wishes are left out by default"
    assert titles(category="lighting") == ["路灯"]
    assert titles(building=world.other_building.pk) == ["电梯"]
    assert titles(status="merged") == ["也要电梯"]
    assert titles(sort="new") == ["电梯", "路灯"]
    assert titles(sort="old") == ["路灯", "电梯"]
    support_add(wish=lamp, household=world.household)  # the older wish now has more support
    assert titles(sort="support") == ["路灯", "电梯"] == titles()
    assert set(titles(status="bogus", building="abc", category="x", sort="?", page="999")) == {"路灯", "电梯"}
    assert client.get(reverse("consult:wish_list", args=[999999])).status_code == 404


def test_wish_page_shows_the_response_history(client, world):
    wish = make_wish(world.compound)
    wish_change_status(
        wish=wish,
        to_status=WishStatus.ACCEPTED,
        by=world.staff,
        response="已收到，下周现场查看",
        note="内部备注：找物业",
    )
    html = client.get(wish.get_absolute_url()).content.decode()
    assert "已收到，下周现场查看" in html and "已受理" in html
    assert "内部备注" not in html
    assert client.get(reverse("consult:wish", args=[999999])).status_code == 404


def test_merged_wish_page_points_to_where_it_went(client, world):
    target = make_wish(world.compound, title="3号楼加装电梯")
    source = make_wish(world.compound, title="装个电梯吧")
    wish_change_status(wish=source, to_status=WishStatus.MERGED, by=world.staff, merge_into=target)
    html = client.get(source.get_absolute_url()).content.decode()
    assert "3号楼加装电梯" in html and target.get_absolute_url() in html
    assert "装个电梯吧" in client.get(target.get_absolute_url()).content.decode()


# --- online submission -------------------------------------------------------------------


def test_resident_without_household_submits_with_a_photo_and_gets_a_receipt(client, world):
    url = reverse("consult:wish_submit", args=[world.compound.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, submit_data(photos=[photo_upload()]))
    wish = Wish.objects.get()
    assert response.status_code == 302 and response.url == reverse("consult:wish_submitted", args=[wish.pk])
    assert wish.channel == Channel.ONLINE and wish.entered_by is None and wish.household is None
    assert wish.contact_phone == "13612345678" and wish.receipt_code
    assert WishPhoto.objects.filter(wish=wish).count() == 1
    thanks = client.get(response.url).content.decode()
    assert format_receipt_code(wish.receipt_code) in thanks


def test_thanks_page_does_not_leak_the_code_to_others(client, world):
    wish = make_wish(world.compound)
    response = client.get(reverse("consult:wish_submitted", args=[wish.pk]))
    assert response.status_code == 302 and response.url == wish.get_absolute_url()


def test_resident_acting_as_household_needs_no_contact(client, act_as, world):
    act_as(client, world.household)
    url = reverse("consult:wish_submit", args=[world.compound.pk])
    form = client.get(url).context["form"]
    assert "contact_phone" not in form.fields
    client.post(url, submit_data(contact_name="", contact_phone="", consent=""))
    wish = Wish.objects.get()
    assert wish.household == world.household and wish.receipt_code is None
    assert Support.objects.filter(wish=wish, household=world.household).exists()


def test_household_of_another_compound_submits_as_a_person(client, act_as, world):
    act_as(client, world.foreign_household)
    url = reverse("consult:wish_submit", args=[world.compound.pk])
    response = client.post(url, submit_data(contact_phone=""))
    assert response.status_code == 200 and "contact_phone" in response.context["form"].errors
    client.post(url, submit_data())
    assert Wish.objects.get().household is None


def test_form_errors_come_back_in_chinese_next_to_the_field(client, world):
    url = reverse("consult:wish_submit", args=[world.compound.pk])
    response = client.post(url, submit_data(title="", category="nonsense", contact_phone="12345", consent=""))
    errors = response.context["form"].errors
    assert {"title", "category", "contact_phone", "consent"} <= set(errors)
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()
    assert not Wish.objects.exists()


def test_bad_photo_is_reported_and_nothing_is_saved(client, world):
    url = reverse("consult:wish_submit", args=[world.compound.pk])
    fake = photo_upload(name="电梯.jpg", content=b"not really a picture" * 20)
    response = client.post(url, submit_data(photos=[fake]))
    assert response.status_code == 200 and "photos" in response.context["form"].errors
    assert "电梯.jpg" in response.content.decode()
    assert not Wish.objects.exists()


def test_more_than_three_photos_are_refused(client, world):
    url = reverse("consult:wish_submit", args=[world.compound.pk])
    response = client.post(url, submit_data(photos=[photo_upload(name=f"{i}.jpg") for i in range(4)]))
    assert "photos" in response.context["form"].errors and not Wish.objects.exists()


def test_double_submit_files_one_wish(client, world):
    url = reverse("consult:wish_submit", args=[world.compound.pk])
    first = client.post(url, submit_data())
    second = client.post(url, submit_data())
    assert Wish.objects.count() == 1 and first.url == second.url


def test_online_submission_is_rate_limited(client, world, monkeypatch):
    from projects.ratelimit import Limit

    monkeypatch.setattr("consult.views.wishes.ONLINE_SUBMISSIONS", Limit("wish-submit", 2, 3600))
    url = reverse("consult:wish_submit", args=[world.compound.pk])
    for i in range(2):
        assert client.post(url, submit_data(token=f"t{i}")).status_code == 302
    assert client.post(url, submit_data(token="t3")).status_code == 429
    assert Wish.objects.count() == 2


# --- receipt lookup ----------------------------------------------------------------------


def test_receipt_lookup_finds_the_wish_and_shows_it_as_mine(client, world):
    wish = make_wish(world.compound, contact_name="王秀英", contact_phone="13912345678")
    wish_change_status(wish=wish, to_status=WishStatus.ACCEPTED, by=world.staff, response="已受理")
    typed = format_receipt_code(wish.receipt_code).lower().replace("-", " ")
    response = client.post(reverse("consult:wish_receipt"), {"code": typed})
    assert response.status_code == 302 and response.url.startswith(wish.get_absolute_url())
    html = client.get(wish.get_absolute_url()).content.decode()
    assert 'data-testid="my-wish"' in html and "139****5678" in html and "王**" in html
    assert "13912345678" not in html and "已受理" in html


@pytest.mark.parametrize("typed", ["ACEFH-KMNPR", "AAAAAAAAAA", "0000000000", "x", "'; DROP TABLE", "ACEFH-KMNPRT"])
def test_wrong_code_reveals_nothing(client, world, typed):
    make_wish(world.compound)
    response = client.post(reverse("consult:wish_receipt"), {"code": typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert "没有与此编码对应的愿望" in html or "No wish matches this code" in html
    assert "wish/" not in response.get("Location", "")
    assert no_receipts_in_session(client)


def no_receipts_in_session(client) -> bool:
    return not client.session.get("wish_receipts")


def test_receipt_lookup_is_rate_limited_per_client(client, world):
    wish = make_wish(world.compound)
    url = reverse("consult:wish_receipt")
    for _ in range(10):
        client.post(url, {"code": "ACEFHKMNPR"})
    blocked = client.post(url, {"code": wish.receipt_code})
    assert blocked.status_code == 429 and no_receipts_in_session(client)
    # Another client (another address) is not affected.
    other = client.__class__(REMOTE_ADDR="10.0.0.9")
    assert other.post(url, {"code": wish.receipt_code}).status_code == 302


# --- support ---------------------------------------------------------------------------


def test_household_supports_and_withdraws_from_the_wish_page(client, act_as, world):
    wish = make_wish(world.compound)
    act_as(client, world.other_household)
    client.post(reverse("consult:wish_support", args=[wish.pk]))
    assert Support.objects.filter(wish=wish, household=world.other_household, withdrawn_at__isnull=True).exists()
    page = client.get(wish.get_absolute_url())
    assert page.context["my_support"] is not None and page.context["wish"].support_total == 1
    client.post(reverse("consult:wish_support", args=[wish.pk]))  # second tap: politely refused
    assert Support.objects.filter(wish=wish).count() == 1
    client.post(reverse("consult:wish_withdraw", args=[wish.pk]))
    assert not Support.objects.filter(wish=wish, withdrawn_at__isnull=True).exists()


def test_support_from_the_list_returns_to_the_list(client, act_as, world):
    wish = make_wish(world.compound)
    act_as(client, world.household)
    url = reverse("consult:wish_list", args=[world.compound.pk]) + "?sort=new"
    response = client.post(reverse("consult:wish_support", args=[wish.pk]), {"next": url})
    assert response.url == url
    response = client.post(reverse("consult:wish_support", args=[wish.pk]), {"next": "https://evil.example/"})
    assert response.url == wish.get_absolute_url()


@pytest.mark.parametrize("who", ["anonymous", "other_compound", "staff"])
def test_only_a_household_of_the_compound_can_support(client, act_as, world, who):
    wish = make_wish(world.compound)
    if who == "other_compound":
        act_as(client, world.foreign_household)
    elif who == "staff":
        client.force_login(world.staff)
    response = client.post(reverse("consult:wish_support", args=[wish.pk]))
    assert response.status_code == 302
    assert not Support.objects.filter(wish=wish).exists()


def test_support_is_post_only(client, act_as, world):
    wish = make_wish(world.compound)
    act_as(client, world.household)
    assert client.get(reverse("consult:wish_support", args=[wish.pk])).status_code == 405
    assert client.post(reverse("consult:wish_support", args=[999999])).status_code == 404


def test_household_support_counts(client, world):
    wish = make_wish(world.compound, household=world.household)
    support_add(wish=wish, household=world.other_household)
    html = client.get(wish.get_absolute_url()).content.decode()
    assert 'data-testid="support-count">2<' in html


def test_odd_requests_get_answers_not_errors(client, world):
    wish = make_wish(world.compound)
    assert client.get(reverse("consult:wish_submitted", args=[999999])).status_code == 404
    assert client.post(reverse("consult:wish_receipt"), {}).status_code == 200
    response = client.post(reverse("consult:wish_submit", args=[world.compound.pk]), submit_data(building="999999"))
    assert response.status_code == 200 and "building" in response.context["form"].errors
    assert client.get(reverse("consult:wish_submit", args=[999999])).status_code == 404
    assert client.get(wish.get_absolute_url(), {"page": "x"}).status_code == 200
