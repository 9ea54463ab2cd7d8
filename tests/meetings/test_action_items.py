"""Action items: one owner (a staff member or a department), a deadline, a status with its
history, and "overdue" decided against a clock passed in."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from consult.meeting_lifecycle import is_overdue, item_change_problems
from consult.models import ActionItem, ActionItemStatus, ActionItemUpdate, MeetingStatus
from consult.selectors.action_items import action_item_list, action_item_summary, overdue_items
from consult.services.action_items import action_item_create, action_item_edit, action_item_set_status

from .conftest import advance

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 6, 10)


@pytest.mark.parametrize(
    "status,deadline,overdue",
    [
        ("open", datetime.date(2025, 6, 9), True),
        ("in_progress", datetime.date(2025, 5, 1), True),
        ("open", TODAY, False),  # due today is not late yet
        ("open", datetime.date(2025, 6, 11), False),
        ("done", datetime.date(2025, 6, 1), False),
        ("dropped", datetime.date(2025, 6, 1), False),
    ],
)
def test_overdue_rule(status, deadline, overdue):
    assert is_overdue(status=status, deadline=deadline, today=TODAY) is overdue


def test_reopening_or_dropping_needs_a_note():
    assert item_change_problems(from_status="done", to_status="open", note="", meeting_reported=False)
    assert item_change_problems(from_status="open", to_status="dropped", note="", meeting_reported=False)
    assert item_change_problems(from_status="open", to_status="done", note="", meeting_reported=False) == []
    assert item_change_problems(from_status="done", to_status="open", note="返工", meeting_reported=True)


def test_owner_is_a_staff_member_or_a_department_never_both(world, held, department):
    deadline = timezone.localdate() + datetime.timedelta(days=3)
    with pytest.raises(ValidationError):
        action_item_create(meeting=held, title="x", deadline=deadline, by=world.staff)
    with pytest.raises(ValidationError):
        action_item_create(
            meeting=held,
            title="x",
            deadline=deadline,
            owner_user=world.staff,
            owner_department=department,
            by=world.staff,
        )
    now = timezone.now()
    for owners in ({}, {"owner_user": world.staff, "owner_department": department}):
        with pytest.raises(IntegrityError), transaction.atomic():
            ActionItem.objects.create(
                meeting=held,
                title="x",
                deadline=deadline,
                created_by=world.staff,
                created_at=now,
                updated_at=now,
                **owners,
            )


def test_deadline_not_before_the_meeting(world, held):
    with pytest.raises(ValidationError, match="不能早于会议日期"):
        action_item_create(
            meeting=held,
            title="x",
            deadline=timezone.localdate(held.starts_at) - datetime.timedelta(days=1),
            owner_user=world.staff,
            by=world.staff,
        )


def test_department_of_another_sub_district_cannot_own_an_item(world, held):
    from projects.models import Department
    from tests import factories as f

    elsewhere = Department.objects.create(sub_district=f.sub_district(), name="外区水务站")
    with pytest.raises(ValidationError):
        action_item_create(
            meeting=held, title="x", deadline=timezone.localdate(), owner_department=elsewhere, by=world.staff
        )


def test_titles_are_public_so_names_and_phones_are_refused(world, held):
    with pytest.raises(ValidationError) as caught:
        action_item_create(
            meeting=held,
            title=f"联系{world.household.owner_names} 13812341234",
            deadline=timezone.localdate(),
            owner_user=world.staff,
            by=world.staff,
        )
    assert "title" in caught.value.message_dict


def test_status_changes_keep_a_history(world, held, department):
    item = ActionItem.objects.get(meeting=held, owner_department=department)
    t1 = timezone.now()
    action_item_set_status(item=item, to_status="in_progress", by=world.department, note="已进场", now=t1)
    action_item_set_status(item=item, to_status="done", by=world.department, now=t1 + datetime.timedelta(days=2))
    item.refresh_from_db()
    assert item.status == "done" and item.closed_at == t1 + datetime.timedelta(days=2)
    history = list(item.updates.order_by("pk").values_list("from_status", "to_status", "by", "note"))
    assert history == [
        ("", "open", world.staff.pk, ""),
        ("open", "in_progress", world.department.pk, "已进场"),
        ("in_progress", "done", world.department.pk, ""),
    ]
    with pytest.raises(ValidationError):
        action_item_set_status(item=item, to_status="open", by=world.staff)  # reopening needs a note
    action_item_set_status(item=item, to_status="open", by=world.staff, note="验收不合格")
    item.refresh_from_db()
    assert item.closed_at is None


def test_closed_at_matches_the_status_in_the_database(world, held):
    item = held.action_items.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionItem.objects.filter(pk=item.pk).update(status="done")  # closed without a date


def test_items_of_a_reported_meeting_cannot_be_reopened_or_edited(world, held):
    for item in held.action_items.all():
        action_item_set_status(item=item, to_status="done", by=world.staff)
    advance(held, world.staff, MeetingStatus.MINUTED, MeetingStatus.REPORTED)
    item = held.action_items.first()
    with pytest.raises(ValidationError, match="会议已反馈"):
        action_item_set_status(item=item, to_status="open", by=world.staff, note="返工")
    with pytest.raises(ValidationError):
        action_item_edit(
            item=item,
            title="改",
            details="",
            deadline=item.deadline,
            owner_user=world.staff,
            owner_department=None,
            by=world.staff,
        )


def test_edit_records_old_and_new_values(world, held, department):
    item = ActionItem.objects.get(meeting=held, owner_user=world.staff)
    new_deadline = item.deadline + datetime.timedelta(days=7)
    update = action_item_edit(
        item=item,
        title=item.title,
        details="",
        deadline=new_deadline,
        owner_user=None,
        owner_department=department,
        by=world.admin,
        note="改由部门负责",
    )
    assert update.changes["deadline"] == [item.deadline.isoformat(), new_deadline.isoformat()]
    assert update.changes["owner"][1] == department.name
    assert update.by == world.admin
    unchanged = action_item_edit(
        item=item,
        title=item.title,
        details="",
        deadline=new_deadline,
        owner_user=None,
        owner_department=department,
        by=world.admin,
    )
    assert unchanged is None
    assert ActionItemUpdate.objects.filter(item=item).count() == 2


# --- the overdue list, with a clock ------------------------------------------------------


def _items(world, held, department, today):
    """Three items: overdue (department), due today (staff), done long ago (department)."""
    ActionItem.objects.filter(meeting=held).delete()
    now = timezone.now()
    common = dict(meeting=held, created_by=world.staff, created_at=now, updated_at=now)
    ActionItem.objects.bulk_create(
        [
            ActionItem(
                title="疏通检查井", owner_department=department, deadline=today - datetime.timedelta(days=3), **common
            ),
            ActionItem(title="回访商户", owner_user=world.staff, deadline=today, **common),
            ActionItem(
                title="安装隔油池",
                owner_department=department,
                deadline=today - datetime.timedelta(days=30),
                status=ActionItemStatus.DONE,
                closed_at=now,
                **common,
            ),
        ]
    )


def test_overdue_list_per_community_with_a_passed_in_day(world, held, department):
    _items(world, held, department, TODAY)
    overdue = action_item_list(world.staff, world.community, today=TODAY, show="overdue")
    assert [i.title for i in overdue] == ["疏通检查井"]
    # the next day, the item due today is late too
    tomorrow = TODAY + datetime.timedelta(days=1)
    assert {i.title for i in action_item_list(world.staff, world.community, today=tomorrow, show="overdue")} == {
        "疏通检查井",
        "回访商户",
    }
    summary = action_item_summary(world.staff, world.community, today=TODAY)
    assert (summary["open"], summary["overdue"], summary["done"], summary["all"]) == (2, 1, 1, 3)
    assert [i.title for i in overdue_items(world.staff, world.community, today=TODAY)] == ["疏通检查井"]


def test_open_list_puts_overdue_items_first(world, held, department):
    _items(world, held, department, TODAY)
    titles = [i.title for i in action_item_list(world.staff, world.community, today=TODAY, show="open")]
    assert titles == ["疏通检查井", "回访商户"]
    assert [i.overdue for i in action_item_list(world.staff, world.community, today=TODAY, show="open")] == [
        True,
        False,
    ]


def test_other_community_sees_none_of_it(world, held, department):
    _items(world, held, department, TODAY)
    assert action_item_summary(world.other_staff, world.other_community, today=TODAY)["all"] == 0


# --- the department's limited view --------------------------------------------------------


def test_department_sees_only_its_own_items(world, held, department):
    _items(world, held, department, TODAY)
    mine = action_item_list(world.department, world.community, today=TODAY, show="all")
    assert {i.title for i in mine} == {"疏通检查井", "安装隔油池"}
    assert action_item_summary(world.department, world.community, today=TODAY)["all"] == 2


def test_department_updates_its_item_but_not_another(client, world, held, department):
    own = ActionItem.objects.get(meeting=held, owner_department=department)
    other = ActionItem.objects.get(meeting=held, owner_user=world.staff)
    client.force_login(world.department)
    response = client.post(
        reverse("consult:action_item", args=[own.pk]), {"to_status": "in_progress", "note": "已开工"}
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == "in_progress"
    assert own.updates.last().by == world.department
    assert client.get(reverse("consult:action_item", args=[other.pk])).status_code == 403
    response = client.post(reverse("consult:action_item", args=[other.pk]), {"to_status": "done"})
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.status == "open"


def test_department_cannot_drop_or_edit_an_item(client, world, held, department):
    own = ActionItem.objects.get(meeting=held, owner_department=department)
    client.force_login(world.department)
    response = client.post(reverse("consult:action_item", args=[own.pk]), {"to_status": "dropped", "note": "不做了"})
    assert response.status_code == 400
    own.refresh_from_db()
    assert own.status == "open"
    assert client.get(reverse("consult:action_item_edit", args=[own.pk])).status_code == 403


def test_department_list_page_shows_only_its_items(client, world, held, department):
    client.force_login(world.department)
    page = client.get(reverse("consult:action_items", args=[world.community.pk]) + "?show=all").content.decode()
    assert "更换190米污水管线" in page
    assert "通知21家商户" not in page
