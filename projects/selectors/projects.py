"""Reads for project pages, dashboards and the noticeboard.

Every function returns one annotated queryset (plus fixed prefetches), so a page costs the
same number of queries with 5 projects or 500. Counts of related rows are correlated
subqueries rather than joins, so several counts on one row never multiply each other.

"Overdue" and "stuck" are defined here, once:
- a project is **overdue** when its planned end of works has passed and it has not yet
  reached acceptance;
- a progress item is **overdue** when its due date has passed and it is not complete;
- a project is **stuck** when it has been in the same stage (other than completed) for more
  than ``STUCK_AFTER_DAYS`` days.
"""

from datetime import date, datetime, timedelta

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from ..metrics import SATISFIED_MIN_SCORE
from ..models import (
    OPEN_STATUSES,
    AcceptanceRecord,
    Community,
    Complaint,
    ComplaintStatus,
    Compound,
    ProgressItem,
    Project,
    SatisfactionResponse,
    ScopeAction,
    Stage,
    SubDistrict,
    TimelineEntry,
)
from .scope import household_overrides

STUCK_AFTER_DAYS = 60
BEFORE_ACCEPTANCE = [s.value for s in Stage if Stage.index(s) < Stage.index(Stage.ACCEPTANCE)]
NOTICEBOARD_TIMELINE_ENTRIES = 3
PAGE_SIZE = 20


def count_of(model, *, link: str = "project", outer: str = "pk", **filters):
    """A correlated ``COUNT(*)`` of ``model`` rows pointing at the outer row, 0 when none."""
    rows = (
        model.objects.filter(**{link: OuterRef(outer)}, **filters)
        .order_by()
        .values(link)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def overdue_q(today: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}planned_end__lt": today, f"{prefix}stage__in": BEFORE_ACCEPTANCE})


def stuck_q(now: datetime, prefix: str = "") -> Q:
    return Q(**{f"{prefix}stage_changed_at__lt": now - timedelta(days=STUCK_AFTER_DAYS)}) & ~Q(
        **{f"{prefix}stage": Stage.COMPLETED}
    )


def _stage_order():
    return Case(*[When(stage=s.value, then=Value(i)) for i, s in enumerate(Stage)], output_field=IntegerField())


def with_list_annotations(qs: QuerySet[Project]) -> QuerySet[Project]:
    return qs.annotate(
        open_complaints=count_of(Complaint, status__in=OPEN_STATUSES),
        stage_order=_stage_order(),
    ).prefetch_related("progress_items", "compounds")


def search_projects(
    community: Community,
    *,
    q: str = "",
    stage: str = "",
    project_class: str = "",
    work_type: str = "",
    compound: Compound | None = None,
) -> QuerySet[Project]:
    qs = community.projects.all()
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q))
    if stage:
        qs = qs.filter(stage=stage)
    if project_class:
        qs = qs.filter(project_class=project_class)
    if work_type:
        qs = qs.filter(work_type=work_type)
    if compound is not None:
        qs = qs.filter(touches_compound(compound))
    return with_list_annotations(qs).order_by("stage_order", "-updated_at", "-pk")


def touches_compound(compound: Compound) -> Q:
    """Projects whose scope reaches into ``compound`` (whole, a building, a unit or one
    added household), as ``pk IN (…)`` subqueries so no join duplicates a project."""
    return (
        Q(pk__in=Project.compounds.through.objects.filter(compound=compound).values("project_id"))
        | Q(pk__in=Project.buildings.through.objects.filter(building__compound=compound).values("project_id"))
        | Q(pk__in=Project.units.through.objects.filter(unit__building__compound=compound).values("project_id"))
        | Q(
            pk__in=household_overrides(action=ScopeAction.ADD, household__unit__building__compound=compound).values(
                "project_id"
            )
        )
    )


def stage_counts(community: Community) -> list[dict]:
    counts = dict(community.projects.order_by().values_list("stage").annotate(n=Count("pk")))
    return [{"stage": s.value, "label": s.label, "count": counts.get(s.value, 0)} for s in Stage]


def community_dashboard(community: Community, *, today: date, now: datetime) -> dict:
    """What the community office should look at today: a fixed set of queries."""
    active = with_list_annotations(community.projects.exclude(stage=Stage.COMPLETED)).order_by(
        "stage_order", "-updated_at"
    )
    attention = (
        community.projects.filter(overdue_q(today) | stuck_q(now))
        .annotate(
            is_overdue=Case(When(overdue_q(today), then=Value(1)), default=Value(0), output_field=IntegerField()),
            is_stuck=Case(When(stuck_q(now), then=Value(1)), default=Value(0), output_field=IntegerField()),
        )
        .order_by("planned_end", "stage_changed_at")
    )
    overdue_items = (
        ProgressItem.objects.filter(project__community=community, due_date__lt=today, done__lt=F("target"))
        .exclude(project__stage=Stage.COMPLETED)
        .select_related("project")
        .order_by("due_date", "pk")
    )
    complaints = Complaint.objects.filter(project__community=community).aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        hotline_open=Count("pk", filter=Q(status__in=OPEN_STATUSES, source="hotline")),
    )
    return {
        "stage_counts": stage_counts(community),
        "active": list(active[:10]),
        "attention": list(attention[:10]),
        "overdue_items": list(overdue_items[:10]),
        "open_complaints": complaints["open"],
        "hotline_open": complaints["hotline_open"],
        "compounds": list(community.compounds.order_by("name").values("pk", "name")),
        "stuck_after_days": STUCK_AFTER_DAYS,
    }


