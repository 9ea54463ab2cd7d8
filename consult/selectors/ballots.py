"""Reads for the ballot pages. The tally, the turnout board and every list are single
aggregate queries, so a 10,000-household ballot costs what a 10-household one does."""

from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Exists, FilteredRelation, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from projects.models import Channel, Community, Compound, DecisionKind, Household
from projects.selectors.scope import affected_households
from projects.thresholds import Outcome, Tally, UnitAnswer, evaluate, heads_by_answer, rule_thresholds

from ..models import Ballot, BallotOption, BallotStatus, CastBallot, EligibleHousehold, OptionKind, OptionSet, ScopeKind


def valid_cast() -> FilteredRelation:
    """The LEFT JOIN to a row's non-voided ballot (at most one per household, by constraint).
    A fresh object each time: Django binds a FilteredRelation to the query using it."""
    return FilteredRelation("cast_ballots", condition=Q(cast_ballots__voided_at__isnull=True))


CENT = Decimal("0.01")

#: Whom an eligible household counts as: the person fixed at opening, else itself.
VOTER = Coalesce("voter", "household_id", output_field=IntegerField())


def exact_area(value) -> Decimal:
    """A summed area as the exact Decimal it is. Areas have two decimals, so any sum of them
    is a whole number of cents. PostgreSQL sums numerics exactly; SQLite sums in binary
    floating point, whose error (well under 0.0001 m² even over 50,000 rows) rounding to
    the cent removes."""
    return Decimal(value or 0).quantize(CENT)


def households_in_scope(ballot: Ballot) -> QuerySet[Household]:
    """Who may vote, from the live registry: used once, when the ballot opens."""
    if ballot.scope_kind == ScopeKind.PROJECT:
        return affected_households(ballot.project)
    if ballot.scope_kind == ScopeKind.COMPOUND:
        return Household.objects.filter(unit__building__compound_id=ballot.compound_id)
    if ballot.scope_kind == ScopeKind.BUILDING:
        return Household.objects.filter(unit__building_id=ballot.building_id)
    return Household.objects.filter(unit_id=ballot.unit_id)


@dataclass(frozen=True)
class OptionTotal:
    option: BallotOption
    heads: int
    area: Decimal

    def share_of(self, heads: int) -> Fraction | None:
        return Fraction(self.heads, heads) if heads else None


@dataclass(frozen=True)
class BallotResult:
    """Counts per option, the totals, and the rule's verdict on them. In an owners'
    decision heads are owners (``thresholds.heads_by_answer``): an owner whose flats voted
    differently took part but counts for no option, so ``participating_heads`` is stored,
    not summed."""

    options: tuple[OptionTotal, ...]
    eligible_heads: int
    eligible_area: Decimal
    leading: OptionTotal | None
    tie: bool
    outcome: Outcome
    participating_heads: int
    decision_kind: str = DecisionKind.RESIDENTS
    channels: tuple["ChannelCount", ...] = ()

    @property
    def entered_after_closing(self) -> int:
        return sum(c.entered_after_closing for c in self.channels)

    @property
    def counts_owners(self) -> bool:
        return self.decision_kind == DecisionKind.OWNERS

    @property
    def participating_area(self) -> Decimal:
        return sum((o.area for o in self.options), Decimal(0))

    @property
    def passed(self) -> bool:
        return self.outcome.passed

    def to_json(self) -> dict:
        """The final count as stored on the ballot when it closes (numbers as strings)."""
        return {
            "decision_kind": self.decision_kind,
            "eligible_heads": self.eligible_heads,
            "participating_heads": self.participating_heads,
            "eligible_area": str(self.eligible_area),
            "options": [{"id": o.option.pk, "heads": o.heads, "area": str(o.area)} for o in self.options],
            "passed": self.passed,
            "channels": [c.to_json() for c in self.channels],
        }


