"""Upload → preview → commit, end to end through the views."""

from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import Building, Household, HouseholdChange, RosterImport, Unit

from .conftest import HEADER, commit, csv_bytes, last_import, row, rows_for, upload, xlsx_bytes

pytestmark = pytest.mark.django_db


def registry_state():
    return (
        Household.objects.count(),
        Building.objects.count(),
        Unit.objects.count(),
        HouseholdChange.objects.count(),
    )


@pytest.mark.parametrize(
    "name,content",
    [
        ("roster.xlsx", xlsx_bytes(rows_for(6))),
        ("roster.csv", csv_bytes(rows_for(6), encoding="utf-8")),
        ("roster.csv", b"\xef\xbb\xbf" + csv_bytes(rows_for(6), encoding="utf-8")),
        ("roster.csv", csv_bytes(rows_for(6), encoding="gbk")),
    ],
    ids=["xlsx", "csv-utf8", "csv-utf8-bom", "csv-gbk"],
)
def test_good_file_previews_then_commits(staff_client, world, name, content):
    before = Household.objects.count()
    response = upload(staff_client, world.community, content, name)
    roster_import = last_import(world.community)
    assert response.status_code == 302
    assert response.url == reverse("projects:roster_preview", args=[roster_import.pk])
    assert roster_import.status == RosterImport.Status.PENDING
    assert (roster_import.row_count, roster_import.create_count, roster_import.error_count) == (6, 6, 0)
    assert roster_import.new_buildings == ["佳和园 3号楼"]
    assert roster_import.uploaded_by == world.staff
    assert Household.objects.count() == before  # the preview writes nothing

    page = staff_client.get(response.url).content.decode()
    assert "3号楼" in page and "导入 6 行" in page

    response = commit(staff_client, roster_import)
    assert response.status_code == 302
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.COMMITTED
    assert roster_import.committed_by == world.staff
    assert Household.objects.count() == before + 6
    household = Household.objects.get(unit__building__name="3号楼", room="101")
    assert household.owner_names == "业主0"
    assert household.phone == "13900000000"
    assert household.area == Decimal("60.00")
    assert household.floor == 1
    assert household.unit.building.compound == world.compound
    assert household.unit.building.sort_key == 3
    created = HouseholdChange.objects.get(household=household)
    assert created.source == HouseholdChange.Source.CREATE
    assert created.changed_by == world.staff
    assert created.changes["owner_names"] == ["", "业主0"]
    assert created.changes["area"] == [None, "60.00"]


def test_reimport_changes_nothing(staff_client, world):
    content = xlsx_bytes(rows_for(8))
    upload(staff_client, world.community, content)
    commit(staff_client, last_import(world.community))
    state = registry_state()

    upload(staff_client, world.community, content)
    again = last_import(world.community)
    assert (again.create_count, again.update_count, again.unchanged_count) == (0, 0, 8)
    assert again.new_buildings == [] and again.new_units == []
    commit(staff_client, again)
    again.refresh_from_db()
    assert again.status == RosterImport.Status.COMMITTED
    assert (again.create_count, again.update_count, again.unchanged_count) == (0, 0, 8)
    assert registry_state() == state


def test_reimport_updates_in_place(staff_client, world):
    household = world.household  # 佳和园 1号楼 1单元 101
    household.elderly_alone = True
    household.save()
    changed = row(building="1号楼", unit="1单元", room="101", floor=1, area="72.30㎡", owners="赵一", phone="010-12345678",
                  kind="底商", elderly="", mobility="是", bedridden="")  # fmt: skip
    upload(staff_client, world.community, xlsx_bytes([changed]))
    roster_import = last_import(world.community)
    assert (roster_import.create_count, roster_import.update_count) == (0, 1)
    page = staff_client.get(roster_import.get_absolute_url()).content.decode()
    assert "72.30" in page and "赵一" in page

    stamp = household.updated_at
    commit(staff_client, roster_import)
    household.refresh_from_db()
    assert household.updated_at > stamp
    assert household.pk == world.household.pk
    assert household.area == Decimal("72.30")
    assert household.owner_names == "赵一"
    assert household.phone == "010-12345678"
    assert household.kind == "shop"
    assert household.mobility_impaired is True
    assert household.elderly_alone is True  # empty cell: unchanged
    assert Household.objects.filter(unit=world.unit, room="101").count() == 1
    change = HouseholdChange.objects.get(household=household)
    assert change.source == HouseholdChange.Source.IMPORT
    assert change.changed_by == world.staff
    assert change.changes["area"] == ["60.00", "72.30"]
    assert change.changed_at == RosterImport.objects.get().committed_at
    assert "elderly_alone" not in change.changes


def test_plain_numbers_name_existing_buildings_and_units(staff_client, world):
    upload(staff_client, world.community, xlsx_bytes([row(building=1, unit=1, room=101, floor=1, area=60)]))
    roster_import = last_import(world.community)
    assert roster_import.new_buildings == [] and roster_import.new_units == []
    assert roster_import.unchanged_count + roster_import.update_count == 1


