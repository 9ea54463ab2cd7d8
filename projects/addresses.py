"""The one reader of household addresses as staff and residents type them.

A stack of questionnaires, a paper sign-in sheet, a resident on the phone: each gives an
address in its own way, and a Chinese input method may send full-width digits and spaces.
All of these name 3号楼 2单元 room 501:

    3-2-501   3 2 501   3号楼2单元501   3号楼2单元501室   ３－２－５０１   3栋2门501号

Parts may be left out where the context supplies them: ``501`` is a room of a unit already
chosen, ``3-501`` and ``3号楼501`` a room of building 3, ``2单元501`` a room of unit 2. Words
(号楼, 单元) say which part a number is; bare separators fill building, then unit, in order.
A compound's name may lead the address (``南路一5号楼1单元101``).

``parse_address`` returns an ``Address`` or raises ``NotAnAddress`` (a ``ValueError``) and
nothing else, whatever it is given. ``households_at`` narrows a queryset of households to
an address; ``household_in_unit`` finds the room typed next to a chosen unit.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.db.models import QuerySet

from .models import Household, Unit

BUILDING_WORDS = ("号楼", "号院", "栋", "幢", "座")  # not a bare 楼: "3楼" is also a floor
UNIT_WORDS = ("单元", "门")
MAX_LENGTH = 60

_SEP = r"[\s\-—_/\\#.,，、]"
_PART = r"[0-9A-Za-z]+"
_ROOM = re.compile(r"[0-9A-Za-z\u3400-\u9fff]{1,20}")
# A part and what ends it: a word naming it, a separator, or the end (the room).
_TOKEN = re.compile(
    rf"(?P<value>(?:(?!{_SEP}).)+?)\s*"
    rf"(?:(?:(?P<building>号楼|号院|栋|幢|座)|(?P<unit>单元|门)){_SEP}*|(?P<sep>{_SEP}+)|$)"
)
_EDGES = re.compile(rf"^{_SEP}+|{_SEP}+$|(?<=[0-9A-Za-z])\s*[室号]{_SEP}*$")
_LEADING_WORDS = re.compile(rf"(?P<compound>.*?[^0-9A-Za-z])(?P<number>{_PART})")


class NotAnAddress(ValueError):
    """What was typed does not read as a household address."""


@dataclass(frozen=True)
class Address:
    """Building and unit numbers as typed without leading zeros ("" when left out), and
    the room as typed ("501", "S07", "底商1"). ``compound`` is a leading name, if any."""

    room: str
    building: str = ""
    unit: str = ""
    compound: str = ""

    def __str__(self) -> str:
        building = f"{self.building}号楼" if self.building else ""
        unit = f"{self.unit}单元" if self.unit else ""
        return f"{self.compound}{building}{unit}{self.room}"


def normalise(text: str) -> str:
    """Full-width digits, letters, dashes and spaces to their plain forms."""
    return unicodedata.normalize("NFKC", text or "").strip()


def _number(value: str) -> str:
    return value.lstrip("0") or "0" if value.isdigit() else value.upper()


def parse_address(text: str) -> Address:
    """Read ``text`` as an address, or raise ``NotAnAddress``."""
    if not isinstance(text, str):
        raise NotAnAddress(text)
    text = normalise(text)
    if len(text) > MAX_LENGTH:
        raise NotAnAddress(text)
    text = _EDGES.sub("", _EDGES.sub("", text))  # "-3-2-501室 " → "3-2-501"
    parts, position = [], 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise NotAnAddress(text)
        kind = "building" if match["building"] else "unit" if match["unit"] else "sep" if match["sep"] else "room"
        parts.append((match["value"], kind))
        position = match.end()
    compound = ""
    if len(parts) > 1 and parts[0][1] == "sep" and not re.search(r"[0-9A-Za-z]", parts[0][0]):
        compound = parts.pop(0)[0]  # "南路一 5-1-101": the compound's name, then the address
    if not parts or parts[-1][1] != "room" or len(parts) > 3:
        raise NotAnAddress(text)
    return _assign(text, parts, compound)


def _assign(text: str, parts: list[tuple[str, str]], compound: str) -> Address:
    """Give each part its place: words say which it is; bare numbers fill building, then unit."""
    *leading, (room, _kind) = parts
    if not _ROOM.fullmatch(room):
        raise NotAnAddress(text)
    found = {"building": "", "unit": "", "compound": compound}
    order = ["building", "unit"]
    for index, (value, kind) in enumerate(leading):
        if index == 0 and not compound and not re.fullmatch(_PART, value):
            named = _LEADING_WORDS.fullmatch(value)  # "南路一5号楼": the compound's name, then the number
            if named is None:
                raise NotAnAddress(text)
            found["compound"], value = named["compound"], named["number"]
        if not re.fullmatch(_PART, value):
            raise NotAnAddress(text)
        slot = order[0] if kind == "sep" and order else kind
        if slot not in order:  # a second building, or a unit before the building's word
            raise NotAnAddress(text)
        order = order[order.index(slot) + 1 :]
        found[slot] = _number(value)
    return Address(room=room, **found)


def name_number(name: str) -> str:
    """The number in a registry name, as ``Address`` holds it: "3号楼" → "3", "02单元" → "2"."""
    name = normalise(name)
    for word in (*BUILDING_WORDS, *UNIT_WORDS):
        name = name.removesuffix(word)
    return _number(name)


def building_names(number: str) -> list[str]:
    """Names a building numbered ``number`` may have in the registry."""
    return [number, *(f"{number}{word}" for word in BUILDING_WORDS)]


def unit_names(number: str) -> list[str]:
    return [number, *(f"{number}{word}" for word in UNIT_WORDS)]


def households_at(households: QuerySet, address: Address) -> QuerySet:
    """``households`` narrowed to those the address names (room, then building and unit if given)."""
    households = households.filter(room__iexact=address.room)
    if address.building:
        households = households.filter(unit__building__name__in=building_names(address.building))
    if address.unit:
        households = households.filter(unit__name__in=unit_names(address.unit))
    return households


def household_in_unit(unit: Unit, text: str) -> Household | None:
    """The household of a unit already chosen, at the room typed ("502", "502室", "５０２", or a
    whole address that agrees with the unit); ``None`` when there is none."""
    try:
        address = parse_address(text)
    except NotAnAddress:
        return None
    return (
        households_at(Household.objects.filter(unit=unit), address).select_related("unit__building__compound").first()
    )
