"""Exact decision arithmetic for ballots and sign-off campaigns alike: who took part, who
agreed, whether that is enough under a rule, how many more agreements it needs, and
whether the outcome can still change.

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

For a sign-off campaign the eligible households are the project's affected households,
*participating* means "has answered" (agreed or refused) and *agreeing* means agreed.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from math import ceil, floor

from django.utils.translation import gettext_lazy as _

from .models.rules import Comparison, DecisionRule


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


RULE_HELP = {
    DecisionRule.SIMPLE_MAJORITY: _("More than half of the ballots cast agree. No quorum. For informal choices."),
    DecisionRule.ART278_ORDINARY: _(
        "Owners of at least 2/3 of the area and at least 2/3 of the households take part; more than half of the "
        "participating area and more than half of the participating households agree."
    ),
    DecisionRule.ART278_MAJOR: _(
        "Owners of at least 2/3 of the area and at least 2/3 of the households take part; at least 3/4 of the "
        "participating area and at least 3/4 of the participating households agree. Elevators, raising "
        "maintenance funds, rebuilding, changing the use of common parts."
    ),
    DecisionRule.UNANIMOUS: _("Every eligible household agrees. Used for water and drain pipes on one riser."),
    DecisionRule.CUSTOM: _("Thresholds of your own, by area and/or by household."),
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
    text = (text or "").strip().replace("％", "%").replace("／", "/").replace(" ", "")
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

STANDARD_RULES: dict[DecisionRule, tuple[Threshold, ...]] = {
    DecisionRule.SIMPLE_MAJORITY: (
        Threshold(Stage.AGREEMENT, Measure.HEADS, HALF, Comparison.MORE_THAN, Base.PARTICIPATING),
    ),
    DecisionRule.ART278_ORDINARY: _QUORUM
    + (
        Threshold(Stage.AGREEMENT, Measure.AREA, HALF, Comparison.MORE_THAN, Base.PARTICIPATING),
        Threshold(Stage.AGREEMENT, Measure.HEADS, HALF, Comparison.MORE_THAN, Base.PARTICIPATING),
    ),
    DecisionRule.ART278_MAJOR: _QUORUM
    + (
        Threshold(Stage.AGREEMENT, Measure.AREA, THREE_QUARTERS, Comparison.AT_LEAST, Base.PARTICIPATING),
        Threshold(Stage.AGREEMENT, Measure.HEADS, THREE_QUARTERS, Comparison.AT_LEAST, Base.PARTICIPATING),
    ),
    DecisionRule.UNANIMOUS: (
        Threshold(Stage.AGREEMENT, Measure.HEADS, Fraction(1), Comparison.AT_LEAST, Base.ELIGIBLE),
    ),
    DecisionRule.TWO_THIRDS: (
        Threshold(Stage.AGREEMENT, Measure.HEADS, TWO_THIRDS, Comparison.AT_LEAST, Base.ELIGIBLE),
    ),
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


def share_of_all_rule(
    *, heads: Fraction | None, area: Fraction | None, comparison: Comparison | str
) -> tuple[Threshold, ...]:
    """A sign-off campaign's custom rule: a share of all affected households and/or of their
    whole area must agree, compared with ≥ ("以上") or > ("过半数", "超过"). Area first, as
    the board has always listed it."""
    if heads is None and area is None:
        raise ValueError("a custom rule needs a threshold by head, by area, or both")
    comparison = Comparison(comparison)
    return tuple(
        Threshold(Stage.AGREEMENT, measure, ratio, comparison, Base.ELIGIBLE)
        for measure, ratio in ((Measure.AREA, area), (Measure.HEADS, heads))
        if ratio is not None
    )


def rule_thresholds(kind: DecisionRule | str, custom: list[dict] | None = None) -> tuple[Threshold, ...]:
    kind = DecisionRule(kind)
    if kind is DecisionRule.CUSTOM:
        return custom_rule(custom or [])
    return STANDARD_RULES[kind]


@dataclass(frozen=True)
class Tally:
    """Totals counted in one query. Heads are households; areas are exclusive areas in m².

    For a sign-off campaign, *participating* means "has answered": agreed or refused.
    Households only talked to, or with concerns but no answer, can still tip either way and
    are not counted (a refusal helps the quorum but counts against agreement, exactly as a
    "no" vote would)."""

    eligible_heads: int
    eligible_area: Fraction
    participating_heads: int
    participating_area: Fraction
    agreeing_heads: int
    agreeing_area: Fraction
    #: Agreeing heads that still have unanswered flats: an owner of several flats agrees
    #: only while every flat that answered agreed, so a later refusal takes the head away.
    contingent_heads: int = 0

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
        contingent_heads=0,
    ) -> Tally:
        tally = cls(
            eligible_heads=int(exact(eligible_heads)),
            eligible_area=exact(eligible_area),
            participating_heads=int(exact(participating_heads)),
            participating_area=exact(participating_area),
            agreeing_heads=int(exact(agreeing_heads)),
            agreeing_area=exact(agreeing_area),
            contingent_heads=int(exact(contingent_heads)),
        )
        if not 0 <= tally.agreeing_heads <= tally.participating_heads <= tally.eligible_heads:
            raise ValueError("need 0 ≤ agreeing ≤ participating ≤ eligible households")
        if not 0 <= tally.contingent_heads <= tally.agreeing_heads:
            raise ValueError("need 0 ≤ contingent ≤ agreeing heads")
        if not 0 <= tally.agreeing_area <= tally.participating_area <= tally.eligible_area:
            raise ValueError("need 0 ≤ agreeing ≤ participating ≤ eligible area")
        return tally

    @classmethod
    def of_answers(cls, *, heads, area, agreed_heads, agreed_area, refused_heads=0, refused_area=0) -> Tally:
        """A sign-off campaign's counts: answered = agreed + refused."""
        return cls.of(
            eligible_heads=heads,
            eligible_area=area,
            participating_heads=exact(agreed_heads) + exact(refused_heads),
            participating_area=exact(agreed_area) + exact(refused_area),
            agreeing_heads=agreed_heads,
            agreeing_area=agreed_area,
        )

    @property
    def unanswered_heads(self) -> int:
        return self.eligible_heads - self.participating_heads

    @property
    def unanswered_area(self) -> Fraction:
        return self.eligible_area - self.participating_area

    def value(self, stage: Stage, measure: Measure) -> Fraction:
        prefix = "participating" if stage is Stage.PARTICIPATION else "agreeing"
        return Fraction(getattr(self, f"{prefix}_{measure}"))

    def base(self, base: Base, measure: Measure) -> Fraction:
        return Fraction(getattr(self, f"{base}_{measure}"))

    def with_unanswered(self, *, agreeing: bool) -> Tally:
        """Every household that has not answered answers: all agree, or all refuse (and a
        refusal on an owner's last flats takes that owner's contingent agreement away)."""
        return replace(
            self,
            participating_heads=self.eligible_heads,
            participating_area=self.eligible_area,
            agreeing_heads=self.agreeing_heads + self.unanswered_heads if agreeing else self.firm_agreeing_heads,
            agreeing_area=self.agreeing_area + (self.unanswered_area if agreeing else 0),
            contingent_heads=0,
        )

    @property
    def firm_agreeing_heads(self) -> int:
        """Agreeing heads that no later answer can take away."""
        return self.agreeing_heads - self.contingent_heads


