"""Owners (业主) of households: people and organisations, linked to flats many-to-many.

Why a model of its own: an owners' decision (业主共同决定, Civil Code Art. 278) counts
owners, not flats. Under the SPC interpretation on 建筑物区分所有权 Art. 9 one exclusive
unit counts as one person, but one owner holding several counts once, and so do all the
units a 建设单位 still holds. A 产权单位 holding forty 公房 flats must therefore be one row
linked to forty households, not forty copies of its name.

Identity: an organisation is identified by its name within the community (one 市体校).
A person is identified by name *and* a reference (e.g. the last digits of an ID card or the
property certificate number) when staff give one; without a reference two people of the
same name on different flats stay two owners, because merging namesakes would silently
take heads away from an owners' vote. ``Household.owner_names`` is kept as the names of
the linked owners, derived by ``projects.services.owners`` (the search box and every
list read it).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .registry import Community, Household


class OwnerKind(models.TextChoices):
    PERSON = "person", _("Person")
    PROPERTY_UNIT = "property_unit", _("Property-holding unit (产权单位)")
    DEVELOPER = "developer", _("Developer (建设单位)")


class Owner(models.Model):
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="owners", verbose_name=_("community")
    )
    kind = models.CharField(_("owner kind"), max_length=20, choices=OwnerKind.choices, default=OwnerKind.PERSON)
    name = models.CharField(_("name"), max_length=100)
    reference = models.CharField(
        _("owner reference"),
        max_length=40,
        blank=True,
        help_text=_("Tells apart two people of the same name, e.g. the last four digits of the ID card."),
    )
    households = models.ManyToManyField(
        Household, through="Ownership", related_name="owners", verbose_name=_("households")
    )

    class Meta:
        verbose_name = _("owner")
        verbose_name_plural = _("owners")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=[k.value for k in OwnerKind]), name="owner_kind_valid"),
            models.CheckConstraint(condition=~Q(name=""), name="owner_name_not_empty"),
            # Organisations by name; people by name and reference when one is given.
            models.UniqueConstraint(
                fields=["community", "kind", "name", "reference"],
                condition=~Q(kind=OwnerKind.PERSON) | ~Q(reference=""),
                name="owner_identified_once",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_organisation(self) -> bool:
        return self.kind != OwnerKind.PERSON


class Ownership(models.Model):
    """One owner of one household (co-owners of a flat are several rows)."""

    owner = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name="ownerships", verbose_name=_("owner"))
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="ownerships", verbose_name=_("household")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("ownership")
        verbose_name_plural = _("ownerships")
        ordering = ["household", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["owner", "household"], name="ownership_once")]
