"""Who acts: staff memberships per community, sub-district oversight, departments."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .registry import Building, Community, SubDistrict


class Department(models.Model):
    """A department or partner called in by the community ("吹哨报到"): water station, city
    management, property company, design firm. Belongs to a sub-district, serves its communities."""

    sub_district = models.ForeignKey(
        SubDistrict, on_delete=models.PROTECT, related_name="departments", verbose_name=_("sub-district")
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["sub_district", "name"], name="department_unique_name")]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("Community admin")
    STAFF = "staff", _("Community staff")
    BUILDING_HEAD = "building_head", _("Building head")
    DEPARTMENT = "department", _("Department viewer")


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("community")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    buildings = models.ManyToManyField(
        Building,
        blank=True,
        related_name="building_heads",
        verbose_name=_("buildings"),
        help_text=_("For building heads: the buildings they look after."),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("department"),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "community"], name="membership_one_role_per_community"),
            models.CheckConstraint(
                condition=~Q(role="department") | Q(department__isnull=False),
                name="membership_department_role_has_department",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.community} · {self.get_role_display()}"


class SubDistrictMembership(models.Model):
    """Sub-district office staff: read-mostly oversight of every community in the sub-district."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sub_district_memberships",
        verbose_name=_("user"),
    )
    sub_district = models.ForeignKey(
        SubDistrict, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("sub-district")
    )

    class Meta:
        verbose_name = _("sub-district membership")
        verbose_name_plural = _("sub-district memberships")
        constraints = [models.UniqueConstraint(fields=["user", "sub_district"], name="sub_district_membership_unique")]

    def __str__(self):
        return f"{self.user} · {self.sub_district}"
