from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import AuditAction


class AuditFilterForm(forms.Form):
    """Filters of the audit-trail page; every field is optional and invalid input is ignored."""

    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All actions")), *AuditAction.choices]
    )
    actor = forms.CharField(label=_("Login name"), required=False, max_length=150)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
