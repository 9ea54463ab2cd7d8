import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# A mainland mobile (11 digits starting 1[3-9]) or a landline with optional area code.
PHONE_RE = re.compile(r"^(1[3-9]\d{9}|(0\d{2,3}-?)?\d{7,8})$")


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s()（）]", "", value or "")


def validate_phone(value: str) -> None:
    if value and not PHONE_RE.match(normalise_phone(value)):
        raise ValidationError(_("Enter an 11-digit mobile number or a landline such as 010-12345678."), code="phone")
