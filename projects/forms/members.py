from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from ..models import Building, Department, Membership, Role


class MembershipForm(forms.ModelForm):
    """Role, buildings and department of a member, limited to the community's own."""

    class Meta:
        model = Membership
        fields = ["role", "buildings", "department"]
        widgets = {"buildings": forms.CheckboxSelectMultiple}

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        self.fields["buildings"].queryset = Building.objects.filter(compound__community=community).select_related(
            "compound"
        )
        self.fields["department"].queryset = Department.objects.filter(sub_district_id=community.sub_district_id)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role == Role.DEPARTMENT and not cleaned.get("department"):
            self.add_error("department", _("Choose the department this person works for."))
        if role == Role.BUILDING_HEAD and not cleaned.get("buildings"):
            self.add_error("buildings", _("Choose the buildings this building head looks after."))
        if role != Role.BUILDING_HEAD:
            cleaned["buildings"] = Building.objects.none()
        if role != Role.DEPARTMENT:
            cleaned["department"] = None
        return cleaned


class NewMemberForm(MembershipForm):
    """Adds a person by login name: an existing account, or a new one with a first password."""

    username = forms.CharField(label=_("Login name"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    password = forms.CharField(
        label=_("First password"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Only for a new account. Leave empty when the person already has one."),
    )

    field_order = ["username", "full_name", "password", "role", "buildings", "department"]

    def clean(self):
        cleaned = super().clean()
        username = cleaned.get("username", "").strip()
        existing = get_user_model().objects.filter(username=username).first()
        cleaned["existing_user"] = existing
        if existing is None:
            password = cleaned.get("password")
            if not password:
                self.add_error("password", _("A new account needs a first password."))
            else:
                try:
                    password_validation.validate_password(password)
                except forms.ValidationError as error:
                    self.add_error("password", error)
        elif Membership.objects.filter(user=existing, community=self.community).exists():
            self.add_error("username", _("This person is already a member of this community."))
        return cleaned


def member_form_helper(label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("save", label))
    return helper
