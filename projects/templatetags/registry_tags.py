from django import template

from ..privacy import mask_name, mask_phone

register = template.Library()


@register.filter
def phone_for(phone: str, can_see: bool) -> str:
    """``{{ household.phone|phone_for:can_view_phone }}``: full number only when allowed."""
    return phone if can_see else mask_phone(phone)


register.filter("masked_phone", mask_phone)
register.filter("masked_name", mask_name)
