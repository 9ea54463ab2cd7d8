"""Forms for projects: create/edit with funding and firms, list filters, stage change, scope
adjustments. Validation of the input only; business rules live in the services."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import (
    Building,
    Community,
    Compound,
    Department,
    FundingSource,
    Project,
    ProjectClass,
    ProjectFirm,
    Stage,
    Unit,
    WorkType,
)
from .household_picker import HouseholdPickerMixin

OUTSIDE_COMMUNITY = _("Only places of this community can be chosen.")


class BuildingChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, building):
        return f"{building.compound.name} {building.name}"


class UnitChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, unit):
        return f"{unit.building.compound.name} {unit.building.name} {unit.name}"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ProjectForm(forms.ModelForm):
    """The project's facts and its scope. Scope pickers list only the community's places, so
    a building of another community is rejected as an invalid choice."""

    compounds = forms.ModelMultipleChoiceField(
        label=_("Whole compounds"),
        queryset=Compound.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": OUTSIDE_COMMUNITY},
    )
    buildings = BuildingChoices(
        label=_("Single buildings"),
        queryset=Building.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": OUTSIDE_COMMUNITY},
    )
    units = UnitChoices(
        label=_("Single units (entrances)"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": OUTSIDE_COMMUNITY},
    )
    scope_reason = forms.CharField(
        label=_("Reason for the scope change"),
        required=False,
        max_length=300,
        help_text=_(
            "Needed when you change the compounds, buildings or units of an existing project; kept in its scope history."
        ),
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments involved"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Project
        fields = [
            "title",
            "description",
            "project_class",
            "work_type",
            "planned_start",
            "planned_end",
            "is_public",
            "compounds",
            "buildings",
            "units",
            "departments",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "planned_start": DateInput(),
            "planned_end": DateInput(),
        }

    def __init__(self, *args, community: Community, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        self.fields["compounds"].queryset = community.compounds.order_by("name")
        self.fields["buildings"].queryset = (
            Building.objects.filter(compound__community=community)
            .select_related("compound")
            .order_by("compound__name", "sort_key", "name")
        )
        self.fields["units"].queryset = (
            Unit.objects.filter(building__compound__community=community)
            .select_related("building__compound")
            .order_by("building__compound__name", "building__sort_key", "building__name", "sort_key", "name")
        )
        self.fields["departments"].queryset = Department.objects.filter(sub_district_id=community.sub_district_id)
        self.fields["compounds"].help_text = _("Every household of the compound is affected.")
        self.fields["buildings"].help_text = _("Every household of the building.")
        self.fields["units"].help_text = _("Every household of the entrance, e.g. one riser for water pipes.")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("planned_start"), cleaned.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", _("The planned end cannot be before the planned start."))
        return cleaned


class FundingForm(forms.ModelForm):
    class Meta:
        model = FundingSource
        fields = ["kind", "amount", "note"]

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise forms.ValidationError(_("The amount must be greater than 0."))
        return amount


class FirmForm(forms.ModelForm):
    class Meta:
        model = ProjectFirm
        fields = ["role", "name"]


FundingFormSet = forms.inlineformset_factory(
    Project, FundingSource, form=FundingForm, extra=2, can_delete=True, max_num=20, validate_max=True
)
FirmFormSet = forms.inlineformset_factory(
    Project, ProjectFirm, form=FirmForm, extra=2, can_delete=True, max_num=20, validate_max=True
)


def inline_helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.template = "bootstrap5/table_inline_formset.html"
    return helper


class ProjectFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "class": "form-control", "placeholder": _("Title or description")}
        ),
    )
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("All stages")), *Stage.choices])
    project_class = forms.ChoiceField(
        label=_("National class"), required=False, choices=[("", _("All classes")), *ProjectClass.choices]
    )
    work_type = forms.ChoiceField(
        label=_("Work type"), required=False, choices=[("", _("All work types")), *WorkType.choices]
    )
    compound = forms.ModelChoiceField(
        label=_("Compound"), required=False, queryset=Compound.objects.none(), empty_label=_("All compounds")
    )

    def __init__(self, *args, community: Community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = community.compounds.order_by("name")

    def filters(self) -> dict:
        """The valid filters; an invalid parameter is ignored rather than failing the page."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}


class StageChangeForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("Move to"), choices=Stage.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when going back to an earlier stage."),
    )

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project

    def clean(self):
        cleaned = super().clean()
        to_stage = cleaned.get("to_stage")
        if to_stage and Stage.index(to_stage) < Stage.index(self.project.stage) and not cleaned.get("note", "").strip():
            self.add_error("note", _("Say why the project goes back to an earlier stage."))
        return cleaned


class ScopeAdjustForm(HouseholdPickerMixin, forms.Form):
    included = forms.TypedChoiceField(
        label=_("Change"),
        initial="1",
        choices=[("1", _("Add this household")), ("0", _("Take this household out"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. the shop at the gate uses this sewer too")}),
    )

    def __init__(self, *args, community: Community, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_household_picker(community)
        self.order_fields(["included", "unit", "room", "reason"])
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save change")))

    def clean(self):
        cleaned = super().clean()
        cleaned["household"] = self.clean_household_picker(cleaned)
        return cleaned
