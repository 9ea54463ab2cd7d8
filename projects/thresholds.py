"""Exact decision arithmetic for ballots (and sign-off gates): who took part, who agreed,
and whether that is enough under a rule.

Why a pure module: the Civil Code thresholds are decided at the boundary. "以上" includes
the bound (≥) and "过半数" is strictly more than half (>); 2/3 of 3,000.00 m² is exactly
2,000.00 m², and a float would turn that into 1,999.9999… or 2,000.0000…1 and flip the
result. So every number here is an ``int`` or a ``Fraction`` (areas arrive as ``Decimal``
from the database and convert to ``Fraction`` exactly); a binary floating-point value is
refused with ``TypeError`` rather than rounded. No ORM either: callers count in one
aggregate query and hand the totals in, and the rules are testable as a table.

It lives in ``projects`` (not ``consult``) because the sign-off gate of a project uses the
same rules, and ``projects`` must not import ``consult``.

Vocabulary:
- *eligible*: the households entitled to take part (for a ballot, the snapshot taken when it
  opened), with their exclusive area;
- *participating*: those who cast a valid ballot, including abstentions (an abstention is
  participation, never agreement);
- *agreeing*: those who chose the proposal (or, in a choice between designs, the leading
  option).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from django.utils.translation import gettext_lazy as _


class Stage(StrEnum):
    PARTICIPATION = "participation"
    AGREEMENT = "agreement"


class Measure(StrEnum):
    AREA = "area"
    HEADS = "heads"


class Base(StrEnum):
    """What a share is taken of: all eligible households, or only those who took part."""

    ELIGIBLE = "eligible"
    PARTICIPATING = "participating"


class Comparison(StrEnum):
    AT_LEAST = "at_least"  # "以上": the bound itself passes (≥)
    MORE_THAN = "more_than"  # "过半数", "超过": strictly more (>)

    @property
    def symbol(self) -> str:
        return "≥" if self is Comparison.AT_LEAST else ">"

    @property
    def failed_symbol(self) -> str:
        return "<" if self is Comparison.AT_LEAST else "≤"


class RuleKind(StrEnum):
    SIMPLE_MAJORITY = "simple_majority"
    ART278_ORDINARY = "art278_ordinary"
    ART278_MAJOR = "art278_major"
    UNANIMOUS = "unanimous"
    CUSTOM = "custom"


RULE_LABELS = {
    RuleKind.SIMPLE_MAJORITY: _("Simple majority of ballots cast"),
    RuleKind.ART278_ORDINARY: _("Civil Code Art. 278: ordinary matter"),
    RuleKind.ART278_MAJOR: _("Civil Code Art. 278: major matter"),
    RuleKind.UNANIMOUS: _("Unanimous: every eligible household agrees"),
    RuleKind.CUSTOM: _("Custom thresholds"),
}

RULE_HELP = {
    RuleKind.SIMPLE_MAJORITY: _("More than half of the ballots cast agree. No quorum. For informal choices."),
    RuleKind.ART278_ORDINARY: _(
        "Owners of at least 2/3 of the area and at least 2/3 of the households take part; more than half of the "
        "participating area and more than half of the participating households agree."
    ),
    RuleKind.ART278_MAJOR: _(
        "Owners of at least 2/3 of the area and at least 2/3 of the households take part; at least 3/4 of the "
        "participating area and at least 3/4 of the participating households agree. Elevators, raising "
        "maintenance funds, rebuilding, changing the use of common parts."
    ),
    RuleKind.UNANIMOUS: _("Every eligible household agrees. Used for water and drain pipes on one riser."),
    RuleKind.CUSTOM: _("Thresholds of your own, by area and/or by household."),
}


def exact(value) -> Fraction:
    """``value`` as an exact ``Fraction``; floats are refused, never rounded."""
    if isinstance(value, bool):
        raise TypeError("a boolean is not a count")
    if isinstance(value, Fraction | int):
        return Fraction(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not a finite number: {value}")
        return Fraction(value)
    if isinstance(value, str):
        return Fraction(value.strip())
    if value is None:
        return Fraction(0)
    raise TypeError(f"exact arithmetic needs int, Decimal, Fraction or str, not {type(value).__name__}")


def parse_ratio(text: str) -> Fraction:
    """Read "2/3", "3/4", "60%", "66.67%" or "0.75" exactly; the ratio must be in (0, 1]."""
    text = (text or "").strip().replace("％", "%").replace(" ", "")
    if not text:
        raise ValueError("empty ratio")
    try:
        ratio = Fraction(text[:-1]) / 100 if text.endswith("%") else Fraction(text)
    except (ValueError, ZeroDivisionError) as error:
        raise ValueError(f"not a ratio: {text}") from error
    if not 0 < ratio <= 1:
        raise ValueError(f"a ratio must be more than 0 and at most 1: {text}")
    return ratio


@dataclass(frozen=True)
class Threshold:
    stage: Stage
    measure: Measure
    ratio: Fraction
    comparison: Comparison
    base: Base = Base.ELIGIBLE

    def __post_init__(self):
        if not isinstance(self.ratio, Fraction):
            raise TypeError("a threshold ratio must be a Fraction")
        if not 0 < self.ratio <= 1:
            raise ValueError("a threshold ratio must be more than 0 and at most 1")
        if self.stage is Stage.PARTICIPATION and self.base is not Base.ELIGIBLE:
            raise ValueError("participation is always a share of the eligible households")

    @property
    def key(self) -> str:
        return f"{self.stage}_{self.measure}"

    @property
    def label(self) -> str:
        return CONDITION_LABELS[(self.stage, self.measure, self.base)]

    def to_json(self) -> dict:
        return {
            "stage": str(self.stage),
            "measure": str(self.measure),
            "base": str(self.base),
            "ratio": f"{self.ratio.numerator}/{self.ratio.denominator}",
            "comparison": str(self.comparison),
        }

    @classmethod
    def from_json(cls, data: dict) -> Threshold:
        return cls(
            stage=Stage(data["stage"]),
            measure=Measure(data["measure"]),
            base=Base(data.get("base", Base.ELIGIBLE)),
            ratio=parse_ratio(data["ratio"]),
            comparison=Comparison(data["comparison"]),
        )


CONDITION_LABELS = {
    (Stage.PARTICIPATION, Measure.AREA, Base.ELIGIBLE): _("Participating area"),
    (Stage.PARTICIPATION, Measure.HEADS, Base.ELIGIBLE): _("Participating households"),
    (Stage.AGREEMENT, Measure.AREA, Base.PARTICIPATING): _("Agreeing area (of participating)"),
    (Stage.AGREEMENT, Measure.HEADS, Base.PARTICIPATING): _("Agreeing households (of participating)"),
    (Stage.AGREEMENT, Measure.AREA, Base.ELIGIBLE): _("Agreeing area (of all eligible)"),
    (Stage.AGREEMENT, Measure.HEADS, Base.ELIGIBLE): _("Agreeing households (of all eligible)"),
}

TWO_THIRDS = Fraction(2, 3)
THREE_QUARTERS = Fraction(3, 4)
HALF = Fraction(1, 2)

_QUORUM = (
    Threshold(Stage.PARTICIPATION, Measure.AREA, TWO_THIRDS, Comparison.AT_LEAST),
    Threshold(Stage.PARTICIPATION, Measure.HEADS, TWO_THIRDS, Comparison.AT_LEAST),
)

STANDARD_RULES: dict[RuleKind, tuple[Threshold, ...]] = {
    RuleKind.SIMPLE_MAJORITY: (
        Threshold(Stage.AGREEMENT, Measure.HEADS, HALF, Comparison.MORE_THAN, Base.PARTICIPATING),
    ),
    RuleKind.ART278_ORDINARY: _QUORUM
    + (
        Threshold(Stage.AGREEMENT, Measure.AREA, HALF, Comparison.MORE_THAN, Base.PARTICIPATING),
        Threshold(Stage.AGREEMENT, Measure.HEADS, HALF, Comparison.MORE_THAN, Base.PARTICIPATING),
    ),
    RuleKind.ART278_MAJOR: _QUORUM
    + (
        Threshold(Stage.AGREEMENT, Measure.AREA, THREE_QUARTERS, Comparison.AT_LEAST, Base.PARTICIPATING),
        Threshold(Stage.AGREEMENT, Measure.HEADS, THREE_QUARTERS, Comparison.AT_LEAST, Base.PARTICIPATING),
    ),
    RuleKind.UNANIMOUS: (Threshold(Stage.AGREEMENT, Measure.HEADS, Fraction(1), Comparison.AT_LEAST, Base.ELIGIBLE),),
}


def custom_rule(spec: list[dict]) -> tuple[Threshold, ...]:
    """Thresholds from their stored form. A custom rule needs at least one agreement
    condition (a quorum alone decides nothing) and at most one condition per stage,
    measure and base."""
    thresholds = tuple(Threshold.from_json(item) for item in spec)
    if not any(t.stage is Stage.AGREEMENT for t in thresholds):
        raise ValueError("a custom rule needs at least one agreement threshold")
    seen = [(t.stage, t.measure, t.base) for t in thresholds]
    if len(seen) != len(set(seen)):
        raise ValueError("a custom rule has one threshold per condition")
    return thresholds


def rule_thresholds(kind: RuleKind | str, custom: list[dict] | None = None) -> tuple[Threshold, ...]:
    kind = RuleKind(kind)
    if kind is RuleKind.CUSTOM:
        return custom_rule(custom or [])
    return STANDARD_RULES[kind]


@dataclass(frozen=True)
class Tally:
    """Totals counted in one query. Heads are households; areas are exclusive areas in m²."""

    eligible_heads: int
    eligible_area: Fraction
    participating_heads: int
    participating_area: Fraction
    agreeing_heads: int
    agreeing_area: Fraction

    @classmethod
    def of(
        cls,
        *,
        eligible_heads,
        eligible_area,
        participating_heads,
        participating_area,
        agreeing_heads,
        agreeing_area,
    ) -> Tally:
        tally = cls(
            eligible_heads=int(exact(eligible_heads)),
            eligible_area=exact(eligible_area),
            participating_heads=int(exact(participating_heads)),
            participating_area=exact(participating_area),
            agreeing_heads=int(exact(agreeing_heads)),
            agreeing_area=exact(agreeing_area),
        )
        if not 0 <= tally.agreeing_heads <= tally.participating_heads <= tally.eligible_heads:
            raise ValueError("need 0 ≤ agreeing ≤ participating ≤ eligible households")
        if not 0 <= tally.agreeing_area <= tally.participating_area <= tally.eligible_area:
            raise ValueError("need 0 ≤ agreeing ≤ participating ≤ eligible area")
        return tally

    def value(self, stage: Stage, measure: Measure) -> Fraction:
        prefix = "participating" if stage is Stage.PARTICIPATION else "agreeing"
        return Fraction(getattr(self, f"{prefix}_{measure}"))

    def base(self, base: Base, measure: Measure) -> Fraction:
        return Fraction(getattr(self, f"{base}_{measure}"))


@dataclass(frozen=True)
class ConditionResult:
    threshold: Threshold
    numerator: Fraction
    denominator: Fraction
    passed: bool

    @property
    def share(self) -> Fraction | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def label(self) -> str:
        return self.threshold.label

    @property
    def symbol(self) -> str:
        return self.threshold.comparison.symbol if self.passed else self.threshold.comparison.failed_symbol

    def percents(self) -> tuple[str, str]:
        """(share, threshold) as percentages, with just enough decimals that the rounded
        figures never contradict the exact comparison (66.66% < 66.67%, not 66.7% < 66.7%)."""
        share = self.share
        if share is None:
            return "—", percent_text(self.threshold.ratio, 1)
        places = 1
        while places < 6 and share != self.threshold.ratio:
            if percent_text(share, places) != percent_text(self.threshold.ratio, places):
                break
            places += 1
        return percent_text(share, places), percent_text(self.threshold.ratio, places)

    def sentence(self) -> str:
        """The line printed on the result notice, e.g. 参与面积 71.3% ≥ 66.7% ✓."""
        share, threshold = self.percents()
        mark = "✓" if self.passed else "✗"
        return f"{self.label} {share} {self.symbol} {threshold} {mark}"


@dataclass(frozen=True)
class Outcome:
    passed: bool
    conditions: tuple[ConditionResult, ...]
    tally: Tally

    @property
    def no_participation(self) -> bool:
        return self.tally.participating_heads == 0


def check(threshold: Threshold, tally: Tally) -> ConditionResult:
    numerator = tally.value(threshold.stage, threshold.measure)
    denominator = tally.base(threshold.base, threshold.measure)
    if denominator <= 0:
        passed = False  # nothing to take a share of: nobody eligible or nobody took part
    elif threshold.comparison is Comparison.AT_LEAST:
        passed = numerator >= threshold.ratio * denominator
    else:
        passed = numerator > threshold.ratio * denominator
    return ConditionResult(threshold=threshold, numerator=numerator, denominator=denominator, passed=passed)


def evaluate(thresholds: tuple[Threshold, ...], tally: Tally) -> Outcome:
    """Every condition, and the outcome: all must pass, and nobody taking part always fails."""
    if not thresholds:
        raise ValueError("a rule needs at least one threshold")
    conditions = tuple(check(t, tally) for t in thresholds)
    passed = tally.participating_heads > 0 and all(c.passed for c in conditions)
    return Outcome(passed=passed, conditions=conditions, tally=tally)


def percent_text(value: Fraction, places: int = 1) -> str:
    """``value`` (a share, 0…1) as a percentage rounded half-up to ``places`` decimals,
    in integer arithmetic so the rounding itself is exact."""
    scaled = value * 100 * 10**places
    units = (scaled.numerator * 2 + scaled.denominator) // (scaled.denominator * 2)  # floor(x + 1/2)
    whole, fraction = divmod(units, 10**places)
    return f"{whole}.{fraction:0{places}d}%" if places else f"{whole}%"


def ratio_text(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"
