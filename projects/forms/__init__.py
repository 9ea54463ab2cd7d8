from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Household


class HouseholdForm(forms.ModelForm):
    class Meta:
        model = Household
        fields = [
            "room",
            "floor",
            "area",
            "kind",
            "owner_names",
            "phone",
            "elderly_alone",
            "mobility_impaired",
            "bedridden",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, can_edit_care_flags=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_edit_care_flags:
            for name in ("elderly_alone", "mobility_impaired", "bedridden"):
                del self.fields[name]
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))

    def clean_area(self):
        area = self.cleaned_data["area"]
        if area is not None and area <= 0:
            raise forms.ValidationError(_("The area must be greater than 0 m²."))
        return area


class HouseholdSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Room number or owner name"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 301 or 王"), "type": "search"}),
    )
