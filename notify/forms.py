from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from projects.models import Channel

from .models import MessageChannel, MessageKind


def _helper(label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


class SendForm(forms.Form):
    """How a message goes out: online (SMS to consenting phones, the residents' group),
    printed for the stairwells, or both."""

    channels = forms.MultipleChoiceField(
        label=_("How"),
        choices=MessageChannel.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[MessageChannel.SMS, MessageChannel.PRINT],
        error_messages={"required": _("Choose online, print, or both.")},
    )

    def __init__(self, *args, channels=None, **kwargs):
        super().__init__(*args, **kwargs)
        if channels is not None:
            self.fields["channels"].choices = [c for c in MessageChannel.choices if c[0] in channels]
            self.fields["channels"].initial = [c for c in self.fields["channels"].initial if c in channels]
        self.helper = _helper(_("Send"))


class BallotReminderForm(SendForm):
    kind = forms.ChoiceField(
        label=_("Reminder"),
        choices=[
            (MessageKind.BALLOT_OPENED, _("Voting is open")),
            (MessageKind.BALLOT_CLOSING, _("Voting closes within 48 hours")),
        ],
        initial=MessageKind.BALLOT_OPENED,
    )
    field_order = ["kind", "channels"]


class MeetingNoticeForm(SendForm):
    changed = forms.TypedChoiceField(
        label=_("Notice"),
        choices=[(False, _("The meeting is announced")), (True, _("The meeting's time or place changed"))],
        coerce=lambda value: value in (True, "True"),
        initial=False,
    )
    field_order = ["changed", "channels"]


class SignoffReminderForm(SendForm):
    assignee = forms.ModelChoiceField(label=_("Households followed up by"), queryset=None)
    field_order = ["assignee", "channels"]

    def __init__(self, *args, assignees=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignees


class ConstructionNoticeForm(SendForm):
    what = forms.ChoiceField(
        label=_("What"),
        choices=[("water", _("Water off")), ("power", _("Power off")), ("works", _("Construction work"))],
    )
    buildings = forms.ModelMultipleChoiceField(
        label=_("Buildings affected"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    starts = forms.DateTimeField(label=_("From"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends = forms.DateTimeField(label=_("Until"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    detail = forms.CharField(
        label=_("More for residents"),
        required=False,
        max_length=200,
        help_text=_("e.g. store water the night before; temporary water at the north gate"),
    )
    field_order = ["what", "buildings", "starts", "ends", "detail", "channels"]

    def __init__(self, *args, buildings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buildings"].queryset = buildings

    def clean(self):
        data = super().clean()
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", _("The end must be after the start."))
        buildings = data.get("buildings")
        if buildings and len({b.compound_id for b in buildings}) > 1:
            self.add_error("buildings", _("Choose buildings of one compound; send one notice per compound."))
        return data


CONSENT_CHANNELS = [(c.value, c.label) for c in Channel if c != Channel.ONLINE]


class ConsentForm(forms.Form):
    phone = forms.CharField(label=_("Phone"), max_length=20)
    address = forms.CharField(
        label=_("Household (optional)"),
        required=False,
        max_length=50,
        help_text=_("e.g. 3-2-501 or 3号楼2单元501"),
    )
    granted = forms.TypedChoiceField(
        label=_("Answer"),
        choices=[(True, _("Agrees to SMS from the community")), (False, _("Does not want SMS"))],
        coerce=lambda value: value in (True, "True"),
        initial=True,
    )
    channel = forms.ChoiceField(label=_("How we heard it"), choices=CONSENT_CHANNELS, initial=Channel.PAPER.value)
    paper_reference = forms.CharField(label=_("Paper form number"), required=False, max_length=50)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record"))


class OptOutForm(forms.Form):
    channel = forms.ChoiceField(choices=CONSENT_CHANNELS, initial=Channel.PHONE.value)
