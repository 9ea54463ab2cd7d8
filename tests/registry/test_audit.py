"""Issue 17: role and membership changes, project and meeting edits, deletions of progress
items and timeline entries, logins, exports of personal data and views of care flags left
no record. Each now writes one ``AuditEvent``, which the community admin reads, filtered."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consult.models import MeetingStatus
from projects.models import (
    AuditAction,
    AuditEvent,
    FundingSource,
    Membership,
    ProgressItem,
    Role,
    SensitiveDataAccess,
    Stage,
    TimelineEntry,
)
from tests.meetings.conftest import advance, make_meeting

from .. import factories as f

pytestmark = pytest.mark.django_db


def only(action) -> AuditEvent:
    return AuditEvent.objects.get(action=action)


def test_member_add_change_remove_are_recorded(client, world):
    client.force_login(world.admin)
    client.post(
        reverse("projects:member_add", args=[world.community.pk]),
        {
            "username": "louzhang_li",
            "password": "Zhuhu-2026-safe",
            "role": Role.BUILDING_HEAD,
            "buildings": [world.building.pk],
        },
    )
    added = only(AuditAction.MEMBER_ADDED)
    assert (added.actor, added.community) == (world.admin, world.community)
    assert added.after == {
        "user": "louzhang_li",
        "role": "building_head",
        "department": None,
        "buildings": [world.building.pk],
    }
    membership = Membership.objects.get(user__username="louzhang_li")
    client.post(reverse("projects:member_edit", args=[membership.pk]), {"role": Role.STAFF})
    changed = only(AuditAction.MEMBER_CHANGED)
    assert changed.before == {"role": "building_head", "buildings": [world.building.pk]}
    assert changed.after == {"role": "staff", "buildings": []}
    assert changed.ip == "127.0.0.1"
    client.post(reverse("projects:member_remove", args=[membership.pk]))
    removed = only(AuditAction.MEMBER_REMOVED)
    assert removed.before["role"] == "staff" and removed.object_id == str(membership.pk)


def test_saving_a_role_unchanged_records_nothing(client, world):
    membership = Membership.objects.get(user=world.staff)
    client.force_login(world.admin)
    client.post(reverse("projects:member_edit", args=[membership.pk]), {"role": Role.STAFF})
    assert not AuditEvent.objects.filter(action=AuditAction.MEMBER_CHANGED).exists()


def test_project_edit_keeps_before_and_after(client, world):
    project = f.project(community=world.community, stage=Stage.DESIGN, title="旧名")
    project.compounds.set([world.compound])
    line = FundingSource.objects.create(project=project, kind="government", amount=100)
    client.force_login(world.admin)
    response = client.post(
        reverse("projects:project_edit", args=[project.pk]),
        {
            "title": "新名",
            "project_class": "improvement",
            "work_type": "elevator",
            "units": [world.unit.pk],
            "scope_reason": "只改1单元",
            "funding-TOTAL_FORMS": "1",
            "funding-INITIAL_FORMS": "1",
            "funding-0-id": str(line.pk),
            "funding-0-kind": "government",
            "funding-0-amount": "100",
            "funding-0-DELETE": "on",
            "firms-TOTAL_FORMS": "0",
            "firms-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    event = only(AuditAction.PROJECT_CHANGED)
    assert event.before["title"] == "旧名" and event.after["title"] == "新名"
    assert event.before["compounds"] == [world.compound.pk] and event.after["units"] == [world.unit.pk]
    assert event.before["funding"][0]["amount"] == "100.00" and event.after["funding"] == []
    assert event.community == world.community and event.actor == world.admin


def test_meeting_edit_keeps_before_and_after(client, world):
    starts = (timezone.now() + datetime.timedelta(days=3)).replace(second=0, microsecond=0)
    meeting = make_meeting(world.community, world.staff, compound=world.compound, place="社区活动室", starts_at=starts)
    meeting = advance(meeting, world.staff, MeetingStatus.ANNOUNCED)
    client.force_login(world.staff)
    starts = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%dT%H:%M")
    client.post(
        reverse("consult:meeting_edit", args=[meeting.pk]),
        {
            "kind": meeting.kind,
            "topic": meeting.topic,
            "starts_at": starts,
            "place": "新地点",
            "compound": world.compound.pk,
        },
    )
    event = only(AuditAction.MEETING_CHANGED)
    assert event.before == {"place": "社区活动室"} and event.after == {"place": "新地点"}, (event.before, event.after)


def test_deleting_a_progress_item_and_a_timeline_entry_keeps_their_content(client, world):
    project = f.project(community=world.community, stage=Stage.CONSTRUCTION)
    item = ProgressItem.objects.create(project=project, name="污水管线", unit="米", target=120, done=30)
    entry = TimelineEntry.objects.create(
        project=project,
        date=datetime.date(2026, 11, 3),
        title="开槽",
        body="西门开槽",
        created_by=world.staff,
        created_at=timezone.now(),
    )
    client.force_login(world.staff)
    client.post(reverse("projects:progress_item_delete", args=[item.pk]))
    client.post(reverse("projects:timeline_delete", args=[entry.pk]))
    gone = only(AuditAction.PROGRESS_ITEM_DELETED)
    assert (gone.before["name"], gone.before["target"], gone.before["done"]) == ("污水管线", "120.00", "30.00")
    assert gone.object_label and gone.community == world.community
    entry_gone = only(AuditAction.TIMELINE_ENTRY_DELETED)
    assert (entry_gone.before["title"], entry_gone.before["body"], entry_gone.before["photos"]) == (
        "开槽",
        "西门开槽",
        [],
    )
    assert not ProgressItem.objects.exists() and not TimelineEntry.objects.exists()


def test_personal_data_downloads_are_recorded(client, world):
    client.force_login(world.staff)
    client.get(reverse("projects:roster_export", args=[world.community.pk]))
    client.get(reverse("consult:wish_export", args=[world.community.pk]), {"status": "new"})
    events = list(AuditEvent.objects.filter(action=AuditAction.DATA_EXPORTED).order_by("pk"))
    assert [e.object_label for e in events] == ["roster", "wishes"]
    assert all(e.actor == world.staff and e.community == world.community for e in events)
    assert events[0].after == {"phones": True, "care_flags": True}
    assert "status=new" in events[1].after["filters"]


def test_care_flags_seen_are_in_the_audit_trail_and_the_household_index(client, world):
    world.household.elderly_alone = True
    world.household.save()
    client.force_login(world.staff)
    client.get(reverse("projects:household", args=[world.household.pk]))
    event = only(AuditAction.CARE_FLAGS_VIEWED)
    assert (event.actor, event.community, event.object_id) == (world.staff, world.community, str(world.household.pk))
    assert SensitiveDataAccess.objects.get().household == world.household


# --- the page -------------------------------------------------------------------------------


def audit_url(world):
    return reverse("projects:audit_trail", args=[world.community.pk])


@pytest.mark.parametrize(
    "role,status",
    [
        ("anonymous", 302),
        ("staff", 403),
        ("building_head", 403),
        ("department", 403),
        ("other_staff", 403),
        ("sub_district_staff", 403),
        ("admin", 200),
        ("superuser", 200),
    ],
)
def test_only_the_community_admin_reads_the_trail(client, world, role, status):
    if role != "anonymous":
        client.force_login(getattr(world, role))
    assert client.get(audit_url(world)).status_code == status


def test_other_admins_do_not_see_this_community(client, world):
    client.force_login(f.member(world.other_community, Role.ADMIN, username="admin_nl"))
    assert client.get(audit_url(world)).status_code == 403


def test_the_page_filters_by_action_actor_and_date(client, world):
    from projects import audit

    now = timezone.now()
    audit.record(AuditAction.MEMBER_ADDED, actor=world.admin, community=world.community, object_label="甲", now=now)
    audit.record(
        AuditAction.DATA_EXPORTED, actor=world.staff, community=world.community, object_label="roster", now=now
    )
    old = now - datetime.timedelta(days=40)
    audit.record(AuditAction.DATA_EXPORTED, actor=world.staff, community=world.community, object_label="old", now=old)
    audit.record(
        AuditAction.DATA_EXPORTED, actor=world.other_staff, community=world.other_community, object_label="other"
    )
    audit.record(AuditAction.LOGIN, actor=world.staff)  # a member's login shows; another community's does not
    audit.record(AuditAction.LOGIN, actor=world.other_staff)
    client.force_login(world.admin)

    def labels(**params):
        page = client.get(audit_url(world), params)
        return sorted(e.object_label or e.action for e in page.context["page_obj"])

    assert labels() == ["login", "login", "old", "roster", "甲"]  # the staff's login and the admin's own
    assert labels(action="data_exported") == ["old", "roster"]
    assert labels(actor="staff_bm") == ["login", "old", "roster"]
    assert labels(since=(now - datetime.timedelta(days=1)).date().isoformat(), action="data_exported") == ["roster"]
    assert labels(until=(now - datetime.timedelta(days=30)).date().isoformat()) == ["old"]
    assert labels(action="no-such-action") != []  # a bad filter is ignored, not a 500


@pytest.mark.parametrize("size", [5, 60])
def test_page_query_count_is_flat(client, world, size, django_assert_max_num_queries):
    from projects import audit

    for i in range(size):
        audit.record(AuditAction.DATA_EXPORTED, actor=world.staff, community=world.community, object_label=f"e{i}")
        audit.record(AuditAction.LOGIN, actor=world.building_head)
    client.force_login(world.admin)
    client.get(audit_url(world))
    with django_assert_max_num_queries(10):
        response = client.get(audit_url(world), {"page": 2 if size > 25 else 1})
    assert response.status_code == 200
    shown = 50 if size > 25 else 2 * size + 1  # the admin's own login is recorded too
    assert response.content.decode().count('data-testid="audit-row"') == shown
