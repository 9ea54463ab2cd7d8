"""Forms of the ballot pages. They validate the input itself (a ratio reads as a ratio, the
chosen building belongs to this community); the rules of voting live in the services."""

from datetime import timedelta

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.addresses import household_in_unit
from projects.models import Building, Channel, Compound, DecisionKind, DecisionRule, Household, Project, Unit
from projects.models.rules import BALLOT_RULE_CHOICES
from projects.thresholds import RULE_HELP, Base, Comparison, Measure, Stage, parse_ratio

from ..models import Ballot, EligibleHousehold, Meeting, OptionKind, OptionSet, ProxyAuthorisation, ScopeKind
from ..services.ballots import BallotError, agree_options, choice_options, resolve_paper_serial

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]

COMPARISON_CHOICES = [
    (Comparison.AT_LEAST.value, _("at least (≥, 以上)")),
    (Comparison.MORE_THAN.value, _("more than (>, 超过)")),
]
CUSTOM_ROWS = [
    ("participation_area", Stage.PARTICIPATION, Measure.AREA, _("Participating area, of all eligible area")),
    ("participation_heads", Stage.PARTICIPATION, Measure.HEADS, _("Participating households, of all eligible")),
    ("agreement_area", Stage.AGREEMENT, Measure.AREA, _("Agreeing area")),
    ("agreement_heads", Stage.AGREEMENT, Measure.HEADS, _("Agreeing households")),
]


def _helper(label):
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


