"""Forms for acceptance records and the satisfaction survey."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import AcceptanceRecord, Channel, Project
from .household_picker import HouseholdPickerMixin
from .projects import DateInput

SCORE_CHOICES = [
    (5, _("5 · Very satisfied")),
    (4, _("4 · Satisfied")),
    (3, _("3 · Neutral")),
    (2, _("2 · Dissatisfied")),
    (1, _("1 · Very dissatisfied")),
]


def score_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=_("Score"), choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect)


class AcceptanceForm(forms.ModelForm):
    class Meta:
        model = AcceptanceRecord
        fields = ["date", "participants", "resident_representatives", "findings", "passed", "published"]
        widgets = {
            "date": DateInput(),
            "participants": forms.Textarea(attrs={"rows": 3}),
            "resident_representatives": forms.Textarea(attrs={"rows": 3}),
            "findings": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))


class StaffSatisfactionForm(HouseholdPickerMixin, forms.Form):
    """A household's answer typed in by staff: from a paper questionnaire, a call or a visit."""

    channel = forms.ChoiceField(
        label=_("How the answer reached us"),
        choices=[(value, label) for value, label in Channel.choices if value != Channel.ONLINE],
        initial=Channel.QUESTIONNAIRE,
    )
    score = score_field()
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_household_picker(project.community)
        self.order_fields(["unit", "room", "channel", "score", "comment"])
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Record answer")))

    def clean(self):
        cleaned = super().clean()
        cleaned["household"] = self.clean_household_picker(cleaned)
        return cleaned


class SatisfactionCorrectForm(forms.Form):
    score = score_field()
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(label=_("Reason for the correction"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save correction")))


class ResidentRatingForm(forms.Form):
    """The resident's own rating: big buttons, an optional comment."""

    score = score_field()
    comment = forms.CharField(
        label=_("Anything you want to tell us (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
