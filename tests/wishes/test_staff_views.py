"""Staff pages: fast entry, triage with responses, corrections, paper support, export."""

import os
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from consult.models import Meeting, Support, Wish, WishCategory, WishStatus
from consult.services.wishes import support_add, wish_change_status
from projects.models import Channel
from tests import factories as f
from tests.helpers import photo_upload

from .conftest import make_wish

pytestmark = pytest.mark.django_db


def entry_data(world, **kw):
    data = {
        "token": kw.pop("token", "tok"),
        "channel": Channel.QUESTIONNAIRE,
        "compound": world.compound.pk,
        "meeting": "",
        "paper_reference": "",
        "household_address": "1-1-101",
        "contact_name": "",
        "contact_phone": "",
        "category": WishCategory.ELEVATOR,
        "title": "希望加装电梯",
        "description": "",
        "building": "",
        "location": "",
        "save_next": "1",
    }
    data.update(kw)
    return data


def test_save_and_enter_next_keeps_channel_compound_and_meeting(client, world):
    meeting = Meeting.objects.create(
        community=world.community, topic="旧改大家谈", starts_at=timezone.now(), place="会议室"
    )
    client.force_login(world.staff)
    url = reverse("consult:wish_enter", args=[world.community.pk])
    response = client.post(
        url, entry_data(world, channel=Channel.MEETING, meeting=meeting.pk, paper_reference="Q-001", token="a")
    )
    wish = Wish.objects.get()
    assert response.status_code == 302
    assert f"channel={Channel.MEETING}" in response.url and f"meeting={meeting.pk}" in response.url
    assert f"compound={world.compound.pk}" in response.url and f"last={wish.pk}" in response.url
    assert wish.entered_by == world.staff and wish.household == world.household and wish.meeting == meeting
    assert wish.building == world.building, "defaults to the resident's own building"

    page = client.get(response.url)
    form = page.context["form"]
    assert form["channel"].value() == Channel.MEETING and str(form["meeting"].value()) == str(meeting.pk)
    assert not form["title"].value() and not form["household_address"].value()
    assert page.context["last"] == wish and page.context["entered_today"] == 1
    assert "autofocus" in str(form["household_address"])


def test_entry_without_household_for_a_caller_shows_the_receipt_code(client, world):
    client.force_login(world.staff)
    url = reverse("consult:wish_enter", args=[world.community.pk])
    client.post(
        url,
        entry_data(
            world, channel=Channel.HOTLINE, household_address="", contact_name="刘先生", contact_phone="13711112222"
        ),
        follow=True,
    )
    wish = Wish.objects.get()
    assert wish.receipt_code and wish.household is None and wish.channel == Channel.HOTLINE
    page = client.get(url + f"?last={wish.pk}")
    assert page.context["last_receipt"].replace("-", "") == wish.receipt_code


@pytest.mark.parametrize(
    "typed,ok", [("1-1-101", True), ("1号楼1单元101", True), ("1-101", True), ("101", True), ("9-9-909", False)]
)
def test_household_address_forms(client, world, typed, ok):
    client.force_login(world.staff)
    response = client.post(
        reverse("consult:wish_enter", args=[world.community.pk]), entry_data(world, household_address=typed)
    )
    if ok:
        assert response.status_code == 302 and Wish.objects.get().household == world.household
    else:
        assert "household_address" in response.context["form"].errors and not Wish.objects.exists()


def test_ambiguous_room_asks_for_the_unit(client, world):
    f.household(unit=f.unit(building=world.building, name="2单元"), room="101")
    client.force_login(world.staff)
    response = client.post(
        reverse("consult:wish_enter", args=[world.community.pk]), entry_data(world, household_address="1-101")
    )
    errors = response.context["form"].errors["household_address"]
    assert "1号楼1单元101" in errors[0] and "1号楼2单元101" in errors[0]


def test_entry_double_submit_saves_once(client, world):
    client.force_login(world.staff)
    url = reverse("consult:wish_enter", args=[world.community.pk])
    client.post(url, entry_data(world, token="same"))
    response = client.post(url, entry_data(world, token="same"))
    assert Wish.objects.count() == 1 and response.status_code == 302


