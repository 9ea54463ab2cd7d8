"""The housing registry: sub-district → community → compound → building → unit → household.

The household is the voter and the signer, so its identity (unit + room) and its exclusive
area are enforced by the database, not only by forms.
"""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..validators import validate_phone


class SubDistrict(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("sub-district")
        verbose_name_plural = _("sub-districts")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Community(models.Model):
    sub_district = models.ForeignKey(
        SubDistrict, on_delete=models.PROTECT, related_name="communities", verbose_name=_("sub-district")
    )
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("office address"), max_length=200, blank=True)
    phone = models.CharField(_("office phone"), max_length=30, blank=True)
    notice_min_days = models.PositiveSmallIntegerField(
        _("minimum public notice (days)"),
        default=7,
        help_text=_("A project stays in public notice at least this many days before construction may start."),
    )

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["sub_district", "name"], name="community_unique_name"),
            models.CheckConstraint(condition=models.Q(notice_min_days__lte=365), name="community_notice_days_range"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:community", args=[self.pk])


class Compound(models.Model):
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="compounds", verbose_name=_("community")
    )
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    built_year = models.PositiveSmallIntegerField(_("year built"), null=True, blank=True)

    class Meta:
        verbose_name = _("compound")
        verbose_name_plural = _("compounds")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="compound_unique_name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:compound", args=[self.pk])


class Building(models.Model):
    compound = models.ForeignKey(
        Compound, on_delete=models.PROTECT, related_name="buildings", verbose_name=_("compound")
    )
    name = models.CharField(_("name"), max_length=50, help_text=_("As written on the building, e.g. 3号楼"))
    sort_key = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["sort_key", "name"]
        constraints = [models.UniqueConstraint(fields=["compound", "name"], name="building_unique_name")]

    def __str__(self):
        return f"{self.compound.name} {self.name}"

    def get_absolute_url(self):
        return reverse("projects:building", args=[self.pk])


class Unit(models.Model):
    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="units", verbose_name=_("building"))
    name = models.CharField(_("name"), max_length=50, help_text=_("Entrance or stairwell, e.g. 2单元"))
    sort_key = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["sort_key", "name"]
        constraints = [models.UniqueConstraint(fields=["building", "name"], name="unit_unique_name")]

    def __str__(self):
        return f"{self.building.name}{self.name}"

    def get_absolute_url(self):
        return reverse("projects:unit", args=[self.pk])


class HouseholdKind(models.TextChoices):
    RESIDENTIAL = "residential", _("Residential")
    SHOP = "shop", _("Ground-floor shop")


class AreaSource(models.TextChoices):
    """Where an exclusive area comes from, in the order the SPC interpretation on
    建筑物区分所有权 Art. 8 prefers them: the register, else the survey, else the contract."""

    REGISTER = "register", _("Real estate register (不动产登记簿)")
    SURVEY = "survey", _("Surveyed area (测绘)")
    CONTRACT = "contract", _("Purchase contract (合同)")
    UNKNOWN = "unknown", _("Unknown")


class Household(models.Model):
    """One exclusive unit (one flat or one shop). An owners' decision counts it as one
    person unless its owner holds several (see ``projects.models.owners``). The area may be
    unknown (a 公房 flat never surveyed): a decision that counts area refuses to open then."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="households", verbose_name=_("unit"))
    room = models.CharField(_("room number"), max_length=20)
    floor = models.SmallIntegerField(_("floor"))
    area = models.DecimalField(
        _("exclusive area (m²)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Exclusive floor area (专有部分面积). Leave empty if not known."),
    )
    area_source = models.CharField(
        _("area source"), max_length=20, choices=AreaSource.choices, default=AreaSource.UNKNOWN
    )
    kind = models.CharField(_("kind"), max_length=20, choices=HouseholdKind.choices, default=HouseholdKind.RESIDENTIAL)
    owner_names = models.CharField(_("owner name(s)"), max_length=200, blank=True)
    phone = models.CharField(_("contact phone"), max_length=20, blank=True, validators=[validate_phone])
    elderly_alone = models.BooleanField(_("elderly living alone"), default=False)
    mobility_impaired = models.BooleanField(_("mobility impaired"), default=False)
    bedridden = models.BooleanField(_("bedridden member"), default=False)
    notes = models.TextField(_("staff notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["unit__building__sort_key", "unit__sort_key", "floor", "room"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "room"], name="household_unique_room_per_unit"),
            models.CheckConstraint(
                condition=Q(area__isnull=True) | Q(area__gt=0), name="household_area_positive_or_unknown"
            ),
            models.CheckConstraint(
                condition=Q(area_source__in=[s.value for s in AreaSource]), name="household_area_source_valid"
            ),
            models.CheckConstraint(condition=Q(kind__in=[k.value for k in HouseholdKind]), name="household_kind_valid"),
        ]
        indexes = [models.Index(fields=["room"]), models.Index(fields=["owner_names"])]

    def __str__(self):
        return f"{self.unit.building.name}{self.unit.name}{self.room}"

    def get_absolute_url(self):
        return reverse("projects:household", args=[self.pk])

    @property
    def has_care_flags(self) -> bool:
        return self.elderly_alone or self.mobility_impaired or self.bedridden

    @property
    def address(self) -> str:
        return f"{self.unit.building.compound.name} {self}"


OWNERS_CHANGE = "owners"  # the history key for the linked owners (names with kind or reference)


class HouseholdChange(models.Model):
    """Append-only record of every change to a household, whoever or whatever made it."""

    class Source(models.TextChoices):
        EDIT = "edit", _("Edited by staff")
        IMPORT = "import", _("Roster import")
        CREATE = "create", _("Created")

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="changes", verbose_name=_("household")
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    changes = models.JSONField(_("changes"), help_text=_("Field name → [old, new]"))

    class Meta:
        verbose_name = _("household change")
        verbose_name_plural = _("household changes")
        ordering = ["-changed_at", "-pk"]

    def labelled_changes(self) -> list[tuple[str, object, object]]:
        """(field label, old, new) in the reader's language, for the history list."""
        rows = []
        for name, (old, new) in self.changes.items():
            field_name = "unit" if name == "unit_id" else name
            if name == OWNERS_CHANGE:
                rows.append((_("owners"), _display(old), _display(new)))
                continue
            try:
                label = Household._meta.get_field(field_name).verbose_name
            except FieldDoesNotExist:  # a field removed since the change was recorded
                label = name
            rows.append((label, _display(old), _display(new)))
        return rows


def _display(value):
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return value


class SensitiveDataAccess(models.Model):
    """Who looked at health-related care flags (PIPL Art. 28 asks us to be able to tell)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("user"))
    household = models.ForeignKey(Household, on_delete=models.CASCADE, verbose_name=_("household"))
    viewed_at = models.DateTimeField(_("viewed at"))
    context = models.CharField(_("where"), max_length=100)

    class Meta:
        verbose_name = _("sensitive data access")
        verbose_name_plural = _("sensitive data accesses")
        ordering = ["-viewed_at"]
