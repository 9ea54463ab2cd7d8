"""Forms for progress quantities and the timeline with photos."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import PhotoPhase, ProgressItem, TimelineEntry
from ..photos import PhotosField
from ..templatetags.project_tags import quantity
from .projects import DateInput

MAX_PHOTOS_PER_UPLOAD = 10


class ProgressItemForm(forms.ModelForm):
    class Meta:
        model = ProgressItem
        fields = ["name", "unit", "target", "done", "due_date", "sort_key"]
        widgets = {"due_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].min_value = 0
        self.fields["done"].min_value = 0
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))

    def clean(self):
        cleaned = super().clean()
        target, done = cleaned.get("target"), cleaned.get("done")
        if target is not None and target <= 0:
            self.add_error("target", _("The target must be greater than 0."))
        if done is not None and done < 0:
            self.add_error("done", _("The amount done cannot be negative."))
        if target is not None and done is not None and done > target:
            self.add_error("done", _("The amount done cannot exceed the target."))
        return cleaned

    def validate_unique(self):
        # The project is set by the view after validation; the service reports a duplicate name.
        pass


class RecordProgressForm(forms.Form):
    """The quick update on site: how much is done now."""

    done = forms.DecimalField(label=_("Done so far"), max_digits=12, decimal_places=2, min_value=0)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, item: ProgressItem, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["done"].widget.attrs.update({"max": str(item.target), "step": "any", "inputmode": "decimal"})

    def clean_done(self):
        done = self.cleaned_data["done"]
        if done > self.item.target:
            raise ValidationError(
                _("The amount done cannot exceed the target (%(target)s %(unit)s).")
                % {"target": quantity(self.item.target), "unit": self.item.unit}
            )
        return done


class TimelineEntryForm(forms.ModelForm):
    photos = PhotosField(
        max_photos=MAX_PHOTOS_PER_UPLOAD,
        label=_("Photos"),
    )
    phase = forms.ChoiceField(
        label=_("The photos show the site"), choices=PhotoPhase.choices, initial=PhotoPhase.DURING
    )
    caption = forms.CharField(label=_("Caption for the photos"), required=False, max_length=200)

    class Meta:
        model = TimelineEntry
        fields = ["date", "title", "body", "is_public"]
        widgets = {"date": DateInput(), "body": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.add_input(Submit("save", _("Save")))