def test_building_head_enters_only_for_their_buildings(client, world):
    client.force_login(world.building_head)
    url = reverse("consult:wish_enter", args=[world.community.pk])
    response = client.post(url, entry_data(world, household_address="2-1-201", channel=Channel.BUILDING_HEAD))
    assert "household_address" in response.context["form"].errors
    client.post(url, entry_data(world, household_address="1-1-101", channel=Channel.BUILDING_HEAD))
    assert Wish.objects.get().entered_by == world.building_head


def test_triage_accept_plan_and_decline_from_the_staff_page(client, world):
    project = f.project(community=world.community, title="2024年北门适老化改造")
    wish = make_wish(world.compound)
    client.force_login(world.staff)
    url = reverse("consult:wish_manage", args=[wish.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"to_status": WishStatus.ACCEPTED, "response": ""})
    wish.refresh_from_db()
    assert wish.status == WishStatus.ACCEPTED and wish.history.latest("pk").response  # standard wording
    response = client.post(url, {"to_status": WishStatus.PLANNED, "response": "纳入方案"})
    assert "project" in response.context["triage_form"].errors
    client.post(url, {"to_status": WishStatus.PLANNED, "project": project.pk, "response": "纳入方案"})
    wish.refresh_from_db()
    assert wish.status == WishStatus.PLANNED and wish.project == project
    response = client.post(url, {"to_status": WishStatus.DECLINED, "response": ""})
    assert "response" in response.context["triage_form"].errors
    response = client.post(url, {"to_status": WishStatus.DONE, "response": ""})  # not allowed from planned
    assert "to_status" in response.context["triage_form"].errors


def test_merge_from_the_staff_page_by_number(client, world):
    target = make_wish(world.compound, household=world.household)
    source = make_wish(world.compound, household=world.other_household)
    client.force_login(world.staff)
    url = reverse("consult:wish_manage", args=[source.pk])
    response = client.post(url, {"to_status": WishStatus.MERGED, "merge_into": 999999})
    assert "merge_into" in response.context["triage_form"].errors
    response = client.post(url, {"to_status": WishStatus.MERGED, "merge_into": source.pk})
    assert "merge_into" in response.context["triage_form"].errors
    client.post(url, {"to_status": WishStatus.MERGED, "merge_into": target.pk})
    source.refresh_from_db()
    assert source.merged_into == target
    assert Support.objects.filter(wish=target, withdrawn_at__isnull=True).count() == 2


def test_correct_a_wish_and_remove_a_photo(client, world, django_capture_on_commit_callbacks):
    wish = make_wish(world.compound, photos=[], title="路登坏了")
    client.force_login(world.staff)
    url = reverse("consult:wish_edit", args=[wish.pk])
    client.post(
        url,
        {
            "title": "路灯坏了",
            "category": WishCategory.LIGHTING,
            "description": "",
            "building": "",
            "location": "北门",
            "meeting": "",
            "paper_reference": "",
            "contact_name": wish.contact_name,
            "contact_phone": wish.contact_phone,
            "add_photos": [photo_upload()],
        },
    )
    wish.refresh_from_db()
    assert wish.title == "路灯坏了" and wish.photos.count() == 1
    photo = wish.photos.get()
    path = photo.image.path
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {
                "title": "路灯坏了",
                "category": WishCategory.LIGHTING,
                "location": "北门",
                "contact_name": wish.contact_name,
                "contact_phone": wish.contact_phone,
                "remove_photos": [photo.pk],
            },
        )
    assert wish.photos.count() == 0
    assert not os.path.exists(path), "the file goes once the removal is committed"
    notes = [h.note for h in wish.history.all() if h.note]
    assert len(notes) == 2


def test_record_paper_support_by_address(client, world):
    wish = make_wish(world.compound)
    client.force_login(world.staff)
    url = reverse("consult:wish_supports", args=[wish.pk])
    response = client.post(url, {"household_address": "1-1-101", "channel": Channel.PAPER, "paper_reference": "B-3"})
    assert response.status_code == 302 and f"channel={Channel.PAPER}" in response.url
    support = Support.objects.get(wish=wish)
    assert support.entered_by == world.staff and support.channel == Channel.PAPER and support.paper_reference == "B-3"
    again = client.post(url, {"household_address": "1-1-101", "channel": Channel.PAPER})
    assert again.status_code == 200 and "household_address" in again.context["form"].errors
    client.post(reverse("consult:wish_support_withdraw", args=[wish.pk, support.pk]))
    support.refresh_from_db()
    assert support.withdrawn_by == world.staff