class BallotForm(forms.Form):
    title = forms.CharField(label=_("Question"), max_length=300)
    description = forms.CharField(
        label=_("Explanation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What is decided, what it costs and who pays, what happens if it passes."),
    )
    scope_kind = forms.ChoiceField(label=_("Who votes"), choices=ScopeKind.choices, widget=forms.RadioSelect)
    project = forms.ModelChoiceField(label=_("Project"), queryset=Project.objects.none(), required=False)
    compound = forms.ModelChoiceField(label=_("Compound"), queryset=Compound.objects.none(), required=False)
    building = forms.ModelChoiceField(label=_("Building"), queryset=Building.objects.none(), required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    option_set = forms.ChoiceField(
        label=_("Options"), choices=OptionSet.choices, initial=OptionSet.AGREE, widget=forms.RadioSelect
    )
    choices = forms.CharField(
        label=_("Options to choose from"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("One per line, e.g.\nDesign A\nDesign B")}),
        help_text=_("Only for a choice between options. One per line."),
    )
    with_abstain = forms.BooleanField(label=_("Offer “abstain” as well"), required=False, initial=True)
    decision_kind = forms.ChoiceField(
        label=_("Kind of decision"),
        choices=DecisionKind.choices,
        initial=DecisionKind.OWNERS,
        required=False,  # the radio always sends one; a client that sends none gets the default
        widget=forms.RadioSelect,
        help_text=_(
            "Owners' joint decision (Civil Code Art. 278) counts owners: an owner of several flats, or a unit "
            "owning many 公房 flats, counts once. Residents' consultation counts every household that lives "
            "there, tenants included."
        ),
    )
    rule = forms.ChoiceField(label=_("Rule"), choices=BALLOT_RULE_CHOICES, initial=DecisionRule.ART278_ORDINARY)
    agreement_base = forms.ChoiceField(
        label=_("Agreement is counted among"),
        choices=[
            (Base.PARTICIPATING.value, _("those who took part")),
            (Base.ELIGIBLE.value, _("all eligible households")),
        ],
        initial=Base.PARTICIPATING.value,
        required=False,
    )
    meeting = forms.ModelChoiceField(label=_("Put at the meeting"), queryset=Meeting.objects.none(), required=False)
    opens_at = forms.DateTimeField(label=_("Voting opens"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS)
    closes_at = forms.DateTimeField(label=_("Voting closes"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS)
    notice_days = forms.IntegerField(label=_("Public notice period (days)"), min_value=1, max_value=90, initial=7)

    def __init__(self, *args, community, ballot: Ballot | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        self.fields["project"].queryset = Project.objects.filter(community=community)
        self.fields["compound"].queryset = Compound.objects.filter(community=community)
        self.fields["building"].queryset = Building.objects.filter(compound__community=community).select_related(
            "compound"
        )
        self.fields["unit"].queryset = Unit.objects.filter(building__compound__community=community).select_related(
            "building__compound"
        )
        self.fields["unit"].label_from_instance = lambda u: f"{u.building.compound.name} {u.building.name}{u.name}"
        self.fields["meeting"].queryset = Meeting.objects.filter(community=community)
        for key, _stage, _measure, label in CUSTOM_ROWS:
            self.fields[f"{key}_ratio"] = forms.CharField(
                label=label,
                required=False,
                max_length=12,
                widget=forms.TextInput(attrs={"placeholder": _("e.g. 2/3 or 60%")}),
            )
            self.fields[f"{key}_comparison"] = forms.ChoiceField(
                label=_("compared as"), choices=COMPARISON_CHOICES, required=False
            )
        if ballot is not None and not self.is_bound:
            self.initial.update(self._initial_from(ballot))
        elif not self.is_bound:
            start = timezone.localtime().replace(second=0, microsecond=0)
            self.initial.setdefault("opens_at", start)
            self.initial.setdefault("closes_at", start + timedelta(days=14))
        self.helper = _helper(_("Save draft"))

    @property
    def rule_help(self) -> list[tuple[str, str]]:
        """Each rule with what it requires, listed under the rule field."""
        return [(DecisionRule(kind).label, text) for kind, text in RULE_HELP.items()]

    @staticmethod
    def _initial_from(ballot: Ballot) -> dict:
        options = list(ballot.options.all())
        initial = {
            "title": ballot.title,
            "description": ballot.description,
            "scope_kind": ballot.scope_kind,
            "project": ballot.project_id,
            "compound": ballot.compound_id,
            "building": ballot.building_id,
            "unit": ballot.unit_id,
            "option_set": ballot.option_set,
            "choices": "\n".join(o.label for o in options if o.kind == OptionKind.CHOICE),
            "with_abstain": any(o.kind == OptionKind.ABSTAIN for o in options),
            "rule": ballot.rule,
            "decision_kind": ballot.decision_kind,
            "meeting": ballot.meeting_id,
            "opens_at": timezone.localtime(ballot.opens_at),
            "closes_at": timezone.localtime(ballot.closes_at),
            "notice_days": ballot.notice_days,
        }
        for item in ballot.custom_thresholds or []:
            key = f"{item['stage']}_{item['measure']}"
            initial[f"{key}_ratio"] = item["ratio"]
            initial[f"{key}_comparison"] = item["comparison"]
            if item["stage"] == Stage.AGREEMENT:
                initial["agreement_base"] = item.get("base", Base.PARTICIPATING)
        return initial

    def clean(self):
        data = super().clean()
        scope = data.get("scope_kind")
        field = {
            ScopeKind.PROJECT: "project",
            ScopeKind.COMPOUND: "compound",
            ScopeKind.BUILDING: "building",
            ScopeKind.UNIT: "unit",
        }.get(scope)
        if field and not data.get(field):
            self.add_error(field, _("Choose which one."))
        data["target"] = data.get(field) if field else None
        if data.get("option_set") == OptionSet.CHOICE:
            labels = [line.strip() for line in (data.get("choices") or "").splitlines() if line.strip()]
            if len(labels) < 2:
                self.add_error("choices", _("Write at least two options, one per line."))
            elif len(set(labels)) != len(labels):
                self.add_error("choices", _("Two options have the same text."))
            data["options"] = choice_options(labels, with_abstain=data.get("with_abstain", False))
        else:
            data["options"] = agree_options()
        data["custom_thresholds"] = self._custom_thresholds(data) if data.get("rule") == DecisionRule.CUSTOM else []
        data["decision_kind"] = data.get("decision_kind") or DecisionKind.OWNERS
        opens_at, closes_at = data.get("opens_at"), data.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("Voting must close after it opens."))
        return data

    def _custom_thresholds(self, data) -> list[dict]:
        thresholds = []
        base = data.get("agreement_base") or Base.PARTICIPATING
        for key, stage, measure, _label in CUSTOM_ROWS:
            text = (data.get(f"{key}_ratio") or "").strip()
            if not text:
                continue
            try:
                ratio = parse_ratio(text)
            except ValueError:
                self.add_error(f"{key}_ratio", _("Write a share such as 2/3, 3/4 or 60% (more than 0, at most 100%)."))
                continue
            thresholds.append(
                {
                    "stage": str(stage),
                    "measure": str(measure),
                    "base": str(base if stage is Stage.AGREEMENT else Base.ELIGIBLE),
                    "ratio": f"{ratio.numerator}/{ratio.denominator}",
                    "comparison": data.get(f"{key}_comparison") or Comparison.AT_LEAST.value,
                }
            )
        if not any(t["stage"] == Stage.AGREEMENT for t in thresholds) and not self.errors:
            self.add_error("agreement_heads_ratio", _("A custom rule needs at least one agreement threshold."))
        return thresholds


class ExtendForm(forms.Form):
    closes_at = forms.DateTimeField(label=_("New closing time"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS)
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Extend voting"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.TextInput())

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(submit_label or _("Confirm"))


class PublishForm(forms.Form):
    notice_days = forms.IntegerField(label=_("Public notice period (days)"), min_value=1, max_value=90)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Publish the result"))


STAFF_CHANNELS = [
    (Channel.PAPER.value, Channel.PAPER.label),
    (Channel.MEETING.value, Channel.MEETING.label),
    (Channel.HOME_VISIT.value, Channel.HOME_VISIT.label),
    (Channel.PHONE.value, Channel.PHONE.label),
    (Channel.BUILDING_HEAD.value, Channel.BUILDING_HEAD.label),
    (Channel.OFFICE.value, Channel.OFFICE.label),
]


class StaffEntryForm(forms.Form):
    """One ballot collected by staff. A printed paper's serial names its household, so a
    stack of papers is entered as: serial, choice, save — and the next one."""

    channel = forms.ChoiceField(label=_("How it was cast"), choices=STAFF_CHANNELS, initial=Channel.PAPER.value)
    paper_serial = forms.CharField(
        label=_("Paper ballot number"),
        required=False,
        max_length=40,
        help_text=_("As printed on the paper, e.g. 12-0042. Required for paper ballots."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, help_text=_("Not needed for a printed paper.")
    )
    room = forms.CharField(label=_("Room"), max_length=20, required=False)
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none(), required=False)
    option = forms.ModelChoiceField(label=_("Choice"), queryset=None, widget=forms.RadioSelect, empty_label=None)
    paper_date = forms.DateField(
        label=_("Date on the paper"),
        required=False,
        help_text=_("The date written on the paper, or the day the ballot box was opened."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    proxy = forms.ModelChoiceField(
        label=_("Cast under a written authorisation"),
        queryset=ProxyAuthorisation.objects.none(),
        required=False,
        empty_label=_("No: the household itself"),
        help_text=_(
            "When someone voted for the owner with a written authorisation (委托书) recorded on the household page."
        ),
        error_messages={
            "invalid_choice": _(
                "That authorisation cannot be used for this ballot: it was revoked, or it is for another ballot "
                "or household. Choose one from the list."
            )
        },
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, ballot: Ballot, **kwargs):
        super().__init__(*args, **kwargs)
        self.ballot = ballot
        self.fields["option"].queryset = ballot.options.all()
        # Authorisations are rare (a handful per ballot), so the list holds every one in force.
        self.fields["proxy"].queryset = (
            ProxyAuthorisation.objects.covering(ballot)
            .filter(household__ballot_eligibility__ballot=ballot)
            .select_related("household__unit__building")
            .order_by("household__unit__building__sort_key", "household__unit__sort_key", "household__room", "pk")
        )
        self.fields["proxy"].label_from_instance = lambda a: f"{a.household} · {a.label}"
        self.fields["unit"].queryset = (
            Unit.objects.filter(pk__in=EligibleHousehold.objects.filter(ballot=ballot).values("unit_id"))
            .select_related("building")
            .order_by("building__sort_key", "building__name", "sort_key", "name")
        )
        self.fields["unit"].label_from_instance = lambda u: f"{u.building.name}{u.name}"
        self.fields["meeting"].queryset = Meeting.objects.filter(community_id=ballot.community_id)
        self.helper = _helper(_("Save and enter the next"))
        # Serial, choice, Enter: the fields a stack of printed papers needs come first.
        self.helper.layout = Layout(
            Row(Column("channel", css_class="col-md-5"), Column("paper_serial", css_class="col-md-7")),
            InlineRadios("option"),
            Row(Column("unit", css_class="col-md-7"), Column("room", css_class="col-md-5")),
            "meeting",
            Row(Column("paper_date", css_class="col-md-5"), Column("note", css_class="col-md-7")),
            "proxy",
        )

    def clean(self):
        data = super().clean()
        channel = data.get("channel")
        serial_text = (data.get("paper_serial") or "").strip()
        from_serial = None
        if serial_text:
            try:
                from_serial, serial_text = resolve_paper_serial(self.ballot, serial_text)
            except BallotError as error:
                self.add_error("paper_serial", error.message)
                return data
        elif channel == Channel.PAPER:
            self.add_error("paper_serial", _("Type the number printed on the paper ballot."))
        if channel == Channel.MEETING and not data.get("meeting"):
            self.add_error("meeting", _("Choose the meeting."))
        unit, room = data.get("unit"), (data.get("room") or "").strip()
        chosen = None
        if unit and room:
            chosen = household_in_unit(unit, room)
            if chosen is None:
                self.add_error("room", _("There is no room %(room)s in %(unit)s.") % {"room": room, "unit": unit})
                return data
        elif unit or room:
            self.add_error("room" if unit else "unit", _("Give both the unit and the room."))
            return data
        if from_serial and chosen and from_serial.household_id != chosen.pk:
            self.add_error(
                "paper_serial",
                _("Paper No. %(serial)s was printed for %(printed)s, not for %(chosen)s.")
                % {"serial": serial_text, "printed": from_serial.household, "chosen": chosen},
            )
            return data
        household = from_serial.household if from_serial else chosen
        if household is None and not self.errors:
            self.add_error("unit", _("Choose the household (unit and room), or type the printed paper number."))
        proxy = data.get("proxy")
        if proxy is not None and household is not None and proxy.household_id != household.pk:
            self.add_error(
                "proxy",
                _("Authorisation No. %(number)s was given for %(other)s, not for %(household)s.")
                % {"number": proxy.number, "other": proxy.household, "household": household},
            )
        data["household"] = household
        data["paper_serial"] = serial_text
        return data


class VoteForm(forms.Form):
    option = forms.ModelChoiceField(
        label=_("Your choice"),
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choose one option, then press “Submit my vote”.")},
    )

    def __init__(self, *args, ballot: Ballot, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["option"].queryset = ballot.options.all()


class ObjectionForm(forms.Form):
    """Staff recording an objection received on paper, by phone or in person."""

    channel = forms.ChoiceField(label=_("Received by"), choices=STAFF_CHANNELS, initial=Channel.OFFICE.value)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    room = forms.CharField(label=_("Room"), max_length=20, required=False)
    name = forms.CharField(
        label=_("Name"), max_length=100, required=False, help_text=_("If the person is not from a known household.")
    )
    text = forms.CharField(label=_("Objection"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, ballot: Ballot, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            Unit.objects.filter(pk__in=EligibleHousehold.objects.filter(ballot=ballot).values("unit_id"))
            .select_related("building")
            .order_by("building__sort_key", "building__name", "sort_key", "name")
        )
        self.fields["unit"].label_from_instance = lambda u: f"{u.building.name}{u.name}"
        self.helper = _helper(_("Record the objection"))

    def clean(self):
        data = super().clean()
        unit, room = data.get("unit"), (data.get("room") or "").strip()
        data["household"] = None
        if unit and room:
            data["household"] = Household.objects.filter(unit=unit, room=room).first()
            if data["household"] is None:
                self.add_error("room", _("There is no room %(room)s in %(unit)s.") % {"room": room, "unit": unit})
        elif unit or room:
            self.add_error("room" if unit else "unit", _("Give both the unit and the room."))
        elif not (data.get("name") or "").strip():
            self.add_error("name", _("Give the household (unit and room) or a name."))
        return data


class ResidentObjectionForm(forms.Form):
    text = forms.CharField(label=_("Your objection"), widget=forms.Textarea(attrs={"rows": 5}))


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save the reply"))


class BallotSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + list(Ballot._meta.get_field("status").choices)
    )
