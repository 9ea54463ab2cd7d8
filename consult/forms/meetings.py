"""Forms of the meeting pages. They validate the input itself; the services decide whether
the meeting's state allows the change."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from projects.models import Building, Channel, Department, Role
from projects.parsing import parse_id

from ..models import ActionItem, ActionItemStatus, Meeting, MeetingKind, MeetingVote
from ..room_lookup import MAX_HEADCOUNT, RoomIndex, split_headcount

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
MAX_LINES = 300
MAX_VOTES = 100_000  # a show of hands in a room; anything larger is a typo


def staff_users(community):
    """People who can host, take notes or own an action item: the community's office staff
    and building heads."""
    return (
        get_user_model()
        .objects.filter(
            memberships__community=community,
            memberships__role__in=[Role.ADMIN, Role.STAFF, Role.BUILDING_HEAD],
            is_active=True,
        )
        .order_by("last_name", "first_name", "username")
        .distinct()
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


def _helper(label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("save", label))
    return helper


class MeetingForm(forms.ModelForm):
    host = UserChoiceField(queryset=None, required=False, label=gettext_lazy("host"))
    note_taker = UserChoiceField(queryset=None, required=False, label=gettext_lazy("note-taker"))

    class Meta:
        model = Meeting
        fields = [
            "kind",
            "topic",
            "starts_at",
            "place",
            "compound",
            "building",
            "project",
            "host",
            "note_taker",
            "invited_departments",
            "partners",
            "agenda",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
            "invited_departments": forms.CheckboxSelectMultiple,
            "agenda": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        self.fields["compound"].queryset = community.compounds.order_by("name")
        self.fields["compound"].help_text = _("Leave empty for a meeting of the whole community.")
        self.fields["building"].help_text = _(
            "Only for a meeting about one building, e.g. an on-site consultation on its water pipes."
        )
        self.fields["building"].queryset = (
            Building.objects.filter(compound__community=community)
            .select_related("compound")
            .order_by("compound__name", "sort_key", "name")
        )
        self.fields["project"].queryset = community.projects.order_by("-created_at")
        self.fields["host"].queryset = staff_users(community)
        self.fields["note_taker"].queryset = staff_users(community)
        self.fields["invited_departments"].queryset = Department.objects.filter(
            sub_district_id=community.sub_district_id
        ).order_by("name")
        self.fields["invited_departments"].help_text = _("Departments called in to report on site (吹哨报到).")
        self.fields["starts_at"].input_formats = [DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        self.helper = _helper(_("Save"))

    def clean(self):
        cleaned = super().clean()
        compound, building = cleaned.get("compound"), cleaned.get("building")
        if building is not None:
            if compound is None:
                cleaned["compound"] = building.compound
            elif building.compound_id != compound.pk:
                self.add_error("building", _("This building is not in the chosen compound."))
        return cleaned


class StatusChangeForm(forms.Form):
    to_status = forms.CharField(widget=forms.HiddenInput, max_length=20)
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RoomField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Room"))
        kwargs.setdefault("max_length", 60)
        kwargs.setdefault("help_text", gettext_lazy("e.g. 1-2-301, 1号楼2单元301 or 301"))
        super().__init__(**kwargs)


class _RoomFormMixin:
    """Resolves the ``room`` field to one household of the meeting's area."""

    def __init__(self, *args, index: RoomIndex, **kwargs):
        super().__init__(*args, **kwargs)
        self.index = index
        self.household_id = None

    def clean_room(self):
        text = self.cleaned_data["room"]
        resolved = self.index.resolve(text)
        if resolved.error:
            raise forms.ValidationError(resolved.error)
        self.household_id = resolved.ref.pk
        self.resolved = resolved
        return text


class RSVPRecordForm(_RoomFormMixin, forms.Form):
    room = RoomField()
    people = forms.IntegerField(label=gettext_lazy("People coming"), min_value=1, max_value=20, initial=1)
    channel = forms.ChoiceField(
        label=gettext_lazy("How did they tell us?"),
        choices=[(c.value, c.label) for c in Channel if c != Channel.ONLINE],
        initial=Channel.PHONE,
    )


