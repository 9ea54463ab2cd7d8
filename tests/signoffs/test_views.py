"""Behaviour of the pages: one-tap ticks with htmx, short forms, uploads, printables, export,
the public noticeboard (numbers only), dashboard and project panels, online confirmation."""

import re
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from projects.models import Channel, SignoffCampaign, SignoffEvent, SignoffRecord
from projects.models import SignoffStatus as S
from projects.sections import household_sections
from projects.services import signoffs as svc
from tests import factories as f

from .conftest import at

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def staff_client(client, so):
    client.force_login(so.world.staff)
    return client


def tick_url(so, h):
    return reverse("projects:signoff_tick", args=[so.campaign.pk, h.pk])


def household_url(so, h):
    return reverse("projects:signoff_household", args=[so.campaign.pk, h.pk])


def test_htmx_tick_returns_the_card_and_updated_counts_out_of_band(staff_client, so):
    h = so.head_households[0]
    response = staff_client.post(tick_url(so, h), {"status": S.AGREED}, **HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="hh-{h.pk}"' in html and 'data-status="agreed"' in html
    assert 'id="unit-counts" hx-swap-oob="true"' in html and 'id="gate-status" hx-swap-oob="true"' in html
    assert "4户中已有1户同意" in html
    event = SignoffEvent.objects.get(household=h)
    assert (event.channel, event.entered_by, event.status) == (Channel.HOME_VISIT, so.world.staff, S.AGREED)


def test_double_submit_records_once(staff_client, so):
    h = so.head_households[0]
    for _ in range(2):
        staff_client.post(tick_url(so, h), {"status": S.REFUSED}, **HX)
    assert SignoffEvent.objects.filter(household=h).count() == 1


def test_tick_without_htmx_redirects_back_to_the_unit(staff_client, so):
    h = so.head_households[0]
    response = staff_client.post(tick_url(so, h), {"status": S.TALKED})
    assert response.status_code == 302
    assert response["Location"].endswith(
        reverse("projects:signoff_unit", args=[so.campaign.pk, h.unit_id]) + f"#hh-{h.pk}"
    )


def test_concerns_tick_opens_the_short_form_then_records_the_words(staff_client, so):
    h = so.head_households[1]
    form = staff_client.post(tick_url(so, h), {"status": S.CONCERNS}, **HX).content.decode()
    assert f'name="h{h.pk}-concern_text"' in form and "unit-counts" not in form
    assert not SignoffEvent.objects.exists()
    empty = staff_client.post(
        household_url(so, h),
        {"action": "status", "from": "grid", f"h{h.pk}-status": S.CONCERNS, f"h{h.pk}-concern_text": ""},
        **HX,
    )
    assert empty.status_code == 200 and "原话" in empty.content.decode()
    saved = staff_client.post(
        household_url(so, h),
        {
            "action": "status",
            "from": "grid",
            f"h{h.pk}-status": S.CONCERNS,
            f"h{h.pk}-concern_category": "care_needs",
            f"h{h.pk}-concern_text": "老人卧病在床怎么办？",
        },
        **HX,
    ).content.decode()
    assert "老人卧病在床怎么办？" in saved and 'hx-swap-oob="true"' in saved
    record = SignoffRecord.objects.get(household=h)
    assert (record.status, record.concern_category) == (S.CONCERNS, "care_needs")


def test_paper_required_tick_asks_for_the_form_number(staff_client, so):
    SignoffCampaign.objects.filter(pk=so.campaign.pk).update(paper_required=True)
    h = so.head_households[2]
    form = staff_client.post(tick_url(so, h), {"status": S.AGREED}, **HX).content.decode()
    assert f'name="h{h.pk}-paper_reference"' in form
    missing = staff_client.post(
        household_url(so, h),
        {
            "action": "status",
            "from": "grid",
            f"h{h.pk}-status": S.AGREED,
            f"h{h.pk}-signer_name": "李桂英",
            f"h{h.pk}-signer_relation": "spouse",
            f"h{h.pk}-signed_on": "2025-03-03",
        },
        **HX,
    ).content.decode()
    assert "纸质" in missing and not SignoffEvent.objects.exists()
    staff_client.post(
        household_url(so, h),
        {
            "action": "status",
            "from": "grid",
            f"h{h.pk}-status": S.AGREED,
            f"h{h.pk}-signer_name": "李桂英",
            f"h{h.pk}-signer_relation": "spouse",
            f"h{h.pk}-signed_on": "2025-03-03",
            f"h{h.pk}-paper_reference": "1-1-03",
        },
        **HX,
    )
    event = SignoffEvent.objects.get(household=h)
    assert (event.signer_name, event.signer_relation, event.paper_reference) == ("李桂英", "spouse", "1-1-03")


def test_cancel_of_the_short_form_gives_the_card_back(staff_client, so):
    h = so.head_households[0]
    html = staff_client.get(tick_url(so, h), **HX).content.decode()
    assert 'data-testid="tick-agreed"' in html


@pytest.mark.parametrize(
    "url",
    [
        lambda so: reverse("projects:signoff_board", args=[99999]),
        lambda so: reverse("projects:signoff_unit", args=[so.campaign.pk, 99999]),
        lambda so: reverse("projects:signoff_unit", args=[so.campaign.pk, so.world.foreign_household.unit_id]),
        lambda so: reverse("projects:signoff_household", args=[so.campaign.pk, so.world.foreign_household.pk]),
        lambda so: reverse("projects:signoff_photo", args=[99999]),
        lambda so: reverse("projects:signoff_campaign_create", args=[99999]),
    ],
)
def test_bad_ids_are_404(client, so, url):
    client.force_login(so.world.superuser)
    assert client.get(url(so)).status_code == 404


def test_bad_params_never_500(staff_client, so):
    h = so.head_households[0]
    assert staff_client.post(tick_url(so, h), {"status": "nonsense"}).status_code == 400
    assert staff_client.post(household_url(so, h), {"action": "hack"}).status_code == 400
    board = reverse("projects:signoff_blockers", args=[so.campaign.pk])
    assert staff_client.get(board, {"building": "x", "assignee": "<script>", "page": "999"}).status_code == 200
    sheets = reverse("projects:signoff_sheets", args=[so.campaign.pk])
    assert staff_client.get(sheets, {"unit": "abc"}).status_code == 200
    bad_date = staff_client.post(
        household_url(so, h),
        {
            "action": "contact",
            "kind": "visit",
            "staff": so.world.staff.pk,
            "contacted_on": "2099-01-01",
            "outcome": "x",
        },
    )
    assert bad_date.status_code == 400 and "不能晚于今天" in bad_date.content.decode()


def test_closed_campaign_shows_no_buttons_and_refuses_ticks(staff_client, so):
    svc.signoff_campaign_set_open(campaign=so.campaign, open_=False, by=so.world.admin)
    h = so.head_households[0]
    grid = staff_client.get(reverse("projects:signoff_unit", args=[so.campaign.pk, h.unit_id])).content.decode()
    assert 'data-testid="tick-agreed"' not in grid
    response = staff_client.post(tick_url(so, h), {"status": S.AGREED}, **HX)
    assert response.status_code == 200 and "重新开启" in response.content.decode()
    assert not SignoffEvent.objects.exists()


def _jpeg_exif(path: Path) -> dict:
    with Image.open(path) as image:
        return dict(image.getexif())


def test_photo_of_the_signed_form_is_checked_stripped_and_private(staff_client, so, photo_jpeg, tmp_path):
    h = so.head_households[0]
    data = {"action": "status", "status": S.AGREED, "channel": "paper", "signer_name": "王建国"}
    data |= {"signer_relation": "owner", "signed_on": "2025-03-03", "form_photo": photo_jpeg()}
    response = staff_client.post(household_url(so, h), data)
    assert response.status_code == 302
    event = SignoffEvent.objects.get(household=h)
    stored = Path(event.form_photo.path)
    assert stored.is_file() and tmp_path / "media-private" in stored.parents  # not under the public MEDIA_ROOT
    assert re.fullmatch(r"[0-9a-f]{32}\.jpg", stored.name)  # nothing in the name points at the household
    assert _jpeg_exif(stored) == {}  # camera and GPS gone
    photo = staff_client.get(reverse("projects:signoff_photo", args=[event.pk]))
    assert photo.status_code == 200 and photo["Cache-Control"] == "private, no-store"
    assert b"".join(photo.streaming_content)[:2] == b"\xff\xd8"


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("form.jpg", b"this is not an image", content_type="image/jpeg"),
        SimpleUploadedFile("form.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, content_type="image/png"),
    ],
)
def test_fake_images_are_rejected(staff_client, so, upload):
    h = so.head_households[0]
    data = {"action": "status", "status": S.AGREED, "channel": "paper", "signer_name": "王建国"}
    data |= {"signer_relation": "owner", "signed_on": "2025-03-03", "form_photo": upload}
    response = staff_client.post(household_url(so, h), data)
    assert response.status_code == 400 and "不是照片" in response.content.decode()
    assert not SignoffEvent.objects.exists()


