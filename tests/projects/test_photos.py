"""The one photo cleaner (``projects.photos``): real images only, bounded in bytes and pixels,
EXIF and GPS removed, and the multi-photo field that every feature uses.

The hostile files are the ones a public upload form receives: text renamed to .jpg, a photo
cut off half-way, a small file that decodes into a giant picture, a file over the limit."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from projects.photos import MAX_PIXELS, MAX_SIDE, PhotoField, PhotosField, clean_photo
from tests.helpers import GPS_IFD, image_bytes, phone_jpeg, photo_upload


def _read(photo) -> Image.Image:
    return Image.open(io.BytesIO(photo.content.read()))


def _png_header_only(width: int, height: int) -> bytes:
    """A valid PNG of ``width`` × ``height`` whose pixel data is a few bytes of zlib: the
    shape of a decompression bomb (tiny file, gigabytes once decoded)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 1024)) + chunk(b"IEND", b"")
    )


# --- accepted --------------------------------------------------------------------------------------


def test_a_real_jpeg_is_accepted_and_renamed():
    photo = clean_photo(photo_upload("王大爷家 5号楼502.jpg"))
    assert photo.format == "JPEG" and (photo.width, photo.height) == (64, 48)
    assert photo.content.name.endswith(".jpg")
    assert "502" not in photo.content.name  # the uploaded name is not kept


@pytest.mark.parametrize("fmt,ext", [("PNG", "png"), ("WEBP", "webp")])
def test_png_and_webp_are_accepted_in_their_own_format(fmt, ext):
    photo = clean_photo(photo_upload(f"a.{ext}", image_bytes(fmt), f"image/{ext}"))
    assert photo.format == fmt and photo.content.name.endswith(f".{ext}")
    assert _read(photo).format == fmt


def test_gps_camera_and_comment_are_stripped():
    original = phone_jpeg()
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get_ifd(GPS_IFD)  # the upload really carries a position
    photo = clean_photo(photo_upload("gps.jpg", original))
    data = photo.content.read()
    with Image.open(io.BytesIO(data)) as after:
        assert len(after.getexif()) == 0 and not after.getexif().get_ifd(GPS_IFD)
        assert "exif" not in after.info and "comment" not in after.info
    assert b"PhoneMaker" not in data and b"room 502" not in data


def test_exif_orientation_is_applied_before_stripping():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° when displayed
    photo = clean_photo(photo_upload("rotated.jpg", image_bytes(size=(100, 40), exif=exif.tobytes())))
    assert (photo.width, photo.height) == (40, 100)
    assert _read(photo).size == (40, 100)


def test_large_pictures_are_shrunk_to_the_maximum_side():
    photo = clean_photo(photo_upload("wide.png", image_bytes("PNG", size=(MAX_SIDE * 2, 100)), "image/png"))
    assert (photo.width, photo.height) == (MAX_SIDE, 50)


# --- refused ---------------------------------------------------------------------------------------


def _refused(upload) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        clean_photo(upload)
    return error.value


def test_a_text_file_renamed_to_jpg_is_refused():
    assert _refused(photo_upload("wish.jpg", "我想装电梯".encode() * 50)).code == "photo_invalid"


def test_a_png_signature_followed_by_junk_is_refused():
    assert _refused(photo_upload("form.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "image/png")).code == "photo_invalid"


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_a_truncated_image_is_refused(fmt):
    data = image_bytes(fmt, size=(300, 300))
    assert _refused(photo_upload("cut.jpg", data[: len(data) // 3])).code == "photo_invalid"


def test_a_gif_is_refused_even_though_it_is_an_image():
    assert _refused(photo_upload("anim.gif", image_bytes("GIF"), "image/gif")).code == "photo_format"


def test_a_decompression_bomb_is_refused_from_its_header():
    bomb = _png_header_only(20_000, 20_000)  # 400 megapixels in under 100 bytes
    assert len(bomb) < 200 and MAX_PIXELS < 20_000 * 20_000
    assert _refused(photo_upload("bomb.png", bomb, "image/png")).code == "photo_too_big"


def test_a_picture_just_over_the_pixel_limit_is_refused(monkeypatch):
    monkeypatch.setattr("projects.photos.MAX_PIXELS", 64 * 48 - 1)
    assert _refused(photo_upload()).code == "photo_too_big"


def test_an_oversized_file_is_refused(settings):
    settings.PHOTO_UPLOAD_MAX_BYTES = 1000
    big = image_bytes(size=(800, 800), color=(1, 2, 3), quality=100)
    assert len(big) > 1000
    assert _refused(photo_upload("big.jpg", big)).code == "photo_too_large"


def test_a_file_that_lies_about_its_size_is_refused(settings):
    settings.PHOTO_UPLOAD_MAX_BYTES = 1000
    upload = photo_upload("big.jpg", image_bytes(size=(800, 800), quality=100))
    upload.size = 10
    assert _refused(upload).code == "photo_too_large"


def test_a_tiny_picture_is_refused():
    assert _refused(photo_upload("dot.png", image_bytes("PNG", size=(2, 2)), "image/png")).code == "photo_too_small"


# --- the form fields ------------------------------------------------------------------------------


def test_photos_field_returns_cleaned_files_and_names_the_bad_one():
    field = PhotosField(max_photos=3)
    cleaned = field.clean([photo_upload("a.jpg"), photo_upload("b.jpg", phone_jpeg())])
    assert len(cleaned) == 2 and all(c.name.endswith(".jpg") for c in cleaned)
    assert b"PhoneMaker" not in cleaned[1].read()
    with pytest.raises(ValidationError) as error:
        field.clean([photo_upload("a.jpg"), photo_upload("电梯.jpg", b"not a picture" * 20)])
    assert len(error.value.messages) == 1 and error.value.messages[0].startswith("电梯.jpg: ")


def test_photos_field_limits_the_count_and_may_be_empty():
    field = PhotosField(max_photos=2)
    assert field.clean([]) == []
    with pytest.raises(ValidationError) as error:
        field.clean([photo_upload() for _ in range(3)])
    assert error.value.code == "too_many"
    with pytest.raises(ValidationError):
        PhotosField(max_photos=2, required=True).clean([])


def test_single_photo_field_cleans_or_returns_none():
    field = PhotoField(required=False)
    assert field.clean(None) is None
    assert b"PhoneMaker" not in field.clean(photo_upload("form.jpg", phone_jpeg())).read()
