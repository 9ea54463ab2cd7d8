"""The community admin's settings form."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Community


class CommunitySettingsForm(forms.ModelForm):
    class Meta:
        model = Community
        fields = ["notice_min_days"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notice_min_days"].max_value = 365
        self.fields["notice_min_days"].widget.attrs.update({"min": 0, "max": 365})
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("save", _("Save")))

    def clean_notice_min_days(self):
        days = self.cleaned_data["notice_min_days"]
        if days is not None and days > 365:
            raise forms.ValidationError(_("Enter at most 365 days."))
        return days