def test_oversized_photo_is_rejected(staff_client, so, photo_jpeg, settings):
    settings.PHOTO_UPLOAD_MAX_BYTES = 1000
    data = {"action": "status", "status": S.AGREED, "channel": "paper", "signer_name": "王建国"}
    data |= {"signer_relation": "owner", "signed_on": "2025-03-03", "form_photo": photo_jpeg(size=(800, 800))}
    response = staff_client.post(household_url(so, so.head_households[0]), data)
    assert response.status_code == 400 and "太大" in response.content.decode()


def test_household_page_shows_the_full_history(staff_client, so):
    h = so.head_households[0]
    svc.signoff_tick(campaign=so.campaign, household=h, status=S.AGREED, by=so.world.staff, now=at(1))
    svc.signoff_record_status(
        campaign=so.campaign, household=h, status=S.REFUSED, by=so.world.staff, concern_text="又不想改了", now=at(2)
    )
    page = staff_client.get(household_url(so, h)).content.decode()
    assert "撤回同意" in page and "又不想改了" in page and page.count("history-item") == 2


def test_export_xlsx(staff_client, so):
    h = so.head_households[0]
    svc.signoff_record_status(
        campaign=so.campaign,
        household=h,
        status=S.CONCERNS,
        by=so.world.staff,
        concern_category="redecorated",
        concern_text="我们家刚装修完",
        now=at(1),
    )
    response = staff_client.get(reverse("projects:signoff_export", args=[so.campaign.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.streaming, "the export is sent while it is written"
    wb = load_workbook(BytesIO(b"".join(response.streaming_content)))
    households = wb.worksheets[0]
    assert households.max_row == 1 + len(so.households)
    values = [c.value for row in households.iter_rows() for c in row]
    assert "我们家刚装修完" in values and "13812341234" in values
    assert wb.worksheets[1].max_row == 2  # one event
    assert len(wb.sheetnames) == 4


def test_sign_off_sheet_has_rooms_and_blank_columns_but_no_names_or_phones(staff_client, so):
    page = staff_client.get(reverse("projects:signoff_sheets", args=[so.campaign.pk])).content.decode()
    assert page.count('class="sheet ') == 2  # one page per unit
    for h in so.households:
        assert h.owner_names not in page
    assert "13812341234" not in page and "13900139000" not in page
    assert f"{so.campaign.pk}-{so.world.unit.pk}-01" in page
    one = staff_client.get(
        reverse("projects:signoff_sheets", args=[so.campaign.pk]), {"unit": so.world.other_unit.pk}
    ).content.decode()
    assert one.count('class="sheet ') == 1 and "2号楼1单元" in one


def test_visit_list_lists_blockers_in_walking_order(staff_client, so):
    svc.signoff_tick(
        campaign=so.campaign, household=so.head_households[0], status=S.AGREED, by=so.world.staff, now=at(1)
    )
    page = staff_client.get(reverse("projects:signoff_visits", args=[so.campaign.pk])).content.decode()
    assert so.head_households[0].owner_names not in page
    positions = [page.index(h.owner_names) for h in so.households[1:]]
    assert positions == sorted(positions)


def test_public_noticeboard_shows_numbers_only(client, so):
    w = so.world
    svc.signoff_tick(campaign=so.campaign, household=so.households[0], status=S.AGREED, by=w.staff, now=at(1))
    svc.signoff_record_status(
        campaign=so.campaign,
        household=so.households[1],
        status=S.REFUSED,
        by=w.staff,
        concern_text="我们家刚装修完，再给我刨了，我可不干！",
        now=at(1),
    )
    page = client.get(reverse("projects:noticeboard", args=[w.compound.pk])).content.decode()
    assert "8户中已有1户同意" in page
    for h in so.households:
        assert h.owner_names not in page
        assert f">{h.room}<" not in page
    assert "刚装修完" not in page and "不同意" not in page and "138" not in page


def test_dashboard_and_project_panels(staff_client, so, world):
    dashboard = staff_client.get(reverse("projects:community", args=[world.community.pk])).content.decode()
    assert 'data-testid="signoff-dashboard"' in dashboard and so.campaign.title in dashboard
    project = staff_client.get(reverse("projects:project", args=[so.project.pk])).content.decode()
    assert reverse("projects:signoff_board", args=[so.campaign.pk]) in project
    bare = f.project(community=world.community)
    page = staff_client.get(reverse("projects:project", args=[bare.pk])).content.decode()
    assert reverse("projects:signoff_campaign_create", args=[bare.pk]) in page


def test_household_section_offers_online_confirmation(so, rf: RequestFactory):
    request = rf.get("/")
    rendered = household_sections.render_list(so.households[0], request)
    keys = [section.key for section, _context in rendered]
    assert "signoffs" in keys
    foreign = household_sections.render_list(so.world.foreign_household, request)
    assert "signoffs" not in [section.key for section, _context in foreign]


def test_resident_confirms_online_then_withdraws(client, act_as, so):
    h = so.world.household
    act_as(client, h)
    url = reverse("projects:signoff_confirm", args=[so.campaign.pk])
    assert "同意施工" in client.get(url).content.decode()
    missing = client.post(url, {"answer": "concerns", "signer_name": "王", "signer_relation": "owner"})
    assert missing.status_code == 400
    client.post(url, {"answer": "agree", "signer_name": "王秀兰", "signer_relation": "spouse"})
    client.post(
        url, {"answer": "concerns", "signer_name": "王秀兰", "signer_relation": "spouse", "concern_text": "再想想"}
    )
    events = list(SignoffEvent.objects.filter(household=h))
    assert [(e.channel, e.entered_by, e.status) for e in events] == [
        (Channel.ONLINE, None, S.AGREED),
        (Channel.ONLINE, None, S.CONCERNS),
    ]
    assert events[1].is_withdrawal


def test_create_campaign_with_a_custom_rule(client, so, world):
    client.force_login(world.admin)
    project = f.project(community=world.community)
    project.units.set([world.unit])
    url = reverse("projects:signoff_campaign_create", args=[project.pk])
    data = {
        "title": "加装电梯意见征询",
        "consent_text": "同意加装电梯",
        "rule": "custom",
        "custom_comparison": "at_least",
    }
    data |= {"stale_after_days": 7, "show_on_noticeboard": "on"}
    invalid = client.post(url, data)
    assert invalid.status_code == 200 and not SignoffCampaign.objects.filter(project=project).exists()
    response = client.post(url, data | {"custom_heads": "2/3", "custom_area": "75%"})
    campaign = SignoffCampaign.objects.get(project=project)
    assert response["Location"] == campaign.get_absolute_url()
    assert (campaign.custom_heads_numerator, campaign.custom_heads_denominator) == (2, 3)
    assert (campaign.custom_area_numerator, campaign.custom_area_denominator) == (3, 4)
    assert campaign.created_by == world.admin
    again = client.get(url)
    assert again.status_code == 302 and again["Location"] == campaign.get_absolute_url()
    bad = client.post(
        reverse("projects:signoff_campaign_edit", args=[campaign.pk]), data | {"custom_heads": "3/2"}
    ).content.decode()
    assert "2/3" in bad and "之间" in bad


def test_bulk_assign_from_the_blocker_list(client, so, world):
    client.force_login(world.admin)
    ids = [h.pk for h in so.other_households[:3]]
    response = client.post(
        reverse("projects:signoff_bulk_assign", args=[so.campaign.pk]),
        {"households": ids, "assignee": world.staff.pk, "note": "周末集中入户"},
    )
    assert response.status_code == 302
    assert SignoffRecord.objects.filter(household_id__in=ids, assignee=world.staff).count() == 3
    page = client.get(
        reverse("projects:signoff_blockers", args=[so.campaign.pk]), {"assignee": world.staff.pk}
    ).content.decode()
    assert page.count('data-testid="blocker-row"') == 3


@pytest.mark.parametrize(
    "model", ["signoffcampaign", "signoffevent", "signoffcontact", "signoffassignment", "signoffrecord"]
)
def test_admin_lists_open_and_logs_are_read_only(client, so, world, model):
    svc.signoff_tick(campaign=so.campaign, household=so.households[0], status=S.TALKED, by=world.staff, now=at(1))
    client.force_login(world.superuser)
    assert client.get(reverse(f"admin:projects_{model}_changelist")).status_code == 200
    if model != "signoffcampaign":
        assert client.get(reverse(f"admin:projects_{model}_add")).status_code == 403
