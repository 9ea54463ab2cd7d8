"""Reads for the sign-off pages. Each is a fixed number of queries whatever the campaign size:
the board is ONE aggregate query grouped by unit (buildings and the campaign total are summed
from its rows in Python), lists are one page of households plus one query for their records.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import (
    Count,
    DecimalField,
    F,
    FilteredRelation,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from .. import thresholds as th
from ..access import restrict_to_head_buildings, staff_access
from ..models import (
    Building,
    Community,
    Comparison,
    Compound,
    DecisionKind,
    DecisionRule,
    Household,
    Membership,
    Project,
    Role,
    ScopeAction,
    SignoffAssignment,
    SignoffCampaign,
    SignoffCampaignChange,
    SignoffContact,
    SignoffEvent,
    SignoffRecord,
    SignoffStatus,
    Unit,
)
from ..parsing import parse_id
from .owners import voter_map
from .registry import missing_area_refusal
from .scope import added_ids, affected_households, household_overrides, removed_ids

S = SignoffStatus
REC = "rec"  # the FilteredRelation alias: this campaign's record of a household


# --- the rule -----------------------------------------------------------------------------


def _custom_share(numerator, denominator) -> Fraction | None:
    return Fraction(numerator, denominator) if numerator and denominator else None


def campaign_thresholds(campaign: SignoffCampaign) -> tuple[th.Threshold, ...]:
    """The campaign's rule as thresholds of the one rules engine."""
    if campaign.rule != DecisionRule.CUSTOM:
        return th.rule_thresholds(campaign.rule)
    return th.share_of_all_rule(
        heads=_custom_share(campaign.custom_heads_numerator, campaign.custom_heads_denominator),
        area=_custom_share(campaign.custom_area_numerator, campaign.custom_area_denominator),
        comparison=campaign.custom_comparison,
    )