@dataclass(frozen=True)
class ConditionResult:
    """One comparison ``numerator ≥ ratio × denominator`` (or ``>``), with its shortfall.

    ``shortfall`` is how many more agreeing households (for a head condition, a whole number)
    or m² of agreeing area (for an area condition; under ">" anything beyond it) would meet
    the condition, assuming each comes from a household that has not answered yet and so
    joins the participants too. ``None`` when met, or when no number of new agreements can
    meet it (an empty base; all participants must agree and one already refused)."""

    threshold: Threshold
    numerator: Fraction
    denominator: Fraction
    passed: bool
    shortfall: Fraction | None = None

    @property
    def share(self) -> Fraction | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def label(self) -> str:
        return self.threshold.label

    @property
    def by_area(self) -> bool:
        return self.threshold.measure is Measure.AREA

    @property
    def strict(self) -> bool:
        return self.threshold.comparison is Comparison.MORE_THAN

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

    @property
    def empty_scope(self) -> bool:
        """Nobody is eligible: a scope mistake, never consent."""
        return self.tally.eligible_heads == 0


def meets(numerator: Fraction, denominator: Fraction, ratio: Fraction, comparison: Comparison) -> bool:
    """numerator/denominator against ratio, cross-multiplied so a zero base needs no division;
    nothing to take a share of (nobody eligible, nobody took part) never meets."""
    if denominator <= 0:
        return False
    if comparison is Comparison.AT_LEAST:
        return numerator >= ratio * denominator
    return numerator > ratio * denominator


