"""Turn what staff type from a paper sign-in sheet into households.

Staff work through a stack of sheets and type one line per household in whatever form
the resident wrote it: ``1号楼1单元101``, ``1-1-101``, ``1号楼101``, ``101``, ``底商3``,
optionally followed by how many people came (``×2``, ``x2``, ``2人``). A line is resolved
only when exactly one household in the meeting's area matches; otherwise the line gets a
message saying what is missing. Pure: the caller passes the candidate households.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from projects.addresses import NotAnAddress, name_number, normalise, parse_address

_HEADCOUNT = re.compile(r"\s*(?:[x×X*＊]\s*(\d{1,3})|(\d{1,3})\s*人)\s*$")
_SEPARATORS = re.compile(r"[\s\-—_#./、，,]+")
MAX_HEADCOUNT = 50


@dataclass(frozen=True)
class RoomRef:
    pk: int
    compound: str
    building: str
    unit: str
    room: str

    @property
    def label(self) -> str:
        return f"{self.building}{self.unit}{self.room}"


@dataclass(frozen=True)
class Resolved:
    text: str
    headcount: int
    ref: RoomRef | None = None
    error: str = ""


def split_headcount(line: str) -> tuple[str, int | None]:
    """``"1-1-101 ×2"`` → ``("1-1-101", 2)``; no suffix → ``(line, None)``."""
    line = normalise(line)
    match = _HEADCOUNT.search(line)
    if not match or match.start() == 0:
        return line, None
    return line[: match.start()].strip(), int(match.group(1) or match.group(2))


def _compact(value: str) -> str:
    return _SEPARATORS.sub("", value).lower()


class RoomIndex:
    def __init__(self, refs: list[RoomRef]):
        self.refs = refs
        self._by_room: dict[str, list[RoomRef]] = {}
        self._by_label: dict[str, list[RoomRef]] = {}
        for ref in refs:
            self._by_room.setdefault(ref.room.replace(" ", "").lower(), []).append(ref)
            # Separators may be dropped only where words (号楼, 单元) keep the parts apart:
            # "1-101" must not turn into room 1101.
            for key in {_compact(ref.label), _compact(ref.compound + ref.label), _compact(ref.building + ref.room)}:
                self._by_label.setdefault(key, []).append(ref)

    def _by_address(self, text: str) -> list[RoomRef]:
        """The rooms the address names ("1-2-301", "1号楼301"; see ``projects.addresses``)."""
        try:
            address = parse_address(text)
        except NotAnAddress:
            return []
        room = name_number(address.room)
        candidates = [r for r in self.refs if name_number(r.room) == room]
        if address.building:
            candidates = [r for r in candidates if name_number(r.building) == address.building]
        if address.unit:
            candidates = [r for r in candidates if name_number(r.unit) == address.unit]
        if address.compound:
            candidates = [r for r in candidates if r.compound and r.compound in address.compound]
        return candidates

    def resolve(self, line: str) -> Resolved:
        text, headcount = split_headcount(line)
        headcount = 1 if headcount is None else headcount
        if not text:
            return Resolved(line, headcount, error=_("Empty line."))
        if not 1 <= headcount <= MAX_HEADCOUNT:
            return Resolved(text, headcount, error=_("The number of people must be between 1 and 50."))
        candidates = (
            self._by_room.get(text.replace(" ", "").lower())
            or self._by_label.get(_compact(text))
            or self._by_address(text)
        )
        unique = {ref.pk: ref for ref in candidates}
        if len(unique) == 1:
            return Resolved(text, headcount, ref=next(iter(unique.values())))
        if not unique:
            return Resolved(text, headcount, error=_("No such room in this meeting's area."))
        examples = "、".join(sorted(ref.label for ref in unique.values())[:3])
        return Resolved(
            text,
            headcount,
            error=_("%(n)d rooms match (%(examples)s…): add the building and unit, e.g. 1-2-301.")
            % {"n": len(unique), "examples": examples},
        )