def sub_district_overview(sub_district: SubDistrict, *, today: date, now: datetime) -> QuerySet[Community]:
    """One row per community, every figure in the same single query."""
    per_stage = {f"stage_{s.value}": Count("projects", filter=Q(projects__stage=s.value)) for s in Stage}
    return sub_district.communities.annotate(
        project_count=Count("projects"),
        **per_stage,
        overdue=Count("projects", filter=overdue_q(today, "projects__")),
        stuck=Count("projects", filter=stuck_q(now, "projects__")),
        open_complaints=count_of(Complaint, link="project__community", status__in=OPEN_STATUSES),
        responses=count_of(SatisfactionResponse, link="project__community"),
        satisfied=count_of(SatisfactionResponse, link="project__community", score__gte=SATISFIED_MIN_SCORE),
    ).order_by("name")


def public_projects_of_compound(compound: Compound) -> QuerySet[Project]:
    """The noticeboard's projects: public ones reaching into the compound, running ones
    first. Only aggregates and published items are loaded; no household, no name."""
    recent = TimelineEntry.objects.filter(is_public=True).order_by("-date", "-pk").prefetch_related("photos")
    return (
        Project.objects.filter(is_public=True)
        .filter(touches_compound(compound))
        .annotate(
            stage_order=_stage_order(),
            done_last=Case(When(stage=Stage.COMPLETED, then=Value(1)), default=Value(0), output_field=IntegerField()),
            responses=count_of(SatisfactionResponse),
            satisfied=count_of(SatisfactionResponse, score__gte=SATISFIED_MIN_SCORE),
        )
        .prefetch_related(
            "progress_items",
            Prefetch("timeline", queryset=recent[:NOTICEBOARD_TIMELINE_ENTRIES], to_attr="recent_timeline"),
            Prefetch(
                "acceptances",
                queryset=AcceptanceRecord.objects.filter(published=True).order_by("-date", "-pk")[:1],
                to_attr="published_acceptances",
            ),
        )
        .order_by("done_last", "-stage_order", "-updated_at")
    )


def public_project(compound: Compound, pk: int) -> Project | None:
    """One public project of the compound for its public page, or None."""
    return (
        Project.objects.filter(is_public=True, pk=pk)
        .filter(touches_compound(compound))
        .annotate(
            responses=count_of(SatisfactionResponse),
            satisfied=count_of(SatisfactionResponse, score__gte=SATISFIED_MIN_SCORE),
            complaints_total=count_of(Complaint),
            complaints_resolved=count_of(Complaint, status=ComplaintStatus.RESOLVED),
        )
        .select_related("community")
        .prefetch_related(
            "progress_items",
            "funding_sources",
            "firms",
            "departments",
            Prefetch(
                "timeline",
                queryset=TimelineEntry.objects.filter(is_public=True)
                .order_by("-date", "-pk")
                .prefetch_related("photos"),
                to_attr="public_timeline",
            ),
            Prefetch(
                "acceptances",
                queryset=AcceptanceRecord.objects.filter(published=True).order_by("-date", "-pk"),
                to_attr="published_acceptances",
            ),
        )
        .first()
    )


def projects_to_rate(household) -> QuerySet[Project]:
    """Projects in evaluation that affect ``household``, with its current score (or None).

    Mirrors ``affected_households`` from the household's side, in one query."""
    unit = household.unit
    overrides = household_overrides(household=household)
    in_scope = (
        Q(pk__in=Project.compounds.through.objects.filter(compound_id=unit.building.compound_id).values("project_id"))
        | Q(pk__in=Project.buildings.through.objects.filter(building_id=unit.building_id).values("project_id"))
        | Q(pk__in=Project.units.through.objects.filter(unit_id=unit.pk).values("project_id"))
        | Q(pk__in=overrides.filter(action=ScopeAction.ADD).values("project_id"))
    )
    my_score = SatisfactionResponse.objects.filter(project=OuterRef("pk"), household=household).values("score")[:1]
    return (
        Project.objects.filter(stage=Stage.EVALUATION, community_id=unit.building.compound.community_id)
        .filter(in_scope)
        .exclude(pk__in=overrides.filter(action=ScopeAction.REMOVE).values("project_id"))
        .annotate(my_score=Subquery(my_score, output_field=IntegerField()))
        .order_by("-updated_at")
    )
