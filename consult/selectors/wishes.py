"""Reads for the wish pages. Support is the kept ``Wish.support_count`` (see
``active_support_count``), so every list costs the same few queries at 5 wishes or 5,000."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from projects.access import staff_access
from projects.addresses import NotAnAddress, households_at, parse_address
from projects.models import Community, Compound, Household, Role
from projects.parsing import parse_id

from ..models import Support, Wish, WishStatus, WishStatusChange
from ..wish_lifecycle import HIDDEN_BY_DEFAULT, OPEN_FOR_SUPPORT

PUBLIC_RELATED = ("building", "household__unit__building")
STAFF_RELATED = (
    "community",
    "compound",
    "building",
    "household__unit__building__compound",
    "entered_by",
    "meeting",
    "project",
    "merged_into",
)
QUEUE_RELATED = ("community", "compound", "building", "project", "entered_by")


def active_support_count():
    """Number of households currently backing each wish, as an annotation: the kept
    ``Wish.support_count``. Measured on PostgreSQL with the district set (100,000 wishes,
    500,000 supports), ranking a compound's wishes by a per-row COUNT subquery ran it
    1,532 times behind a sequential scan of households; the kept figure makes the public
    list and the top five an index walk (``wish_compound_ranked``). ``check_counts``
    recounts it."""
    return F("support_count")


def _photo_count():
    from ..models import WishPhoto

    per_wish = (
        WishPhoto.objects.filter(wish=OuterRef("pk")).order_by().values("wish").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(per_wish, output_field=IntegerField()), Value(0))


SORTS = {
    "support": ("-support_count", "-submitted_at", "-pk"),
    "new": ("-submitted_at", "-pk"),
    "old": ("submitted_at", "pk"),
}


def public_wishes(
    compound: Compound, *, category: str = "", status: str = "", building=None, sort: str = "support"
) -> QuerySet[Wish]:
    """The compound's public list. Merged wishes are left out unless asked for: their
    support now counts on the wish they went into."""
    qs = Wish.objects.filter(compound=compound).select_related(*PUBLIC_RELATED)
    qs = qs.filter(status=status) if status else qs.exclude(status__in=HIDDEN_BY_DEFAULT)
    if category:
        qs = qs.filter(category=category)
    if building is not None:
        qs = qs.filter(building=building)
    qs = qs.annotate(support_total=active_support_count(), photo_total=_photo_count())
    return qs.order_by(*SORTS.get(sort, SORTS["support"]))


def public_wish_page(compound: Compound, *, page, per_page: int, **filters) -> tuple[list[Wish], int, int]:
    """One page of the public list: (wishes, page number, count of the whole list).

    Ranks ids first, then loads only the shown rows. Joined to the submitter's household,
    unit and building, the deep pages of a 4,700-wish compound hashed every household of the
    district and counted photos for every wish before skipping to the page (31 ms on
    PostgreSQL); the ids alone walk ``wish_compound_ranked``."""
    ids = public_wishes(compound, **filters).values_list("pk", flat=True)
    shown = Paginator(ids, per_page).get_page(page)
    page_ids = list(shown.object_list)
    rows = {
        w.pk: w
        for w in Wish.objects.filter(pk__in=page_ids)
        .select_related(*PUBLIC_RELATED)
        .annotate(support_total=active_support_count(), photo_total=_photo_count())
    }
    return [rows[pk] for pk in page_ids if pk in rows], shown.number, shown.paginator.count


def top_wishes(compound: Compound, limit: int = 5) -> list[Wish]:
    qs = (
        Wish.objects.filter(compound=compound, status__in=OPEN_FOR_SUPPORT)
        .select_related(*PUBLIC_RELATED)
        .annotate(support_total=active_support_count())
    )
    return list(qs.order_by(*SORTS["support"])[:limit])


def compound_wish_totals(compound: Compound) -> dict:
    return Wish.objects.filter(compound=compound).aggregate(
        total=Count("pk", filter=~Q(status=WishStatus.MERGED)),
        open=Count("pk", filter=Q(status__in=[WishStatus.SUBMITTED, WishStatus.ACCEPTED])),
        planned=Count("pk", filter=Q(status__in=[WishStatus.PLANNED, WishStatus.IN_PROGRESS])),
        done=Count("pk", filter=Q(status=WishStatus.DONE)),
    )


def wish_page(pk) -> Wish:
    """One wish with everything its page shows; raises ``Wish.DoesNotExist``."""
    return Wish.objects.select_related(*STAFF_RELATED).annotate(support_total=active_support_count()).get(pk=pk)


def wish_history(wish: Wish, *, public: bool) -> QuerySet[WishStatusChange]:
    """The answers and status changes of a wish. The public see status changes and
    answers; staff also see corrections and internal notes."""
    qs = wish.history.select_related("changed_by", "project", "related_wish")
    if public:
        qs = qs.filter(~Q(response="") | ~Q(from_status=F("to_status")))
    return qs.order_by("changed_at", "pk")


def merged_into_this(wish: Wish) -> QuerySet[Wish]:
    return wish.merged_wishes.order_by("pk").only("pk", "title", "status", "merged_into_id")


def household_support(wish: Wish, household: Household | None) -> Support | None:
    if household is None:
        return None
    return Support.objects.filter(wish=wish, household=household, withdrawn_at__isnull=True).first()


def supports_by_channel(wish: Wish) -> list[dict]:
    return list(
        Support.objects.filter(wish=wish, withdrawn_at__isnull=True)
        .values("channel")
        .annotate(n=Count("pk"))
        .order_by("-n", "channel")
    )


def wish_supports(wish: Wish) -> QuerySet[Support]:
    """Every support of a wish for the staff page, active first, then the withdrawn history."""
    return (
        Support.objects.filter(wish=wish)
        .select_related("household__unit__building", "entered_by", "withdrawn_by", "carried_from")
        .order_by(F("withdrawn_at").asc(nulls_first=True), "-created_at", "-pk")
    )


# --- staff queue ----------------------------------------------------------------------------


def visible_wishes(user, community: Community) -> QuerySet[Wish]:
    """A building head sees the wishes of their buildings and the compound-wide ones."""
    qs = Wish.objects.filter(community=community)
    if getattr(user, "is_superuser", False):
        return qs
    access = staff_access(user)
    if access.roles.get(community.pk) == Role.BUILDING_HEAD:
        mine = access.buildings.get(community.pk, set())
        qs = qs.filter(
            Q(building_id__in=mine)
            | Q(building__isnull=True, household__unit__building_id__in=mine)
            | Q(building__isnull=True, household__isnull=True)
        )
    return qs


@dataclass(frozen=True)
class QueueFilters:
    q: str = ""
    compound: object = None
    building: object = None
    category: str = ""
    status: str = ""
    channel: str = ""
    meeting: object = None
    project: object = None
    sort: str = "new"


OPEN_STATUS = "open"  # the queue's pseudo-status: everything still waiting for work


def wish_queue(user, community: Community, filters: QueueFilters) -> QuerySet[Wish]:
    qs = visible_wishes(user, community)
    if filters.q:
        text = Q(title__icontains=filters.q) | Q(description__icontains=filters.q) | Q(location__icontains=filters.q)
        text |= Q(paper_reference__iexact=filters.q)
        number = parse_id(filters.q.lstrip("#№ "))
        if number is not None:
            text |= Q(pk=number)
        qs = qs.filter(text)
    for field in ("compound", "building", "meeting", "project"):
        value = getattr(filters, field)
        if value is not None:
            qs = qs.filter(**{field: value})
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.status == OPEN_STATUS:
        qs = qs.filter(status__in=OPEN_FOR_SUPPORT)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    # Few joins on purpose: with all of STAFF_RELATED (11 joins) PostgreSQL spent 39-98 ms
    # planning a query that ran in 4-6 ms. The submitter's address is loaded for the shown
    # page only, in three small queries.
    qs = qs.select_related(*QUEUE_RELATED).prefetch_related("household__unit__building")
    qs = qs.annotate(support_total=active_support_count())
    return qs.order_by(*SORTS.get(filters.sort, SORTS["new"]))


def queue_status_counts(user, community: Community) -> dict[str, int]:
    rows = visible_wishes(user, community).order_by().values("status").annotate(n=Count("pk"))
    counts = {row["status"]: row["n"] for row in rows}
    counts[OPEN_STATUS] = sum(counts.get(s, 0) for s in OPEN_FOR_SUPPORT)
    return counts


def latest_response():
    last = (
        WishStatusChange.objects.filter(wish=OuterRef("pk"))
        .exclude(response="")
        .order_by("-changed_at", "-pk")
        .values("response")[:1]
    )
    return Subquery(last)


def export_rows(user, community: Community, filters: QueueFilters) -> QuerySet[Wish]:
    rows = wish_queue(user, community, filters).prefetch_related(None).select_related(*STAFF_RELATED)
    return rows.annotate(last_response=latest_response())


def sub_district_export_rows(sub_district) -> QuerySet[Wish]:
    """Every wish of the sub-district's communities, community by community, newest first
    (the order of the ``community, -submitted_at`` index)."""
    return (
        Wish.objects.filter(community__sub_district=sub_district)
        .annotate(support_total=active_support_count(), last_response=latest_response())
        .order_by("community_id", "-submitted_at", "-pk")
    )


def sub_district_wish_count(sub_district) -> int:
    return Wish.objects.filter(community__sub_district=sub_district).count()


# --- other pages' panels --------------------------------------------------------------------


def meeting_wishes(meeting) -> QuerySet[Wish]:
    return (
        Wish.objects.filter(meeting=meeting)
        .select_related("compound", "building")
        .annotate(support_total=active_support_count())
        .order_by(*SORTS["support"])
    )


def project_wishes(project) -> QuerySet[Wish]:
    return (
        Wish.objects.filter(project=project)
        .select_related("compound", "building")
        .annotate(support_total=active_support_count())
        .order_by(*SORTS["support"])
    )


def household_wishes(household: Household) -> QuerySet[Wish]:
    return (
        Wish.objects.filter(household=household)
        .select_related("merged_into")
        .annotate(support_total=active_support_count())
        .order_by("-submitted_at", "-pk")
    )


def household_supported(household: Household) -> QuerySet[Wish]:
    """Wishes the household backs, apart from its own."""
    return (
        Wish.objects.filter(supports__household=household, supports__withdrawn_at__isnull=True)
        .exclude(household=household)
        .annotate(support_total=active_support_count())
        .order_by("-submitted_at", "-pk")
    )


# --- finding a household by its address -----------------------------------------------------


def households_at_address(compound: Compound, text: str, building_ids=None) -> QuerySet[Household]:
    """Households of ``compound`` at the address typed ('3-2-301', '3号楼2单元301', '301'; see
    ``projects.addresses``). ``building_ids`` narrows the search (a building head's own buildings)."""
    qs = Household.objects.filter(unit__building__compound=compound).select_related("unit__building")
    try:
        address = parse_address(text)
    except NotAnAddress:
        return qs.none()
    qs = households_at(qs, address)
    if building_ids is not None:
        qs = qs.filter(unit__building_id__in=building_ids)
    return qs.order_by("unit__building__sort_key", "unit__sort_key", "room")


def similar_wishes(wish: Wish, limit: int = 8) -> list[Wish]:
    """Candidates to merge with: same compound and category, still standing on their own."""
    qs = (
        Wish.objects.filter(compound_id=wish.compound_id, category=wish.category)
        .exclude(pk=wish.pk)
        .exclude(status__in=[WishStatus.MERGED, WishStatus.DECLINED])
        .annotate(support_total=active_support_count())
    )
    return list(qs.order_by(*SORTS["support"])[:limit])


def support_target_compound_id(wish: Wish) -> int | None:
    """The compound of the wish that support given to ``wish`` goes to: its own unless it was
    merged, then that of the end of the merge chain (no query for a wish never merged)."""
    from ..services.wishes import MAX_MERGE_CHAIN

    current = wish
    for _step in range(MAX_MERGE_CHAIN):
        if current.status != WishStatus.MERGED or not current.merged_into_id:
            return current.compound_id
        current = Wish.objects.only("status", "merged_into_id", "compound_id").get(pk=current.merged_into_id)
    return None
