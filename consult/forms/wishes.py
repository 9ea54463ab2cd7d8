"""Forms of the wish list: the resident's phone form, the staff's fast entry form, triage,
corrections, paper support, receipt lookup and the two list filters.

Forms check the input itself (lengths, choices, real photos, an address that names exactly
one household); the rules of the life cycle live in the services."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from projects.models import Building, Channel, Project, Stage
from projects.photos import PhotosField
from projects.validators import normalise_phone, validate_phone

from ..models import Meeting, Wish, WishCategory, WishStatus
from ..models.wishes import STAFF_CHANNELS
from ..receipts import normalise_receipt_code
from ..selectors.wishes import OPEN_STATUS, households_at_address
from ..services.wishes import MAX_PHOTOS
from ..wish_lifecycle import TABLE

SUPPORT_CHANNELS = [
    Channel.PAPER,
    Channel.QUESTIONNAIRE,
    Channel.MEETING,
    Channel.HOME_VISIT,
    Channel.PHONE,
    Channel.BUILDING_HEAD,
    Channel.OFFICE,
]


def _choices(values) -> list[tuple[str, str]]:
    return [(str(v), Channel(v).label) for v in values]


class BuildingChoiceField(forms.ModelChoiceField):
    """Buildings of one compound, named as on the building ("3号楼") without the compound."""

    def label_from_instance(self, obj):
        return obj.name


def _clean_phone(value: str) -> str:
    value = normalise_phone(value)
    validate_phone(value)
    return value


# --- the resident's form ------------------------------------------------------------------


class WishSubmitForm(forms.Form):
    """What a resident fills in on a phone: big fields, few of them, in the order people think."""

    title = forms.CharField(
        label=_("What would you like improved?"),
        max_length=120,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Add a handrail in the stairwell of 3号楼")}),
    )
    category = forms.ChoiceField(label=_("What is it about?"), choices=WishCategory.choices, widget=forms.RadioSelect)
    building = BuildingChoiceField(
        label=_("Which building?"), queryset=None, required=False, empty_label=_("Not one building / whole compound")
    )
    location = forms.CharField(
        label=_("Where exactly?"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. by the north gate")}),
    )
    description = forms.CharField(
        label=_("Anything else we should know?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photos = PhotosField(max_photos=MAX_PHOTOS, label=_("Photos"))
    contact_name = forms.CharField(
        label=_("Your name"),
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "name", "placeholder": _("e.g. 王阿姨")}),
    )
    contact_phone = forms.CharField(
        label=_("Your phone number"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("Only community staff see it; it is never published."),
    )
    consent = forms.BooleanField(
        label=_("The community may use my name and phone number to answer this wish."),
        error_messages={"required": _("Please agree, or enter your household code instead.")},
    )
    # Consent to SMS (PIPL): separate from the consent above, never required, never pre-ticked.
    sms_consent = forms.BooleanField(
        label=_(
            "Also tell me by SMS when this wish is answered and about the renovation (votes, meetings, works). "
            "I can stop the messages at any time."
        ),
        required=False,
    )

    def __init__(self, *args, compound, household=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.compound = compound
        self.household = household
        self.fields["building"].queryset = compound.buildings.order_by("sort_key", "name")
        if household is not None:
            for name in ("contact_name", "contact_phone", "consent"):
                del self.fields[name]
            if household.phone:
                self.fields["sms_consent"].label = gettext(
                    "Tell my household by SMS, at the phone number on file (ending %(last4)s), when this wish is "
                    "answered and about the renovation (votes, meetings, works). I can stop the messages at any "
                    "time."
                ) % {"last4": household.phone[-4:]}
            else:
                del self.fields["sms_consent"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        contact = (
            [HTML('{% include "consult/wishes/_acting_household.html" %}')]
            if household is not None
            else [Field("contact_name"), Field("contact_phone"), Field("consent")]
        )
        if "sms_consent" in self.fields:
            contact.append(Field("sms_consent"))
        self.helper.layout = Layout(
            Field("title", css_class="form-control-lg"),
            Div(Field("category"), css_class="wish-categories"),
            Field("building", css_class="form-select-lg"),
            Field("location", css_class="form-control-lg"),
            Field("description"),
            Field("photos", css_class="form-control-lg"),
            Fieldset(gettext("How can we reach you?"), *contact),
        )

    def clean_contact_phone(self):
        return _clean_phone(self.cleaned_data["contact_phone"])

    def sms_consent_phone(self) -> str:
        """The number the resident agreed to receive SMS at, or "" when they did not tick."""
        if not self.cleaned_data.get("sms_consent"):
            return ""
        return self.household.phone if self.household is not None else self.cleaned_data.get("contact_phone", "")


# --- staff entry ---------------------------------------------------------------------------


class HouseholdAddressMixin:
    """A household typed as '3-2-301' (building-unit-room), resolved within one compound."""

    def resolve_household(self, compound, text: str, field: str, building_ids=None):
        matches = list(households_at_address(compound, text, building_ids)[:6])
        if not matches:
            self.add_error(
                field,
                gettext("No household %(address)s in %(compound)s. Type building-unit-room, e.g. 3-2-301.")
                % {"address": text, "compound": compound.name},
            )
            return None
        if len(matches) > 1:
            found = "、".join(f"{h.unit.building.name}{h.unit.name}{h.room}" for h in matches[:5])
            self.add_error(
                field, gettext("Several households match: %(found)s. Add the building and unit.") % {"found": found}
            )
            return None
        return matches[0]


class WishEntryForm(HouseholdAddressMixin, forms.Form):
    """Staff type a wish for a resident. The first four fields stay filled for the next
    questionnaire of the stack; the rest start empty, with the cursor in the first of them."""

    KEPT = ("channel", "compound", "meeting")

    channel = forms.ChoiceField(label=_("Channel"), choices=_choices(STAFF_CHANNELS))
    compound = forms.ModelChoiceField(label=_("Compound"), queryset=None, empty_label=None)
    meeting = forms.ModelChoiceField(
        label=_("Raised at meeting"), queryset=None, required=False, empty_label=_("Not at a meeting")
    )
    paper_reference = forms.CharField(label=_("Form number"), max_length=50, required=False)
    household_address = forms.CharField(
        label=_("Household (building-unit-room)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "3-2-301", "autocomplete": "off"}),
        help_text=_("Leave empty for someone outside the registry; then give a name and phone if known."),
    )
    contact_name = forms.CharField(label=_("Name"), max_length=50, required=False)
    contact_phone = forms.CharField(
        label=_("Phone"), max_length=20, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    category = forms.ChoiceField(label=_("Category"), choices=[("", "—"), *WishCategory.choices])
    title = forms.CharField(label=pgettext_lazy("wish", "What"), max_length=120)
    description = forms.CharField(
        label=pgettext_lazy("wish description", "Details"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    building = BuildingChoiceField(
        label=_("Where: building"),
        queryset=None,
        required=False,
        empty_label=_("The resident's own building"),
        help_text=_("Leave as it is when the wish is about the resident's own building."),
    )
    location = forms.CharField(label=_("Where exactly"), max_length=200, required=False)
    photos = PhotosField(max_photos=MAX_PHOTOS, label=_("Photos"))

    def __init__(self, *args, community, building_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        self.building_ids = building_ids
        compounds = community.compounds.order_by("name")
        if building_ids is not None:
            compounds = compounds.filter(buildings__in=building_ids).distinct()
        self.fields["compound"].queryset = compounds
        self.fields["meeting"].queryset = Meeting.objects.filter(community=community).order_by("-starts_at")
        compound = self._selected_compound(compounds)
        buildings = compound.buildings.order_by("sort_key", "name") if compound else compounds.none()
        if building_ids is not None:
            buildings = buildings.filter(pk__in=building_ids)
        self.fields["building"].queryset = buildings
        self.compound_choice = compound
        self.fields["household_address"].widget.attrs["autofocus"] = True
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Div(
                Div(Field("channel"), css_class="col-md-4"),
                Div(Field("compound"), css_class="col-md-4"),
                Div(Field("meeting"), css_class="col-md-4"),
                css_class="row g-2 kept-fields",
            ),
            Div(
                Div(Field("household_address"), css_class="col-md-4"),
                Div(Field("paper_reference"), css_class="col-md-2"),
                Div(Field("contact_name"), css_class="col-md-3"),
                Div(Field("contact_phone"), css_class="col-md-3"),
                css_class="row g-2",
            ),
            Div(
                Div(Field("category"), css_class="col-md-3"),
                Div(Field("title"), css_class="col-md-9"),
                css_class="row g-2",
            ),
            Field("description"),
            Div(
                Div(Field("building"), css_class="col-md-4"),
                Div(Field("location"), css_class="col-md-8"),
                css_class="row g-2",
            ),
            Field("photos"),
        )

    def _selected_compound(self, compounds):
        value = self.data.get("compound") if self.is_bound else self.initial.get("compound")
        value = getattr(value, "pk", value)
        try:
            return compounds.filter(pk=int(value)).first() if value not in (None, "") else compounds.first()
        except (TypeError, ValueError):
            return compounds.first()

    def clean_contact_phone(self):
        return _clean_phone(self.cleaned_data["contact_phone"])

    def clean(self):
        cleaned = super().clean()
        compound = cleaned.get("compound")
        address = (cleaned.get("household_address") or "").strip()
        cleaned["household"] = None
        if compound is not None and address:
            cleaned["household"] = self.resolve_household(compound, address, "household_address", self.building_ids)
        building = cleaned.get("building")
        if compound is not None and building is not None and building.compound_id != compound.pk:
            self.add_error("building", gettext("This building is not in the compound."))
        if building is None and cleaned["household"] is not None:
            cleaned["building"] = cleaned["household"].unit.building
        if self.building_ids is not None and cleaned.get("building") is None and cleaned["household"] is None:
            self.add_error("household_address", gettext("Enter the household: you record wishes for your buildings."))
        return cleaned

    def kept_values(self) -> dict:
        """What the next entry starts with: the same channel, compound, meeting."""
        data = self.cleaned_data
        kept = {"channel": data["channel"], "compound": data["compound"].pk}
        if data.get("meeting"):
            kept["meeting"] = data["meeting"].pk
        return kept


# --- triage ------------------------------------------------------------------------------------


class TriageForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), widget=forms.RadioSelect)
    response = forms.CharField(
        label=_("Response to the submitter (public)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the wish page. Leave empty for the standard wording; a decline needs a reason."),
    )
    project = forms.ModelChoiceField(label=_("Project"), queryset=None, required=False)
    merge_into = forms.IntegerField(label=_("Merge into wish No."), required=False, min_value=1)
    note = forms.CharField(
        label=_("Internal note (staff only)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, wish: Wish, **kwargs):
        super().__init__(*args, **kwargs)
        self.wish = wish
        self.fields["to_status"].choices = [(s, WishStatus(s).label) for s in TABLE.allowed(wish.status)]
        self.fields["project"].queryset = Project.objects.filter(community_id=wish.community_id).exclude(
            stage=Stage.COMPLETED
        )
        self.helper = FormHelper()
        self.helper.attrs = {"data-triage-form": ""}
        self.helper.layout = Layout(
            Field("to_status"), "project", "merge_into", "response", "note", Submit("save", _("Save the change"))
        )

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("to_status")
        if status == WishStatus.PLANNED and not cleaned.get("project"):
            self.add_error("project", gettext("Choose the project whose plan takes this wish."))
        cleaned["merge_target"] = None
        if status == WishStatus.MERGED:
            number = cleaned.get("merge_into")
            if not number:
                self.add_error("merge_into", gettext("Enter the number of the wish to merge into."))
            else:
                target = Wish.objects.filter(pk=number, community_id=self.wish.community_id).first()
                if target is None:
                    self.add_error(
                        "merge_into", gettext("There is no wish No. %(n)d in this community.") % {"n": number}
                    )
                cleaned["merge_target"] = target
        if status == WishStatus.DECLINED and not (cleaned.get("response") or "").strip():
            self.add_error("response", gettext("Write the reason the submitter and the neighbours will read."))
        return cleaned


class WishEditForm(forms.ModelForm):
    remove_photos = forms.ModelMultipleChoiceField(
        label=_("Remove photos"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    add_photos = PhotosField(max_photos=MAX_PHOTOS, label=_("Add photos"))

    class Meta:
        model = Wish
        fields = [
            "title",
            "category",
            "description",
            "building",
            "location",
            "meeting",
            "paper_reference",
            "contact_name",
            "contact_phone",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        wish = self.instance
        self.fields["building"].queryset = wish.compound.buildings.order_by("sort_key", "name")
        self.fields["building"].label_from_instance = lambda building: building.name
        self.fields["meeting"].queryset = Meeting.objects.filter(community_id=wish.community_id).order_by("-starts_at")
        self.fields["remove_photos"].queryset = wish.photos.all()
        self.fields["remove_photos"].label_from_instance = lambda p: p.image.name.rsplit("/", 1)[-1]
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save corrections")))

    def clean_contact_phone(self):
        return _clean_phone(self.cleaned_data["contact_phone"])


class SupportEntryForm(HouseholdAddressMixin, forms.Form):
    household_address = forms.CharField(
        label=_("Household (building-unit-room)"),
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "3-2-301", "autocomplete": "off", "autofocus": True}),
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=_choices(SUPPORT_CHANNELS))
    paper_reference = forms.CharField(label=_("Form number"), max_length=50, required=False)

    def __init__(self, *args, wish: Wish, building_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.wish = wish
        self.building_ids = building_ids
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        cleaned = super().clean()
        address = cleaned.get("household_address")
        cleaned["household"] = (
            self.resolve_household(self.wish.compound, address, "household_address", self.building_ids)
            if address
            else None
        )
        return cleaned


# --- public lookups and filters -------------------------------------------------------------


class ReceiptLookupForm(forms.Form):
    code = forms.CharField(
        label=_("Receipt code"),
        max_length=30,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": "XXXXX-XXXXX",
                "class": "form-control form-control-lg text-uppercase",
            }
        ),
    )

    def clean_code(self):
        # A malformed code gets the same answer as an unknown one: nothing to learn from it.
        return normalise_receipt_code(self.cleaned_data["code"])


def _style_filters(form) -> None:
    for field in form.fields.values():
        field.widget.attrs["class"] = "form-select" if isinstance(field.widget, forms.Select) else "form-control"


SORT_CHOICES = [("support", _("Most supported")), ("new", _("Newest")), ("old", _("Oldest"))]


class PublicWishFilterForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), required=False, choices=[("", _("All categories"))])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All (not merged)"))])
    building = BuildingChoiceField(label=_("Building"), queryset=None, required=False, empty_label=_("All buildings"))
    sort = forms.ChoiceField(label=_("Order"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, compound, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices += WishCategory.choices
        self.fields["status"].choices += WishStatus.choices
        self.fields["building"].queryset = compound.buildings.order_by("sort_key", "name")
        _style_filters(self)

    def values(self) -> dict:
        """The filters to apply; a bad value in the address bar falls back to no filter."""
        self.is_valid()  # invalid fields are simply missing from cleaned_data
        return {name: self.cleaned_data.get(name) for name in self.fields}


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    compound = forms.ModelChoiceField(
        label=_("Compound"), queryset=None, required=False, empty_label=_("All compounds")
    )
    building = forms.ModelChoiceField(
        label=_("Building"), queryset=None, required=False, empty_label=_("All buildings")
    )
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=None, required=False, empty_label=_("Any meeting"))
    project = forms.ModelChoiceField(label=_("Project"), queryset=None, required=False, empty_label=_("Any project"))
    sort = forms.ChoiceField(
        label=_("Order"), required=False, choices=[SORT_CHOICES[1], SORT_CHOICES[0], SORT_CHOICES[2]]
    )

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", _("All")),
            (OPEN_STATUS, pgettext_lazy("wish", "Open")),
            *WishStatus.choices,
        ]
        self.fields["category"].choices = [("", _("All categories")), *WishCategory.choices]
        self.fields["channel"].choices = [("", _("All channels")), *Channel.choices]
        self.fields["compound"].queryset = community.compounds.order_by("name")
        self.fields["building"].queryset = Building.objects.filter(compound__community=community).select_related(
            "compound"
        )
        self.fields["meeting"].queryset = Meeting.objects.filter(community=community)
        self.fields["project"].queryset = Project.objects.filter(community=community)
        _style_filters(self)

    def values(self) -> dict:
        self.is_valid()  # invalid fields are simply missing from cleaned_data
        return {name: self.cleaned_data.get(name) for name in self.fields}
