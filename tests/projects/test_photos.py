"""Photo checks: real images only, size-limited, EXIF and GPS removed, bounded dimensions."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from projects.photos import MAX_SIDE, clean_photo

from .conftest import image_bytes, upload


def _gps_jpeg() -> bytes:
    image = Image.new("RGB", (120, 80), (10, 200, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x0132] = "2021:05:20 10:00:00"  # date and time
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (39.0, 47.0, 30.0)
    gps[3] = "E"
    gps[4] = (116.0, 26.0, 12.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"taken at room 502")
    return out.getvalue()


def test_a_real_jpeg_is_accepted_and_renamed():
    photo = clean_photo(upload("王大爷家 5号楼502.jpg"))
    assert photo.format == "JPEG"
    assert (photo.width, photo.height) == (64, 48)
    assert photo.content.name.endswith(".jpg")
    assert "502" not in photo.content.name  # the uploaded name is not kept


@pytest.mark.parametrize("fmt,ext", [("PNG", "png"), ("WEBP", "webp")])
def test_png_and_webp_are_accepted(fmt, ext):
    photo = clean_photo(upload(f"a.{ext}", image_bytes(fmt), f"image/{ext}"))
    assert photo.format == fmt
    assert photo.content.name.endswith(f".{ext}")


def test_a_renamed_text_file_is_refused():
    fake = upload("photo.jpg", b"This is not a picture at all, just text.\n" * 20, "image/jpeg")
    with pytest.raises(ValidationError) as error:
        clean_photo(fake)
    assert error.value.code == "photo_invalid"


def test_a_gif_is_refused_even_though_it_is_an_image():
    with pytest.raises(ValidationError):
        clean_photo(upload("anim.gif", image_bytes("GIF"), "image/gif"))


def test_an_oversized_file_is_refused_before_decoding(settings):
    settings.PHOTO_UPLOAD_MAX_BYTES = 1000
    big = image_bytes(size=(800, 800), color=(1, 2, 3), quality=100)
    assert len(big) > 1000
    with pytest.raises(ValidationError) as error:
        clean_photo(upload("big.jpg", big))
    assert error.value.code == "photo_too_large"


def test_gps_and_other_metadata_are_stripped():
    original = _gps_jpeg()
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get_ifd(0x8825)  # the upload really carries a position
    photo = clean_photo(upload("gps.jpg", original))
    data = photo.content.read()
    with Image.open(io.BytesIO(data)) as after:
        assert not after.getexif()
        assert "exif" not in after.info
        assert "comment" not in after.info
    assert b"PhoneMaker" not in data and b"room 502" not in data


def test_exif_orientation_is_applied_before_stripping():
    image = Image.new("RGB", (100, 40), (0, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° when displayed
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    photo = clean_photo(upload("rotated.jpg", out.getvalue()))
    assert (photo.width, photo.height) == (40, 100)


def test_large_pictures_are_shrunk_to_the_maximum_side():
    photo = clean_photo(upload("wide.png", image_bytes("PNG", size=(MAX_SIDE * 2, 100)), "image/png"))
    assert photo.width == MAX_SIDE
    assert photo.height == 50


def test_a_tiny_picture_is_refused():
    with pytest.raises(ValidationError):
        clean_photo(upload("dot.png", image_bytes("PNG", size=(2, 2)), "image/png"))


def test_a_truncated_jpeg_is_refused():
    data = image_bytes(size=(300, 300))
    with pytest.raises(ValidationError):
        clean_photo(upload("cut.jpg", data[: len(data) // 3]))
