"""Turn what staff type from a paper sign-in sheet into households.

Staff work through a stack of sheets and type one line per household in whatever form
the resident wrote it: ``1号楼1单元101``, ``1-1-101``, ``1号楼101``, ``101``, ``底商3``,
optionally followed by how many people came (``×2``, ``x2``, ``2人``). A line is resolved
only when exactly one household in the meeting's area matches; otherwise the line gets a
message saying what is missing. Pure: the caller passes the candidate households.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

_HEADCOUNT = re.compile(r"\s*(?:[x×X*＊]\s*(\d{1,3})|(\d{1,3})\s*人)\s*$")
_DIGITS = re.compile(r"\d+")
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


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


def split_headcount(line: str) -> tuple[str, int | None]:
    """``"1-1-101 ×2"`` → ``("1-1-101", 2)``; no suffix → ``(line, None)``."""
    line = _normalise(line)
    match = _HEADCOUNT.search(line)
    if not match or match.start() == 0:
        return line, None
    return line[: match.start()].strip(), int(match.group(1) or match.group(2))


def _digits(value: str) -> str:
    found = _DIGITS.findall(value)
    return found[0].lstrip("0") or "0" if found else ""


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

    def _by_numbers(self, text: str) -> list[RoomRef]:
        numbers = [n.lstrip("0") or "0" for n in _DIGITS.findall(text)]
        if not numbers or len(numbers) > 3:
            return []
        room, rest = numbers[-1], numbers[:-1]
        candidates = [r for r in self.refs if (r.room.lstrip("0") or "0") == room]
        if len(rest) >= 1:
            candidates = [r for r in candidates if _digits(r.building) == rest[0]]
        if len(rest) == 2:
            candidates = [r for r in candidates if _digits(r.unit) == rest[1]]
        words = _DIGITS.sub(" ", text)
        compounds = {r.compound for r in candidates if r.compound and r.compound in words}
        if compounds:
            candidates = [r for r in candidates if r.compound in compounds]
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
            or self._by_numbers(text)
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
