"""Result of a show of hands at a meeting, in integers (no floats, no rounding).

A motion is carried when more than half of the people who voted, abstentions included,
voted for it (过半数: strictly more than half). Abstentions therefore count against, which
is how 议事会 minutes usually read "赞成 12 / 反对 3 / 弃权 10 → 未过半数". Binding decisions
under the Civil Code are ballots, counted by household and area elsewhere.
"""


def show_of_hands_carried(votes_for: int, votes_against: int, abstentions: int) -> bool:
    total = votes_for + votes_against + abstentions
    return total > 0 and 2 * votes_for > total