def percent(value: Fraction | None) -> str:
    """71.3%: display only; every decision compares exact fractions."""
    if value is None:
        return "–"
    shown = (Decimal(value.numerator) * 100 / Decimal(value.denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    return f"{shown.normalize():f}%" if shown == shown.to_integral() else f"{shown}%"


def _area(value: Fraction) -> str:
    """Round an area up to the cent of a square metre, so "still needed" is never understated."""
    cents = -((-value * 100).__floor__())
    return f"{Decimal(cents) / 100:.2f}"


def describe_rule(campaign: SignoffCampaign) -> str:
    if campaign.rule != DecisionRule.CUSTOM:
        return campaign.get_rule_display()
    sign = "＞" if campaign.custom_comparison == Comparison.MORE_THAN else "≥"
    area = _custom_share(campaign.custom_area_numerator, campaign.custom_area_denominator)
    heads = _custom_share(campaign.custom_heads_numerator, campaign.custom_heads_denominator)
    parts = []
    if area is not None:
        parts.append(_("agreed area %(sign)s %(share)s of the total") % {"sign": sign, "share": _share(area)})
    if heads is not None:
        parts.append(
            _("agreed households %(sign)s %(share)s of all households") % {"sign": sign, "share": _share(heads)}
        )
    return _("Custom: %(parts)s") % {"parts": _(" and ").join(parts)}


def _share(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}" if value.denominator <= 12 else percent(value)


# The board's own words for each condition (a ballot's result words them as votes).
CONDITION_LABELS = {
    (th.Stage.AGREEMENT, th.Measure.HEADS, th.Base.ELIGIBLE): lambda: _("Agreed households"),
    (th.Stage.AGREEMENT, th.Measure.AREA, th.Base.ELIGIBLE): lambda: _("Agreed area"),
    (th.Stage.PARTICIPATION, th.Measure.HEADS, th.Base.ELIGIBLE): lambda: _("Households that answered"),
    (th.Stage.PARTICIPATION, th.Measure.AREA, th.Base.ELIGIBLE): lambda: _("Area of households that answered"),
    (th.Stage.AGREEMENT, th.Measure.HEADS, th.Base.PARTICIPATING): lambda: _(
        "Agreed households among those that answered"
    ),
    (th.Stage.AGREEMENT, th.Measure.AREA, th.Base.PARTICIPATING): lambda: _(
        "Agreed area among households that answered"
    ),
}


@dataclass
class ConditionRow:
    """A condition as the board shows it: "Area of households that answered 71.3% ≥ 66.7% ✓"."""

    label: str
    actual: str
    sign: str
    threshold: str
    met: bool
    detail: str
    missing: str


def condition_rows(outcome: th.Outcome) -> list[ConditionRow]:
    if outcome.empty_scope:
        return []
    rows = []
    for c in outcome.conditions:
        if c.by_area:
            detail = _("%(actual)s of %(base)s m²") % {"actual": _area(c.numerator), "base": _area(c.denominator)}
        else:
            detail = _("%(actual)d of %(base)d households") % {"actual": c.numerator, "base": c.denominator}
        missing = ""
        if not c.passed and c.shortfall is not None:
            if c.by_area:
                missing = (
                    _("more than %(area)s m² of agreeing area still needed")
                    if c.strict
                    else _("%(area)s m² of agreeing area still needed")
                ) % {"area": _area(c.shortfall)}
            else:
                count = int(c.shortfall)
                missing = ngettext(
                    "%(count)d more household must agree",
                    "%(count)d more households must agree",
                    count,
                ) % {"count": count}
        t = c.threshold
        rows.append(
            ConditionRow(
                label=CONDITION_LABELS[(t.stage, t.measure, t.base)](),
                actual=percent(c.share),
                sign="＞" if c.strict else "≥",
                threshold=percent(t.ratio),
                met=c.passed,
                detail=detail,
                missing=missing,
            )
        )
    return rows


# --- progress -----------------------------------------------------------------------------


@dataclass
class Counts:
    """Households and areas by status for a unit, a building or the whole campaign."""

    total: int = 0
    area: Decimal = Decimal(0)
    agreed: int = 0
    agreed_area: Decimal = Decimal(0)
    refused: int = 0
    refused_area: Decimal = Decimal(0)
    concerns: int = 0
    talked: int = 0
    stale: int = 0
    no_area: int = 0  # households whose exclusive area is not recorded

    @property
    def not_contacted(self) -> int:
        return self.total - self.agreed - self.refused - self.concerns - self.talked

    @property
    def not_agreed(self) -> int:
        return self.total - self.agreed

    @property
    def agreed_percent(self) -> int:
        """For progress bars only (whole percent, rounded down so 31/32 never shows 100%)."""
        return self.agreed * 100 // self.total if self.total else 0

    def add(self, other: "Counts") -> None:
        for name in (
            "total",
            "area",
            "agreed",
            "agreed_area",
            "refused",
            "refused_area",
            "concerns",
            "talked",
            "stale",
            "no_area",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def tally(self) -> th.Tally:
        return th.Tally.of_answers(
            heads=self.total,
            area=self.area,
            agreed_heads=self.agreed,
            agreed_area=self.agreed_area,
            refused_heads=self.refused,
            refused_area=self.refused_area,
        )


@dataclass
class UnitProgress(Counts):
    unit_id: int = 0
    unit_name: str = ""
    building_id: int = 0
    building_name: str = ""
    compound_name: str = ""
    rooms_not_agreed: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.building_name}{self.unit_name}"


@dataclass
class BuildingProgress(Counts):
    building_id: int = 0
    building_name: str = ""
    compound_name: str = ""
    units: list[UnitProgress] = field(default_factory=list)


@dataclass
class Progress:
    """The board. The gate opens only on a decided outcome: ``certain`` (the rule holds
    whatever the households that have not answered still do) or, once the closing date has
    passed (``judged``), the tally as it stands."""

    campaign: SignoffCampaign
    totals: Counts
    units: list[UnitProgress]
    buildings: list[BuildingProgress]
    outcome: th.Outcome
    certain: bool
    judged: bool
    verdict: str
    conditions: list[ConditionRow]
    missing: list[str]
    # (line, unit id or None): the same lines, each unit's linked to its blocker list.
    missing_lines: list[tuple[str, int | None]] = field(default_factory=list)
    # A rule that counts area with households in scope whose area is unknown (added to the
    # scope, or cleared, after the campaign opened): cannot be judged, names the rooms.
    area_refusal: str = ""

    @property
    def gate_open(self) -> bool:
        return not self.area_refusal and (self.certain or (self.judged and self.outcome.passed))

    @property
    def uses_area(self) -> bool:
        return any(c.by_area for c in self.outcome.conditions)


ANSWERS = {S.AGREED: th.AGREE, S.REFUSED: S.REFUSED.value}  # anything else has not answered


def owners_tally(campaign: SignoffCampaign) -> th.Tally:
    """An owners' decision (业主共同决定) counts owners, not flats: each affected flat's
    answer, grouped by the person it counts as (SPC interpretation Art. 9), counted by the
    rules engine. Three queries; the board's tables stay per household."""
    households = campaign_households(campaign)
    voters = voter_map(affected_households(campaign.project))
    rows = households.values_list("pk", "area", f"{REC}__status").order_by()
    return th.count_units(
        th.UnitAnswer(voters.get(pk, pk), area, ANSWERS.get(status)) for pk, area, status in rows.iterator(2000)
    )


def past_closing(campaign: SignoffCampaign, now) -> bool:
    """Answers count up to and including the closing date; the day after, the campaign is
    judged on what it has. Without a closing date it waits until everybody has answered."""
    return campaign.deadline is not None and timezone.localdate(now) > campaign.deadline


def verdict_line(campaign, rule, outcome: th.Outcome, *, certain: bool, judged: bool) -> str:
    """One line saying whether the outcome is decided: "已确定通过", or what it still needs,
    e.g. "尚未确定：还差 3 户同意；9 户未表态"."""
    if certain:
        return _("Decided: passed")
    if judged:
        values = {"date": campaign.deadline.isoformat()}
        if outcome.passed:
            return _("Judged at the closing date (%(date)s): passed") % values
        return _("Judged at the closing date (%(date)s): not passed") % values
    tally = outcome.tally
    heads = max((th.certain_shortfall(t, tally) for t in rule if t.measure is th.Measure.HEADS), default=0)
    area = max((th.certain_shortfall(t, tally) for t in rule if t.measure is th.Measure.AREA), default=0)
    parts = []
    if heads:
        count = int(heads)
        parts.append(
            ngettext("%(count)d more agreement needed", "%(count)d more agreements needed", count) % {"count": count}
        )
    if area:
        parts.append(_("%(area)s m² more agreeing area needed") % {"area": _area(area)})
    silent = tally.unanswered_heads
    if campaign.decision_kind == DecisionKind.OWNERS:  # heads are owners (SPC interpretation Art. 9)
        line = ngettext("%(count)d owner has not answered", "%(count)d owners have not answered", silent)
    else:
        line = ngettext("%(count)d household has not answered", "%(count)d households have not answered", silent)
    parts.append(line % {"count": silent})
    return _("Not decided yet: %(parts)s") % {"parts": _("; ").join(parts)}


def stale_cutoff(campaign: SignoffCampaign, now) -> date:
    return timezone.localdate(now) - timedelta(days=campaign.stale_after_days)


def stale_q(campaign: SignoffCampaign, now, prefix: str = f"{REC}__") -> Q:
    """Not agreed, and no contact for ``stale_after_days``. A household never contacted is
    stale once the campaign itself has been open that long."""
    cutoff = stale_cutoff(campaign, now)
    silent = Q(**{f"{prefix}last_contact_on__lt": cutoff})
    if timezone.localdate(campaign.opened_at) < cutoff:
        silent |= Q(**{f"{prefix}last_contact_on__isnull": True})
    return silent & ~Q(**{f"{prefix}status": S.AGREED})


def with_record(campaign: SignoffCampaign, households: QuerySet[Household]) -> QuerySet[Household]:
    """Join each household to its record in this campaign (LEFT JOIN: no record = not contacted)."""
    return households.annotate(
        **{REC: FilteredRelation("signoff_records", condition=Q(signoff_records__campaign=campaign))}
    )


def campaign_households(campaign: SignoffCampaign) -> QuerySet[Household]:
    return with_record(campaign, affected_households(campaign.project))


def _status_q(status: str) -> Q:
    if status == S.NOT_CONTACTED:
        return Q(**{f"{REC}__status__isnull": True}) | Q(**{f"{REC}__status": S.NOT_CONTACTED})
    return Q(**{f"{REC}__status": status})


def unit_rows(campaign: SignoffCampaign, *, now, unit: Unit | None = None) -> list[UnitProgress]:
    """Counts per unit: ONE grouped aggregate query over the affected households."""
    households = campaign_households(campaign)
    if unit is not None:
        households = households.filter(unit=unit)
    zero = Value(Decimal(0), output_field=DecimalField(max_digits=14, decimal_places=2))

    def area(q: Q | None = None):
        return Coalesce(Sum("area", filter=q), zero)

    rows = (
        households.values(
            "unit_id",
            "unit__name",
            "unit__sort_key",
            "unit__building_id",
            "unit__building__name",
            "unit__building__sort_key",
            "unit__building__compound__name",
        )
        .annotate(
            n_total=Count("pk"),
            n_area=area(),
            n_agreed=Count("pk", filter=_status_q(S.AGREED)),
            n_agreed_area=area(_status_q(S.AGREED)),
            n_refused=Count("pk", filter=_status_q(S.REFUSED)),
            n_refused_area=area(_status_q(S.REFUSED)),
            n_concerns=Count("pk", filter=_status_q(S.CONCERNS)),
            n_talked=Count("pk", filter=_status_q(S.TALKED)),
            n_stale=Count("pk", filter=stale_q(campaign, now)),
            n_no_area=Count("pk", filter=Q(area__isnull=True)),
        )
        .order_by(
            "unit__building__compound__name",
            "unit__building__sort_key",
            "unit__building__name",
            "unit__sort_key",
            "unit__name",
        )
    )
    return [
        UnitProgress(
            total=r["n_total"],
            area=r["n_area"],
            agreed=r["n_agreed"],
            agreed_area=r["n_agreed_area"],
            refused=r["n_refused"],
            refused_area=r["n_refused_area"],
            concerns=r["n_concerns"],
            talked=r["n_talked"],
            stale=r["n_stale"],
            no_area=r["n_no_area"],
            unit_id=r["unit_id"],
            unit_name=r["unit__name"],
            building_id=r["unit__building_id"],
            building_name=r["unit__building__name"],
            compound_name=r["unit__building__compound__name"],
        )
        for r in rows
    ]


ROOMS_NAMED = 12  # rooms named per unit in the gate message; the blocker list has them all


def rooms_text(rooms: list[str]) -> str:
    """ "101、302", or past ``ROOMS_NAMED`` rooms "101、…、412等20户" (the count is all of them)."""
    shown = pgettext("list separator", ", ").join(rooms[:ROOMS_NAMED])
    if len(rooms) <= ROOMS_NAMED:
        return shown
    return pgettext("more rooms", "%(rooms)s … (%(count)d in all)") % {"rooms": shown, "count": len(rooms)}


def unit_missing_line(u: UnitProgress, *, with_compound: bool = False) -> str:
    """ "3号楼2单元还有2户未同意：101、302" — the rooms, so staff know whose door to knock on.
    ``with_compound`` puts the compound first ("南路一 3号楼2单元…") when the campaign spans
    several compounds, where the same building name may exist twice."""
    unit = f"{u.compound_name} {u.label}" if with_compound else u.label
    if u.rooms_not_agreed:
        return ngettext(
            "%(unit)s: %(count)d household has not agreed (%(rooms)s)",
            "%(unit)s: %(count)d households have not agreed (%(rooms)s)",
            u.not_agreed,
        ) % {"unit": unit, "count": u.not_agreed, "rooms": rooms_text(u.rooms_not_agreed)}
    return ngettext(
        "%(unit)s: %(count)d household has not agreed",
        "%(unit)s: %(count)d households have not agreed",
        u.not_agreed,
    ) % {"unit": unit, "count": u.not_agreed}


def unit_missing_lines(units: list[UnitProgress], limit: int | None = None) -> list[tuple[str, int | None]]:
    """Each incomplete unit's line with its unit id (for a link to the filtered blocker list)."""
    lines: list[tuple[str, int | None]] = []
    incomplete = [u for u in units if u.not_agreed]
    with_compound = len({u.compound_name for u in units}) > 1
    for u in incomplete[:limit] if limit else incomplete:
        lines.append((unit_missing_line(u, with_compound=with_compound), u.unit_id))
    if limit and len(incomplete) > limit:
        rest = len(incomplete) - limit
        more = sum(u.not_agreed for u in incomplete[limit:])
        lines.append(
            (
                ngettext(
                    "and %(units)d more unit with %(count)d households not agreed",
                    "and %(units)d more units with %(count)d households not agreed",
                    rest,
                )
                % {"units": rest, "count": more},
                None,
            )
        )
    return lines


def attach_rooms_not_agreed(campaign: SignoffCampaign, units: list[UnitProgress], *, limit: int | None) -> None:
    """Name the rooms that have not agreed in the units a gate message lists: one query."""
    incomplete = [u for u in units if u.not_agreed]
    incomplete = incomplete[:limit] if limit else incomplete
    if not incomplete:
        return
    by_id = {u.unit_id: u for u in incomplete}
    rows = (
        campaign_households(campaign)
        .filter(unit_id__in=by_id)
        .exclude(**{f"{REC}__status": S.AGREED})
        .order_by(*HOUSEHOLD_ORDER)
        .values_list("unit_id", "room")
    )
    for unit_id, room in rows:
        by_id[unit_id].rooms_not_agreed.append(room)


def gate_missing_lines(
    campaign: SignoffCampaign,
    outcome: th.Outcome,
    units: list[UnitProgress],
    *,
    verdict: str,
    limit=None,
    name_rooms: bool = False,
) -> list[tuple[str, int | None]]:
    """What still stands between the campaign and construction, in words staff can act on,
    each line with the unit it names (None for a line about the whole campaign); the last
    line says whether the outcome is decided. ``name_rooms`` lists the rooms not yet agreed:
    only for the office staff who knock on those doors, never on pages departments and the
    sub-district see (numbers only there)."""
    if outcome.empty_scope:
        return [(_("The project has no affected households: set its scope first."), None)]
    if campaign.rule == DecisionRule.UNANIMOUS:
        if name_rooms:
            attach_rooms_not_agreed(campaign, units, limit=limit)
        lines = unit_missing_lines(units, limit=limit)
    else:
        lines = [(f"{row.label}: {row.missing}", None) for row in condition_rows(outcome) if not row.met]
    return [*lines, (verdict, None)]


def campaign_progress(
    campaign: SignoffCampaign,
    *,
    now,
    building_ids: set[int] | None = None,
    missing_limit: int | None = None,
    name_rooms: bool = False,
) -> Progress:
    """The whole board from one query. The gate is always decided on ALL households;
    ``building_ids`` (a building head's buildings) only narrows the tables shown."""
    units = unit_rows(campaign, now=now)
    totals = Counts()
    for u in units:
        totals.add(u)
    rule = campaign_thresholds(campaign)
    tally = owners_tally(campaign) if campaign.decision_kind == DecisionKind.OWNERS else totals.tally()
    outcome = th.evaluate(rule, tally)
    certain = th.certain(rule, tally)
    judged = past_closing(campaign, now)
    verdict = verdict_line(campaign, rule, outcome, certain=certain, judged=judged)
    area_refusal = ""
    if totals.no_area and th.uses_area(rule):
        # Rooms only for the office staff (one more query, only then); numbers elsewhere.
        area_refusal = (
            missing_area_refusal(affected_households(campaign.project)) or ""
            if name_rooms
            else ngettext(
                "This rule counts area, but %(count)d household has no recorded area.",
                "This rule counts area, but %(count)d households have no recorded area.",
                totals.no_area,
            )
            % {"count": totals.no_area}
        )
    gate_open = not area_refusal and (certain or (judged and outcome.passed))
    missing_lines = (
        []
        if gate_open
        else gate_missing_lines(campaign, outcome, units, verdict=verdict, limit=missing_limit, name_rooms=name_rooms)
    )
    if area_refusal:
        missing_lines = [(area_refusal, None), *missing_lines]
    shown = units if building_ids is None else [u for u in units if u.building_id in building_ids]
    buildings: dict[int, BuildingProgress] = {}
    for u in shown:
        b = buildings.setdefault(
            u.building_id,
            BuildingProgress(building_id=u.building_id, building_name=u.building_name, compound_name=u.compound_name),
        )
        b.add(u)
        b.units.append(u)
    return Progress(
        campaign=campaign,
        totals=totals,
        units=shown,
        buildings=list(buildings.values()),
        outcome=outcome,
        certain=certain,
        judged=judged,
        verdict=verdict,
        conditions=condition_rows(outcome),
        missing=[line for line, _unit in missing_lines],
        missing_lines=missing_lines,
        area_refusal=area_refusal,
    )


def head_building_ids(user, campaign: SignoffCampaign) -> set[int] | None:
    """A building head's buildings in this campaign's community; None for everybody else."""
    if getattr(user, "is_superuser", False):
        return None
    access = staff_access(user)
    community_id = campaign.project.community_id
    if access.roles.get(community_id) == Role.BUILDING_HEAD:
        return access.buildings.get(community_id, set())
    return None


# --- household lists ----------------------------------------------------------------------


@dataclass
class HouseholdRow:
    household: Household
    record: SignoffRecord | None
    stale: bool
    days_silent: int | None  # days since the last contact; None when never contacted

    @property
    def status(self) -> str:
        return self.record.status if self.record else S.NOT_CONTACTED

    @property
    def status_label(self) -> str:
        return S(self.status).label


def visible_households(user, campaign: SignoffCampaign) -> QuerySet[Household]:
    households = campaign_households(campaign)
    return restrict_to_head_buildings(user, campaign.project.community, households, "unit__building_id")


def attach_records(campaign: SignoffCampaign, households, *, now) -> list[HouseholdRow]:
    """One query for the records of a page of households (with follow-up and last event)."""
    households = list(households)
    records = {
        r.household_id: r
        for r in SignoffRecord.objects.filter(
            campaign=campaign, household_id__in=[h.pk for h in households]
        ).select_related("assignee", "last_event__entered_by")
    }
    today = timezone.localdate(now)
    cutoff = stale_cutoff(campaign, now)
    opened_before = timezone.localdate(campaign.opened_at) < cutoff
    rows = []
    for h in households:
        record = records.get(h.pk)
        agreed = record is not None and record.status == S.AGREED
        last = record.last_contact_on if record else None
        stale = not agreed and ((last is not None and last < cutoff) or (last is None and opened_before))
        days = (today - last).days if last else None
        rows.append(HouseholdRow(household=h, record=record, stale=stale, days_silent=days))
    return rows


HOUSEHOLD_ORDER = (
    "unit__building__compound__name",
    "unit__building__sort_key",
    "unit__building__name",
    "unit__sort_key",
    "unit__name",
    "floor",
    "room",
)


def unit_households(campaign: SignoffCampaign, unit: Unit, *, now) -> list[HouseholdRow]:
    households = (
        campaign_households(campaign).filter(unit=unit).select_related("unit__building").order_by("floor", "room")
    )
    return attach_records(campaign, households, now=now)


@dataclass
class BlockerFilter:
    building: int | None = None
    assignee: str = ""  # "" all, "none" unassigned, "me", or a user id
    status: str = ""
    stale_only: bool = False
    q: str = ""
    unit: int | None = None


def blockers(user, campaign: SignoffCampaign, flt: BlockerFilter, *, now) -> QuerySet[Household]:
    """Households that have not agreed, narrowed by the filter and the user's buildings."""
    qs = visible_households(user, campaign).exclude(**{f"{REC}__status": S.AGREED})
    if flt.building:
        qs = qs.filter(unit__building_id=flt.building)
    if flt.unit:
        qs = qs.filter(unit_id=flt.unit)
    if flt.assignee == "none":
        qs = qs.filter(**{f"{REC}__assignee__isnull": True})
    elif flt.assignee == "me":
        qs = qs.filter(**{f"{REC}__assignee": user})
    elif (assignee_id := parse_id(flt.assignee)) is not None:
        qs = qs.filter(**{f"{REC}__assignee_id": assignee_id})
    if flt.status and flt.status != S.AGREED and flt.status in S.values:
        qs = qs.filter(_status_q(flt.status))
    if flt.stale_only:
        qs = qs.filter(stale_q(campaign, now))
    if flt.q.strip():
        term = flt.q.strip()
        qs = qs.filter(Q(room__icontains=term) | Q(owner_names__icontains=term))
    return qs.select_related("unit__building__compound").order_by(*HOUSEHOLD_ORDER)


def sheet_households(user, campaign: SignoffCampaign, *, unit_id=None, building_id=None) -> QuerySet[Household]:
    qs = visible_households(user, campaign).select_related("unit__building__compound")
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if building_id:
        qs = qs.filter(unit__building_id=building_id)
    return qs.order_by(*HOUSEHOLD_ORDER)


def form_number(campaign: SignoffCampaign, unit: Unit, line: int) -> str:
    """The number printed on a sign-off sheet line, typed in by staff when they record the
    agreement: campaign, unit and line, so a form can always be traced back to its sheet."""
    return f"{campaign.pk}-{unit.pk}-{line:02d}"


def buildings_in_campaign(user, campaign: SignoffCampaign) -> QuerySet[Building]:
    building_ids = visible_households(user, campaign).values("unit__building_id")
    return Building.objects.filter(pk__in=building_ids).select_related("compound").order_by("sort_key", "name")


def follow_up_people(campaign: SignoffCampaign):
    """Staff and building heads of the community, who can be given a follow-up."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            memberships__community_id=campaign.project.community_id,
            memberships__role__in=[Role.ADMIN, Role.STAFF, Role.BUILDING_HEAD],
            is_active=True,
        )
        .order_by("first_name", "username")
        .distinct()
    )


def follow_up_roles(campaign: SignoffCampaign) -> dict[int, tuple[str, set[int]]]:
    """user id → (role, building ids) for checking an assignment, in one query."""
    result: dict[int, tuple[str, set[int]]] = {}
    memberships = Membership.objects.filter(
        community_id=campaign.project.community_id, role__in=[Role.ADMIN, Role.STAFF, Role.BUILDING_HEAD]
    ).prefetch_related("buildings")
    for m in memberships:
        result[m.user_id] = (m.role, {b.pk for b in m.buildings.all()})
    return result


# --- one household --------------------------------------------------------------------------


@dataclass
class HistoryEntry:
    at: object  # datetime or date, for sorting and display
    kind: str  # "event" | "contact" | "assignment"
    item: object


def household_history(campaign: SignoffCampaign, household: Household) -> list[HistoryEntry]:
    """Every event, contact and assignment of a household, newest first (three queries)."""
    entries = [
        HistoryEntry(e.recorded_at, "event", e)
        for e in SignoffEvent.objects.filter(campaign=campaign, household=household).select_related("entered_by")
    ]
    entries += [
        HistoryEntry(c.recorded_at, "contact", c)
        for c in SignoffContact.objects.filter(campaign=campaign, household=household).select_related("staff")
    ]
    entries += [
        HistoryEntry(a.assigned_at, "assignment", a)
        for a in SignoffAssignment.objects.filter(campaign=campaign, household=household).select_related(
            "assignee", "assigned_by"
        )
    ]
    entries.sort(key=lambda e: (e.at, e.item.pk), reverse=True)
    return entries


def household_in_campaign(campaign: SignoffCampaign, household_id) -> Household | None:
    return (
        affected_households(campaign.project)
        .select_related("unit__building__compound__community")
        .filter(pk=household_id)
        .first()
    )


def campaign_changes(campaign: SignoffCampaign):
    return SignoffCampaignChange.objects.filter(campaign=campaign).select_related("changed_by")


# --- many campaigns at once: dashboard, noticeboard, household page -------------------------


def _scope_of_outer_project() -> QuerySet[Household]:
    """The affected households of the project of the campaign one level out, as a subquery.

    Mirrors ``affected_households`` (tests check they agree) so that a list of campaigns can
    carry its counts in the same query instead of one query per campaign.
    """
    project = OuterRef(OuterRef("project_id"))
    through = Project.compounds.through.objects.filter(project_id=project).values("compound_id")
    b_through = Project.buildings.through.objects.filter(project_id=project).values("building_id")
    u_through = Project.units.through.objects.filter(project_id=project).values("unit_id")
    # Narrowed to the project's community first, as ``affected_households`` is: without it the
    # OR of subqueries scanned every household of the district once per campaign row (46 of
    # 56 ms with 50,000 households on PostgreSQL), on the community overview and the noticeboard.
    community = OuterRef("project__community_id")
    return (
        Household.objects.filter(unit__building__compound__community_id=community)
        .filter(
            Q(unit__building__compound_id__in=through)
            | Q(unit__building_id__in=b_through)
            | Q(unit_id__in=u_through)
            | Q(pk__in=added_ids(project))
        )
        .exclude(pk__in=removed_ids(project))
    )


def _count(qs: QuerySet) -> Subquery:
    return Subquery(
        qs.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1], output_field=IntegerField()
    )


def with_counts(campaigns: QuerySet[SignoffCampaign]) -> QuerySet[SignoffCampaign]:
    """Annotate ``n_total`` and ``n_agreed`` on each campaign, inside the list's own query."""
    scope = _scope_of_outer_project()
    agreed = scope.filter(signoff_records__campaign_id=OuterRef("pk"), signoff_records__status=S.AGREED)
    return campaigns.annotate(n_total=_count(scope), n_agreed=_count(agreed))


def community_campaigns(community: Community) -> QuerySet[SignoffCampaign]:
    return with_counts(SignoffCampaign.objects.filter(project__community=community).select_related("project")).order_by(
        "closed_at", "-opened_at", "-pk"
    )


def noticeboard_campaigns(compound: Compound) -> QuerySet[SignoffCampaign]:
    """Campaigns whose project touches this compound and that staff chose to publish."""
    touches = (
        Q(project__compounds=compound)
        | Q(project__buildings__compound=compound)
        | Q(project__units__building__compound=compound)
        | Q(
            project__in=household_overrides(
                action=ScopeAction.ADD, household__unit__building__compound=compound
            ).values("project_id")
        )
    )
    ids = SignoffCampaign.objects.filter(touches, show_on_noticeboard=True).values("pk")
    return with_counts(SignoffCampaign.objects.filter(pk__in=ids).select_related("project")).order_by(
        "closed_at", "-opened_at"
    )


def online_campaigns_for(household: Household) -> QuerySet[SignoffCampaign]:
    """Open campaigns that accept online confirmation and cover this household, with the
    household's current status annotated (``my_status``)."""
    in_scope = _scope_of_outer_project().filter(pk=household.pk)
    status = SignoffRecord.objects.filter(campaign_id=OuterRef("pk"), household_id=household.pk).values("status")[:1]
    return (
        SignoffCampaign.objects.filter(
            project__community_id=household.unit.building.compound.community_id,
            closed_at__isnull=True,
            paper_required=False,
        )
        .annotate(covered=_count(in_scope), my_status=Subquery(status))
        .filter(covered__gt=0)
        .select_related("project")
    )
