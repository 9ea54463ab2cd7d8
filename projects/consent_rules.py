"""When is consent "enough"? Exact arithmetic for the sign-off gate.

Pure: no ORM, no floats, no wording. The caller passes a ``Tally`` (head counts and
exclusive areas, as ``Fraction``/``Decimal``/``int``) and a ``RuleSpec``; ``evaluate`` returns
every condition with its numbers and what is still missing, so the page can say
"participating area 71.3% ≥ 66.7% ✓" and the gate can say how many more agreements it needs.

Rules:
- ``unanimous``: every affected household agrees (上下水 on a shared riser).
- ``two_thirds``: at least 2/3 of the affected households agree ("以上" → ≥).
- ``art278_major`` / ``art278_ordinary``: Civil Code Art. 278. Quorum: households holding
  ≥ 2/3 of the exclusive area AND ≥ 2/3 of the households take part. Then a major matter needs
  ≥ 3/4 of the participating area AND heads to agree; any other matter needs more than half
  ("过半数" → strictly >) of the participating area AND heads.

  A consent campaign is not a ballot, so "taking part" needs a reading. We count a household as
  participating once it has given an answer: it agreed or it refused. Households that were
  only talked to, or that have concerns but have not decided, have not answered yet and are
  not counted (they can still tip either way). This is the conservative reading: a refusal
  helps the quorum but counts against agreement, exactly as a "no" vote would.
- ``custom``: a threshold by head and/or by area over all affected households, compared with
  ≥ ("以上") or > ("过半数", "超过").

An empty scope never passes: a consent gate over no households is a scope mistake, not consent.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from math import ceil, floor

UNANIMOUS = "unanimous"
TWO_THIRDS = "two_thirds"
ART278_MAJOR = "art278_major"
ART278_ORDINARY = "art278_ordinary"
CUSTOM = "custom"

# What each condition measures; the caller turns these keys into words.
HEADS_AGREED = "heads_agreed"  # agreed households / all affected households
AREA_AGREED = "area_agreed"  # agreed area / all affected area
HEADS_PARTICIPATING = "heads_participating"  # answered households / all households
AREA_PARTICIPATING = "area_participating"  # answered area / all area
HEADS_AGREED_OF_PARTICIPATING = "heads_agreed_of_participating"
AREA_AGREED_OF_PARTICIPATING = "area_agreed_of_participating"

TWO_THIRDS_F = Fraction(2, 3)
THREE_QUARTERS_F = Fraction(3, 4)
HALF_F = Fraction(1, 2)

Number = int | Decimal | Fraction


def _fraction(value: Number) -> Fraction:
    if isinstance(value, float):
        raise TypeError("consent arithmetic is exact: pass int, Decimal or Fraction, never float")
    return Fraction(value)


@dataclass(frozen=True)
class Tally:
    """Counts over the affected households. Areas are exclusive areas in m²."""

    total_heads: int
    total_area: Number
    agreed_heads: int
    agreed_area: Number
    refused_heads: int = 0
    refused_area: Number = 0

    @property
    def participating_heads(self) -> int:
        return self.agreed_heads + self.refused_heads

    @property
    def participating_area(self) -> Fraction:
        return _fraction(self.agreed_area) + _fraction(self.refused_area)


@dataclass(frozen=True)
class RuleSpec:
    kind: str
    custom_heads: Fraction | None = None
    custom_area: Fraction | None = None
    custom_strict: bool = False  # True: "more than" (>); False: "at least" (≥)

    @property
    def uses_area(self) -> bool:
        return self.kind in (ART278_MAJOR, ART278_ORDINARY) or (self.kind == CUSTOM and self.custom_area is not None)


@dataclass(frozen=True)
class Condition:
    """One comparison ``actual ≥ threshold × base`` (or ``>`` when strict).

    ``actual`` and ``base`` are head counts or areas. ``shortfall`` is how many more agreeing
    households (or m² of agreeing area) would meet the condition; for conditions measured
    among participants it assumes the new agreements come from households that have not
    answered yet (each one then joins the participants too). ``None`` when met.
    """

    key: str
    actual: Fraction
    base: Fraction
    threshold: Fraction
    strict: bool
    met: bool
    shortfall: Fraction | None = None

    @property
    def ratio(self) -> Fraction | None:
        return self.actual / self.base if self.base else None

    @property
    def by_area(self) -> bool:
        return self.key.startswith("area_")


@dataclass(frozen=True)
class Decision:
    met: bool
    conditions: list[Condition] = field(default_factory=list)
    empty_scope: bool = False


def compare(actual: Number, base: Number, threshold: Fraction, *, strict: bool) -> bool:
    """actual/base ≥ threshold (or > when strict), cross-multiplied so base 0 needs no division."""
    actual, base = _fraction(actual), _fraction(base)
    if base <= 0:
        return False
    return actual > threshold * base if strict else actual >= threshold * base


def _heads_needed(base: int, threshold: Fraction, *, strict: bool) -> int:
    """The smallest whole number of households that meets the threshold of ``base``."""
    target = threshold * base
    return floor(target) + 1 if strict else ceil(target)


def _fixed_base(key: str, actual: Number, base: Number, threshold: Fraction, *, strict: bool) -> Condition:
    actual_f, base_f = _fraction(actual), _fraction(base)
    met = compare(actual_f, base_f, threshold, strict=strict)
    shortfall = None
    if not met:
        if key.startswith("heads_"):
            shortfall = Fraction(max(0, _heads_needed(int(base_f), threshold, strict=strict) - int(actual_f)))
        else:
            # Area is continuous: the gap to the bound (for ">" any amount beyond it).
            shortfall = max(Fraction(0), threshold * base_f - actual_f)
    return Condition(key, actual_f, base_f, threshold, strict, met, shortfall)


def _among_participants(
    key: str, agreed: Number, participating: Number, threshold: Fraction, *, strict: bool, heads: bool
) -> Condition:
    """agreed/participating against the threshold; the shortfall counts new agreeing answers.

    With x more agreeing answers: (a + x) / (p + x) ≥ t  ⇔  x ≥ (t·p − a) / (1 − t).
    """
    a, p = _fraction(agreed), _fraction(participating)
    met = compare(a, p, threshold, strict=strict)
    shortfall = None
    if not met:
        bound = (threshold * p - a) / (1 - threshold)
        needed_heads = floor(bound) + 1 if strict else ceil(bound)
        shortfall = Fraction(max(1, needed_heads)) if heads else max(Fraction(0), bound)
    return Condition(key, a, p, threshold, strict, met, shortfall)


def evaluate(rule: RuleSpec, tally: Tally) -> Decision:
    heads = tally.total_heads
    area = _fraction(tally.total_area)
    if heads <= 0:
        return Decision(met=False, conditions=[], empty_scope=True)
    if rule.kind == UNANIMOUS:
        conditions = [_fixed_base(HEADS_AGREED, tally.agreed_heads, heads, Fraction(1), strict=False)]
    elif rule.kind == TWO_THIRDS:
        conditions = [_fixed_base(HEADS_AGREED, tally.agreed_heads, heads, TWO_THIRDS_F, strict=False)]
    elif rule.kind in (ART278_MAJOR, ART278_ORDINARY):
        if rule.kind == ART278_MAJOR:
            threshold, strict = THREE_QUARTERS_F, False
        else:
            threshold, strict = HALF_F, True
        conditions = [
            _fixed_base(AREA_PARTICIPATING, tally.participating_area, area, TWO_THIRDS_F, strict=False),
            _fixed_base(HEADS_PARTICIPATING, tally.participating_heads, heads, TWO_THIRDS_F, strict=False),
            _among_participants(
                AREA_AGREED_OF_PARTICIPATING,
                tally.agreed_area,
                tally.participating_area,
                threshold,
                strict=strict,
                heads=False,
            ),
            _among_participants(
                HEADS_AGREED_OF_PARTICIPATING,
                tally.agreed_heads,
                tally.participating_heads,
                threshold,
                strict=strict,
                heads=True,
            ),
        ]
    elif rule.kind == CUSTOM:
        if rule.custom_heads is None and rule.custom_area is None:
            raise ValueError("a custom rule needs a threshold by head, by area, or both")
        conditions = []
        if rule.custom_area is not None:
            conditions.append(
                _fixed_base(AREA_AGREED, tally.agreed_area, area, rule.custom_area, strict=rule.custom_strict)
            )
        if rule.custom_heads is not None:
            conditions.append(
                _fixed_base(HEADS_AGREED, tally.agreed_heads, heads, rule.custom_heads, strict=rule.custom_strict)
            )
    else:
        raise ValueError(f"unknown consent rule {rule.kind!r}")
    return Decision(met=all(c.met for c in conditions), conditions=conditions)


def parse_fraction(text: str) -> Fraction:
    """ "2/3", "75%", "66.5%" or "0.75" → an exact Fraction in (0, 1]. Raises ValueError."""
    text = (text or "").strip().replace("％", "%").replace("／", "/")
    if not text:
        raise ValueError("empty")
    try:
        if text.endswith("%"):
            value = Fraction(Decimal(text[:-1].strip())) / 100
        elif "/" in text:
            numerator, denominator = text.split("/", 1)
            value = Fraction(int(numerator.strip()), int(denominator.strip()))
        else:
            value = Fraction(Decimal(text))
    except (ArithmeticError, ValueError) as error:  # InvalidOperation, ZeroDivisionError, int("x")
        raise ValueError(f"not a fraction: {text!r}") from error
    if not 0 < value <= 1:
        raise ValueError("out of range")
    return value
