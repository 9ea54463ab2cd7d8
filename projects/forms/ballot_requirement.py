from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import REQUIRED_BALLOT_CHOICES


class BallotRequirementForm(forms.Form):
    rule = forms.ChoiceField(
        label=_("Ballot required before construction"),
        choices=REQUIRED_BALLOT_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Why"),
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. the owners' committee asked for a ballot")}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save change")))
