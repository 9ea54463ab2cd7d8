"""Issue 17, "no 500 on any input": every URL pattern of the project, with the demo data,
GET with generated query parameters and POST with generated values for every field of the
forms that post to it, as staff (a superuser) and as a resident household. Any server
error fails the test with the URL, the role and the generated input.

Path arguments come from the demo (``seed_demo``), one object per URL segment; a new URL
pattern that this file cannot fill fails ``test_every_url_pattern_is_covered`` until it is
added here. Field names and choices are read from the forms on the pages themselves, so a
form gains fuzzing the moment it is rendered. Hypothesis runs with a fixed seed
(``derandomize``) and a bounded number of examples, to fit CI.
"""

import io
import time
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from consult import models as consult
from notify import models as notify
from projects import models as projects
from projects.identity import SESSION_KEY
from projects.roster.reader import read_roster
from projects.services.roster import roster_import_create
from projects.services.scope import scope_adjust

pytestmark = pytest.mark.django_db

EXAMPLES_PER_URL = 10  # split between GET and POST, staff and resident
SKIPPED = {
    "media/<path:path>": "development-only static file view (the proxy serves media in production)",
}

# The model named by the URL segment in front of ``<int:pk>``.
SEGMENTS = {
    "meeting": consult.Meeting,
    "community": projects.Community,
    "ballot": consult.Ballot,
    "cast": consult.CastBallot,
    "proxy": consult.ProxyAuthorisation,
    "objection": consult.BallotObjection,
    "action-item": consult.ActionItem,
    "c": projects.Compound,
    "wish": consult.Wish,
    "compound": projects.Compound,
    "building": projects.Building,
    "unit": projects.Unit,
    "household": projects.Household,
    "membership": projects.Membership,
    "project": projects.Project,
    "scope-change": projects.ScopeEvent,
    "progress-item": projects.ProgressItem,
    "timeline": projects.TimelineEntry,
    "timeline-photo": projects.TimelinePhoto,
    "complaint": projects.Complaint,
    "acceptance": projects.AcceptanceRecord,
    "satisfaction": projects.SatisfactionResponse,
    "sub-district": projects.SubDistrict,
    "roster-import": projects.RosterImport,
    "signoffs": projects.SignoffCampaign,
    "photo": projects.SignoffEvent,
    "message": notify.Message,
    "delivery": notify.Delivery,
    "job": notify.Job,
}
PREFERRED = {  # objects in the state where most of their pages and forms apply
    consult.Ballot: {"status": "open"},
    projects.SignoffEvent: {"form_photo__gt": ""},
    notify.Message: {"channel": "sms"},
    notify.Delivery: {"phone__gt": ""},
}

ODD = [
    "", " ", "0", "-1", "1", "2", "²", "①", "１２", "1e309", "NaN", "-Infinity", "9" * 30, "\x00", "a\x00b",
    "=1+1", "<script>x</script>", "2026-02-30", "2026-12-01", "2026-12-01T09:00", "12-0042", "u:²", "d:1",
    "x" * 300, "null", "on", "true", "'; --", "%", "..", "/", "http://evil.example/",
]  # fmt: skip
VALUE = st.one_of(st.sampled_from(ODD), st.text(max_size=20), st.integers(-(2**70), 2**70).map(str))
QUERY_KEYS = [
    "q", "page", "status", "unit", "building", "compound", "project", "meeting", "last", "lines", "owner",
    "assignee", "format", "show", "sort", "channel", "category", "voided", "public", "stale", "next", "kind",
]  # fmt: skip


def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def project_patterns() -> list[str]:
    """Every URL pattern but the Django admin's (Django's own code, not this project's)."""
    return [p for p in walk(get_resolver().url_patterns) if not p.startswith("admin/")]


def _first(model):
    qs = model.objects.order_by("pk")
    return qs.filter(**PREFERRED.get(model, {})).first() or qs.first()