def test_floor_is_taken_from_room_when_empty(staff_client, world):
    upload(staff_client, world.community, xlsx_bytes([row(room="1602", floor=None)]))
    commit(staff_client, last_import(world.community))
    assert Household.objects.get(room="1602").floor == 16


def test_title_row_and_english_headers(staff_client, world):
    header = ["Compound", "Building", "Unit", "Room", "Floor", "Area", "Kind", "Owners", "Phone", "Elderly alone",
              "Mobility impaired", "Bedridden"]  # fmt: skip
    content = xlsx_bytes([row(kind="shop", elderly="yes")], header, title_rows=[["北门社区住户台账"]])
    upload(staff_client, world.community, content)
    roster_import = last_import(world.community)
    assert roster_import.status == RosterImport.Status.PENDING
    commit(staff_client, roster_import)
    household = Household.objects.get(room="301")
    assert household.kind == "shop" and household.elderly_alone is True


def test_template_example_row_is_skipped(staff_client, world):
    template = staff_client.get(reverse("projects:roster_template", args=[world.community.pk]))
    content = b"".join(template.streaming_content)
    upload(staff_client, world.community, content[:0] + xlsx_bytes([row(compound="示例：佳和园"), row(room="302")]))
    roster_import = last_import(world.community)
    assert roster_import.skipped_count == 1
    assert roster_import.row_count == 1


def test_template_itself_is_a_valid_file_with_only_the_example(staff_client, world):
    template = staff_client.get(reverse("projects:roster_template", args=[world.community.pk]))
    response = upload(staff_client, world.community, b"".join(template.streaming_content))
    assert response.status_code == 200
    assert "没有住户数据" in response.content.decode()


def test_double_commit_writes_once(staff_client, world):
    upload(staff_client, world.community, xlsx_bytes(rows_for(4)))
    roster_import = last_import(world.community)
    commit(staff_client, roster_import)
    state = registry_state()
    response = commit(staff_client, roster_import)
    assert response.status_code == 302
    assert registry_state() == state
    page = staff_client.get(response.url).content.decode()
    assert "已经导入过" in page


def test_invalid_import_cannot_be_committed(staff_client, world):
    upload(staff_client, world.community, xlsx_bytes([*rows_for(3), row(area=-1, room="999")]))
    roster_import = last_import(world.community)
    assert roster_import.status == RosterImport.Status.INVALID
    state = registry_state()
    response = commit(staff_client, roster_import)
    assert response.status_code == 302
    assert registry_state() == state
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.INVALID


def test_discard_drops_rows_and_blocks_commit(staff_client, world):
    upload(staff_client, world.community, xlsx_bytes(rows_for(3)))
    roster_import = last_import(world.community)
    response = staff_client.post(reverse("projects:roster_discard", args=[roster_import.pk]))
    assert response.status_code == 302
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.DISCARDED
    assert roster_import.rows == []
    assert roster_import.discarded_by == world.staff
    state = registry_state()
    commit(staff_client, roster_import)
    assert registry_state() == state


def test_compound_moved_after_check_refuses_commit(staff_client, world):
    upload(staff_client, world.community, xlsx_bytes(rows_for(3)))
    roster_import = last_import(world.community)
    world.compound.community = world.other_community
    world.compound.save()
    state = registry_state()
    response = commit(staff_client, roster_import)
    assert registry_state() == state
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.PENDING
    assert "重新上传" in staff_client.get(response.url).content.decode()


def test_bad_ids_are_404(staff_client):
    assert staff_client.get(reverse("projects:roster_preview", args=[999999])).status_code == 404
    assert staff_client.post(reverse("projects:roster_commit", args=[999999])).status_code == 404
    assert staff_client.get(reverse("projects:roster_import", args=[999999])).status_code == 404


def test_commit_is_post_only(staff_client, world):
    upload(staff_client, world.community, xlsx_bytes(rows_for(2)))
    roster_import = last_import(world.community)
    assert staff_client.get(reverse("projects:roster_commit", args=[roster_import.pk])).status_code == 405
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.PENDING


def test_template_has_header_example_and_compound_list(staff_client, world):
    import io

    from openpyxl import load_workbook

    response = staff_client.get(reverse("projects:roster_template", args=[world.community.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet, notes = workbook.worksheets
    assert [cell.value for cell in sheet[1]] == HEADER
    assert sheet["A2"].value == "示例：佳和园"
    assert sheet["I3"].number_format == "@"  # phones keep their leading zero
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists["G2:G2001"] == '"住宅,底商"'
    source = lists["A2:A2001"].split("!")[1].replace("$", "")
    assert [cell.value for row in notes[source] for cell in row] == ["佳和园"]
    assert "南路一" not in [cell.value for cell in notes["E"]]


def test_csv_template(staff_client, world):
    response = staff_client.get(reverse("projects:roster_template", args=[world.community.pk]) + "?format=csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff小区,楼栋,单元,房号")
    assert ".csv" in response["Content-Disposition"]