def heads_needed(bound: Fraction, comparison: Comparison) -> int:
    """The smallest whole number of households that meets ``bound`` (≥ bound, or > bound)."""
    return floor(bound) + 1 if comparison is Comparison.MORE_THAN else ceil(bound)


def shortfall(threshold: Threshold, numerator: Fraction, denominator: Fraction) -> Fraction | None:
    """More agreeing answers needed to meet a condition that is not met (see ConditionResult).

    A share of all eligible households has a fixed base: the gap is ``ratio × base − now``.
    A share among participants grows its base with each new agreement: with x more agreeing
    answers, (a + x) / (p + x) ≥ t  ⇔  x ≥ (t·p − a) / (1 − t)  (for t < 1)."""
    t, comparison, heads = threshold.ratio, threshold.comparison, threshold.measure is Measure.HEADS
    if threshold.base is Base.ELIGIBLE:
        if denominator <= 0:
            return None  # nothing to take a share of: no number of agreements can meet it
        if heads:
            return Fraction(max(0, heads_needed(t * denominator, comparison) - int(numerator)))
        return max(Fraction(0), t * denominator - numerator)
    if t == 1:
        # Every participant must agree: only possible while nobody has refused.
        if comparison is Comparison.MORE_THAN or numerator != denominator:
            return None
        return Fraction(1) if heads else Fraction(0)
    bound = (t * denominator - numerator) / (1 - t)
    if heads:
        return Fraction(max(1, heads_needed(bound, comparison)))
    return max(Fraction(0), bound)


def check(threshold: Threshold, tally: Tally) -> ConditionResult:
    numerator = tally.value(threshold.stage, threshold.measure)
    denominator = tally.base(threshold.base, threshold.measure)
    passed = meets(numerator, denominator, threshold.ratio, threshold.comparison)
    return ConditionResult(
        threshold=threshold,
        numerator=numerator,
        denominator=denominator,
        passed=passed,
        shortfall=None if passed else shortfall(threshold, numerator, denominator),
    )


def evaluate(thresholds: tuple[Threshold, ...], tally: Tally) -> Outcome:
    """Every condition, and the outcome: all must pass, and nobody taking part always fails
    (so an empty scope never passes)."""
    if not thresholds:
        raise ValueError("a rule needs at least one threshold")
    conditions = tuple(check(t, tally) for t in thresholds)
    passed = tally.participating_heads > 0 and all(c.passed for c in conditions)
    return Outcome(passed=passed, conditions=conditions, tally=tally)


def certain(thresholds: tuple[Threshold, ...], tally: Tally) -> bool:
    """Does the rule pass whatever the households that have not answered still do?

    Each of them may later agree, refuse or stay silent. Agreeing never hurts a condition
    (it raises the agreeing count, the participation, and any agreeing share), so the worst
    completions have nobody else agreeing. Among those, let R be the set of late refusers.
    Every condition is monotone in R: a refusal raises participation (quorum conditions get
    easier), lowers the agreeing share among participants (harder), and leaves a share of
    all eligible households unchanged; "somebody took part" only gets easier. So each
    condition is at its worst at one of the two extremes — R empty (everybody stays silent:
    the tally as it stands) or R everybody (all refuse) — and the rule, a conjunction, holds
    for every R exactly when it holds at both extremes. Two evaluations are exact, not an
    estimate. Answers already given are taken as they stand: a withdrawal is a new event,
    and the gate is judged again on it.

    Unanimity and a share of all households agreeing only count agreements against a fixed
    base, so for them "passes now" and "passes for certain" coincide."""
    return evaluate(thresholds, tally).passed and evaluate(thresholds, tally.with_unanswered(agreeing=False)).passed


