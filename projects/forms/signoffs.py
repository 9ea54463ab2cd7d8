"""Forms of the sign-off tracker: input checks only; the rules live in the services."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import (
    Channel,
    ConcernCategory,
    ContactKind,
    DecisionKind,
    DecisionRule,
    SignerRelation,
    SignoffCampaign,
    SignoffStatus,
)
from ..photos import ACCEPT_ATTR, PhotoField
from ..thresholds import parse_ratio


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FractionField(forms.CharField):
    """ "2/3", "75%" or "0.75" → (numerator, denominator), exact."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            fraction = parse_ratio(value)
        except ValueError as error:
            raise forms.ValidationError(
                _("Enter a share between 0 and 1: 2/3, 0.75 or 75%."), code="fraction"
            ) from error
        return fraction.numerator, fraction.denominator


def _fraction_text(numerator, denominator) -> str:
    return f"{numerator}/{denominator}" if numerator and denominator else ""


class CampaignForm(forms.ModelForm):
    custom_heads = FractionField(
        label=_("Households that must agree"), help_text=_("Share of all affected households, e.g. 2/3 or 75%.")
    )
    custom_area = FractionField(
        label=_("Area that must agree"), help_text=_("Share of the total exclusive area, e.g. 2/3 or 75%.")
    )

    class Meta:
        model = SignoffCampaign
        fields = [
            "title",
            "consent_text",
            "decision_kind",
            "rule",
            "custom_comparison",
            "paper_required",
            "stale_after_days",
            "deadline",
            "show_on_noticeboard",
        ]
        widgets = {
            "consent_text": forms.Textarea(attrs={"rows": 4}),
            "deadline": _date_widget(),
            "decision_kind": forms.RadioSelect,
        }

    field_order = [
        "title",
        "consent_text",
        "decision_kind",
        "rule",
        "custom_heads",
        "custom_area",
        "custom_comparison",
        "paper_required",
        "stale_after_days",
        "deadline",
        "show_on_noticeboard",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A radio always sends a choice; a client that sends none keeps the current kind.
        self.fields["decision_kind"].required = False
        if self.instance.pk:
            self.initial["custom_heads"] = _fraction_text(
                self.instance.custom_heads_numerator, self.instance.custom_heads_denominator
            )
            self.initial["custom_area"] = _fraction_text(
                self.instance.custom_area_numerator, self.instance.custom_area_denominator
            )
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))

    def clean_stale_after_days(self):
        days = self.cleaned_data["stale_after_days"]
        if days is not None and days < 1:
            raise forms.ValidationError(_("At least one day."))
        return days

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("rule") == DecisionRule.CUSTOM and not (
            cleaned.get("custom_heads") or cleaned.get("custom_area")
        ):
            self.add_error("custom_heads", _("A custom rule needs a share of households, of area, or both."))
        return cleaned

    def campaign_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["decision_kind"] = data["decision_kind"] or self.instance.decision_kind or DecisionKind.RESIDENTS
        custom = data["rule"] == DecisionRule.CUSTOM
        heads = self.cleaned_data.get("custom_heads") if custom else None
        area = self.cleaned_data.get("custom_area") if custom else None
        data["custom_heads_numerator"], data["custom_heads_denominator"] = heads or (None, None)
        data["custom_area_numerator"], data["custom_area_denominator"] = area or (None, None)
        return data


STAFF_CHANNELS = [(value, label) for value, label in Channel.choices if value != Channel.ONLINE]