class SignInForm(_RoomFormMixin, forms.Form):
    room = RoomField(widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}))
    headcount = forms.IntegerField(label=gettext_lazy("People"), min_value=1, max_value=MAX_HEADCOUNT, initial=1)


def _lines(text: str) -> list[tuple[int, str]]:
    return [(n, line.strip()) for n, line in enumerate((text or "").splitlines(), start=1) if line.strip()]


class QuickEntryForm(forms.Form):
    """A stack of paper sign-in sheets typed in one go: rooms, names, departments, a count."""

    households = forms.CharField(
        label=gettext_lazy("Households (one room per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "autocomplete": "off", "spellcheck": "false"}),
        help_text=gettext_lazy("e.g. 1-2-301, 1号楼2单元301 or 301; add ×2 or 2人 when two people came from one flat."),
    )
    residents = forms.CharField(
        label=gettext_lazy("Named residents not in the registry (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Tenants, family members, residents of a neighbouring compound."),
    )
    departments = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Departments that came"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    staff = forms.CharField(
        label=gettext_lazy("Community staff (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    walk_ins = forms.IntegerField(
        label=gettext_lazy("Walk-ins who did not sign (count)"), min_value=0, max_value=500, initial=0, required=False
    )

    def __init__(self, *args, index: RoomIndex, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.index = index
        self.fields["departments"].queryset = departments
        self.household_entries: list[tuple[int, int]] = []
        self.resident_entries: list[tuple[str, int]] = []
        self.staff_entries: list[tuple[str, int]] = []

    def _too_many(self, lines):
        if len(lines) > MAX_LINES:
            raise forms.ValidationError(_("At most %(n)d lines at a time.") % {"n": MAX_LINES})

    def clean_households(self):
        lines = _lines(self.cleaned_data["households"])
        self._too_many(lines)
        errors = []
        for number, line in lines:
            resolved = self.index.resolve(line)
            if resolved.error:
                errors.append(
                    _("Line %(n)d “%(text)s”: %(error)s") % {"n": number, "text": line, "error": resolved.error}
                )
            else:
                self.household_entries.append((resolved.ref.pk, resolved.headcount))
        if errors:
            raise forms.ValidationError(errors)
        return self.cleaned_data["households"]

    def _names(self, field):
        lines = _lines(self.cleaned_data[field])
        self._too_many(lines)
        entries, errors = [], []
        for number, line in lines:
            name, headcount = split_headcount(line)
            headcount = 1 if headcount is None else headcount
            if not name or len(name) > 100 or not 1 <= headcount <= MAX_HEADCOUNT:
                errors.append(_("Line %(n)d “%(text)s”: write a name and at most ×50.") % {"n": number, "text": line})
            else:
                entries.append((name, headcount))
        if errors:
            raise forms.ValidationError(errors)
        return entries

    def clean_residents(self):
        self.resident_entries = self._names("residents")
        return self.cleaned_data["residents"]

    def clean_staff(self):
        self.staff_entries = self._names("staff")
        return self.cleaned_data["staff"]

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (
            self.household_entries
            or self.resident_entries
            or self.staff_entries
            or cleaned.get("departments")
            or cleaned.get("walk_ins")
        ):
            raise forms.ValidationError(_("Nothing to add: type at least one room, name or count."))
        return cleaned


class MinutesForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["problems", "solutions", "decisions", "discussion_notes", "public_summary"]
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in fields}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save the minutes"))


class ReportBackForm(forms.Form):
    report_back = forms.CharField(
        label=gettext_lazy("Report back to residents"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("What was done about it (反馈). Posted on the noticeboard. No personal data."),
    )


class VoteForm(forms.ModelForm):
    class Meta:
        model = MeetingVote
        fields = ["question", "votes_for", "votes_against", "abstentions"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("votes_for", "votes_against", "abstentions"):
            self.fields[name].widget.attrs.update({"min": 0, "max": MAX_VOTES, "inputmode": "numeric"})
            self.fields[name].validators.append(MaxValueValidator(MAX_VOTES))


class OwnerField(forms.ChoiceField):
    """One list for both kinds of owner: staff members ("u:12") and departments ("d:3")."""


class ActionItemForm(forms.ModelForm):
    owner = OwnerField(label=gettext_lazy("Responsible party"))

    class Meta:
        model = ActionItem
        fields = ["title", "owner", "deadline", "details"]
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "details": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.users = {u.pk: u for u in staff_users(community)}
        self.departments = {
            d.pk: d for d in Department.objects.filter(sub_district_id=community.sub_district_id).order_by("name")
        }
        self.fields["owner"].choices = [
            ("", "—"),
            (_("Departments"), [(f"d:{pk}", d.name) for pk, d in self.departments.items()]),
            (_("Community staff"), [(f"u:{pk}", u.get_full_name() or u.username) for pk, u in self.users.items()]),
        ]
        if self.instance.pk:
            self.initial["owner"] = (
                f"d:{self.instance.owner_department_id}"
                if self.instance.owner_department_id
                else f"u:{self.instance.owner_user_id}"
            )
        self.fields["deadline"].input_formats = ["%Y-%m-%d"]
        self.helper = _helper(_("Save"))

    def clean_owner(self):
        value = self.cleaned_data["owner"]
        kind, _sep, pk = value.partition(":")
        pk = parse_id(pk)
        owner_user = self.users.get(pk) if kind == "u" else None
        owner_department = self.departments.get(pk) if kind == "d" else None
        if owner_user is None and owner_department is None:
            raise forms.ValidationError(_("Choose who is responsible."))
        self.owner_user, self.owner_department = owner_user, owner_department
        return value

    def _post_clean(self):
        # The owner is split into two model fields by clean_owner; the service validates the rest.
        pass


class ActionItemStatusForm(forms.Form):
    to_status = forms.ChoiceField(label=gettext_lazy("New status"), choices=ActionItemStatus.choices)
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, can_drop: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_drop:
            self.fields["to_status"].choices = [
                (value, label) for value, label in ActionItemStatus.choices if value != ActionItemStatus.DROPPED
            ]


class MeetingFilterForm(forms.Form):
    WHEN = [
        ("upcoming", gettext_lazy("Upcoming")),
        ("past", gettext_lazy("Past")),
        ("all", gettext_lazy("All")),
    ]
    when = forms.ChoiceField(label=gettext_lazy("When"), choices=WHEN, required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=[("", gettext_lazy("All kinds")), *MeetingKind.choices], required=False
    )
    compound = forms.ModelChoiceField(
        label=gettext_lazy("Compound"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("All compounds"),
    )
    q = forms.CharField(label=gettext_lazy("Topic or place"), required=False, max_length=100)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = community.compounds.order_by("name")
        self.fields["compound"].widget.attrs["class"] = "form-select"

    def values(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        compound = data.get("compound")
        return {
            "when": data.get("when") or "upcoming",
            "kind": data.get("kind") or "",
            "compound_id": compound.pk if compound else None,
            "query": data.get("q") or "",
        }


class ActionItemFilterForm(forms.Form):
    SHOW = [
        ("open", pgettext_lazy("action item", "Open")),
        ("overdue", gettext_lazy("Overdue")),
        ("closed", gettext_lazy("Closed")),
        ("all", gettext_lazy("All")),
    ]
    show = forms.ChoiceField(label=gettext_lazy("Show"), choices=SHOW, required=False)
    owner = forms.ChoiceField(label=gettext_lazy("Responsible party"), required=False)
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)

    def __init__(self, *args, departments, can_filter_owner: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Everyone"))]
        if can_filter_owner:
            choices += [("me", _("Mine")), *[(str(d.pk), d.name) for d in departments]]
        self.fields["owner"].choices = choices

    def values(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"show": data.get("show") or "open", "owner": data.get("owner") or "", "query": data.get("q") or ""}
