"""Reads for the registry pages. Each returns one annotated queryset, so a page costs the
same few queries whether a compound has 10 households or 10,000."""

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import ngettext, pgettext

from ..access import restrict_to_head_buildings
from ..models import Building, Community, Compound, Household, HouseholdKind, Ownership, Unit

_CARE = Q(households__elderly_alone=True) | Q(households__mobility_impaired=True) | Q(households__bedridden=True)


def compounds_with_counts(user, community: Community) -> QuerySet[Compound]:
    qs = community.compounds.all()
    prefix = "buildings__units__households"
    heads = restrict_to_head_buildings(user, community, Building.objects.filter(compound__community=community), "pk")
    building_filter = Q(buildings__in=heads.values("pk"))
    qs = qs.annotate(
        building_count=Count("buildings", filter=building_filter, distinct=True),
        household_count=Count(prefix, filter=building_filter, distinct=True),
        shop_count=Count(prefix, filter=building_filter & Q(**{f"{prefix}__kind": HouseholdKind.SHOP}), distinct=True),
        total_area=Sum(f"{prefix}__area", filter=building_filter),
    )
    return qs.order_by("name")


def community_totals(user, community: Community) -> dict:
    households = restrict_to_head_buildings(
        user, community, Household.objects.filter(unit__building__compound__community=community), "unit__building_id"
    )
    return households.aggregate(
        households=Count("pk"),
        shops=Count("pk", filter=Q(kind=HouseholdKind.SHOP)),
        area=Sum("area"),
        elderly_alone=Count("pk", filter=Q(elderly_alone=True)),
        mobility=Count("pk", filter=Q(mobility_impaired=True) | Q(bedridden=True)),
    )


def buildings_with_counts(user, compound: Compound) -> QuerySet[Building]:
    qs = restrict_to_head_buildings(user, compound.community, compound.buildings.all(), "pk")
    return qs.annotate(
        unit_count=Count("units", distinct=True),
        household_count=Count("units__households", distinct=True),
        total_area=Sum("units__households__area"),
    ).order_by("sort_key", "name")


def units_with_counts(building: Building) -> QuerySet[Unit]:
    return building.units.annotate(
        household_count=Count("households"),
        total_area=Sum("households__area"),
        care_count=Count("households", filter=_CARE),
    ).order_by("sort_key", "name")


def households_of_unit(unit: Unit) -> QuerySet[Household]:
    return unit.households.order_by("floor", "room")


def search_households(user, community: Community, query: str) -> QuerySet[Household]:
    qs = Household.objects.filter(unit__building__compound__community=community).select_related(
        "unit__building__compound"
    )
    qs = restrict_to_head_buildings(user, community, qs, "unit__building_id")
    query = query.strip()
    if query:
        qs = qs.filter(Q(room__icontains=query) | Q(owner_names__icontains=query))
    return qs.order_by(
        "unit__building__compound__name",
        "unit__building__sort_key",
        "unit__building__name",
        "unit__sort_key",
        "floor",
        "room",
    )


def ownerships_of(household: Household) -> list[Ownership]:
    """The household's owners, each with how many flats they hold (one query)."""
    links = list(
        Ownership.objects.filter(household=household)
        .select_related("owner")
        .annotate(flats=Count("owner__ownerships"))
        .order_by("position", "pk")
    )
    for link in links:
        link.owner.household_count = link.flats
    return links


AREA_ROOMS_NAMED = 200  # beyond this the refusal gives the count; the registry search finds the rest


def missing_area_refusal(households: QuerySet[Household]) -> str | None:
    """The refusal of a decision that counts area while some households in its scope have
    none: names every one of them (building, unit, room) so staff know whose register entry
    to look up. None when every area is recorded. One query."""
    rooms = list(
        households.filter(area__isnull=True)
        .order_by("unit__building__sort_key", "unit__building__name", "unit__sort_key", "unit__name", "floor", "room")
        .values_list("unit__building__name", "unit__name", "room")[: AREA_ROOMS_NAMED + 1]
    )
    if not rooms:
        return None
    names = pgettext("list separator", ", ").join(f"{b}{u}{r}" for b, u, r in rooms[:AREA_ROOMS_NAMED])
    if len(rooms) > AREA_ROOMS_NAMED:
        names += pgettext("more rooms", " …")
    return ngettext(
        "This decision counts area, but %(count)d household has no recorded area: %(rooms)s. "
        "Record it (from the real estate register, else the survey, else the contract) first.",
        "This decision counts area, but %(count)d households have no recorded area: %(rooms)s. "
        "Record them (from the real estate register, else the survey, else the contract) first.",
        len(rooms),
    ) % {"count": len(rooms), "rooms": names}
