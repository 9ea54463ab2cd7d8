"""Checking and cleaning uploaded photos before anything is stored.

A photo from a phone is untrusted input and personal data at once:
- the name and the declared content type mean nothing, so Pillow must read it as a real
  JPEG, PNG or WebP image (``verify()`` first, then a full decode);
- its EXIF block holds the GPS position of the resident's flat, the phone model and the
  time, so the picture is re-encoded from its pixels and nothing else is carried over;
- it is limited in bytes (``settings.PHOTO_UPLOAD_MAX_BYTES``) and in pixels (decompression
  bombs), and scaled down to a size that loads quickly on a phone.
"""

import warnings
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow format name → file extension.
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_PIXELS = 50_000_000  # a 50-megapixel camera; anything larger is a bomb or a scan
MAX_SIDE = 2560  # plenty for a broken lamp or a crack, and fast on a phone
ACCEPT_ATTR = "image/jpeg,image/png,image/webp"


def clean_photo(upload) -> ContentFile:
    """Return the photo re-encoded without metadata, or raise ``ValidationError``."""
    limit = settings.PHOTO_UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The photo is too large (%(size)s). The limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    image_format = _verified_format(upload)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(_("Only JPEG, PNG and WebP photos can be uploaded."), code="format")
    return ContentFile(_reencode(upload, image_format), name=f"photo.{ALLOWED_FORMATS[image_format]}")


def _not_an_image() -> ValidationError:
    return ValidationError(
        _("This file is not a photo we can read. Choose a JPEG, PNG or WebP picture."), code="invalid"
    )


def _open(upload) -> Image.Image:
    upload.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = Image.open(upload)
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise ValidationError(_("The photo has too many pixels. Send a smaller picture."), code="pixels")
    return image


def _verified_format(upload) -> str:
    try:
        image = _open(upload)
        image_format = image.format
        image.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise _not_an_image() from error
    except Image.DecompressionBombWarning as error:
        raise ValidationError(_("The photo has too many pixels. Send a smaller picture."), code="pixels") from error
    return image_format


def _reencode(upload, image_format: str) -> bytes:
    """Decode the pixels, turn them the way the camera meant, and write a fresh file."""
    try:
        image = _open(upload)
        image.load()
        image = ImageOps.exif_transpose(image)
    except ValidationError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _not_an_image() from error
    if image_format == "JPEG":
        image = image.convert("RGB") if image.mode not in ("RGB", "L") else image
    elif image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    # Everything Pillow read besides the pixels (EXIF, XMP, ICC, comments, text chunks) stays behind.
    image.info = {}
    out = BytesIO()
    if image_format == "JPEG":
        image.save(out, "JPEG", quality=85, optimize=True)
    elif image_format == "PNG":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "WEBP", quality=85)
    return out.getvalue()
