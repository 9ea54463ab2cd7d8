"""Photo validation: real images only, size-limited, and no location data kept."""

import os
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from consult.photos import clean_photo

from .conftest import image_bytes, upload

GPS_IFD = 0x8825


def _jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x0132] = "2024:05:01 08:30:00"  # date and time
    exif[GPS_IFD] = {1: "N", 2: (35.0, 24.0, 36.0), 3: "E", 4: (116.0, 35.0, 12.0)}
    return image_bytes("JPEG", size=(120, 80), exif=exif.tobytes())


def test_jpeg_with_gps_comes_out_without_any_exif():
    raw = _jpeg_with_gps()
    assert Image.open(BytesIO(raw)).getexif().get_ifd(GPS_IFD), "the fixture really carries GPS"
    cleaned = clean_photo(upload(content=raw))
    image = Image.open(BytesIO(cleaned.read()))
    assert image.format == "JPEG" and image.size == (120, 80)
    assert not image.getexif().get_ifd(GPS_IFD)
    assert len(image.getexif()) == 0
    assert b"PhoneMaker" not in cleaned.open().read()


def test_orientation_is_applied_before_exif_is_dropped():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    raw = image_bytes("JPEG", size=(120, 80), exif=exif.tobytes())
    image = Image.open(BytesIO(clean_photo(upload(content=raw)).read()))
    assert image.size == (80, 120)


@pytest.mark.parametrize("fmt,ext", [("PNG", "png"), ("WEBP", "webp")])
def test_png_and_webp_are_accepted(fmt, ext):
    cleaned = clean_photo(upload(name=f"x.{ext}", content=image_bytes(fmt)))
    assert cleaned.name == f"photo.{ext}"
    assert Image.open(BytesIO(cleaned.read())).format == fmt


def test_a_text_file_renamed_to_jpg_is_refused():
    with pytest.raises(ValidationError) as error:
        clean_photo(upload(name="wish.jpg", content="我想装电梯".encode() * 50))
    assert error.value.code == "invalid"


def test_a_truncated_jpeg_is_refused():
    with pytest.raises(ValidationError):
        clean_photo(upload(content=image_bytes("JPEG", size=(400, 300))[:300]))


def test_gif_is_refused_even_though_it_is_an_image():
    with pytest.raises(ValidationError) as error:
        clean_photo(upload(name="a.gif", content=image_bytes("GIF"), content_type="image/gif"))
    assert error.value.code == "format"


def test_oversized_file_is_refused(settings):
    settings.PHOTO_UPLOAD_MAX_BYTES = 1000
    out = BytesIO()
    Image.frombytes("RGB", (100, 100), os.urandom(100 * 100 * 3)).save(out, "PNG")  # noise barely compresses
    big = out.getvalue()
    assert len(big) > 1000
    with pytest.raises(ValidationError) as error:
        clean_photo(upload(name="big.png", content=big, content_type="image/png"))
    assert error.value.code == "too_large"


def test_large_photos_are_scaled_down():
    cleaned = clean_photo(upload(content=image_bytes("JPEG", size=(4000, 3000))))
    assert max(Image.open(BytesIO(cleaned.read())).size) == 2560


def test_decompression_bomb_is_refused(monkeypatch):
    monkeypatch.setattr("consult.photos.MAX_PIXELS", 100)
    with pytest.raises(ValidationError) as error:
        clean_photo(upload(content=image_bytes("JPEG", size=(20, 20))))
    assert error.value.code == "pixels"
