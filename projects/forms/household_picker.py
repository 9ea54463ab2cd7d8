"""Choosing one household the way staff think of it: "3号楼 2单元, room 502".

A select of every household would be thousands of options on a phone; a unit select plus a
typed room number is quick at a desk and on a doorstep. The form resolves the pair to a
household of the community and says clearly when there is none.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..addresses import household_in_unit
from ..models import Community, Household, Unit


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return f"{unit.building.compound.name} {unit.building.name} {unit.name}"


class HouseholdPickerMixin:
    """Adds ``unit`` and ``room`` fields and puts the household in ``cleaned_data["household"]``.

    ``picker_required`` says whether a household must be chosen (a complaint may have none).
    """

    picker_required = True

    def add_household_picker(self, community: Community, *, units=None) -> None:
        queryset = units if units is not None else Unit.objects.filter(building__compound__community=community)
        self.fields["unit"] = UnitChoiceField(
            label=_("Building and unit"),
            queryset=queryset.select_related("building__compound").order_by(
                "building__compound__name", "building__sort_key", "building__name", "sort_key", "name"
            ),
            required=self.picker_required,
            error_messages={"invalid_choice": _("Choose a unit of this community.")},
        )
        self.fields["room"] = forms.CharField(
            label=_("Room number"),
            max_length=20,
            required=self.picker_required,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": _("e.g. 502")}),
        )

    def clean_household_picker(self, cleaned_data: dict) -> Household | None:
        unit = cleaned_data.get("unit")
        room = (cleaned_data.get("room") or "").strip()
        if unit is None and not room:
            if self.picker_required and "unit" not in self.errors:
                self.add_error("unit", _("Choose the building and unit."))
            return None
        if unit is None:
            if "unit" not in self.errors:
                self.add_error("unit", _("Choose the building and unit."))
            return None
        if not room:
            self.add_error("room", _("Enter the room number."))
            return None
        household = household_in_unit(unit, room)
        if household is None:
            self.add_error("room", _("There is no room %(room)s in %(unit)s.") % {"room": room, "unit": unit})
        return household
