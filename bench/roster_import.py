"""Time a roster import of N households (default 5,000) on the configured database.

    DEBUG=1 .venv/bin/python bench/roster_import.py [N]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_bench DEBUG=1 .venv/bin/python bench/roster_import.py

Runs in a throw-away test database (``test_<name>``; for SQLite a file under /tmp, not
memory, so disk writes are counted), never in the real one. Measures: reading and checking
the upload, the first commit (everything created), re-importing the same file (nothing
changes), a commit where every area changed, and the export.
"""

import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from projects.models import Community, Compound, Household, HouseholdChange, SubDistrict  # noqa: E402
from projects.roster.columns import COLUMNS  # noqa: E402
from projects.roster.reader import read_roster  # noqa: E402
from projects.roster.workbook import roster_xlsx  # noqa: E402
from projects.selectors.roster import roster_export_rows  # noqa: E402
from projects.services.roster import roster_import_commit, roster_import_create  # noqa: E402


def workbook(n: int, area_offset: float = 0) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append([column.header for column in COLUMNS])
    per_unit, units = 50, 4
    for i in range(n):
        building, rest = divmod(i, per_unit * units)
        unit, slot = divmod(rest, per_unit)
        floor, door = divmod(slot, 2)
        sheet.append([
            "北门东院", f"{building + 1}号楼", f"{unit + 1}单元", f"{floor + 1}{door + 1:02d}", floor + 1,
            round(55 + (i % 40) * 1.25 + area_offset, 2), "住宅", f"业主{i}", f"139{i:08d}", "否", "否", "否",
        ])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def timed(label, func, results):
    """Wall time, and this process's CPU time: on a busy machine the second is the steadier
    figure (it leaves out waiting for the CPU, and PostgreSQL's own work)."""
    start, cpu = time.perf_counter(), time.process_time()
    value = func()
    results.append((label, time.perf_counter() - start, time.process_time() - cpu))
    return value


def check(content, community, user):
    table = read_roster(name="r.xlsx", file=io.BytesIO(content), size=len(content), max_bytes=10**8, max_rows=10**6)
    return roster_import_create(community=community, uploaded_by=user, filename="r.xlsx", table=table)


def main(n: int) -> None:
    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(Path(tempfile.gettempdir()) / "roster_bench.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        sub_district = SubDistrict.objects.create(name="古槐街道")
        community = Community.objects.create(sub_district=sub_district, name="北门社区")
        Compound.objects.create(community=community, name="北门东院")
        user = get_user_model().objects.create_user(username="bench")
        first, changed = workbook(n), workbook(n, area_offset=0.5)
        results: list[tuple[str, float, float]] = []

        roster_import = timed("check upload (new file)", lambda: check(first, community, user), results)
        assert roster_import.create_count == n, roster_import.error_count
        timed("commit: create all", lambda: roster_import_commit(roster_import=roster_import, by=user), results)
        assert Household.objects.count() == n

        again = timed("check upload (same file)", lambda: check(first, community, user), results)
        assert again.unchanged_count == n
        timed("commit: nothing changed", lambda: roster_import_commit(roster_import=again, by=user), results)

        update = timed("check upload (all areas changed)", lambda: check(changed, community, user), results)
        assert update.update_count == n
        timed("commit: update all", lambda: roster_import_commit(roster_import=update, by=user), results)
        assert HouseholdChange.objects.count() == 2 * n

        def export():
            households = Household.objects.filter(unit__building__compound__community=community)
            b"".join(roster_xlsx(roster_export_rows(households, show_phone=True, show_care=True)))

        timed("export", export, results)
        print(f"{connection.vendor}, {n:,} rows, file {len(first) / 1024:.0f} KB, load {os.getloadavg()[0]:.1f}")
        print(f"  {'':<34}{'wall':>8}{'cpu':>8}")
        for label, wall, cpu in results:
            print(f"  {label:<34}{wall:7.2f}s{cpu:7.2f}s")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
