"""Forms for complaints during construction."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..models import Complaint, ComplaintSource, ComplaintStatus, Department, Project, Role
from .household_picker import HouseholdPickerMixin


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.username


def _handler_fields(form, project: Project) -> None:
    form.fields["handler_user"] = StaffChoiceField(
        label=_("Handled by (staff)"),
        required=False,
        queryset=get_user_model()
        .objects.filter(
            Q(memberships__community_id=project.community_id, memberships__role__in=[Role.ADMIN, Role.STAFF])
        )
        .distinct()
        .order_by("username"),
    )
    form.fields["handler_department"] = forms.ModelChoiceField(
        label=_("Handled by (department)"),
        required=False,
        queryset=Department.objects.filter(sub_district_id=project.community.sub_district_id),
    )


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class ComplaintForm(HouseholdPickerMixin, forms.Form):
    picker_required = False

    source = forms.ChoiceField(label=_("Source"), choices=ComplaintSource.choices)
    hotline_ref = forms.CharField(
        label=_("12345 reference number"),
        required=False,
        max_length=50,
        help_text=_("Required for 12345 hotline complaints."),
    )
    received_at = forms.DateTimeField(label=_("Received at"), widget=DateTimeInput())
    summary = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    contact_phone = Complaint._meta.get_field("contact_phone").formfield()

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.add_household_picker(project.community)
        self.fields["unit"].help_text = _("Optional: the household the complaint is about.")
        _handler_fields(self, project)
        self.order_fields(
            ["source", "hotline_ref", "received_at", "unit", "room", "contact_phone", "summary", "handler_user"]
        )
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Record complaint")))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("source") == ComplaintSource.HOTLINE and not (cleaned.get("hotline_ref") or "").strip():
            self.add_error("hotline_ref", _("Enter the 12345 reference number."))
        cleaned["household"] = self.clean_household_picker(cleaned)
        return cleaned


class ComplaintUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ComplaintStatus.choices)
    response = forms.CharField(
        label=_("Response to the resident"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to mark the complaint resolved."),
    )
    note = forms.CharField(label=_("Internal note"), required=False, max_length=1000)

    def __init__(self, *args, complaint: Complaint, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "status": complaint.status,
                "response": complaint.response,
                "handler_user": complaint.handler_user_id,
                "handler_department": complaint.handler_department_id,
            },
        )
        super().__init__(*args, **kwargs)
        _handler_fields(self, complaint.project)
        self.order_fields(["status", "handler_user", "handler_department", "response", "note"])
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == ComplaintStatus.RESOLVED and not (cleaned.get("response") or "").strip():
            self.add_error("response", _("Write what was done before marking the complaint resolved."))
        return cleaned


class ComplaintFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("open", _("Open or in progress")), *ComplaintStatus.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "class": "form-control", "placeholder": _("Text, 12345 number or room")}
        ),
    )

    def filters(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: self.cleaned_data.get(name, "") for name in self.fields if name not in self.errors}
