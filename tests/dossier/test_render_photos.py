"""照片证据 pages: two photos an A4 page, each with 证据名称/说明, 拍摄时间 (China time),
拍摄地点, 拍摄人, 证明对象 and the SHA-256's first 16 digits; photos upright by their EXIF
orientation and embedded at print size, not as the camera's full frame."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re

import pytest
from PIL import Image
from pypdf import PdfReader

from fuanjian_desktop.dossier.render.model import PhotoEntry
from fuanjian_desktop.dossier.render.photos import photo_page_count, render_photos
from fuanjian_desktop.errors import UserError
from tests.dossier.pdf_check import image_sizes, page_texts, unembedded_fonts

ORIENTATION = 0x0112
PAGES = {1: 1, 2: 1, 3: 2, 4: 2, 5: 3, 60: 30}  # by hand: two a page


def jpeg(size: tuple[int, int], orientation: int | None = None, shade: int = 90) -> bytes:
    image = Image.new("RGB", size, (shade, 140, 200))
    exif = Image.Exif()
    if orientation is not None:
        exif[ORIENTATION] = orientation
    stream = io.BytesIO()
    image.save(stream, "JPEG", exif=exif.tobytes())
    return stream.getvalue()


def entry(data: bytes, caption: str = "消防通道堆放纸箱", **changes: object) -> PhotoEntry:
    values: dict[str, object] = {
        "caption": caption,
        "taken_at": dt.datetime(2026, 3, 2, 1, 30, 5, tzinfo=dt.UTC),
        "place": "华强北路1号一楼东侧",
        "photographer": "张伟",
        "proves": "消防通道被占用",
        "sha256": hashlib.sha256(data).hexdigest(),
        "load": lambda: data,
    }
    values.update(changes)
    return PhotoEntry(**values)  # type: ignore[arg-type]


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize(("photos", "pages"), sorted(PAGES.items()))
def test_page_count_table(photos: int, pages: int) -> None:
    assert photo_page_count(photos) == pages


def test_two_a_page_with_their_facts() -> None:
    data = jpeg((640, 480))
    photos = [entry(jpeg((640, 480), shade=n * 40), f"照片说明{n}") for n in range(1, 4)]
    photos[0] = entry(data, "照片说明1")
    pdf = render_photos(photos)
    assert [len(sizes) for sizes in image_sizes(pdf)] == [2, 1]
    first, second = (compact(text) for text in page_texts(pdf))
    digest = hashlib.sha256(data).hexdigest()[:16]
    assert "照片说明1" in first and "照片说明2" in first and "照片说明3" in second
    assert "拍摄时间2026-03-0209:30:05" in first  # 01:30:05 UTC is 09:30:05 in China
    assert "拍摄地点华强北路1号一楼东侧" in first
    assert "拍摄人张伟" in first
    assert f"SHA-256{digest}" in first
    assert "证明对象消防通道被占用" in first
    assert unembedded_fonts(pdf) == []


def test_unknown_capture_time_says_so() -> None:
    text = compact(page_texts(render_photos([entry(jpeg((64, 48)), taken_at=None)]))[0])
    assert "拍摄时间未记录" in text


def test_exif_orientation_turns_the_photo_upright() -> None:
    # stored 400 × 300 landscape, EXIF 6: the camera was held upright → printed portrait
    [[(width, height)]] = image_sizes(render_photos([entry(jpeg((400, 300), orientation=6))]))
    assert (width, height) == (300, 400)


def test_camera_frame_is_embedded_at_print_size() -> None:
    # 4000 × 3000: the photo box is about 430 × 200 pt; at 150 dpi that is about 900 × 420
    # pixels, so the embedded image is far smaller than the frame but still print quality
    [[(width, height)]] = image_sizes(render_photos([entry(jpeg((4000, 3000)))]))
    assert 500 <= width <= 1400 and 375 <= height <= 1050
    assert width / height == pytest.approx(4 / 3, rel=0.01)


def test_transparent_png_prints_on_white() -> None:
    image = Image.new("RGBA", (80, 60), (0, 0, 0, 0))
    stream = io.BytesIO()
    image.save(stream, "PNG")
    pdf = render_photos([entry(stream.getvalue())])
    assert [len(sizes) for sizes in image_sizes(pdf)] == [1]


def test_damaged_photo_is_named() -> None:
    broken = jpeg((64, 48))[:200]
    with pytest.raises(UserError, match=r"照片“门口照片”.*无法读取"):
        render_photos([entry(jpeg((64, 48))), entry(broken, "门口照片")])


def test_no_photos_is_refused() -> None:
    with pytest.raises(UserError, match="没有照片"):
        render_photos([])


def test_same_photos_same_bytes() -> None:
    photos = [entry(jpeg((320, 240))), entry(jpeg((240, 320)))]
    assert render_photos(photos) == render_photos(photos)


def test_photos_embedded_as_binary_jpeg() -> None:
    """No ASCII85 layer around the JPEG: in pure Python it cost seconds for a large volume
    (documents/fonts.py switches it off for the process)."""
    pdf = render_photos([entry(jpeg((320, 240)))])
    [page] = PdfReader(io.BytesIO(pdf)).pages
    [image] = [xobject.get_object() for xobject in page["/Resources"]["/XObject"].values()]
    assert image["/Filter"] in ("/DCTDecode", ["/DCTDecode"])
