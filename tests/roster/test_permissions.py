"""Who may open each roster view: the role matrix, including writes that must not happen."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.models import Household, RosterImport
from projects.roster.reader import read_roster
from projects.services.roster import roster_import_create
from tests.helpers import OFFICE, RESIDENTS, ROLES

from .conftest import rows_for, xlsx_bytes

pytestmark = pytest.mark.django_db

EXPORTERS = OFFICE | {"building_head", "sub_district_staff"}


def make_import(world) -> RosterImport:
    content = xlsx_bytes(rows_for(3))
    table = read_roster(name="r.xlsx", file=io.BytesIO(content), size=len(content), max_bytes=10**7, max_rows=100)
    return roster_import_create(community=world.community, uploaded_by=world.staff, filename="r.xlsx", table=table)


def expected(role, allowed):
    if role in RESIDENTS:
        return 302
    return 200 if role in allowed else 403


VIEWS = {
    "template": ("get", "projects:roster_template", "community", OFFICE),
    "import page": ("get", "projects:roster_import", "community", OFFICE),
    "preview": ("get", "projects:roster_preview", "import", OFFICE),
    "error report": ("get", "projects:roster_errors", "import", OFFICE),
    "export": ("get", "projects:roster_export", "community", EXPORTERS),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", list(VIEWS))
def test_read_views(client, act_as, world, view, role):
    method, name, target, allowed = VIEWS[view]
    obj = world.community if target == "community" else make_import(world)
    act_as(client, role)
    response = getattr(client, method)(reverse(name, args=[obj.pk]))
    assert response.status_code == expected(role, allowed)
    if response.status_code == 302:
        assert reverse("login") in response.url


@pytest.mark.parametrize("role", ROLES)
def test_upload(client, act_as, world, role):
    act_as(client, role)
    url = reverse("projects:roster_import", args=[world.community.pk])
    response = client.post(url, {"file": SimpleUploadedFile("r.xlsx", xlsx_bytes(rows_for(2)))})
    if role in OFFICE:
        assert response.status_code == 302
        assert RosterImport.objects.filter(community=world.community).count() == 1
    else:
        assert response.status_code == expected(role, OFFICE)
        assert RosterImport.objects.count() == 0


@pytest.mark.parametrize("role", ROLES)
def test_commit(client, act_as, world, role):
    roster_import = make_import(world)
    households = Household.objects.count()
    act_as(client, role)
    response = client.post(reverse("projects:roster_commit", args=[roster_import.pk]))
    roster_import.refresh_from_db()
    if role in OFFICE:
        assert response.status_code == 302
        assert roster_import.status == RosterImport.Status.COMMITTED
        assert Household.objects.count() == households + 3
    else:
        assert response.status_code == expected(role, OFFICE)
        assert roster_import.status == RosterImport.Status.PENDING
        assert Household.objects.count() == households


@pytest.mark.parametrize("role", ROLES)
def test_discard(client, act_as, world, role):
    roster_import = make_import(world)
    act_as(client, role)
    response = client.post(reverse("projects:roster_discard", args=[roster_import.pk]))
    roster_import.refresh_from_db()
    if role in OFFICE:
        assert response.status_code == 302
        assert roster_import.status == RosterImport.Status.DISCARDED
    else:
        assert response.status_code == expected(role, OFFICE)
        assert roster_import.status == RosterImport.Status.PENDING


@pytest.mark.parametrize(
    "role,tab",
    [
        ("staff", "导入 / 导出"),
        ("admin", "导入 / 导出"),
        ("building_head", "导出台账"),
        ("sub_district_staff", "导出台账"),
        ("department", None),
    ],
)
def test_nav_tab_follows_permission(client, world, role, tab):
    client.force_login(getattr(world, role))
    page = client.get(reverse("projects:community", args=[world.community.pk])).content.decode()
    import_url = f'href="{reverse("projects:roster_import", args=[world.community.pk])}"'
    export_url = f'href="{reverse("projects:roster_export", args=[world.community.pk])}"'
    if tab == "导入 / 导出":
        assert tab in page and import_url in page
    elif tab:
        assert tab in page and export_url in page and import_url not in page
    else:
        assert import_url not in page and export_url not in page
