"""Bad input: script in a story or a name, SVG/HTML posing as a photo, oversized photos."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.exemplars.conftest import jpeg_bytes
from thidua.exemplars import actions, limits
from thidua.exemplars.models import ExemplarPhoto

pytestmark = pytest.mark.django_db


def upload(name, data, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_script_in_story_is_removed_and_in_title_shown_as_text(make_exemplar, client_for):
    exemplar = make_exemplar(
        "published", title="<script>alert('t')</script> Chị Lan",
        story='<p onclick="steal()">Chị <b>Lan</b><script>alert(1)</script>'
              '<img src=x onerror=alert(2)><a href="javascript:alert(3)">xem</a></p>')
    assert "<script" not in exemplar.story and "onclick" not in exemplar.story
    assert "javascript:" not in exemplar.story and "onerror" not in exemplar.story
    assert "<b>Lan</b>" in exemplar.story
    html = client_for(None).get(f"/guong-dien-hinh/{exemplar.pk}/").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt; Chị Lan" in html


def test_plain_text_story_becomes_paragraphs(make_exemplar):
    exemplar = make_exemplar("draft", story="Đoạn một.\n\nĐoạn hai có dấu < và &.")
    assert exemplar.story == "<p>Đoạn một.</p><p>Đoạn hai có dấu &lt; và &amp;.</p>"


def test_title_over_the_limit_is_refused(make_exemplar):
    with pytest.raises(ValidationError, match="Tiêu đề"):
        make_exemplar("draft", title="x" * (limits.TITLE + 1))


def test_photo_is_resized_and_loses_exif_and_gps(make_exemplar, personas):
    exemplar = make_exemplar("draft")
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x8825] = {1: "N", 2: (21.0, 8.0, 0.0), 3: "E", 4: (105.0, 50.0, 0.0)}  # GPS
    data = jpeg_bytes(size=(3200, 2400), exif=exif)
    assert Image.open(io.BytesIO(data)).getexif().get(0x010F) == "CameraMaker"
    photo = actions.add_photo(exemplar, upload("anh.jpg", data), alt_text="Chị Lan nấu cơm",
                              by=personas.hanh)
    stored = Image.open(photo.image.open("rb"))
    assert max(stored.size) == limits.PHOTO_LONG_SIDE
    assert dict(stored.getexif()) == {}
    assert "exif" not in stored.info
    assert (photo.width, photo.height) == stored.size


@pytest.mark.parametrize("name,data,words", [
    ("anh.jpg", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
     "HTML/SVG"),
    ("anh.png", b"<html><script>alert(1)</script></html>", "HTML/SVG"),
    ("anh.jpg", b"%PDF-1.4\n%%EOF", "PDF"),
])
def test_markup_posing_as_a_photo_is_refused(make_exemplar, personas, name, data, words):
    exemplar = make_exemplar("draft")
    with pytest.raises(ValidationError) as refused:
        actions.add_photo(exemplar, upload(name, data), alt_text="Ảnh", by=personas.hanh)
    assert words in str(refused.value) and name in str(refused.value)
    assert not ExemplarPhoto.objects.exists()


def test_a_50_mb_photo_is_refused_before_being_read(make_exemplar, personas):
    exemplar = make_exemplar("draft")

    class Huge(io.BytesIO):
        name = "to.jpg"
        size = 50 * 1024 * 1024

    with pytest.raises(ValidationError, match="quá lớn"):
        actions.add_photo(exemplar, Huge(jpeg_bytes()), alt_text="Ảnh", by=personas.hanh)


def test_a_decompression_bomb_is_refused(make_exemplar, personas):
    exemplar = make_exemplar("draft")
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, format="PNG")  # tiny file, 400 megapixels
    with pytest.raises(ValidationError, match="quá lớn"):
        actions.add_photo(exemplar, upload("bom.png", out.getvalue(), "image/png"),
                          alt_text="Ảnh", by=personas.hanh)


def test_a_broken_jpeg_is_refused(make_exemplar, personas):
    exemplar = make_exemplar("draft")
    with pytest.raises(ValidationError, match="hỏng"):
        actions.add_photo(exemplar, upload("a.jpg", b"\xff\xd8\xff" + b"\x00" * 100),
                          alt_text="Ảnh", by=personas.hanh)


def test_the_photo_page_refuses_through_the_form(make_exemplar, personas, client_for):
    exemplar = make_exemplar("draft")
    client = client_for(personas.hanh)
    response = client.post(f"/guong-dien-hinh/quan-ly/{exemplar.pk}/anh/",
                           {"alt_text": "Ảnh", "image": upload("x.jpg", b"<svg/>")}, follow=True)
    assert "HTML/SVG" in response.content.decode()
    response = client.post(f"/guong-dien-hinh/quan-ly/{exemplar.pk}/anh/",
                           {"alt_text": "Bếp cơm", "image": upload("x.jpg", jpeg_bytes())},
                           follow=True)
    assert "Đã thêm ảnh" in response.content.decode()
    photo = ExemplarPhoto.objects.get()
    # Not public yet: the photo is not served to a visitor.
    assert client_for(None).get(f"/guong-dien-hinh/anh/{photo.pk}/").status_code == 404
    assert client.get(f"/guong-dien-hinh/anh/{photo.pk}/")["Content-Type"] == "image/jpeg"