def path_for(pattern: str) -> tuple[str, object] | None:
    """The URL with its arguments filled from the demo, and the main object (or None)."""
    if pattern in SKIPPED:
        return None
    if "<int:compound_pk>/p/<int:pk>" in pattern:  # a compound's public project page
        project = projects.Project.objects.filter(buildings__isnull=False).order_by("pk").first()
        compound = project.buildings.first().compound
        return "/" + pattern.replace("<int:compound_pk>", str(compound.pk)).replace(
            "<int:pk>", str(project.pk)
        ), project
    obj = None
    path = pattern
    for child, model, parent in (
        ("<int:vote_pk>", consult.MeetingVote, "meeting_id"),
        ("<int:attendance_pk>", consult.Attendance, "meeting_id"),
        ("<int:rsvp_pk>", consult.MeetingRSVP, "meeting_id"),
        ("<int:support_pk>", consult.Support, "wish_id"),
    ):
        if child in path:
            item = _first(model)
            path = path.replace(child, str(item.pk)).replace("<int:pk>", str(getattr(item, parent)))
    if "<int:household_pk>" in path or "<int:unit_pk>" in path:
        record = projects.SignoffRecord.objects.select_related("household").order_by("pk").first()
        path = path.replace("<int:household_pk>", str(record.household_id))
        path = path.replace("<int:unit_pk>", str(record.household.unit_id)).replace("<int:pk>", str(record.campaign_id))
        obj = record.campaign
    if "<str:code>" in path:
        path = path.replace("<str:code>", "NAN5HAPPYDAY")
    if "<int:pk>" in path:
        segment = path.split("<int:pk>")[0].rstrip("/").rsplit("/", 1)[-1]
        model = SEGMENTS.get(segment)
        if model is None:
            raise LookupError(f"no demo object for {pattern!r}: add its segment to SEGMENTS")
        obj = _first(model)
        if obj is None:
            raise LookupError(f"the demo has no {model.__name__} for {pattern!r}")
        path = path.replace("<int:pk>", str(obj.pk))
    assert "<" not in path, path
    return "/" + path, obj


def resident_household(obj):
    """A household that may use the resident pages of ``obj``."""
    if isinstance(obj, projects.SignoffCampaign):
        return obj.records.order_by("pk").first().household
    if isinstance(obj, consult.Ballot):
        return consult.EligibleHousehold.objects.filter(ballot=obj).order_by("pk").first().household
    community_id = getattr(obj, "community_id", None)
    households = projects.Household.objects.order_by("pk")
    if community_id:
        households = households.filter(unit__building__compound__community_id=community_id)
    return households.first()


