"""Issue 17: a 306 KB .xlsx that unpacks to 200 MB of empty ``<row/>`` kept a worker busy
for 60 s and got it killed. Uploads are bounded by the work they cause: declared sizes are
checked before any row is read, rows and cells are counted as the XML streams, and reading
stops after a row limit and a CPU-time limit. Bombs are built here with zipfile, never
committed."""

import io
import re
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import override

from projects.models import RosterImport
from projects.roster.reader import RosterFileError, read_roster

from ..roster.conftest import csv_bytes, row, rows_for, xlsx_bytes

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"


def rebuilt(base: bytes, replace: dict) -> bytes:
    """``base`` with some members replaced: name → callable(original bytes, writable member)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename in replace:
                with dst.open(info.filename, "w", force_zip64=True) as member:
                    replace[info.filename](data, member)
            else:
                dst.writestr(info, data)
    return out.getvalue()


def empty_rows_bomb(megabytes=200) -> bytes:
    """A real roster (header and one household) followed by ``megabytes`` of ``<row/>``,
    without the ``<dimension>`` that would tell a reader where the data ends."""

    def write(original: bytes, member):
        original = re.sub(rb"<dimension [^>]*/>", b"", original)
        head, tail = original.split(b"</sheetData>")
        member.write(head)
        chunk = b"<row/>" * (1024 * 1024 // 6)
        for _ in range(megabytes):
            member.write(chunk)
        member.write(b"</sheetData>" + tail)

    return rebuilt(xlsx_bytes([row()]), {SHEET: write})


def read(content: bytes, name="roster.xlsx", max_rows=20_000):
    """Read as the form does, with the messages in English so the tests can match them."""
    with override("en"):
        return read_roster(
            name=name, file=io.BytesIO(content), size=len(content), max_bytes=5 * 1024 * 1024, max_rows=max_rows
        )


def test_empty_row_bomb_is_refused_within_five_seconds(client, world):
    bomb = empty_rows_bomb()
    assert len(bomb) < 400 * 1024
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert archive.getinfo(SHEET).file_size > 200 * 1024 * 1024
    client.force_login(world.staff)
    url = reverse("projects:roster_import", args=[world.community.pk])
    started = time.perf_counter()
    response = client.post(url, {"file": SimpleUploadedFile("名册.xlsx", bomb)})
    elapsed = time.perf_counter() - started
    print(f"bomb of {len(bomb) // 1024} KB refused in {elapsed:.2f} s")
    assert elapsed < 5
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors == ["文件超过 20,000 行（含空行）。请删除名册下方的空行，或把名册拆成几个文件。"]
    assert not RosterImport.objects.exists()


def test_declared_dimension_beyond_the_cap_is_refused_before_rows_are_read():
    def write(original: bytes, member):
        member.write(re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:L1048576"', original))

    content = rebuilt(xlsx_bytes([row()]), {SHEET: write})
    assert b"A1:L1048576" in zipfile.ZipFile(io.BytesIO(content)).read(SHEET)
    with pytest.raises(RosterFileError, match="1,048,576"):
        read(content)


def with_shared_strings(base: bytes, write) -> bytes:
    """``base`` plus a shared-strings part (openpyxl writes its strings inline)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        with dst.open(STRINGS, "w") as member:
            write(member)
    return out.getvalue()


def test_declared_shared_strings_count_beyond_the_cap_is_refused():
    def write(member):
        member.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="9000000" ')
        member.write(b'uniqueCount="9000000">' + b"<si><t>x</t></si>" * 10 + b"</sst>")

    with pytest.raises(RosterFileError, match="cells"):
        read(with_shared_strings(xlsx_bytes([row()]), write))


def test_shared_strings_are_counted_not_trusted():
    def write(member):
        member.write(
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        )
        for _ in range(100):
            member.write(b"<si><t/></si>" * 10_000)
        member.write(b"</sst>")

    with pytest.raises(RosterFileError, match="cells"):
        read(with_shared_strings(xlsx_bytes([row()]), write))


def test_wide_rows_count_as_cells():
    def write(original: bytes, member):
        original = re.sub(rb"<dimension [^>]*/>", b"", original)
        head, tail = original.split(b"</sheetData>")
        member.write(head)
        for _ in range(20):
            member.write(b"<row>" + b"<c/>" * 100_000 + b"</row>")
        member.write(b"</sheetData>" + tail)

    with pytest.raises(RosterFileError, match="cells"):
        read(rebuilt(xlsx_bytes([row()]), {SHEET: write}))


def test_blank_rows_count_towards_the_row_limit_in_csv():
    content = csv_bytes([row()]) + b"\r\n" * 200_000 + csv_bytes([row(room="302")])[-60:]
    with pytest.raises(RosterFileError):
        read(content, name="roster.csv")


def test_a_full_sized_roster_still_reads(settings):
    table = read(xlsx_bytes(rows_for(2_000)), max_rows=2_000)
    assert len(table.rows) == 2_000
