"""The one error a service raises when it refuses a write.

A refusal is something to show the person who tried, in their language, next to the field
it concerns (or above the form). ``ServiceError`` is a ``ValidationError``, so the errors
a model's ``full_clean`` raises inside a service and the service's own refusals reach the
form the same way: through ``ServiceFormMixin`` (``projects/views/mixins.py``), which
puts them on the form. Subclasses exist only to be caught by type (``AlreadyVoted``,
``CodeError``); they carry their message, field and code the same way.
"""

from django.core.exceptions import ValidationError
from django.utils.functional import Promise


class ServiceError(ValidationError):
    """A refused write. ``message`` is shown as is; ``field`` names the form field it is about.

    ``message`` is normally one (translated) string. Several problems at once may be
    given as a list, or as ``{field: message or [messages]}`` when they concern several
    fields.
    """

    def __init__(self, message, field: str | None = None, code: str | None = None, params=None):
        if field is not None:
            super().__init__({field: [ValidationError(message, code=code, params=params)]})
        else:
            super().__init__(message, code=code, params=params)
        self.field = field
        if isinstance(message, str | Promise):
            self.message = message
        else:
            self.message = " ".join(str(text) for text in self.messages)

    def __reduce__(self):
        # Copies and pickles restore the attributes rather than call ``__init__`` again,
        # whose arguments differ between subclasses (``CodeError(message, blocked=...)``).
        return (_rebuild, (type(self), self.args), self.__dict__)


def _rebuild(cls, args):
    error = cls.__new__(cls)
    error.args = args
    return error


def add_form_error(form, error: ValidationError, *, default_field: str | None = None) -> None:
    """Put a service's error on ``form``: next to the field it names when the form has that
    field, otherwise on ``default_field`` (when given), otherwise above the form."""

    def target(field):
        if field in form.fields:
            return field
        return default_field if default_field in form.fields else None

    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(target(field), errors)
    else:
        form.add_error(target(None), error.error_list)
