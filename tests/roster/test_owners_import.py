"""Owners and missing areas in the roster import: a 产权单位 named on many rows is one owner,
a person is never merged with a namesake unless the rows share an owner number, a row may
leave the area empty, and a bad owner kind is a row error that keeps the whole file out."""

import pytest

from projects.models import AreaSource, Household, Owner, OwnerKind, RosterImport

from .conftest import HEADER, commit, last_import, row, upload, xlsx_bytes

pytestmark = pytest.mark.django_db

OWNER_HEADER = HEADER


def owner_row(room, *, area=60, owners="王建国", kind="", reference="", source=""):
    return row(building="7号楼", room=room, floor=int(room[:-2]), area=area, owners=owners, phone="",
               owner_kind=kind, reference=reference, area_source=source)  # fmt: skip


def test_owners_and_missing_area_are_imported(staff_client, world):
    rows = [
        owner_row("101", owners="市体校", kind="产权单位", source="不动产登记簿"),
        owner_row("102", owners="市体校", kind="产权单位"),
        owner_row("201", owners="王建国、李秀英", area=None),
        owner_row("202", owners="王建国"),  # a namesake: another person without a number
        owner_row("301", owners="赵一", reference="1234", source="测绘"),
        owner_row("302", owners="赵一", reference="1234"),  # the same person: one owner of two flats
    ]
    upload(staff_client, world.community, xlsx_bytes(rows, OWNER_HEADER))
    roster_import = last_import(world.community)
    assert roster_import.status == RosterImport.Status.PENDING, roster_import.rows
    commit(staff_client, roster_import)

    flats = {h.room: h for h in Household.objects.filter(unit__building__name="7号楼")}
    school = Owner.objects.get(name="市体校")
    assert school.kind == OwnerKind.PROPERTY_UNIT
    assert set(school.households.values_list("room", flat=True)) == {"101", "102"}
    assert flats["101"].area_source == AreaSource.REGISTER
    assert flats["201"].area is None and flats["201"].area_source == AreaSource.UNKNOWN
    assert flats["201"].owner_names == "王建国、李秀英"
    assert list(flats["201"].owners.order_by("ownerships__position").values_list("name", flat=True)) == [
        "王建国",
        "李秀英",
    ]
    assert Owner.objects.filter(name="王建国").count() == 2  # namesakes stay two people
    zhao = Owner.objects.get(name="赵一")
    assert zhao.reference == "1234" and zhao.households.count() == 2
    assert flats["301"].area_source == AreaSource.SURVEY

    # Importing the same file again links the same owners and creates none.
    owners_before = Owner.objects.count()
    upload(staff_client, world.community, xlsx_bytes(rows, OWNER_HEADER))
    commit(staff_client, last_import(world.community))
    assert Owner.objects.count() == owners_before


def test_bad_owner_columns_are_row_errors_and_nothing_is_written(staff_client, world):
    before = (Household.objects.count(), Owner.objects.count())
    rows = [
        owner_row("101", owners="市体校", kind="部队"),
        owner_row("102", owners="", kind="产权单位"),
        owner_row("103", owners="甲、乙", reference="99"),
        owner_row("104", owners="好人"),
    ]
    response = upload(staff_client, world.community, xlsx_bytes(rows, OWNER_HEADER))
    roster_import = last_import(world.community)
    assert roster_import.status == RosterImport.Status.INVALID
    codes = [[e["code"] for e in r["errors"]] for r in roster_import.rows]
    assert codes == [["unknown_owner_kind"], ["owner_kind_without_names"], ["reference_needs_one_name"], []]
    page = staff_client.get(response.url).content.decode()
    assert "业主类型“部队”无法识别" in page or "部队" in page
    assert (Household.objects.count(), Owner.objects.count()) == before
