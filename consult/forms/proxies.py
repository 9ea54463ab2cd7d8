"""The form that records a written authorisation (委托书) from the household page."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.models import Owner
from projects.photos import ACCEPT_ATTR, PhotoField

from ..models import Ballot, BallotStatus


class ProxyForm(forms.Form):
    """The grantor is chosen among the household's recorded owners; a household whose owners
    are not recorded gets a name field instead."""

    grantor = forms.ModelChoiceField(
        label=_("Granted by (owner)"),
        queryset=Owner.objects.none(),
        help_text=_("The owner who signed the authorisation."),
    )
    grantor_name = forms.CharField(
        label=_("Granted by (owner)"), max_length=100, help_text=_("The owner who signed the authorisation.")
    )
    proxy_name = forms.CharField(label=_("Authorised person"), max_length=100)
    proxy_phone = forms.CharField(label=_("Authorised person's phone"), max_length=30, required=False)
    number = forms.CharField(
        label=_("Authorisation number"), max_length=50, help_text=_("As written on the authorisation.")
    )
    signed_on = forms.DateField(
        label=_("Date of the authorisation"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ballot = forms.ModelChoiceField(
        label=_("Covers"),
        queryset=Ballot.objects.none(),
        required=False,
        empty_label=_("Every ballot of the household, until revoked"),
    )
    photo = PhotoField(
        label=_("Photo of the authorisation"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTR, "capture": "environment"}),
        help_text=_("Kept privately; only staff who may see this household can open it."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        community_id = household.unit.building.compound.community_id
        # A draft ballot has no voters yet; an open one only counts if the household votes on it.
        self.fields["ballot"].queryset = Ballot.objects.filter(community_id=community_id).filter(
            Q(status=BallotStatus.DRAFT) | Q(status=BallotStatus.OPEN, eligible__household=household)
        )
        owners = Owner.objects.filter(ownerships__household=household).order_by("name", "pk")
        if owners.exists():
            self.fields["grantor"].queryset = owners
            del self.fields["grantor_name"]
            grantor = "grantor"
        else:
            del self.fields["grantor"]
            self.fields["grantor_name"].initial = household.owner_names
            grantor = "grantor_name"
        self.fields["signed_on"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column(grantor, css_class="col-md-6"), Column("number", css_class="col-md-6")),
            Row(Column("proxy_name", css_class="col-md-6"), Column("proxy_phone", css_class="col-md-6")),
            Row(Column("signed_on", css_class="col-md-6"), Column("ballot", css_class="col-md-6")),
            "photo",
            "note",
        )
        self.helper.add_input(Submit("submit", _("Record the authorisation")))
