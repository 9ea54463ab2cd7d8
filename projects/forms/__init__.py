from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Household, OwnerKind
from ..services.owners import OwnerSpec


class HouseholdForm(forms.ModelForm):
    """The household and its owners. Owners are typed as names (as on the 台账), with one
    kind for all and an optional reference telling a person apart from namesakes; the
    service links them to Owner rows (``projects.services.owners``)."""

    owner_kind = forms.ChoiceField(label=_("owner kind"), choices=OwnerKind.choices, initial=OwnerKind.PERSON)
    owner_reference = forms.CharField(
        label=_("owner reference"),
        required=False,
        max_length=40,
        help_text=_(
            "Only for one person who owns several flats: the same reference on each flat makes them one owner."
        ),
    )

    class Meta:
        model = Household
        fields = [
            "room",
            "floor",
            "area",
            "area_source",
            "kind",
            "owner_names",
            "owner_kind",
            "owner_reference",
            "phone",
            "elderly_alone",
            "mobility_impaired",
            "bedridden",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, can_edit_care_flags=True, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            first = self.instance.owners.order_by("ownerships__position").first()
            if first is not None:
                self.fields["owner_kind"].initial = first.kind
                self.fields["owner_reference"].initial = first.reference
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

    def clean(self):
        cleaned = super().clean()
        spec = OwnerSpec.parse(cleaned.get("owner_names"), cleaned.get("owner_kind"), cleaned.get("owner_reference"))
        if spec.reference and len(spec.names) != 1:
            self.add_error("owner_reference", _("A reference identifies one person: write exactly one owner name."))
        if len(spec.display) > Household._meta.get_field("owner_names").max_length:
            self.add_error("owner_names", _("Too many owner names."))
        cleaned["owners"] = spec
        return cleaned


class HouseholdSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Room number or owner name"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 301 or 王"), "type": "search"}),
    )
