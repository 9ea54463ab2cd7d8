"""Personal data shown outside staff pages is masked (PIPL; see domain brief, Privacy)."""


def mask_phone(phone: str) -> str:
    """138****1234 for an 11-digit mobile; other numbers keep only their last four digits."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    if not digits:
        return ""
    if len(digits) == 11:
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]


def mask_name(name: str) -> str:
    """张三丰 → 张**: the family name alone is enough for a receipt, not for identification."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)
