"""Writes for owners: link a household to the owners written on it, one household at a time
(the household form) or thousands at once (the roster import), and keep
``Household.owner_names`` equal to the linked owners' names.

Matching (see ``projects.models.owners`` for why): an organisation is found by kind and name
in the community; a person with a reference by name and reference; a person without one is
the owner of that name already linked to this household, else a new owner. So re-importing
the same file links the same owners, and two namesakes are never merged by accident.
"""

import re
from dataclasses import dataclass

from ..models import Household, Owner, OwnerKind, Ownership

SEPARATORS = re.compile(r"[、,，;；/／]+")
NAME_SEPARATOR = "、"


def split_names(text: str | None) -> list[str]:
    """'王建国、李秀英' (or with commas, semicolons, slashes) → distinct names in order."""
    names: list[str] = []
    for name in (part.strip() for part in SEPARATORS.split(text or "")):
        if name and name not in names:
            names.append(name)
    return names


@dataclass(frozen=True)
class OwnerSpec:
    """The owners written on one household: names, one kind for all, and a reference that
    identifies a single person (only with one name)."""

    names: tuple[str, ...]
    kind: str = OwnerKind.PERSON
    reference: str = ""

    @classmethod
    def parse(cls, text: str | None, kind: str | None = None, reference: str | None = None) -> "OwnerSpec":
        return cls(tuple(split_names(text)), kind or OwnerKind.PERSON, (reference or "").strip())

    @property
    def display(self) -> str:
        return NAME_SEPARATOR.join(self.names)


def set_owners(community_id: int, pairs: list[tuple[Household, OwnerSpec]]) -> list[int]:
    """Link each household to exactly the owners its spec names, in a handful of queries
    whatever the number of households. Owners left with no household are kept (an owner's
    history, e.g. a proxy authorisation, may point to them). Callers run this inside their
    own transaction, after the households are saved. Returns the households whose owners
    changed."""
    specs = {h: s for h, s in pairs if h.pk is not None}  # saved by now, so hashable
    if not specs:
        return []
    current: dict[int, list[Owner]] = {}
    for link in Ownership.objects.filter(household__in=[h.pk for h in specs]).select_related("owner"):
        current.setdefault(link.household_id, []).append(link.owner)
    keyed = _keyed_owners(community_id, specs.values())
    wanted: dict[int, list[Owner]] = {}
    new_owners: list[Owner] = []
    for household, spec in specs.items():
        owners = []
        for name in spec.names:
            key = _key(spec, name)
            if key is None:  # a person without a reference: the one already on this flat, or new
                owner = next(
                    (o for o in current.get(household.pk, []) if o.name == name and o.kind == OwnerKind.PERSON),
                    None,
                ) or Owner(community_id=community_id, kind=OwnerKind.PERSON, name=name)
            else:
                owner = keyed.get(key)
                if owner is None:
                    owner = keyed[key] = Owner(community_id=community_id, kind=spec.kind, name=name, reference=key[2])
            if owner.pk is None and owner not in new_owners:
                new_owners.append(owner)
            owners.append(owner)
        wanted[household.pk] = owners
    Owner.objects.bulk_create(new_owners)
    changed = [pk for pk, owners in wanted.items() if [o.pk for o in owners] != [o.pk for o in current.get(pk, [])]]
    Ownership.objects.filter(household_id__in=changed).delete()
    Ownership.objects.bulk_create(
        Ownership(owner=owner, household_id=pk, position=position)
        for pk in changed
        for position, owner in enumerate(wanted[pk])
    )
    return changed


def owners_text(household: Household) -> str:
    """The household's owners as the change history shows them: "市体校（产权单位）、王建国（0417）"."""
    parts = []
    for owner in Owner.objects.filter(ownerships__household=household).order_by("ownerships__position", "pk"):
        detail = owner.get_kind_display() if owner.is_organisation else owner.reference
        parts.append(f"{owner.name}（{detail}）" if detail else owner.name)
    return NAME_SEPARATOR.join(parts)


def _key(spec: OwnerSpec, name: str) -> tuple[str, str, str] | None:
    if spec.kind != OwnerKind.PERSON:
        return (spec.kind, name, "")
    if spec.reference and len(spec.names) == 1:
        return (OwnerKind.PERSON, name, spec.reference)
    return None


def _keyed_owners(community_id: int, specs) -> dict[tuple[str, str, str], Owner]:
    names = {name for spec in specs for name in spec.names}
    return {
        (o.kind, o.name, o.reference): o
        for o in Owner.objects.filter(community_id=community_id, name__in=names).exclude(
            kind=OwnerKind.PERSON, reference=""
        )
    }
