"""Roster files built in memory with openpyxl / csv, and a helper to upload them."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from projects.models import RosterImport

HEADER = [
    "小区",
    "楼栋",
    "单元",
    "房号",
    "楼层",
    "专有面积",
    "类型",
    "业主姓名",
    "联系电话",
    "独居老人",
    "行动不便",
    "卧床",
    "业主类型",
    "业主编号",
    "面积来源",
]


def row(compound="佳和园", building="1号楼", unit="1单元", room="301", floor=3, area=85.5, kind="住宅",
        owners="王建国", phone="13812345678", elderly="否", mobility="否", bedridden="否", owner_kind="",
        reference="", area_source=""):  # fmt: skip
    return [compound, building, unit, room, floor, area, kind, owners, phone, elderly, mobility, bedridden,
            owner_kind, reference, area_source]  # fmt: skip


def rows_for(n: int, *, compound="佳和园", building="3号楼", unit="1单元") -> list[list]:
    """``n`` valid rows, two households per floor."""
    return [
        row(
            compound=compound,
            building=building,
            unit=unit,
            room=f"{i // 2 + 1}{i % 2 + 1:02d}",
            floor=i // 2 + 1,
            area=60 + i % 7,
            owners=f"业主{i}",
            phone=f"139{i:08d}",
        )  # fmt: skip
        for i in range(n)
    ]


def xlsx_bytes(rows, header=HEADER, *, title_rows=()) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for title in title_rows:
        sheet.append(title)
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, header=HEADER, *, encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def read_xlsx(content: bytes) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return rows


def upload(client, community, content: bytes, name="roster.xlsx"):
    url = reverse("projects:roster_import", args=[community.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def last_import(community) -> RosterImport:
    return RosterImport.objects.filter(community=community).latest("pk")


def commit(client, roster_import):
    return client.post(reverse("projects:roster_commit", args=[roster_import.pk]))


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.staff)
    return client
