from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _


class CodeEntryForm(forms.Form):
    """Rendered field by field on the phone-first entry page (its own big button)."""

    code = forms.CharField(
        label=_("Household code"),
        max_length=40,
        help_text=_("The 12 letters and digits on your household's letter. Spaces and dashes do not matter."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "autocorrect": "off",
                "spellcheck": "false",
                "inputmode": "text",
                "placeholder": "K7M3 9XPQ R2TA",
                "class": "form-control-lg code-input",
            }
        ),
    )


class IssueCodesForm(forms.Form):
    REPLACE_CHOICES = [
        ("missing", _("Only households that have no code yet")),
        ("all", _("Every household: new letters for all, old codes stop working")),
    ]
    replace = forms.ChoiceField(
        label=_("Whom to issue letters for"), choices=REPLACE_CHOICES, initial="missing", widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("issue", _("Issue and print letters")))


class RevokeCodeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. letter lost, household moved out")}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("revoke", _("Revoke the code"), css_class="btn-danger"))
