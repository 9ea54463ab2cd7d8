"""The wish exports: streamed (rows are read while the file is sent), the same cells as the
model instances give, formula-safe, a flat number of queries, and the sub-district's whole
list for the 街道 office."""

from io import BytesIO

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from consult.models import Wish, WishStatus
from consult.receipts import format_receipt_code
from consult.selectors import wishes as selectors
from consult.services.wishes import wish_change_status
from projects.models import AuditEvent, Channel
from projects.privacy import mask_name, mask_phone
from tests import factories as f

from .conftest import make_wish
from .test_queries import fill

pytestmark = pytest.mark.django_db

DDE = "=cmd|' /C calc'!A0"


def workbook_rows(response) -> tuple[list, list]:
    assert isinstance(response, StreamingHttpResponse), "an export is sent while it is written"
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    return list(rows[0]), [list(r) for r in rows[1:]]


def expected_row(wish: Wish, *, can_view_phone: bool, community: bool = False) -> list:
    """A row built the slow way, from the model instance and its ``get_*_display``: what the
    export wrote before it read ``values()`` and mapped the labels once."""
    h, by = wish.household, wish.entered_by
    local = timezone.localtime(wish.submitted_at).replace(tzinfo=None, microsecond=0)
    return [
        wish.pk,
        local,
        *([wish.community.name] if community else []),
        wish.compound.name,
        wish.building.name if wish.building_id else None,
        wish.location or None,
        wish.get_category_display(),
        wish.title,
        wish.description or None,
        wish.get_status_display(),
        wish.support_total,
        wish.get_channel_display(),
        f"{h.unit.building.name}{h.unit.name}{h.room}" if h else None,
        (wish.contact_name if can_view_phone else mask_name(wish.contact_name)) or None,
        (wish.contact_phone if can_view_phone else mask_phone(wish.contact_phone)) or None,
        (format_receipt_code(wish.receipt_code or "") if can_view_phone else "") or None,
        wish.paper_reference or None,
        (by.get_full_name() or by.username) if by else "居民网上提交",
        str(wish.meeting) if wish.meeting_id else None,
        wish.project.title if wish.project_id else None,
        wish.merged_into_id,
        wish.last_response or None,
    ]


def instances(qs):
    return list(qs.select_related("community", "compound", "building", "household__unit__building", "entered_by"))


def varied_wishes(world):
    meeting_by = f.user(username="clerk", first_name="小", last_name="李")
    fill(world, 6)
    make_wish(world.compound, title=DDE, description="+1", contact_name="-王", contact_phone="13912345678")
    wish = make_wish(world.compound, title="电梯", by=meeting_by, channel=Channel.PAPER, building=world.building)
    wish_change_status(wish=wish, to_status=WishStatus.ACCEPTED, by=world.staff, response="已受理")
    make_wish(world.other_compound, title="南路的路灯", household=world.foreign_household)


def test_community_export_equals_the_rows_of_the_model_instances(client, world):
    varied_wishes(world)
    client.force_login(world.staff)
    header, rows = workbook_rows(client.get(reverse("consult:wish_export", args=[world.community.pk])))
    assert header[:3] == ["编号", "提交时间", "小区"]
    expected = [
        expected_row(w, can_view_phone=True)
        for w in instances(selectors.export_rows(world.staff, world.community, selectors.QueueFilters()))
    ]
    assert len(rows) == len(expected) == Wish.objects.filter(community=world.community).count()
    assert rows == expected
    assert any(DDE in row for row in rows), "formula-looking text comes back as the same text"


def test_sub_district_export_holds_every_community_with_phones_masked(client, world):
    varied_wishes(world)
    elsewhere = f.community(name="别的街道的社区")
    make_wish(f.compound(community=elsewhere), title="不在本街道")
    client.force_login(world.sub_district_staff)
    response = client.get(reverse("consult:sub_district_wish_export", args=[world.sub_district.pk]))
    assert response["X-Accel-Buffering"] == "no"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    header, rows = workbook_rows(response)
    assert header[:4] == ["编号", "提交时间", "社区", "小区"]
    expected = [
        expected_row(w, can_view_phone=False, community=True)
        for w in instances(selectors.sub_district_export_rows(world.sub_district))
    ]
    assert rows == expected
    assert {row[2] for row in rows} == {"北门社区", "南路一社区"}
    assert "不在本街道" not in {row[7] for row in rows}
    phones = {row[header.index("联系电话")] for row in rows} - {None}
    assert phones == {"139****5678"}, "the 街道 office gets no phone numbers"
    event = AuditEvent.objects.get(action="data_exported")
    assert event.object_label == "sub-district wishes" and event.actor == world.sub_district_staff


def test_sub_district_staff_of_another_sub_district_is_refused(client, world):
    stranger = f.sub_district_staff(f.sub_district(), username="other_street")
    client.force_login(stranger)
    assert client.get(reverse("consult:sub_district_wish_export", args=[world.sub_district.pk])).status_code == 403
    assert client.get(reverse("consult:sub_district_wish_export", args=[999999])).status_code == 404


def test_overview_shows_the_export_with_its_row_count(client, world):
    fill(world, 5)
    make_wish(world.other_compound)
    client.force_login(world.sub_district_staff)
    page = client.get(reverse("projects:sub_district", args=[world.sub_district.pk])).content.decode()
    assert reverse("consult:sub_district_wish_export", args=[world.sub_district.pk]) in page
    assert "导出 6 行到 Excel" in page
    client.force_login(world.staff)
    queue = client.get(reverse("consult:wish_queue", args=[world.community.pk])).content.decode()
    assert "导出 5 行到 Excel" in queue


@pytest.mark.parametrize("n", [5, 50])
def test_sub_district_export_queries_are_flat(client, world, n, django_assert_max_num_queries):
    fill(world, n)
    client.force_login(world.sub_district_staff)
    with django_assert_max_num_queries(8):  # the ids in order, then the rows 2,000 at a time
        response = client.get(reverse("consult:sub_district_wish_export", args=[world.sub_district.pk]))
        _, rows = workbook_rows(response)
    assert len(rows) == n