class FormFields(HTMLParser):
    """Forms on a page: action → {field name: values seen (options, radio values)}."""

    def __init__(self, page_path: str):
        super().__init__()
        self.page_path = page_path
        self.forms: dict[str, dict[str, set]] = {}
        self.files: set[str] = set()
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                action = (a.get("action") or self.page_path).split("?")[0].split("#")[0]
                self._form = self.forms.setdefault(action, {})
            else:
                self._form = None
        elif self._form is not None and tag in ("input", "select", "textarea", "button") and a.get("name"):
            name = a["name"]
            values = self._form.setdefault(name, set())
            if a.get("type") == "file":
                self.files.add(name)
            elif a.get("value") is not None and a.get("type") not in TYPED_INPUTS:
                values.add(a["value"])  # radio, checkbox, hidden and button values: the real choices
            if tag == "select":
                self._select = values
        elif tag == "option" and self._select is not None and a.get("value"):
            self._select.add(a["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


TYPED_INPUTS = ("text", "number", "date", "datetime-local", "search", "tel", "email", "password", "url")


def field_value(choices: set):
    return st.one_of(st.sampled_from(sorted(choices)), VALUE) if choices else VALUE


FILES = st.sampled_from(
    [
        b"",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 20,
        b"PK\x03\x04" + b"\x00" * 30,
        "小区,楼栋\n佳和园,1\n".encode(),
        b"\xff" * 64,
    ]
)


def _objects_the_demo_lacks() -> None:
    """A scope change and a roster upload, so their pages have something to show."""
    admin = get_user_model().objects.get(username="admin")
    project = projects.Project.objects.filter(buildings__isnull=False).order_by("pk").first()
    household = projects.Household.objects.filter(unit__building__in=project.buildings.all()).order_by("pk").first()
    scope_adjust(project=project, household=household, included=False, reason="已单独改造", by=admin)
    community = household.unit.building.compound.community
    compound = household.unit.building.compound.name
    content = f"小区,楼栋,单元,房号,楼层,专有面积\n{compound},1号楼,1单元,0101,1,60\n{compound},1号楼,1单元,102,1,x\n"
    table = read_roster(
        name="r.csv", file=io.BytesIO(content.encode()), size=len(content.encode()), max_bytes=10**6, max_rows=100
    )
    roster_import_create(community=community, uploaded_by=admin, filename="r.csv", table=table)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The named demo, seeded once for this module and rolled back afterwards."""
    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        _objects_the_demo_lacks()
        yield
        transaction.set_rollback(True)


def _checker(path: str, staff: Client, resident: Client, query, post):
    """The Hypothesis test of one URL: GET or POST, as staff or as the resident."""

    @settings(
        derandomize=True,
        max_examples=EXAMPLES_PER_URL,
        deadline=None,
        database=None,
        phases=(Phase.explicit, Phase.generate),  # no shrinking: the failing input is reported as generated
        suppress_health_check=list(HealthCheck),
    )
    @given(method=st.sampled_from(["GET", "POST"]), as_staff=st.booleans(), params=query, data=post)
    def check(method, as_staff, params, data):
        client = staff if as_staff else resident
        if method == "GET":
            response = client.get(path, params)
        else:
            body = {
                key: SimpleUploadedFile("f.bin", value) if isinstance(value, bytes) else value
                for key, value in data.items()
            }
            response = client.post(path, body)
        assert response.status_code < 500, (method, "staff" if as_staff else "resident", params, data)

    return check


def test_every_url_pattern_is_covered(demo):
    unfilled = []
    for pattern in project_patterns():
        try:
            path_for(pattern)
        except LookupError as error:
            unfilled.append(str(error))
    assert unfilled == []


def test_no_server_error_on_any_url(demo, capsys):
    started = time.perf_counter()
    superuser = get_user_model().objects.get(username="admin")
    targets = []
    forms: dict[str, dict[str, set]] = {}
    files: set[str] = set()
    staff = Client()
    staff.force_login(superuser)
    for pattern in project_patterns():
        found = path_for(pattern)
        if found is None:
            continue
        path, obj = found
        resident = Client()
        session = resident.session
        household = resident_household(obj)
        session[SESSION_KEY] = household.pk
        session.save()
        targets.append((pattern, path, resident))
        for client in (staff, resident):
            response = client.get(path)
            assert response.status_code != 500, (pattern, "GET", "plain")
            if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
                parser = FormFields(path)
                parser.feed(response.content.decode())
                for action, fields in parser.forms.items():
                    for name, values in fields.items():
                        forms.setdefault(action, {}).setdefault(name, set()).update(values)
                files |= parser.files

    failures = []
    for pattern, path, resident in targets:
        fields = forms.get(path, {})
        post = st.fixed_dictionaries(
            {name: (FILES if name in files else field_value(values)) for name, values in fields.items()},
            optional={key: VALUE for key in ("status", "action", "note", "next") if key not in fields},
        )
        query = st.dictionaries(st.one_of(st.sampled_from(QUERY_KEYS), st.text(max_size=6)), VALUE, max_size=4)

        check = _checker(path, staff, resident, query, post)

        try:
            with transaction.atomic():  # each URL starts from the demo as seeded
                check()
                transaction.set_rollback(True)
        except Exception as error:  # noqa: BLE001 (collect every failing URL, then report them all)
            failures.append(f"{pattern}: {error!r}"[:1500])
    elapsed = time.perf_counter() - started
    with capsys.disabled():
        print(f"\nfuzzed {len(targets)} URL patterns, {EXAMPLES_PER_URL} examples each, in {elapsed:.0f} s")
    assert not failures, "\n".join(failures)