def tally_query(ballot: Ballot) -> QuerySet[BallotOption]:
    """ONE query: each option with its valid ballots (heads and snapshot area), and the
    eligible snapshot's totals (households, area, distinct persons) as scalar subqueries on
    every row."""
    eligible = EligibleHousehold.objects.filter(ballot_id=ballot.pk).order_by().values("ballot_id")
    return (
        BallotOption.objects.filter(ballot_id=ballot.pk)
        .annotate(valid=valid_cast())
        .annotate(
            heads=Count("valid__id"),
            area=Coalesce(Sum("valid__eligible__area"), Decimal(0)),
            eligible_heads=Subquery(eligible.annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
            eligible_area=Subquery(eligible.annotate(a=Sum("area")).values("a")),
            eligible_voters=Subquery(
                eligible.annotate(v=Count(VOTER, distinct=True)).values("v"), output_field=IntegerField()
            ),
        )
        .order_by("position", "pk")
    )


def tally(ballot: Ballot) -> BallotResult:
    """Count a ballot in one query and judge it under its rule with exact fractions. An
    owners' decision where some owner holds several flats takes a second query, to count
    that owner once (``owner_heads``); where every flat is its own owner the counts are the
    same and the second query is skipped."""
    rows = list(tally_query(ballot))
    totals = tuple(OptionTotal(option=row, heads=row.heads, area=exact_area(row.area)) for row in rows)
    eligible_heads = (rows[0].eligible_heads or 0) if rows else 0
    eligible_area = exact_area(rows[0].eligible_area) if rows else Decimal(0)
    participating_heads = sum(t.heads for t in totals)
    shared = rows and (rows[0].eligible_voters or 0) < eligible_heads
    if ballot.decision_kind == DecisionKind.OWNERS and shared:
        per_option, participating_heads, eligible_heads = owner_heads(ballot)
        totals = tuple(replace(t, heads=per_option.get(t.option.pk, 0)) for t in totals)
    return judge(ballot, totals, eligible_heads, eligible_area, participating_heads)


def owner_heads(ballot: Ballot) -> tuple[dict[int, int], int, int]:
    """(owner heads per option, participating owners, eligible owners) from each eligible
    flat's person (fixed at opening) and valid ballot: one query, counted by the rules
    engine (SPC interpretation Art. 9)."""
    rows = (
        EligibleHousehold.objects.filter(ballot_id=ballot.pk)
        .annotate(valid=valid_cast())
        .values_list(VOTER, "valid__option_id")
        .order_by()
    )
    return heads_by_answer(UnitAnswer(voter, None, option) for voter, option in rows.iterator(chunk_size=5000))


def judge(
    ballot: Ballot,
    totals: tuple[OptionTotal, ...],
    eligible_heads: int,
    eligible_area: Decimal,
    participating_heads: int | None = None,
) -> BallotResult:
    """Pick what is being agreed to and apply the rule (no queries)."""
    if participating_heads is None:
        participating_heads = sum(t.heads for t in totals)
    if ballot.option_set == OptionSet.AGREE:
        leading = next((t for t in totals if t.option.kind == OptionKind.FOR), None)
        tie = False
    else:
        choices = sorted(
            (t for t in totals if t.option.kind == OptionKind.CHOICE), key=lambda t: (t.heads, t.area), reverse=True
        )
        leading = choices[0] if choices and choices[0].heads else None
        tie = len(choices) > 1 and choices[0].heads > 0 and choices[0].heads == choices[1].heads
    counts = Tally.of(
        eligible_heads=eligible_heads,
        eligible_area=eligible_area,
        participating_heads=participating_heads,
        participating_area=sum((t.area for t in totals), Decimal(0)),
        agreeing_heads=leading.heads if leading else 0,
        agreeing_area=leading.area if leading else Decimal(0),
    )
    outcome = evaluate(rule_thresholds(ballot.rule, ballot.custom_thresholds), counts)
    if tie:
        outcome = Outcome(passed=False, conditions=outcome.conditions, tally=outcome.tally)
    return BallotResult(
        options=totals,
        eligible_heads=eligible_heads,
        eligible_area=eligible_area,
        leading=leading,
        tie=tie,
        outcome=outcome,
        participating_heads=participating_heads,
        decision_kind=ballot.decision_kind,
    )


def stored_result(ballot: Ballot, options: list[BallotOption]) -> BallotResult | None:
    """The final count saved when the ballot closed, judged again without a query (for the
    noticeboard and lists, which show many ballots)."""
    if not ballot.result:
        return None
    by_id = {o.pk: o for o in options}
    totals = tuple(
        OptionTotal(option=by_id[row["id"]], heads=row["heads"], area=Decimal(row["area"]))
        for row in ballot.result["options"]
        if row["id"] in by_id
    )
    result = judge(
        ballot,
        totals,
        ballot.result["eligible_heads"],
        Decimal(ballot.result["eligible_area"]),
        ballot.result.get("participating_heads"),  # absent from results counted before owners
    )
    channels = tuple(ChannelCount.from_json(row) for row in ballot.result.get("channels", ()))
    return replace(result, channels=channels)


def turnout_by_unit(ballot: Ballot) -> list[dict]:
    """Turnout per building and unit (staff only, while open and after), one query."""
    rows = (
        EligibleHousehold.objects.filter(ballot_id=ballot.pk)
        .annotate(valid=valid_cast())
        .values("building_id", "building__name", "building__sort_key", "unit_id", "unit__name", "unit__sort_key")
        .annotate(
            eligible_heads=Count("pk"),
            eligible_area=Sum("area"),
            voted_heads=Count("valid__id"),
            voted_area=Coalesce(Sum("area", filter=Q(valid__id__isnull=False)), Decimal(0)),
        )
        .order_by("building__sort_key", "building__name", "unit__sort_key", "unit__name")
    )
    buildings: dict[int, dict] = {}
    for row in rows:
        building = buildings.setdefault(
            row["building_id"],
            {
                "id": row["building_id"],
                "name": row["building__name"],
                "units": [],
                "eligible_heads": 0,
                "voted_heads": 0,
                "eligible_area": Decimal(0),
                "voted_area": Decimal(0),
            },
        )
        building["units"].append(
            {
                "name": row["unit__name"],
                "eligible_heads": row["eligible_heads"],
                "voted_heads": row["voted_heads"],
                "eligible_area": exact_area(row["eligible_area"]),
                "voted_area": exact_area(row["voted_area"]),
            }
        )
        for key, value in building["units"][-1].items():
            if key != "name":
                building[key] += value
    return list(buildings.values())


@dataclass(frozen=True)
class ChannelCount:
    """How many valid ballots came through one channel, and how many of them were entered
    after voting closed while dated on or before its last day (a paper collected in time and
    typed in late, which is allowed and shown so nobody has to take it on trust)."""

    channel: str
    n: int
    entered_after_closing: int

    @property
    def label(self) -> str:
        return Channel(self.channel).label

    def to_json(self) -> dict:
        return {"channel": self.channel, "n": self.n, "entered_after_closing": self.entered_after_closing}

    @classmethod
    def from_json(cls, row: dict) -> "ChannelCount":
        return cls(channel=row["channel"], n=row["n"], entered_after_closing=row["entered_after_closing"])


def channel_counts(ballot: Ballot) -> list[ChannelCount]:
    """Valid ballots per channel, with the late-entered papers, in ONE GROUP BY query."""
    late = Q(cast_at__gte=ballot.closes_at, paper_date__lte=ballot.last_voting_day)
    rows = (
        CastBallot.objects.valid()
        .filter(ballot_id=ballot.pk)
        .values("channel")
        .annotate(n=Count("pk"), late=Count("pk", filter=late))
        .order_by("-n", "channel")
    )
    return [ChannelCount(channel=row["channel"], n=row["n"], entered_after_closing=row["late"]) for row in rows]


def _eligible_count():
    return Coalesce(
        Subquery(
            EligibleHousehold.objects.filter(ballot_id=OuterRef("pk"))
            .order_by()
            .values("ballot_id")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def _cast_count():
    return Coalesce(
        Subquery(
            CastBallot.objects.valid()
            .filter(ballot_id=OuterRef("pk"))
            .order_by()
            .values("ballot_id")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def with_turnout(qs: QuerySet[Ballot]) -> QuerySet[Ballot]:
    return qs.annotate(eligible_count=_eligible_count(), cast_count=_cast_count())


def ballots_of_community(community: Community, *, query: str = "", status: str = "") -> QuerySet[Ballot]:
    qs = Ballot.objects.filter(community=community).select_related(
        "project", "compound", "building__compound", "unit__building__compound", "meeting"
    )
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(description__icontains=query))
    if status:
        qs = qs.filter(status=status)
    return with_turnout(qs).order_by("-opens_at", "-pk")


def open_ballots_of_community(community: Community) -> QuerySet[Ballot]:
    return with_turnout(
        Ballot.objects.filter(community=community, status=BallotStatus.OPEN).select_related(
            "building__compound", "unit__building__compound", "compound", "project"
        )
    ).order_by("closes_at", "pk")


def noticeboard_ballots(compound: Compound) -> QuerySet[Ballot]:
    """Open and published ballots shown on a compound's noticeboard, options prefetched
    (the public sees that a ballot is open, and a result once published)."""
    return (
        Ballot.objects.filter(noticeboard_compounds=compound)
        .filter(Q(status=BallotStatus.OPEN) | Q(status=BallotStatus.CLOSED, published_at__isnull=False))
        .annotate(objection_count=Count("objections", distinct=True))
        .prefetch_related("options")
        .order_by("-closes_at", "-pk")[:20]
    )


def ballots_for_household(household: Household, now) -> QuerySet[EligibleHousehold]:
    """The household's open ballots and results under notice, with whether it has voted."""
    voted = CastBallot.objects.valid().filter(eligible_id=OuterRef("pk"))
    return (
        EligibleHousehold.objects.filter(household=household)
        .filter(
            Q(ballot__status=BallotStatus.OPEN, ballot__opens_at__lte=now, ballot__closes_at__gt=now)
            | Q(ballot__status=BallotStatus.CLOSED, ballot__published_at__lte=now, ballot__notice_ends_at__gt=now)
        )
        .select_related("ballot")
        .annotate(voted=Exists(voted))
        .order_by("ballot__closes_at", "ballot_id")
    )


def cast_ballots_of(ballot: Ballot, *, query: str = "", include_voided: bool = True) -> QuerySet[CastBallot]:
    qs = CastBallot.objects.filter(ballot=ballot).select_related(
        "household__unit__building", "option", "entered_by", "voided_by", "meeting", "proxy"
    )
    if not include_voided:
        qs = qs.valid()
    if query:
        qs = qs.filter(
            Q(household__room__icontains=query)
            | Q(household__owner_names__icontains=query)
            | Q(paper_reference__icontains=query)
        )
    return qs.order_by("-cast_at", "-pk")


def ballots_of_project(project) -> QuerySet[Ballot]:
    return with_turnout(Ballot.objects.filter(project=project)).order_by("-opens_at", "-pk")


def ballots_of_meeting(meeting) -> QuerySet[Ballot]:
    at_meeting = CastBallot.objects.valid().filter(ballot_id=OuterRef("pk"), meeting=meeting)
    return (
        with_turnout(Ballot.objects.filter(Q(meeting=meeting) | Q(Exists(at_meeting))))
        .annotate(
            at_meeting_count=Coalesce(
                Subquery(
                    at_meeting.order_by().values("ballot_id").annotate(n=Count("pk")).values("n"),
                    output_field=IntegerField(),
                ),
                0,
            )
        )
        .order_by("-opens_at", "-pk")
    )
