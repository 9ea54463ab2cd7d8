"""The one stored vocabulary of decision rules, shared by ballots and sign-off campaigns.

Ballots and campaigns store the same strings for the same rule, and both are judged by the
one arithmetic in ``projects.thresholds``. Each may offer only a subset (a ballot has no
"2/3 of all households", a campaign no "simple majority of ballots cast"): the subsets are
listed here so the model constraints and the forms cannot drift apart. Labels differ by
context only where the pages already worded them differently (a ballot speaks of *eligible*
households, a campaign of *affected* ones).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DecisionRule(models.TextChoices):
    SIMPLE_MAJORITY = "simple_majority", _("Simple majority of ballots cast")
    ART278_ORDINARY = "art278_ordinary", _("Civil Code Art. 278: ordinary matter")
    ART278_MAJOR = "art278_major", _("Civil Code Art. 278: major matter")
    UNANIMOUS = "unanimous", _("Unanimous: every eligible household agrees")
    TWO_THIRDS = "two_thirds", _("At least 2/3 of the affected households agree")
    CUSTOM = "custom", _("Custom thresholds")


class Comparison(models.TextChoices):
    """How a share meets its bound. Stored in a campaign's custom rule and in a ballot's
    custom thresholds alike."""

    AT_LEAST = "at_least", _("at least (以上, ≥)")  # "以上": the bound itself passes
    MORE_THAN = "more_than", _("more than (过半数/超过, >)")  # "过半数", "超过": strictly more

    @property
    def symbol(self) -> str:
        return "≥" if self is Comparison.AT_LEAST else ">"

    @property
    def failed_symbol(self) -> str:
        return "<" if self is Comparison.AT_LEAST else "≤"


BALLOT_RULE_CHOICES = [
    (rule.value, rule.label)
    for rule in (
        DecisionRule.SIMPLE_MAJORITY,
        DecisionRule.ART278_ORDINARY,
        DecisionRule.ART278_MAJOR,
        DecisionRule.UNANIMOUS,
        DecisionRule.CUSTOM,
    )
]
BALLOT_RULES = [value for value, _label in BALLOT_RULE_CHOICES]

CAMPAIGN_RULE_CHOICES = [
    (DecisionRule.UNANIMOUS.value, _("Unanimous: every affected household agrees")),
    (DecisionRule.TWO_THIRDS.value, DecisionRule.TWO_THIRDS.label),
    (DecisionRule.ART278_MAJOR.value, _("Civil Code Art. 278, major matter: 3/4 of participants by area and head")),
    (DecisionRule.ART278_ORDINARY.value, _("Civil Code Art. 278, other matter: more than half of participants")),
    (DecisionRule.CUSTOM.value, DecisionRule.CUSTOM.label),
]
CAMPAIGN_RULES = [value for value, _label in CAMPAIGN_RULE_CHOICES]


class DecisionKind(models.TextChoices):
    """Who a decision counts, chosen when a ballot or a sign-off campaign is created.

    - 业主共同决定 (Civil Code Art. 278): owners, one head per owner as the SPC
      interpretation Art. 9 counts them (see ``projects.thresholds.owner_voters``).
    - 居民意愿征询: the households that live there, 公房 tenants included; each household
      one head. The riser sign-off is this kind."""

    OWNERS = "owners", _("Owners' joint decision (业主共同决定)")
    RESIDENTS = "residents", _("Residents' consultation (居民意愿征询)")


DECISION_KINDS = [k.value for k in DecisionKind]