class StatusForm(forms.Form):
    """A status with its details, as staff record it (the household page, the grid's short form)."""

    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Choose…")), *SignoffStatus.choices])
    channel = forms.ChoiceField(label=_("How"), choices=STAFF_CHANNELS, initial=Channel.HOME_VISIT)
    signer_name = forms.CharField(label=_("Signed by"), max_length=100, required=False)
    signer_relation = forms.ChoiceField(
        label=_("Relation to the owner"), choices=SignerRelation.choices, initial=SignerRelation.OWNER, required=False
    )
    signed_on = forms.DateField(label=_("Date signed"), required=False, widget=_date_widget())
    paper_reference = forms.CharField(label=_("Paper form number"), max_length=50, required=False)
    paper_date = forms.DateField(
        label=_("Date on the paper"),
        required=False,
        widget=_date_widget(),
        help_text=_("The date written on the paper form, when it differs from today. Leave empty if not known."),
    )
    form_photo = PhotoField(
        label=_("Photo of the signed form"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTR, "capture": "environment"}),
    )
    concern_category = forms.ChoiceField(
        label=_("Concern"), choices=[("", "—"), *ConcernCategory.choices], required=False
    )
    concern_text = forms.CharField(
        label=_("In the resident's words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. 我们家刚装修完 / 橱柜、洁具都是新的"),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    AGREEMENT_FIELDS = ("signer_name", "signer_relation", "signed_on", "paper_reference")
    CONCERN_FIELDS = ("concern_category", "concern_text")

    def __init__(self, *args, household=None, only_status: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signed_on"].initial = timezone.localdate()
        if household is not None:
            self.fields["signer_name"].initial = household.owner_names
        if only_status:
            # The grid's short form: just what this status needs.
            keep = {"status", *(self.AGREEMENT_FIELDS if only_status == SignoffStatus.AGREED else self.CONCERN_FIELDS)}
            for name in list(self.fields):
                if name not in keep:
                    del self.fields[name]
            self.fields["status"].widget = forms.HiddenInput()
            self.fields["status"].initial = only_status

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status == SignoffStatus.AGREED and "signer_name" in self.fields and not cleaned.get("signer_name"):
            self.add_error("signer_name", _("Who signed? Enter their name."))
        if status == SignoffStatus.AGREED and "signed_on" in self.fields and not cleaned.get("signed_on"):
            self.add_error("signed_on", _("Enter the date of the signature."))
        if status == SignoffStatus.CONCERNS and not cleaned.get("concern_text", "").strip():
            self.add_error("concern_text", _("Write down the concern in the resident's own words."))
        return cleaned

    def service_kwargs(self) -> dict:
        c = self.cleaned_data
        return {
            "status": c["status"],
            "channel": c.get("channel") or Channel.HOME_VISIT,
            "note": c.get("note", ""),
            "signed_on": c.get("signed_on"),
            "signer_name": c.get("signer_name", ""),
            "signer_relation": c.get("signer_relation", ""),
            "paper_reference": c.get("paper_reference", ""),
            "paper_date": c.get("paper_date"),
            "form_photo": c.get("form_photo"),
            "concern_category": c.get("concern_category", ""),
            "concern_text": c.get("concern_text", ""),
        }


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactKind.choices, initial=ContactKind.VISIT)
    staff = PersonChoiceField(label=_("Staff member"), queryset=None)
    contacted_on = forms.DateField(label=_("Date"), widget=_date_widget())
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}))
    next_step = forms.CharField(label=_("Next step"), max_length=300, required=False)

    def __init__(self, *args, people, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = people
        self.fields["staff"].initial = user.pk
        self.fields["contacted_on"].initial = timezone.localdate()


class AssignForm(forms.Form):
    assignee = PersonChoiceField(
        label=_("Follows up"),
        queryset=None,
        required=False,
        empty_label=_("Nobody (take the follow-up off)"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    note = forms.CharField(
        label=_("Note"), max_length=300, required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = people


class BulkAssignForm(AssignForm):
    households = forms.TypedMultipleChoiceField(coerce=int, choices=(), label=_("Households"))

    def __init__(self, *args, household_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["households"].choices = [(pk, pk) for pk in household_ids]


class BlockerFilterForm(forms.Form):
    q = forms.CharField(label=_("Room or owner"), required=False, max_length=50)
    building = forms.TypedChoiceField(label=_("Building"), coerce=int, required=False, empty_value=None)
    assignee = forms.ChoiceField(label=_("Follows up"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All not agreed"))]
        + [(value, label) for value, label in SignoffStatus.choices if value != SignoffStatus.AGREED],
    )
    stale = forms.BooleanField(label=_("Only those not contacted for a while"), required=False)
    # Set by the construction gate's link: the households of one unit that have not agreed.
    unit = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, buildings, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].choices = [("", _("All buildings"))] + [(b.pk, str(b)) for b in buildings]
        self.fields["assignee"].choices = [
            ("", _("Anybody")),
            ("me", _("Me")),
            ("none", _("Nobody yet")),
        ] + [(str(p.pk), p.get_full_name() or p.username) for p in people]


class OnlineConfirmForm(forms.Form):
    """What a resident fills in after entering the household code."""

    ANSWERS = [("agree", _("I agree")), ("concerns", _("I have concerns"))]

    answer = forms.ChoiceField(label=_("Your answer"), choices=ANSWERS, widget=forms.RadioSelect)
    signer_name = forms.CharField(label=_("Your name"), max_length=100)
    signer_relation = forms.ChoiceField(
        label=_("You are the owner's"), choices=SignerRelation.choices, initial=SignerRelation.OWNER
    )
    concern_category = forms.ChoiceField(
        label=_("What worries you"), choices=[("", "—"), *ConcernCategory.choices], required=False
    )
    concern_text = forms.CharField(
        label=_("Tell us in your own words"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("send", _("Send my answer")))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("answer") == "concerns" and not cleaned.get("concern_text", "").strip():
            self.add_error("concern_text", _("Please tell us what worries you, so staff can help."))
        return cleaned
