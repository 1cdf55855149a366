import io

import pytest
from PIL import Image

from thidua.exemplars import actions
from thidua.exemplars.models import ExemplarKind


def jpeg_bytes(size=(40, 30), exif=None) -> bytes:
    out = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, (200, 30, 30)).save(out, format="JPEG", **kwargs)
    return out.getvalue()


@pytest.fixture
def ward(demo):
    return demo.org("phuong-song-cau")


@pytest.fixture
def make_exemplar(movement, ward, personas):
    """A draft of Sông Cầu ward recorded by hanh; ``state`` moves it on through the actions."""

    def make(state="draft", *, title="Chị Lan nấu cơm cho khu cách ly", consent=True,
             person="Nguyễn Thị Lan", summary="Ba tuần nấu cơm miễn phí.", story="", org=None,
             by=None, kind=ExemplarKind.GOOD_DEED, **extra):
        by = by or personas.hanh
        exemplar = actions.record_exemplar(
            movement=movement, organisation=org or ward, by=by, kind=kind, title=title,
            summary=summary, story=story, person_name=person, shows_person=bool(person), **extra)
        if consent and person:
            exemplar = actions.record_consent(exemplar, note="Đồng ý bằng văn bản", by=by)
        if state in ("submitted", "published", "returned", "rejected", "unpublished"):
            exemplar = actions.submit_exemplar(exemplar, by=by)
        if state in ("published", "unpublished"):
            exemplar = actions.publish_exemplar(exemplar, by=personas.lan)
        if state == "unpublished":
            exemplar = actions.unpublish_exemplar(exemplar, reason="Hết thời sự", by=personas.lan)
        if state == "returned":
            exemplar = actions.return_exemplar(exemplar, reason="Bổ sung ảnh", by=personas.lan)
        if state == "rejected":
            exemplar = actions.reject_exemplar(exemplar, reason="Trùng bài", by=personas.lan)
        return exemplar

    return make