def certain_shortfall(threshold: Threshold, tally: Tally) -> Fraction:
    """More agreeing answers (heads, or m² of area) needed before a condition holds whatever
    the rest do: in the worst completion every other household refuses, so every share is
    taken of all eligible households (participation as it stands, agreement of everybody).
    0 when the condition already holds for certain."""
    measure = threshold.measure
    now = tally.value(threshold.stage, measure)
    if threshold.stage is Stage.AGREEMENT and measure is Measure.HEADS:
        now = Fraction(tally.firm_agreeing_heads)
    base = tally.base(Base.ELIGIBLE, measure)
    if measure is Measure.HEADS:
        return Fraction(max(0, heads_needed(threshold.ratio * base, threshold.comparison) - int(now)))
    return max(Fraction(0), threshold.ratio * base - now)


def percent_text(value: Fraction, places: int = 1) -> str:
    """``value`` (a share, 0…1) as a percentage rounded half-up to ``places`` decimals,
    in integer arithmetic so the rounding itself is exact."""
    scaled = value * 100 * 10**places
    units = (scaled.numerator * 2 + scaled.denominator) // (scaled.denominator * 2)  # floor(x + 1/2)
    whole, fraction = divmod(units, 10**places)
    return f"{whole}.{fraction:0{places}d}%" if places else f"{whole}%"


