"""Reads for the meeting pages, the noticeboard and the panels.

Counts per meeting (people signed in, RSVPs, open and overdue action items) are correlated
subqueries, so a list of meetings is one query however many meetings and sign-ins it has,
and the counts are not multiplied by each other's joins.
"""

import datetime

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from projects.access import staff_access
from projects.models import Community, Household, Role

from ..models import (
    OPEN_ITEM_STATUSES,
    ActionItem,
    ActionItemStatus,
    Attendance,
    AttendeeKind,
    Meeting,
    MeetingKind,
    MeetingRSVP,
    MeetingStatus,
)


def _count(qs) -> Coalesce:
    sub = qs.order_by().values("meeting_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def _sum(qs, field) -> Coalesce:
    sub = qs.order_by().values("meeting_id").annotate(n=Sum(field)).values("n")
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def local_day_start(now: datetime.datetime) -> datetime.datetime:
    """Midnight of ``now``'s day in the site's time zone: a meeting this morning is still
    "today" for the noticeboard and the upcoming list."""
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def with_counts(qs: QuerySet[Meeting], *, today: datetime.date) -> QuerySet[Meeting]:
    meeting = OuterRef("pk")
    attendance = Attendance.objects.filter(meeting=meeting)
    items = ActionItem.objects.filter(meeting=meeting, status__in=OPEN_ITEM_STATUSES)
    return qs.annotate(
        people_count=_sum(attendance, "headcount"),
        household_count=_count(attendance.filter(kind=AttendeeKind.HOUSEHOLD)),
        rsvp_count=_count(MeetingRSVP.objects.filter(meeting=meeting, withdrawn_at__isnull=True)),
        open_item_count=_count(items),
        overdue_item_count=_count(items.filter(deadline__lt=today)),
    )


def department_of(user, community) -> int | None:
    """The department a department viewer speaks for in this community, else None."""
    if getattr(user, "is_superuser", False):
        return None
    access = staff_access(user)
    if access.roles.get(community.pk) == Role.DEPARTMENT:
        return access.departments.get(community.pk)
    return None


def visible_meetings(user, community: Community) -> QuerySet[Meeting]:
    """Every meeting of the community, or for a department viewer the ones it was invited to."""
    qs = Meeting.objects.filter(community=community)
    department_id = department_of(user, community)
    if department_id is not None:
        qs = qs.filter(invited_departments=department_id)
    return qs


def meeting_list(
    user,
    community: Community,
    *,
    now: datetime.datetime,
    when: str = "upcoming",
    kind: str = "",
    compound_id: int | None = None,
    query: str = "",
) -> QuerySet[Meeting]:
    """The calendar: upcoming meetings soonest first, past meetings latest first."""
    qs = visible_meetings(user, community).select_related("compound", "building__compound", "project")
    start = local_day_start(now)
    if when == "upcoming":
        qs = qs.filter(starts_at__gte=start).order_by("starts_at", "pk")
    elif when == "past":
        qs = qs.filter(starts_at__lt=start).order_by("-starts_at", "-pk")
    else:
        qs = qs.order_by("-starts_at", "-pk")
    if kind in MeetingKind.values:
        qs = qs.filter(kind=kind)
    if compound_id:
        qs = qs.filter(compound_id=compound_id)
    query = query.strip()
    if query:
        qs = qs.filter(Q(topic__icontains=query) | Q(place__icontains=query))
    return with_counts(qs, today=timezone.localdate(now))


def meeting_for_page(pk: int) -> Meeting:
    """The meeting with what its page and the permission checks need, in two queries."""
    return (
        Meeting.objects.select_related(
            "community__sub_district", "compound", "building__compound", "project", "host", "note_taker"
        )
        .prefetch_related("invited_departments")
        .get(pk=pk)
    )


def attendance_counts(meeting: Meeting) -> dict:
    """Lines and people per kind, the total, and how the sign-ins compare with the RSVPs:
    one aggregate query over the sign-in list and one over the RSVPs."""
    rsvp = MeetingRSVP.objects.filter(
        meeting_id=OuterRef("meeting_id"), household_id=OuterRef("household_id"), withdrawn_at__isnull=True
    )
    aggregates = {}
    for kind in AttendeeKind:
        aggregates[f"{kind.value}_lines"] = Count("pk", filter=Q(kind=kind))
        aggregates[f"{kind.value}_people"] = Coalesce(Sum("headcount", filter=Q(kind=kind)), 0)
    counts = Attendance.objects.filter(meeting=meeting).aggregate(
        total_people=Coalesce(Sum("headcount"), 0),
        households_without_rsvp=Count("pk", filter=Q(kind=AttendeeKind.HOUSEHOLD) & ~Q(Exists(rsvp))),
        **aggregates,
    )
    came = Attendance.objects.filter(meeting_id=OuterRef("meeting_id"), household_id=OuterRef("household_id"))
    counts.update(
        MeetingRSVP.objects.filter(meeting=meeting, withdrawn_at__isnull=True).aggregate(
            rsvp_households=Count("pk"),
            rsvp_people=Coalesce(Sum("people"), 0),
            rsvp_came=Count("pk", filter=Q(Exists(came))),
        )
    )
    counts["rsvp_absent"] = counts["rsvp_households"] - counts["rsvp_came"]
    counts["by_kind"] = [(kind, counts[f"{kind.value}_lines"], counts[f"{kind.value}_people"]) for kind in AttendeeKind]
    return counts


def attendance_list(meeting: Meeting) -> QuerySet[Attendance]:
    return (
        Attendance.objects.filter(meeting=meeting)
        .select_related("household__unit__building__compound", "department", "recorded_by")
        .order_by("kind", "household__unit__building__sort_key", "household__unit__building__name", "pk")
    )


def rsvp_list(meeting: Meeting) -> QuerySet[MeetingRSVP]:
    came = Attendance.objects.filter(meeting_id=OuterRef("meeting_id"), household_id=OuterRef("household_id"))
    return (
        MeetingRSVP.objects.filter(meeting=meeting)
        .select_related("household__unit__building__compound", "entered_by")
        .annotate(came=Exists(came))
        .order_by(
            F("withdrawn_at").asc(nulls_first=True),  # still coming first, on every database
            "household__unit__building__sort_key",
            "household__unit__building__name",
            "pk",
        )
    )


def meeting_action_items(user, meeting: Meeting) -> QuerySet[ActionItem]:
    qs = ActionItem.objects.filter(meeting=meeting).select_related("owner_user", "owner_department")
    department_id = department_of(user, meeting.community)
    if department_id is not None:
        qs = qs.filter(owner_department_id=department_id)
    return qs.order_by("deadline", "pk")


def sign_in_sheet_households(meeting: Meeting) -> QuerySet[Household]:
    """Households that said they will come, pre-printed on the sign-in sheet by room."""
    return (
        Household.objects.filter(meeting_rsvps__meeting=meeting, meeting_rsvps__withdrawn_at__isnull=True)
        .select_related("unit__building")
        .order_by("unit__building__sort_key", "unit__building__name", "unit__sort_key", "floor", "room")
    )


# --- public and resident-facing reads (aggregates only, no personal data) -----------------


def _for_compound(qs: QuerySet[Meeting], compound) -> QuerySet[Meeting]:
    return qs.filter(community_id=compound.community_id).filter(Q(compound__isnull=True) | Q(compound=compound))


def noticeboard_upcoming(compound, *, now: datetime.datetime) -> QuerySet[Meeting]:
    """Announced meetings from today on, and announced ones since cancelled (so residents
    who read the first notice learn it is off)."""
    qs = _for_compound(Meeting.objects.all(), compound).filter(
        announced_at__isnull=False,
        status__in=[MeetingStatus.ANNOUNCED, MeetingStatus.CANCELLED],
        starts_at__gte=local_day_start(now),
    )
    return (
        qs.select_related("building")
        .annotate(rsvp_count=_count(MeetingRSVP.objects.filter(meeting=OuterRef("pk"), withdrawn_at__isnull=True)))
        .order_by("starts_at", "pk")
    )


def noticeboard_reported(compound, *, limit: int = 5) -> QuerySet[Meeting]:
    """The latest report-backs, with vote counts and how many action items were done."""
    items = ActionItem.objects.filter(meeting=OuterRef("pk"))
    attendance = Attendance.objects.filter(meeting=OuterRef("pk"))
    return (
        _for_compound(Meeting.objects.all(), compound)
        .filter(status=MeetingStatus.REPORTED)
        .select_related("building")
        .annotate(
            people_count=_sum(attendance, "headcount"),
            items_total=_count(items),
            items_done=_count(items.filter(status=ActionItemStatus.DONE)),
        )
        .prefetch_related(
            "votes",
            Prefetch(
                "action_items", queryset=ActionItem.objects.select_related("owner_department").order_by("deadline")
            ),
        )
        .order_by("-reported_at", "-pk")[:limit]
    )


def household_upcoming(household: Household, *, now: datetime.datetime) -> list[Meeting]:
    """Announced meetings the household can come to, each with ``my_people`` set when it
    has said it will come (one query)."""
    building = household.unit.building
    mine = MeetingRSVP.objects.filter(meeting=OuterRef("pk"), household=household, withdrawn_at__isnull=True)
    return list(
        Meeting.objects.filter(
            community_id=building.compound.community_id,
            status=MeetingStatus.ANNOUNCED,
            starts_at__gt=now,
        )
        .filter(Q(compound__isnull=True) | Q(compound_id=building.compound_id))
        .filter(Q(building__isnull=True) | Q(building_id=building.pk))
        .annotate(my_people=Subquery(mine.values("people")[:1]))
        .order_by("starts_at", "pk")[:10]
    )


def project_meetings(user, project, *, now: datetime.datetime) -> QuerySet[Meeting]:
    qs = visible_meetings(user, project.community).filter(project=project).select_related("compound")
    return with_counts(qs, today=timezone.localdate(now)).order_by("-starts_at", "-pk")


def upcoming_for_dashboard(user, community: Community, *, now: datetime.datetime, limit: int = 3) -> list[Meeting]:
    return list(
        visible_meetings(user, community)
        .filter(starts_at__gte=local_day_start(now))
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("compound")
        .order_by("starts_at", "pk")[:limit]
    )
