"""Checking and cleaning uploaded photos before they are stored.

Photos of construction sites are taken on phones that write the GPS position and the
phone model into EXIF; a photo from inside a flat would tell everyone where a resident
lives. So every photo is:

1. limited in size (``settings.PHOTO_UPLOAD_MAX_BYTES``) before it is decoded;
2. proved to be a real JPEG, PNG or WebP image with Pillow's ``verify()`` (a renamed text
   or PDF file fails here, whatever its name says);
3. limited in pixels, so a small file that decompresses into a giant image cannot exhaust
   memory;
4. turned upright using its EXIF orientation, shrunk to at most ``MAX_SIDE`` pixels, and
   re-encoded from the pixels alone, which drops EXIF (GPS, camera, time) and any other
   metadata.

``clean_photo`` is self-contained: any feature can call it from a form's ``clean_*``.
"""

import io
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow format name → file extension of the cleaned file.
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_PIXELS = 50_000_000  # decoded size limit: a 50-megapixel phone photo is still fine
MAX_SIDE = 2560  # long side of the stored photo; enough for a noticeboard and for print
MIN_SIDE = 16


@dataclass(frozen=True)
class CleanPhoto:
    content: ContentFile  # re-encoded bytes with a random name
    width: int
    height: int
    format: str


def clean_photo(upload) -> CleanPhoto:
    """Validate ``upload`` (a Django ``UploadedFile``) and return a metadata-free copy.

    Raises ``ValidationError`` with a message a community worker can act on.
    """
    limit = settings.PHOTO_UPLOAD_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("The photo is too large (%(size)s). The limit is %(limit)s.")
            % {"size": filesizeformat(upload.size or 0), "limit": filesizeformat(limit)},
            code="photo_too_large",
        )
    data = _read(upload, limit)
    image_format = _verify(data)
    image = _decode(data)
    cleaned = _reencode(image, image_format)
    name = f"{uuid.uuid4().hex}.{ALLOWED_FORMATS[image_format]}"
    return CleanPhoto(
        content=ContentFile(cleaned.getvalue(), name=name),
        width=image.width,
        height=image.height,
        format=image_format,
    )


def _not_an_image() -> ValidationError:
    return ValidationError(
        _("This file is not a photo we can use. Upload a JPEG, PNG or WebP picture."), code="photo_invalid"
    )


def _read(upload, limit: int) -> bytes:
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:  # the declared size lied
        raise ValidationError(_("The photo is too large."), code="photo_too_large")
    return data


def _verify(data: bytes) -> str:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise _not_an_image() from error
    if image_format not in ALLOWED_FORMATS:
        raise _not_an_image()
    if width * height > MAX_PIXELS:
        raise ValidationError(
            _("The picture has too many pixels (%(w)s × %(h)s).") % {"w": width, "h": height}, code="photo_too_big"
        )
    if min(width, height) < MIN_SIDE:
        raise ValidationError(_("The picture is too small to show anything."), code="photo_too_small")
    return image_format


def _decode(data: bytes) -> Image.Image:
    """Decode the pixels (``verify()`` leaves the file unusable, so open it again)."""
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            image = ImageOps.exif_transpose(opened)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise _not_an_image() from error
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    return image


def _reencode(image: Image.Image, image_format: str) -> io.BytesIO:
    """Write only the pixels. Pillow copies some metadata (comments, ICC profile) from
    ``image.info`` when saving, so that is emptied; no ``exif=`` or ``xmp=`` is passed."""
    image.info = {}
    out = io.BytesIO()
    if image_format == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=85, optimize=True)
    elif image_format == "PNG":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "WEBP", quality=85)
    out.seek(0)
    return out