def _sheet(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    return rows[0], rows[1:]


def test_export_shows_phones_only_to_those_allowed(client, world):
    wish = make_wish(
        world.compound,
        contact_name="王秀英",
        contact_phone="13912345678",
        title="修路灯",
        category=WishCategory.LIGHTING,
    )
    support_add(wish=wish, household=world.household)
    wish_change_status(wish=wish, to_status=WishStatus.ACCEPTED, by=world.staff, response="已受理，近期维修")
    make_wish(world.compound, title="电梯", category=WishCategory.ELEVATOR)
    url = reverse("consult:wish_export", args=[world.community.pk])

    client.force_login(world.staff)
    header, rows = _sheet(client.get(url, {"category": WishCategory.LIGHTING}))
    assert len(rows) == 1, "the queue's filters apply to the export"
    row = dict(zip(header, rows[0], strict=True))
    assert row["联系电话"] == "13912345678" and row["联系人"] == "王秀英"
    assert row["附议数"] == 1 and row["最新答复"] == "已受理，近期维修" and row["状态"] == "已受理"

    client.force_login(world.sub_district_staff)
    header, rows = _sheet(client.get(url))
    by_title = {r[header.index("诉求")]: dict(zip(header, r, strict=True)) for r in rows}
    assert by_title["修路灯"]["联系电话"] == "139****5678" and by_title["修路灯"]["联系人"] == "王**"
    assert by_title["修路灯"]["回执码"] in ("", None)


def test_queue_filters_and_search(client, world):
    lamp = make_wish(world.compound, title="北门路灯", category=WishCategory.LIGHTING)
    make_wish(world.compound, title="电梯", category=WishCategory.ELEVATOR, by=world.staff, channel=Channel.HOTLINE)
    client.force_login(world.staff)
    url = reverse("consult:wish_queue", args=[world.community.pk])

    def numbers(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return [w.pk for w in response.context["page_obj"]]

    assert len(numbers()) == 2
    assert numbers(q="路灯") == [lamp.pk]
    assert numbers(q=str(lamp.pk)) == [lamp.pk]
    assert numbers(channel=Channel.HOTLINE) != [lamp.pk]
    assert numbers(status="open") and numbers(status="done") == []
    assert len(numbers(compound="zzz", building="-1", page="x")) == 2


def test_building_head_queue_is_narrowed_to_their_buildings(client, world):
    mine = make_wish(world.compound, building=world.building)
    theirs = make_wish(world.compound, building=world.other_building)
    compound_wide = make_wish(world.compound)
    client.force_login(world.building_head)
    response = client.get(reverse("consult:wish_queue", args=[world.community.pk]))
    shown = {w.pk for w in response.context["page_obj"]}
    assert shown == {mine.pk, compound_wide.pk} and theirs.pk not in shown


def test_staff_pages_survive_odd_parameters(client, world):
    wish = make_wish(world.compound)
    client.force_login(world.staff)
    queue = reverse("consult:wish_queue", args=[world.community.pk])
    for params in ({"meeting": "abc"}, {"project": "-1"}, {"status": "nope", "sort": "x"}, {"page": "999"}):
        assert client.get(queue, params).status_code == 200
    assert client.get(reverse("consult:wish_export", args=[world.community.pk]), {"meeting": "abc"}).status_code == 200
    entry = reverse("consult:wish_enter", args=[world.community.pk])
    assert client.get(entry, {"compound": "abc", "meeting": "zz", "last": "x"}).status_code == 200
    assert client.get(entry, {"compound": world.other_compound.pk}).status_code == 200
    response = client.post(entry, entry_data(world, compound=world.other_compound.pk))
    assert response.status_code == 200 and "compound" in response.context["form"].errors
    manage = reverse("consult:wish_manage", args=[wish.pk])
    assert client.post(manage, {"to_status": "bogus"}).status_code == 200
    assert client.post(manage, {"to_status": WishStatus.MERGED, "merge_into": "abc"}).status_code == 200
    assert client.get(reverse("consult:wish_supports", args=[wish.pk]), {"page": "zz"}).status_code == 200