def ratio_text(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def implies(stronger: Threshold, weaker: Threshold) -> bool:
    """Does meeting ``stronger`` always meet ``weaker``, whatever the tally?

    Same measure, a ratio at least as high (an equal ratio needs a comparison at least as
    strict: > implies ≥, not the reverse), and a base that can only make it harder: a share
    of all eligible households agreeing implies the same share among participants (they are
    fewer) and the same share taking part (those agreeing took part). Every household of all
    eligible agreeing implies every condition, by area as well as by head (the area is the
    households' area)."""
    if (stronger.stage, stronger.measure, stronger.base, stronger.ratio, stronger.comparison) == (
        Stage.AGREEMENT,
        Measure.HEADS,
        Base.ELIGIBLE,
        Fraction(1),
        Comparison.AT_LEAST,
    ):
        return not (weaker.ratio == 1 and weaker.comparison is Comparison.MORE_THAN)
    if stronger.measure is not weaker.measure:
        return False
    if stronger.ratio < weaker.ratio or (
        stronger.ratio == weaker.ratio
        and stronger.comparison is Comparison.AT_LEAST
        and weaker.comparison is Comparison.MORE_THAN
    ):
        return False
    if (stronger.stage, stronger.base) == (weaker.stage, weaker.base):
        return True
    return (stronger.stage, stronger.base) == (Stage.AGREEMENT, Base.ELIGIBLE)


def at_least_as_strict(rule: tuple[Threshold, ...], required: tuple[Threshold, ...]) -> bool:
    """Does every tally that passes ``rule`` also pass ``required``? Checked condition by
    condition: each required threshold must be implied by one of the rule's (sufficient, and
    exact for the standard rules: Art. 278 major ⇒ ordinary ⇒ simple majority, unanimity ⇒
    all of them). Used to accept a ballot for a project that requires a given rule."""
    return all(any(implies(mine, theirs) for mine in rule) for theirs in required)


# --- who counts as one: SPC interpretation on 建筑物区分所有权 Arts. 8–9 -----------------------


def uses_area(thresholds: tuple[Threshold, ...]) -> bool:
    """Does the rule compare areas? Then every household in scope needs a recorded area."""
    return any(t.measure is Measure.AREA for t in thresholds)


def owner_voters(holdings: Mapping[int, Iterable[tuple[Hashable, bool]]], households: Iterable[int]) -> dict[int, int]:
    """Which person each household counts as in an owners' decision (Art. 9), as the
    smallest household id of its group.

    ``holdings`` maps a household id to its owners, each ``(owner key, is developer)``.
    One exclusive unit counts as one person (co-owners of a flat are one head); an owner
    holding several units counts once, so households that share an owner join one group
    (transitively: a flat co-owned by A and B and another flat of B's are one person); and
    all units a 建设单位 still holds, whichever developer, count together as one. A
    household with no owner recorded counts on its own."""
    parent: dict[int, int] = {}

    def find(h: int) -> int:
        while parent[h] != h:
            parent[h] = parent[parent[h]]
            h = parent[h]
        return h

    def join(a: int, b: int) -> None:
        a, b = find(a), find(b)
        if a != b:
            parent[max(a, b)] = min(a, b)

    for h in households:
        parent[h] = h
    first_of_owner: dict[Hashable, int] = {}
    first_developer_unit: int | None = None
    for h, owners in holdings.items():
        if h not in parent:
            continue
        for owner, developer in owners:
            join(h, first_of_owner.setdefault(owner, h))
            if developer:
                first_developer_unit = h if first_developer_unit is None else first_developer_unit
                join(h, first_developer_unit)
    return {h: find(h) for h in parent}


AGREE = "agree"


@dataclass(frozen=True)
class UnitAnswer:
    """One exclusive unit in a count: the person it counts as, its area (None: unknown,
    counted as 0 m², which is why a rule that counts area refuses to open without it), and
    its answer (``None``: not answered; ``AGREE``; or any other hashable, e.g. an option id
    or "refused")."""

    voter: Hashable
    area: Decimal | Fraction | int | None
    answer: Hashable | None


def voter_answers(units: Iterable[UnitAnswer]) -> dict[Hashable, tuple[set, bool]]:
    """Each person's distinct answers over their units, and whether any unit is unanswered."""
    people: dict[Hashable, tuple[set, bool]] = {}
    for unit in units:
        answers, silent = people.get(unit.voter, (set(), False))
        if unit.answer is None:
            silent = True
        else:
            answers.add(unit.answer)
        people[unit.voter] = (answers, silent)
    return people


def heads_by_answer(units: Iterable[UnitAnswer]) -> tuple[dict[Hashable, int], int, int]:
    """(heads per answer, participating heads, eligible heads). A person with several units
    counts for an answer only when every unit of theirs that answered gave it; one whose
    units answered differently took part but counts for no answer. Defensible under Art. 9
    (one person, one head) without letting an owner of three flats vote three ways."""
    people = voter_answers(units)
    per_answer: dict[Hashable, int] = {}
    participating = 0
    for answers, _silent in people.values():
        if answers:
            participating += 1
        if len(answers) == 1:
            (answer,) = answers
            per_answer[answer] = per_answer.get(answer, 0) + 1
    return per_answer, participating, len(people)


def count_units(units: Iterable[UnitAnswer]) -> Tally:
    """The Tally of the one rules engine from each unit's answer: heads are people (see
    ``heads_by_answer``), areas are summed per unit (Art. 9: the area is the sum of the
    exclusive areas, so an owner of three flats brings all three areas). An agreeing person
    with units still unanswered is *contingent*: a later refusal there withdraws the head.
    One pass; areas are summed as Decimals (exact at two decimals) and made a Fraction once."""
    people: dict[Hashable, int] = {}  # per person: bits ANSWERED | OTHER (not agreeing) | SILENT
    area, answered_area, agreeing_area = _AreaSum(), _AreaSum(), _AreaSum()
    for unit in units:
        area.add(unit.area)
        if unit.answer is None:
            bits = _SILENT
        else:
            answered_area.add(unit.area)
            if unit.answer == AGREE:
                agreeing_area.add(unit.area)
                bits = _ANSWERED
            else:
                bits = _ANSWERED | _OTHER
        people[unit.voter] = people.get(unit.voter, 0) | bits
    participating = sum(1 for bits in people.values() if bits & _ANSWERED)
    agreeing = sum(1 for bits in people.values() if bits & (_ANSWERED | _OTHER) == _ANSWERED)
    contingent = sum(1 for bits in people.values() if bits == _ANSWERED | _SILENT)
    return Tally.of(
        eligible_heads=len(people),
        eligible_area=area.total,
        participating_heads=participating,
        participating_area=answered_area.total,
        agreeing_heads=agreeing,
        agreeing_area=agreeing_area.total,
        contingent_heads=contingent,
    )


_ANSWERED, _OTHER, _SILENT = 1, 2, 4


class _AreaSum:
    """An exact running total of areas: Decimals add exactly (two decimals, far below the
    28 digits of precision), anything else through ``exact``; None (unknown) adds nothing."""

    def __init__(self):
        self.decimals = Decimal(0)
        self.rest = Fraction(0)

    def add(self, value) -> None:
        if value is None:
            return
        if isinstance(value, Decimal) and value.is_finite():
            self.decimals += value
        else:
            self.rest += exact(value)

    @property
    def total(self) -> Fraction:
        return self.rest + Fraction(self.decimals)
