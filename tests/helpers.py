"""Helpers shared by every test package: image files as a phone would upload them.

Fixtures live in ``tests/conftest.py``; plain functions that build data live here, so a
test module imports them by name instead of redefining them."""

from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS_IFD = 0x8825


def image_bytes(fmt: str = "JPEG", size=(64, 48), color=(200, 120, 40), **save_kw) -> bytes:
    """A real picture of one colour, encoded as ``fmt``; ``save_kw`` go to Pillow (``exif=``, ``quality=``)."""
    out = BytesIO()
    Image.new("RGB", size, color).save(out, fmt, **save_kw)
    return out.getvalue()


def phone_jpeg(size=(120, 80)) -> bytes:
    """A JPEG carrying what a phone writes: camera make, time, GPS position and a comment."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x0132] = "2024:05:01 08:30:00"  # date and time
    exif[GPS_IFD] = {1: "N", 2: (39.0, 47.0, 30.0), 3: "E", 4: (116.0, 26.0, 12.0)}
    return image_bytes("JPEG", size=size, color=(250, 250, 240), exif=exif.tobytes(), comment=b"taken at room 502")


def photo_upload(name="photo.jpg", content: bytes | None = None, content_type="image/jpeg") -> SimpleUploadedFile:
    """An uploaded file as a form receives it (a small real JPEG unless ``content`` is given)."""
    return SimpleUploadedFile(name, content if content is not None else image_bytes(), content_type=content_type)


def photo_file(name="photo.jpg") -> ContentFile:
    """A file as a service receives it after ``projects.photos`` cleaned it."""
    return ContentFile(image_bytes(), name=name)


# --- who is asking: the one role list of the permission matrices ------------------------------

# Every permission matrix runs these roles (attribute names of the ``world`` fixture, apart
# from the two residents and the anonymous visitor). Order matters to matrices written as rows.
ROLES = [
    "anonymous",
    "resident",  # acting as world.household (its code entered)
    "resident_elsewhere",  # acting as world.foreign_household, in another community
    "staff",
    "admin",
    "other_staff",  # staff of another community
    "department",
    "building_head",
    "sub_district_staff",
    "superuser",
]
OFFICE = frozenset({"staff", "admin", "superuser"})
RESIDENTS = frozenset({"anonymous", "resident", "resident_elsewhere"})  # no account: login page on staff views
# Where it matters whose building an object is in, the building head is tested twice: with an
# object in their building and with one outside it (the same user, world.building_head).
HEAD_SCOPES = ("head_inside", "head_outside")
HEAD_SCOPED_ROLES = [role for role in ROLES if role != "building_head"] + list(HEAD_SCOPES)


def principal(world, role: str):
    """The household or user a role acts as (``None`` for the anonymous visitor)."""
    if role not in ROLES and role not in HEAD_SCOPES:
        raise ValueError(f"unknown role {role!r}: use one of tests.helpers.ROLES")
    if role == "anonymous":
        return None
    named = {"resident": "household", "resident_elsewhere": "foreign_household"}
    return getattr(world, named.get(role, "building_head" if role in HEAD_SCOPES else role))
