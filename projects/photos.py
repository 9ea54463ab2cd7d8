"""The one place that checks and cleans uploaded photos, and the one multi-photo form field.

Every photo the app stores (project timeline, wishes, photos of signed consent forms) comes
through ``clean_photo``. A photo from a phone is untrusted input and personal data at once:
phones write the GPS position and the phone model into EXIF, and a photo from inside a flat
would tell everyone where a resident lives. So every photo is:

1. limited in size (``settings.PHOTO_UPLOAD_MAX_BYTES``) before it is decoded;
2. limited in pixels from its header, so a small file that decompresses into a giant image
   (a decompression bomb) is refused before any pixel is decoded;
3. proved to be a real JPEG, PNG or WebP image with Pillow's ``verify()`` and a full decode
   (a renamed text or PDF file, or a truncated image, fails here whatever its name says);
4. turned upright using its EXIF orientation, shrunk to at most ``MAX_SIDE`` pixels, and
   re-encoded from the pixels alone, which drops EXIF (GPS, camera, time), XMP, ICC
   profiles and comments.

Where the cleaned file is stored (public media or the private storage of signed forms) is
the model's business, not this module's.
"""

import io
import uuid
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow format name → file extension of the cleaned file.
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
ACCEPT_ATTR = "image/jpeg,image/png,image/webp"
MAX_PIXELS = 50_000_000  # decoded size limit: a 50-megapixel phone photo is still fine
MAX_SIDE = 2560  # long side of the stored photo: enough to read a signature or print a notice
MIN_SIDE = 16

_DECODE_ERRORS = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError)


@dataclass(frozen=True)
class CleanPhoto:
    content: ContentFile  # re-encoded bytes with a random name (the uploaded name may carry personal data)
    width: int
    height: int
    format: str


def clean_photo(upload) -> CleanPhoto:
    """Validate ``upload`` (a Django ``UploadedFile``) and return a metadata-free copy.

    Raises ``ValidationError`` with a message a community worker can act on."""
    limit = settings.PHOTO_UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise _too_large(upload.size, limit)
    data = _read(upload, limit)
    image_format = _verify(data)
    image = _decode(data)
    cleaned = _reencode(image, image_format)
    name = f"{uuid.uuid4().hex}.{ALLOWED_FORMATS[image_format]}"
    return CleanPhoto(
        content=ContentFile(cleaned, name=name), width=image.width, height=image.height, format=image_format
    )


def _too_large(size: int, limit: int) -> ValidationError:
    return ValidationError(
        _("The photo is too large (%(size)s). The limit is %(limit)s.")
        % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
        code="photo_too_large",
    )


def _not_an_image() -> ValidationError:
    return ValidationError(
        _("This file is not a photo we can use. Upload a JPEG, PNG or WebP picture."), code="photo_invalid"
    )


def _too_many_pixels(width: int, height: int) -> ValidationError:
    return ValidationError(
        _("The picture has too many pixels (%(w)s × %(h)s).") % {"w": width, "h": height}, code="photo_too_big"
    )


def _read(upload, limit: int) -> bytes:
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:  # the declared size lied
        raise _too_large(len(data), limit)
    return data


def _verify(data: bytes) -> str:
    """The format, after the header's size and the whole file's structure are checked."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            width, height = probe.size
            if image_format not in ALLOWED_FORMATS:
                raise ValidationError(_("Only JPEG, PNG and WebP photos can be uploaded."), code="photo_format")
            if width * height > MAX_PIXELS:
                raise _too_many_pixels(width, height)
            probe.verify()
    except Image.DecompressionBombError as error:  # Pillow's own, larger limit, hit while reading the header
        raise ValidationError(_("The photo has too many pixels."), code="photo_too_big") from error
    except _DECODE_ERRORS as error:
        raise _not_an_image() from error
    if min(width, height) < MIN_SIDE:
        raise ValidationError(_("The picture is too small to show anything."), code="photo_too_small")
    return image_format


def _decode(data: bytes) -> Image.Image:
    """Decode the pixels (``verify()`` leaves the file unusable, so open it again)."""
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            image = ImageOps.exif_transpose(opened)
    except (*_DECODE_ERRORS, Image.DecompressionBombError) as error:
        raise _not_an_image() from error
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    return image


def _reencode(image: Image.Image, image_format: str) -> bytes:
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
    return out.getvalue()


# --- form fields ----------------------------------------------------------------------------------


class PhotoField(forms.FileField):
    """One photo (a signed form, say); ``clean`` returns the cleaned ``ContentFile`` or ``None``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTR}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        return clean_photo(upload).content if upload else None


class MultiplePhotoInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to ``max_photos`` photos in one input; each is checked and cleaned by ``clean_photo``.

    ``clean`` returns a list of ``ContentFile``; the errors name the file that failed, so a
    resident who picked five photos knows which one to leave out."""

    def __init__(self, *, max_photos: int, **kwargs):
        self.max_photos = max_photos
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": ACCEPT_ATTR, "multiple": True}))
        kwargs.setdefault(
            "help_text",
            format_lazy(gettext_lazy("Up to {n} photos (JPEG, PNG or WebP). Location data is removed."), n=max_photos),
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = [d for d in (data if isinstance(data, list | tuple) else [data]) if d]
        if not uploads:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(uploads) > self.max_photos:
            raise ValidationError(_("At most %(n)d photos.") % {"n": self.max_photos}, code="too_many")
        cleaned, errors = [], []
        for upload in uploads:
            try:
                super().clean(upload, initial)  # empty files and over-long names
                cleaned.append(clean_photo(upload).content)
            except ValidationError as error:
                errors.extend(f"{upload.name}: {message}" for message in error.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned
