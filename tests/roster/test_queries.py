"""Query counts stay flat as files and registries grow."""

import pytest
from django.urls import reverse

from tests import factories as f

from .conftest import last_import, row, rows_for, upload, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("size", [5, 50])
def test_upload_and_preview_queries_are_flat(client, world, django_assert_max_num_queries, size):
    client.force_login(world.staff)
    f.households(f.unit(building=f.building(compound=world.compound, name="3号楼"), name="1单元"), size // 2)
    rows = rows_for(size)
    rows[-1] = row(room="9999", area=0)  # one bad row, so the preview lists errors too
    content = xlsx_bytes(rows)
    with django_assert_max_num_queries(12):
        upload(client, world.community, content)
    roster_import = last_import(world.community)
    assert roster_import.row_count == size
    with django_assert_max_num_queries(6):
        response = client.get(reverse("projects:roster_preview", args=[roster_import.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [5, 50])
def test_pending_preview_queries_are_flat(client, world, django_assert_max_num_queries, size):
    client.force_login(world.staff)
    f.households(f.unit(building=f.building(compound=world.compound, name="3号楼"), name="1单元"), size // 2)
    upload(client, world.community, xlsx_bytes(rows_for(size)))
    roster_import = last_import(world.community)
    assert roster_import.update_count == size // 2
    with django_assert_max_num_queries(6):
        response = client.get(reverse("projects:roster_preview", args=[roster_import.pk]))
    assert "将更新的住户" in response.content.decode()


@pytest.mark.parametrize("size", [5, 50])
def test_import_page_with_history_queries_are_flat(client, world, django_assert_max_num_queries, size):
    client.force_login(world.staff)
    for _ in range(size // 5):
        upload(client, world.community, xlsx_bytes(rows_for(2)))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("projects:roster_import", args=[world.community.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [5, 50])
def test_commit_queries_are_flat(client, world, django_assert_max_num_queries, size):
    client.force_login(world.staff)
    f.households(f.unit(building=f.building(compound=world.compound, name="3号楼"), name="1单元"), size // 2)
    rows = rows_for(size) + rows_for(size, building="4号楼")
    for values in rows[: size // 4]:
        values[5] = 99  # some updates
    upload(client, world.community, xlsx_bytes(rows))
    roster_import = last_import(world.community)
    # 21 for the households, six for linking owners (read links and owners, write in batches).
    with django_assert_max_num_queries(27):
        client.post(reverse("projects:roster_commit", args=[roster_import.pk]))
    roster_import.refresh_from_db()
    assert roster_import.create_count == size * 2 - size // 2


@pytest.mark.parametrize("size", [5, 50])
def test_export_queries_are_flat(client, world, django_assert_max_num_queries, size):
    client.force_login(world.staff)
    f.households(f.unit(building=f.building(compound=world.compound, name="3号楼"), name="1单元"), size)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("projects:roster_export", args=[world.community.pk]))
        b"".join(response.streaming_content)
