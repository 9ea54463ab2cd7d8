from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from ..roster.reader import RosterFileError, read_roster
from ..services.roster import roster_max_rows


class RosterUploadForm(forms.Form):
    """One roster file. Cleaning reads it: a file that is not a real .xlsx/.csv, too big,
    empty or without the template's header is refused here, next to the field."""

    file = forms.FileField(
        label=_("Roster file (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "At most %(size)s and %(rows)s rows. CSV may be saved as UTF-8 or GBK (Excel's “CSV” in Chinese Windows)."
        ) % {"size": filesizeformat(settings.ROSTER_UPLOAD_MAX_BYTES), "rows": f"{roster_max_rows():,}"}
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.table = read_roster(
                name=upload.name,
                file=upload,
                size=upload.size,
                max_bytes=settings.ROSTER_UPLOAD_MAX_BYTES,
                max_rows=roster_max_rows(),
            )
        except RosterFileError as error:
            raise forms.ValidationError(error.message, code="roster_file") from error
        return upload
